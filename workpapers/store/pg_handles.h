#pragma once
// libpq's handles as owning types, and its connection message on one line: shared by the server
// engine, its COPY writer and its listener (workpapers/store/pg_*.cpp). Inside the store only.
#include <libpq-fe.h>

#include <memory>
#include <string>

namespace tickmark::db::pg {

struct ConnDeleter {
    void operator()(PGconn* c) const { PQfinish(c); }
};
struct ResultDeleter {
    void operator()(PGresult* r) const { PQclear(r); }
};
using Conn = std::unique_ptr<PGconn, ConnDeleter>;
using Result = std::unique_ptr<PGresult, ResultDeleter>;

// libpq's message on one line (it breaks lines and indents hints with tabs).
inline std::string connectionError(PGconn* c) {
    std::string msg;
    for (const char* p = c ? PQerrorMessage(c) : "out of memory"; *p; ++p) {
        const char ch = *p == '\n' || *p == '\t' ? ' ' : *p;
        if (ch != ' ' || (!msg.empty() && msg.back() != ' ')) msg += ch;
    }
    while (!msg.empty() && msg.back() == ' ') msg.pop_back();
    return msg;
}

}  // namespace tickmark::db::pg

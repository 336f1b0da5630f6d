#include "workpapers/store/pg_listen.h"

#include <libpq-fe.h>
#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "workpapers/errors.h"

namespace tickmark::db {
namespace {

class PgListener final : public ChangeListener {
public:
    PgListener(std::vector<std::string> keys, std::vector<std::string> values) : keys_(std::move(keys)), values_(std::move(values)) {
        connect();
        if (!conn_) throw StorageError(0, "the server: cannot listen for the team's changes (" + error_ + ")");
    }
    ~PgListener() override {
        if (conn_) PQfinish(conn_);
    }
    bool wait(int ms) override {
        if (!conn_ || PQstatus(conn_) != CONNECTION_OK) {
            // Lost (the server restarted, the network dropped): made again; what happened meanwhile is unknown.
            if (conn_) PQfinish(conn_), conn_ = nullptr;
            connect();
            if (!conn_) {
                ::poll(nullptr, 0, ms);
                return false;
            }
            return true;
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        for (;;) {
            if (PQconsumeInput(conn_) != 1) {
                PQfinish(conn_);
                conn_ = nullptr;
                connect();
                return conn_ != nullptr;
            }
            bool news = false;
            while (PGnotify* n = PQnotifies(conn_)) {
                news = true;
                PQfreemem(n);
            }
            if (news) return true;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
            if (left <= 0) return false;
            pollfd p{PQsocket(conn_), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) == 0) return false;
        }
    }

private:
    void connect() {
        std::vector<const char*> k, v;
        for (std::size_t i = 0; i < keys_.size(); ++i) k.push_back(keys_[i].c_str()), v.push_back(values_[i].c_str());
        k.push_back(nullptr), v.push_back(nullptr);
        PGconn* c = PQconnectdbParams(k.data(), v.data(), 0);
        if (PQstatus(c) == CONNECTION_OK) {
            PGresult* r = PQexec(c, "LISTEN tickmark");
            const bool ok = PQresultStatus(r) == PGRES_COMMAND_OK;
            PQclear(r);
            if (ok) {
                conn_ = c;
                return;
            }
        }
        error_ = PQerrorMessage(c);
        while (!error_.empty() && (error_.back() == '\n' || error_.back() == ' ')) error_.pop_back();
        PQfinish(c);
    }
    std::vector<std::string> keys_, values_;
    PGconn* conn_ = nullptr;
    std::string error_;
};

}  // namespace

std::unique_ptr<ChangeListener> listenLike(PGconn* engagement) {
    // The engagement connection's own settings (host, database, user, password, TLS...), so the
    // listener reaches the same database as the same role, by the same way.
    std::vector<std::string> keys, values;
    PQconninfoOption* opts = PQconninfo(engagement);
    for (PQconninfoOption* o = opts; o && o->keyword; ++o) {
        if (!o->val) continue;
        keys.emplace_back(o->keyword);
        values.emplace_back(std::string(o->keyword) == "application_name" ? "tickmark listener" : o->val);
    }
    PQconninfoFree(opts);
    return std::make_unique<PgListener>(std::move(keys), std::move(values));
}

}  // namespace tickmark::db

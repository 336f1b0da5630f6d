#include "workpapers/store/pg_listen.h"

#include <poll.h>

#include <chrono>
#include <string>
#include <vector>

#include "workpapers/errors.h"
#include "workpapers/store/pg_handles.h"

namespace tickmark::db {
namespace {

class PgListener final : public ChangeListener {
public:
    PgListener(std::vector<std::string> keys, std::vector<std::string> values) : keys_(std::move(keys)), values_(std::move(values)) {
        if (!connect()) throw StorageError(0, "the server: cannot listen for the team's changes (" + error_ + ")");
    }
    bool wait(int ms) override {
        if (!conn_ || PQstatus(conn_.get()) != CONNECTION_OK) {
            // Lost (the server restarted, the network dropped): made again; what happened meanwhile is unknown.
            if (connect()) return true;
            ::poll(nullptr, 0, ms);
            return false;
        }
        const auto until = std::chrono::steady_clock::now() + std::chrono::milliseconds(ms);
        for (;;) {
            if (PQconsumeInput(conn_.get()) != 1) return connect();
            bool news = false;
            while (PGnotify* n = PQnotifies(conn_.get())) {
                news = true;
                PQfreemem(n);
            }
            if (news) return true;
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(until - std::chrono::steady_clock::now()).count();
            if (left <= 0) return false;
            pollfd p{PQsocket(conn_.get()), POLLIN, 0};
            if (::poll(&p, 1, static_cast<int>(left)) == 0) return false;
        }
    }

private:
    // A new connection, listening; false (the reason in error_) when the server would not take it.
    bool connect() {
        conn_.reset();
        std::vector<const char*> k, v;
        for (std::size_t i = 0; i < keys_.size(); ++i) k.push_back(keys_[i].c_str()), v.push_back(values_[i].c_str());
        k.push_back(nullptr), v.push_back(nullptr);
        pg::Conn c(PQconnectdbParams(k.data(), v.data(), 0));
        if (PQstatus(c.get()) == CONNECTION_OK && PQresultStatus(pg::Result(PQexec(c.get(), "LISTEN tickmark")).get()) == PGRES_COMMAND_OK) {
            conn_ = std::move(c);
            return true;
        }
        error_ = pg::connectionError(c.get());
        return false;
    }
    std::vector<std::string> keys_, values_;
    pg::Conn conn_;
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

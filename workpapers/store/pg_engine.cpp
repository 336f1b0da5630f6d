#include "workpapers/store/pg_engine.h"

#include <libpq-fe.h>

#include <algorithm>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/store/pg_copy.h"
#include "workpapers/store/pg_handles.h"
#include "workpapers/store/pg_listen.h"

namespace tickmark::db {
namespace {

// The server processes serving this program's own connections (a desk's background import opens its own):
// never shown to this program as somebody else at work.
std::mutex ownBackendsMutex;
std::set<long> ownBackends;

// Type OIDs from the server's catalogue (pg_type.dat); stable across releases.
constexpr Oid kBool = 16, kBytea = 17, kInt8 = 20, kText = 25, kInt2 = 21, kInt4 = 23, kOid = 26, kFloat4 = 700, kFloat8 = 701,
              kNumeric = 1700;
// The writers' lock of an engagement (one database per engagement): "tick" in ASCII.
constexpr long long kWriterLock = 0x7469636bLL;

using pg::Conn;
using pg::Result;
using pg::connectionError;

std::string sqlState(const PGresult* r) {
    const char* s = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : nullptr;
    return s ? s : "";
}

// `?` and `?N` to `$N`, outside quoted text, identifiers and comments; `used` marks the numbers that
// appear. Returns the highest number used.
// (`?N IS ...` compares nothing the server could take a type from: it is read as text.)
int translatePlaceholders(std::string_view in, std::string& out, std::vector<bool>& used) {
    out.clear();
    out.reserve(in.size() + 16);
    int next = 0, highest = 0;
    for (std::size_t i = 0; i < in.size(); ++i) {
        const char c = in[i];
        if (c == '\'' || c == '"') {
            const std::size_t end = in.find(c, i + 1);
            const std::size_t stop = end == std::string_view::npos ? in.size() : end + 1;
            out.append(in.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '-' && i + 1 < in.size() && in[i + 1] == '-') {
            const std::size_t end = in.find('\n', i);
            const std::size_t stop = end == std::string_view::npos ? in.size() : end;
            out.append(in.substr(i, stop - i));
            i = stop - 1;
        } else if (c == '?') {
            std::size_t j = i + 1;
            int n = 0;
            while (j < in.size() && in[j] >= '0' && in[j] <= '9') n = n * 10 + (in[j++] - '0');
            if (j == i + 1) n = ++next;
            else next = std::max(next, n);
            highest = std::max(highest, n);
            if (used.size() < static_cast<std::size_t>(n)) used.resize(static_cast<std::size_t>(n));
            used[static_cast<std::size_t>(n - 1)] = true;
            out += '$';
            out += std::to_string(n);
            // SQLite takes `?1 IS NULL` whatever ?1 is; the server must know its type, and the place gives none.
            static constexpr std::string_view kIs = " IS ";
            if (in.substr(j, kIs.size()) == kIs) out += "::text";
            i = j - 1;
        } else {
            out += c;
        }
    }
    return highest;
}

std::string decodeBytea(const char* text, int length) {
    // The server's text form of bytea is hex: \x followed by two digits a byte.
    if (length < 2 || text[0] != '\\' || text[1] != 'x') return std::string(text, static_cast<std::size_t>(length));
    auto digit = [](char h) { return h <= '9' ? h - '0' : (h | 0x20) - 'a' + 10; };
    std::string out(static_cast<std::size_t>(length - 2) / 2, '\0');
    for (std::size_t k = 0; k < out.size(); ++k)
        out[k] = static_cast<char>(digit(text[2 + 2 * k]) << 4 | digit(text[3 + 2 * k]));
    return out;
}

class PgEngine;

class PgCursor final : public Cursor {
public:
    PgCursor(PgEngine& e, std::string_view sql) : e_(e), original_(sql) {
        const int n = translatePlaceholders(sql, sql_, used_);
        used_.resize(static_cast<std::size_t>(n));
        values_.resize(static_cast<std::size_t>(n));
        null_.assign(static_cast<std::size_t>(n), true);
        types_.assign(static_cast<std::size_t>(n), 0);
        formats_.assign(static_cast<std::size_t>(n), 0);
    }
    ~PgCursor() override { stop(); }
    void bindInt(int i, std::int64_t v) override { set(i, std::to_string(v), kInt8, 0); }
    void bindDouble(int i, double v) override {
        char buf[40];
        std::snprintf(buf, sizeof buf, "%.17g", v);
        set(i, buf, kFloat8, 0);
    }
    // Untyped: the server reads it as the type its place needs, as SQLite's affinity would.
    void bindText(int i, std::string_view v) override { set(i, std::string(v), 0, 0); }
    void bindBlob(int i, const void* data, std::size_t size) override {
        set(i, std::string(static_cast<const char*>(data), size), kBytea, 1);
    }
    void bindNull(int i) override {
        at(i);
        null_[static_cast<std::size_t>(i - 1)] = true;
        types_[static_cast<std::size_t>(i - 1)] = 0;
    }
    bool step() override;
    // Takes the rest of its rows off the connection into memory, so another statement can run.
    void spill();
    void reset() override {
        stop();
        started_ = false;
        spilled_.clear();
        result_.reset();
        row_ = -1;
        std::fill(null_.begin(), null_.end(), true);
        std::fill(types_.begin(), types_.end(), 0);
        std::fill(formats_.begin(), formats_.end(), 0);
    }
    bool isNull(int col) const override { return PQgetisnull(result_.get(), row_, col); }
    std::int64_t getInt(int col) const override {
        if (isNull(col)) return 0;
        const char* v = PQgetvalue(result_.get(), row_, col);
        if (PQftype(result_.get(), col) == kBool) return v[0] == 't';
        return std::strtoll(v, nullptr, 10);
    }
    double getDouble(int col) const override { return isNull(col) ? 0.0 : std::strtod(PQgetvalue(result_.get(), row_, col), nullptr); }
    std::string getText(int col) const override {
        if (isNull(col)) return {};
        const Oid t = PQftype(result_.get(), col);
        if (t == kBool) return PQgetvalue(result_.get(), row_, col)[0] == 't' ? "1" : "0";
        if (t == kBytea) return std::string(getBlob(col));
        return std::string(PQgetvalue(result_.get(), row_, col), static_cast<std::size_t>(PQgetlength(result_.get(), row_, col)));
    }
    std::string_view getBlob(int col) const override {
        if (isNull(col)) return {};
        const char* v = PQgetvalue(result_.get(), row_, col);
        const int len = PQgetlength(result_.get(), row_, col);
        if (PQftype(result_.get(), col) != kBytea) return std::string_view(v, static_cast<std::size_t>(len));
        auto& cached = blobs_[static_cast<std::size_t>(col)];
        if (!cached.first) cached = {true, decodeBytea(v, len)};
        return cached.second;
    }
    int columnCount() const override { return result_ ? PQnfields(result_.get()) : 0; }
    char columnKind(int col) const override {
        if (isNull(col)) return 'n';
        switch (PQftype(result_.get(), col)) {
            case kBool: case kInt2: case kInt4: case kInt8: case kOid: return 'i';
            case kFloat4: case kFloat8: return 'r';
            case kBytea: return 'b';
            case kNumeric: return std::strpbrk(PQgetvalue(result_.get(), row_, col), ".eE") ? 'r' : 'i';
            default: return 't';
        }
    }
    std::string sql() const override { return original_; }
    std::string columnName(int col) const override { return PQfname(result_.get(), col); }

private:
    void at(int i) const {
        if (i < 1 || static_cast<std::size_t>(i) > values_.size())
            throw std::logic_error("parameter " + std::to_string(i) + " of `" + original_ + "` does not exist");
    }
    void set(int i, std::string v, Oid type, int format) {
        at(i);
        const auto k = static_cast<std::size_t>(i - 1);
        values_[k] = std::move(v);
        null_[k] = false;
        types_[k] = type;
        formats_[k] = format;
    }
    PgEngine& e_;
    std::string original_, sql_;
    std::vector<std::string> values_;
    std::vector<bool> used_;  // a number the SQL skips (`... = ?2` alone) is sent typed, or the server cannot place it
    std::vector<bool> null_;
    std::vector<Oid> types_;
    std::vector<int> formats_;
    void start();
    void stop();
    void finish(Result last);
    // The rows come one at a time from the connection (libpq's single-row mode): a million-row query
    // never sits in memory whole. When another statement needs the connection first, the rows not yet
    // read are spilled here (PgEngine::yieldConnection).
    bool started_ = false, streaming_ = false;
    std::deque<Result> spilled_;
    Result error_;  // a failure met while spilling, raised at the step that reaches it
    Result result_;
    int row_ = -1;
    mutable std::vector<std::pair<bool, std::string>> blobs_;
};

class PgEngine final : public Engine {
public:
    PgEngine(Conn conn, std::string shown) : conn_(std::move(conn)), shown_(std::move(shown)) {
        PQsetNoticeProcessor(conn_.get(), [](void*, const char*) {}, nullptr);
        backend_ = PQbackendPID(conn_.get());
        {
            std::lock_guard<std::mutex> lock(ownBackendsMutex);
            ownBackends.insert(backend_);
        }
        exec("SET TIME ZONE 'UTC'");
        exec("SET lock_timeout = " + std::to_string(busyTimeoutMs()));
    }
    ~PgEngine() override {
        // Gone: no longer named among those at work, and those listening look again at who is here.
        if (PQtransactionStatus(conn_.get()) == PQTRANS_IDLE)
            Result(PQexec(conn_.get(), "SELECT set_config('application_name', '', false), pg_notify('tickmark', 'presence')"));
        std::lock_guard<std::mutex> lock(ownBackendsMutex);
        ownBackends.erase(backend_);
    }
    EngineKind kind() const override { return EngineKind::PostgreSQL; }
    void exec(std::string_view sql) override {
        yieldConnection(nullptr);
        Result r(PQexec(conn_.get(), std::string(sql).c_str()));
        check(r.get(), sql);
        changes_ = std::atoi(PQcmdTuples(r.get()));
    }
    std::unique_ptr<Cursor> prepare(std::string_view sql) override { return std::make_unique<PgCursor>(*this, sql); }
    std::int64_t lastInsertId() override {
        yieldConnection(nullptr);
        Result r(PQexec(conn_.get(), "SELECT lastval()"));
        check(r.get(), "SELECT lastval()");
        return std::strtoll(PQgetvalue(r.get(), 0, 0), nullptr, 10);
    }
    int changes() const override { return changes_; }
    std::unique_ptr<BulkWriter> bulkWrite(std::string_view table, const std::vector<std::string>& columns) override {
        std::vector<CopyType> types;
        {
            std::map<std::string, std::string, std::less<>> typeOf;
            PgCursor st(*this, "SELECT a.attname, t.typname FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid "
                               "WHERE a.attrelid = to_regclass(?) AND a.attnum > 0 AND NOT a.attisdropped");
            st.bindText(1, table);
            while (st.step()) typeOf[st.getText(0)] = st.getText(1);
            for (auto& c : columns) {
                auto it = typeOf.find(c);
                if (it == typeOf.end()) throw std::logic_error(shown_ + ": " + std::string(table) + " has no column " + c);
                auto t = copyTypeOf(it->second);
                if (!t) throw std::logic_error(shown_ + ": " + std::string(table) + "." + c + " is of a type (" + it->second + ") bulk writes do not send");
                types.push_back(*t);
            }
        }
        yieldConnection(nullptr);
        copying_ = true;
        try {
            return startCopy(conn_.get(), CopyHost{[this](const PGresult* r, std::string_view what) { check(r, what); }, [this] { copying_ = false; }},
                             std::string(table), columns, std::move(types));
        } catch (...) {
            copying_ = false;
            throw;
        }
    }
    void beginWrite() override {
        exec("BEGIN");
        try {
            exec("SELECT pg_advisory_xact_lock(" + std::to_string(kWriterLock) + ")");
        } catch (const BusyError&) {
            rollbackQuietly();
            busy();
        } catch (...) {
            rollbackQuietly();
            throw;
        }
    }
    void beginRead() override { exec("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"); }
    void commit() override {
        yieldConnection(nullptr);
        Result r(PQexec(conn_.get(), "COMMIT"));
        check(r.get(), "COMMIT");
        // The server answers ROLLBACK to a COMMIT of a transaction an error had already ended.
        if (std::strcmp(PQcmdStatus(r.get()), "COMMIT") != 0)
            throw StorageError(0, shown_ + ": the server rolled the transaction back; nothing of it was saved");
    }
    void rollback() override { exec("ROLLBACK"); }
    std::int64_t metaInt(std::string_view name) override {
        if (!hasTable("tickmark_meta")) return 0;
        PgCursor st(*this, "SELECT value FROM tickmark_meta WHERE name = ?");
        st.bindText(1, name);
        return st.step() ? st.getInt(0) : 0;
    }
    void setMetaInt(std::string_view name, std::int64_t value) override {
        PgCursor st(*this, "INSERT INTO tickmark_meta(name, value) VALUES (?, ?) ON CONFLICT (name) DO UPDATE SET value = excluded.value");
        st.bindText(1, name);
        st.bindInt(2, value);
        st.step();
    }
    bool hasTable(std::string_view name) override {
        PgCursor st(*this, "SELECT 1 FROM pg_tables WHERE schemaname = current_schema() AND tablename = ?");
        st.bindText(1, name);
        return st.step();
    }
    bool empty() override {
        PgCursor st(*this, "SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()");
        st.step();
        return st.getInt(0) == 0;
    }
    std::vector<std::string> tables() override {
        std::vector<std::string> out;
        PgCursor st(*this, "SELECT tablename FROM pg_tables WHERE schemaname = current_schema() AND tablename NOT IN ('tickmark_meta', 'trail_stamp')");
        while (st.step()) out.push_back(st.getText(0));
        std::sort(out.begin(), out.end());
        return out;
    }
    // The schema's references are DEFERRABLE (workpapers/store/pg_schema.cpp) for this.
    void deferReferences() override { exec("SET CONSTRAINTS ALL DEFERRED"); }
    void resetIds() override {
        std::vector<std::pair<std::string, std::string>> ids;
        PgCursor st(*this, "SELECT table_name, column_name FROM information_schema.columns "
                           "WHERE table_schema = current_schema() AND is_identity = 'YES'");
        while (st.step()) ids.emplace_back(st.getText(0), st.getText(1));
        for (auto& [table, column] : ids)
            exec("SELECT setval(pg_get_serial_sequence('" + table + "', '" + column + "'), coalesce(max(" + column + "), 0) + 1, false) FROM " +
                 table);
    }
    void dropAll() override {
        std::string list = "tickmark_meta, trail_stamp";
        for (auto& t : tables()) list += ", " + t;
        exec("DROP TABLE IF EXISTS " + list + " CASCADE");
        exec("DROP FUNCTION IF EXISTS tickmark_append_only(), tickmark_trail_append(), tickmark_change_needs_trail(), "
             "tickmark_trail_field(text), tickmark_notify_write()");
    }
    // The session's application_name, which every session of the database reads in pg_stat_activity:
    // "tickmark (Priya Raman) test:CM-03" (the server keeps 63 bytes).
    void setMember(const std::string& member) override {
        member_ = member;
        announce();
    }
    void setWorkpaper(const std::string& workpaper) override {
        workpaper_ = workpaper;
        announce();
    }
    std::unique_ptr<ChangeListener> listen() override {
        // An engagement made before the server told of writes (no trigger on its trail): its readers look for themselves.
        PgCursor st(*this, "SELECT 1 FROM pg_trigger WHERE tgname = 'audit_trail_notify' AND tgrelid = to_regclass('audit_trail')");
        if (!st.step()) return nullptr;
        return listenLike(conn_.get());
    }
    std::vector<Holder> others() override {
        std::vector<Holder> out;
        PgCursor st(*this, "SELECT application_name, usename, coalesce(to_char(backend_start AT TIME ZONE 'UTC', "
                           "'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"'), ''), pid, coalesce(client_hostname, host(client_addr), '') FROM pg_stat_activity "
                           "WHERE datname = current_database() AND pid <> pg_backend_pid() AND application_name LIKE 'tickmark (%' "
                           "ORDER BY pid");
        std::set<long> mine;
        {
            std::lock_guard<std::mutex> lock(ownBackendsMutex);
            mine = ownBackends;
        }
        while (st.step()) {
            if (mine.count(static_cast<long>(st.getInt(3)))) continue;
            const std::string app = st.getText(0);
            const auto close = app.rfind(')');
            Holder h;
            h.program = "tickmark";
            h.member = close == std::string::npos ? "" : app.substr(10, close - 10);
            if (close != std::string::npos && close + 2 < app.size()) h.workpaper = app.substr(close + 2);
            h.since = st.getText(2);
            h.pid = static_cast<long>(st.getInt(3));
            h.host = st.getText(4).empty() ? "the server (as " + st.getText(1) + ")" : st.getText(4) + " (as " + st.getText(1) + ")";
            out.push_back(std::move(h));
        }
        return out;
    }

    PGconn* conn() const { return conn_.get(); }
    // One statement's rows at a time on a connection: the cursor streaming them spills the rest first.
    void yieldConnection(PgCursor* next) {
        if (copying_) throw std::logic_error(shown_ + ": a statement was run while a bulk write held the connection");
        if (streaming_ && streaming_ != next) streaming_->spill();
        streaming_ = next;
    }
    void released(PgCursor* c) {
        if (streaming_ == c) streaming_ = nullptr;
    }
    void setChanges(int n) { changes_ = n; }

    // Every error the server sends back, in the words the front ends use.
    void check(const PGresult* r, std::string_view what) {
        const auto status = r ? PQresultStatus(r) : PGRES_FATAL_ERROR;
        if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK) return;
        const std::string state = sqlState(r);
        std::string msg;
        if (const char* primary = r ? PQresultErrorField(r, PG_DIAG_MESSAGE_PRIMARY) : nullptr) {
            msg = primary;
            if (const char* detail = PQresultErrorField(r, PG_DIAG_MESSAGE_DETAIL)) msg += std::string(": ") + detail;
        } else {
            msg = connectionError(conn_.get());
        }
        if (state == "55P03" || state == "40001" || state == "40P01")
            throw BusyError(shown_ + ": the engagement is busy (" + msg + "). Nothing was changed; try again.");
        if (state == "25006")
            throw InputError(shown_ + ": this connection may only read (" + msg + "); nothing was changed");
        if (state == "42501")
            throw InputError(shown_ + ": the server refused: " + msg +
                             ". Your server role may not do this; nothing was changed (ask the firm's administrator).");
        if (PQstatus(conn_.get()) == CONNECTION_BAD || state.rfind("08", 0) == 0)
            throw StorageError(0, shown_ + ": the connection to the server was lost (" + msg +
                                      "); what was not committed was not saved. Reconnect and try again.");
        throw StorageError(0, shown_ + ": " + std::string(what.substr(0, 200)) + ": " + msg);
    }

private:
    void rollbackQuietly() {
        yieldConnection(nullptr);
        Result r(PQexec(conn_.get(), "ROLLBACK"));
    }
    // Who holds the engagement's writer lock, as the server knows them.
    [[noreturn]] void busy() {
        std::string who;
        PgCursor st(*this,
                    "SELECT coalesce(nullif(a.application_name, ''), 'a program'), a.usename, "
                    "to_char(a.xact_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI') FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid "
                    "WHERE l.locktype = 'advisory' AND l.granted AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())");
        try {
            while (st.step()) who += (who.empty() ? "" : "; ") + st.getText(0) + " as " + st.getText(1) + " since " + st.getText(2) + " UTC";
        } catch (...) {
        }
        if (who.empty()) who = "another member";
        throw BusyError(shown_ + ": the engagement is busy: " + who + " has been writing for more than " +
                        std::to_string((busyTimeoutMs() + 500) / 1000) + " s. Nothing was changed; try again when it finishes.");
    }
    Conn conn_;
    void announce() {
        // Those listening (the desks: workpapers/store/pg_listen.cpp) look again at who is where.
        PgCursor st(*this, "SELECT set_config('application_name', ?, false), pg_notify('tickmark', 'presence')");
        std::string name = "tickmark (" + member_ + ")" + (workpaper_.empty() ? "" : " " + workpaper_);
        st.bindText(1, name.substr(0, 63));
        st.step();
    }
    std::string shown_;
    std::string member_, workpaper_;
    long backend_ = 0;
    int changes_ = 0;
    PgCursor* streaming_ = nullptr;
    bool copying_ = false;  // a COPY holds the connection (bulkWrite)
};

void PgCursor::start() {
    std::vector<const char*> values(values_.size());
    std::vector<int> lengths(values_.size());
    for (std::size_t k = 0; k < values_.size(); ++k) {
        values[k] = null_[k] ? nullptr : values_[k].data();
        lengths[k] = static_cast<int>(values_[k].size());
        if (!used_[k]) types_[k] = kText;
    }
    e_.yieldConnection(this);
    started_ = true;
    if (!PQsendQueryParams(e_.conn(), sql_.c_str(), static_cast<int>(values_.size()), types_.data(), values.data(), lengths.data(),
                           formats_.data(), 0)) {
        e_.released(this);
        e_.check(nullptr, original_);
    }
    PQsetSingleRowMode(e_.conn());
    streaming_ = true;
}

// The statement's last result (its status, the rows it changed); the connection is free again.
void PgCursor::finish(Result last) {
    for (Result more(PQgetResult(e_.conn())); more; more.reset(PQgetResult(e_.conn()))) {}
    streaming_ = false;
    e_.released(this);
    const auto status = last ? PQresultStatus(last.get()) : PGRES_FATAL_ERROR;
    if (status != PGRES_TUPLES_OK && status != PGRES_COMMAND_OK) {
        error_ = std::move(last);
        return;
    }
    e_.setChanges(std::atoi(PQcmdTuples(last.get())));
    if (!result_) result_ = std::move(last);  // no row came: the columns are still known
}

void PgCursor::spill() {
    while (streaming_) {
        Result r(PQgetResult(e_.conn()));
        if (r && PQresultStatus(r.get()) == PGRES_SINGLE_TUPLE) spilled_.push_back(std::move(r));
        else finish(std::move(r));
    }
}

void PgCursor::stop() {
    if (streaming_) {
        // Rows nobody will read, dropped as they come. (Not cancelled: a cancel can reach the server after
        // this statement ended and stop the next one, inside the same transaction.)
        for (Result r(PQgetResult(e_.conn())); r; r.reset(PQgetResult(e_.conn()))) {}
        streaming_ = false;
        e_.released(this);
    }
}

bool PgCursor::step() {
    if (!started_) start();
    for (auto& b : blobs_) b.first = false;
    if (!spilled_.empty()) {
        result_ = std::move(spilled_.front());
        spilled_.pop_front();
    } else if (streaming_) {
        Result r(PQgetResult(e_.conn()));
        if (r && PQresultStatus(r.get()) == PGRES_SINGLE_TUPLE) result_ = std::move(r);
        else finish(std::move(r));
        if (!streaming_ && error_) e_.check(error_.get(), original_);
        if (!streaming_) return false;
    } else {
        if (error_) {
            Result e = std::move(error_);
            e_.check(e.get(), original_);
        }
        return false;
    }
    row_ = 0;
    if (blobs_.size() != static_cast<std::size_t>(PQnfields(result_.get()))) blobs_.assign(static_cast<std::size_t>(PQnfields(result_.get())), {});
    return true;
}

// Connects with `dbname` given: the URI's own database when empty.
Conn connect(const std::string& uri, const char* dbname) {
    std::vector<const char*> keys{"dbname", "fallback_application_name"};
    std::vector<const char*> values{uri.c_str(), "tickmark"};
    if (dbname) keys.push_back("dbname"), values.push_back(dbname);
    keys.push_back(nullptr), values.push_back(nullptr);
    return Conn(PQconnectdbParams(keys.data(), values.data(), 1));
}

std::string databaseName(const std::string& uri) {
    char* err = nullptr;
    PQconninfoOption* opts = PQconninfoParse(uri.c_str(), &err);
    if (!opts) {
        std::string msg = err ? err : "cannot be read";
        PQfreemem(err);
        throw InputError(displayLocation(uri) + ": not a connection URI the server client reads: " + msg);
    }
    std::string name;
    for (auto* o = opts; o->keyword; ++o)
        if (std::strcmp(o->keyword, "dbname") == 0 && o->val) name = o->val;
    PQconninfoFree(opts);
    return name;
}

std::string quoteIdent(PGconn* c, const std::string& name) {
    char* q = PQescapeIdentifier(c, name.data(), name.size());
    std::string out = q ? q : name;
    PQfreemem(q);
    return out;
}

// Passwords and workpapers cross the network only encrypted: a connection that leaves this machine
// must use TLS (sslmode=verify-full checks the server's certificate too). A Unix socket or the
// loopback address stays on the machine.
void requirePrivateChannel(PGconn* c, const std::string& shown) {
    const char* host = PQhost(c);
    const std::string h = host ? host : "";
    const bool local = h.empty() || h[0] == '/' || h[0] == '@' || h == "localhost" || h == "127.0.0.1" || h == "::1";
    if (!local && !PQsslInUse(c))
        throw InputError(shown + ": the connection to " + h + " is not encrypted; add sslmode=verify-full to the URI (the "
                                 "server's certificate checked against ~/.postgresql/root.crt) or sslmode=require, and ask "
                                 "the administrator for a hostssl line in the server's pg_hba.conf");
}

}  // namespace

std::string displayLocation(const std::string& uri) {
    // postgresql://user:secret@host/db -> postgresql://user@host/db; a password= parameter likewise.
    std::string out = uri;
    const auto scheme = out.find("://");
    const auto at = out.find('@', scheme == std::string::npos ? 0 : scheme + 3);
    if (scheme != std::string::npos && at != std::string::npos) {
        const auto colon = out.find(':', scheme + 3);
        if (colon != std::string::npos && colon < at) out.erase(colon, at - colon);
    }
    const auto pw = out.find("password=");
    if (pw != std::string::npos) {
        const auto end = out.find('&', pw);
        out.replace(pw, (end == std::string::npos ? out.size() : end) - pw, "password=…");
    }
    return out;
}

std::string scramVerifier(const std::string& uri, const std::string& role, const std::string& password) {
    Conn c = connect(uri, nullptr);
    if (PQstatus(c.get()) != CONNECTION_OK) throw InputError(displayLocation(uri) + ": cannot connect: " + connectionError(c.get()));
    char* v = PQencryptPasswordConn(c.get(), password.c_str(), role.c_str(), "scram-sha-256");
    if (!v) throw StorageError(0, displayLocation(uri) + ": the password could not be prepared: " + connectionError(c.get()));
    std::string out = v;
    PQfreemem(v);
    return out;
}

std::unique_ptr<Engine> openPostgres(const std::string& uri, bool create) {
    const std::string shown = displayLocation(uri);
    const std::string name = databaseName(uri);
    if (name.empty()) throw InputError(shown + ": the URI names no database (postgresql://host/DATABASE: one per engagement)");
    Conn c = connect(uri, nullptr);
    if (PQstatus(c.get()) != CONNECTION_OK && create && connectionError(c.get()).find("does not exist") != std::string::npos) {
        // A new engagement: its database, made from the maintenance database with byte-order collation, so
        // that the server sorts text as the engagement file does (the signed digests depend on the order).
        Conn admin = connect(uri, "postgres");
        if (PQstatus(admin.get()) != CONNECTION_OK)
            throw InputError(shown + ": cannot reach the server to create the engagement's database: " + connectionError(admin.get()));
        Result r(PQexec(admin.get(), ("CREATE DATABASE " + quoteIdent(admin.get(), name) +
                                      " TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C'").c_str()));
        if (PQresultStatus(r.get()) != PGRES_COMMAND_OK)
            throw InputError(shown + ": the server would not create the database \"" + name + "\": " + connectionError(admin.get()) +
                             " (an administrator creates it, or gives your role CREATEDB)");
        c = connect(uri, nullptr);
    }
    if (PQstatus(c.get()) != CONNECTION_OK) {
        const std::string msg = connectionError(c.get());
        if (msg.find("does not exist") != std::string::npos && !create)
            throw InputError(shown + ": no such engagement on the server (" + msg + "); create one with `tickmark new " + shown + "`");
        throw InputError(shown + ": cannot connect: " + msg);
    }
    requirePrivateChannel(c.get(), shown);
    return std::make_unique<PgEngine>(std::move(c), shown);
}

}  // namespace tickmark::db

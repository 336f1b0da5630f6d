#include "workpapers/store/sqlite_engine.h"

#include <unistd.h>

#include <sqlite3.h>

#include <algorithm>
#include <cctype>
#include <stdexcept>
#include <cstdio>
#include <filesystem>

#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/holders.h"
#include "workpapers/ofd_locks.h"

namespace tickmark::db {
namespace {

bool isBusy(int rc) { return (rc & 0xff) == SQLITE_BUSY || (rc & 0xff) == SQLITE_LOCKED; }

// A file or folder this user may not write: SQLite needs to write the log and the shared index
// beside the file even to read it (WAL), and the file itself to change it.
[[noreturn]] void readOnly(const std::string& path, int rc) {
    if (rc == SQLITE_READONLY_DBMOVED)
        throw InputError(path + ": the engagement file was moved, renamed or deleted while it was open; nothing was changed. "
                                "Open it where it is now.");
    const bool folder = rc == SQLITE_READONLY_DIRECTORY || rc == SQLITE_READONLY_CANTINIT || rc == SQLITE_READONLY_CANTLOCK;
    throw InputError(path + (folder ? ": cannot open the engagement file here: its folder is read-only (Tickmark writes FILE-wal "
                                      "and FILE-shm beside it, even to read)"
                                    : ": cannot change the engagement file: the file is read-only") +
                     ". Nothing was changed; copy it to a folder you can write, or ask for write access.");
}

class SqliteEngine;

class SqliteCursor final : public Cursor {
public:
    SqliteCursor(SqliteEngine& e, std::string_view sql);
    ~SqliteCursor() override { sqlite3_finalize(stmt_); }
    void bindInt(int i, std::int64_t v) override { check(sqlite3_bind_int64(stmt_, i, v)); }
    void bindDouble(int i, double v) override { check(sqlite3_bind_double(stmt_, i, v)); }
    void bindText(int i, std::string_view t) override {
        check(sqlite3_bind_text(stmt_, i, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT));
    }
    void bindBlob(int i, const void* data, std::size_t size) override {
        check(sqlite3_bind_blob64(stmt_, i, data, size, SQLITE_TRANSIENT));
    }
    void bindNull(int i) override { check(sqlite3_bind_null(stmt_, i)); }
    bool step() override;
    void reset() override {
        sqlite3_reset(stmt_);
        sqlite3_clear_bindings(stmt_);
    }
    bool isNull(int col) const override { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
    std::int64_t getInt(int col) const override { return sqlite3_column_int64(stmt_, col); }
    double getDouble(int col) const override { return sqlite3_column_double(stmt_, col); }
    std::string getText(int col) const override {
        auto p = sqlite3_column_text(stmt_, col);
        return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : std::string();
    }
    std::string_view getBlob(int col) const override {
        auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
        return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
    }
    int columnCount() const override { return sqlite3_column_count(stmt_); }
    char columnKind(int col) const override {
        switch (sqlite3_column_type(stmt_, col)) {
            case SQLITE_INTEGER: return 'i';
            case SQLITE_FLOAT: return 'r';
            case SQLITE_TEXT: return 't';
            case SQLITE_BLOB: return 'b';
            default: return 'n';
        }
    }
    std::string sql() const override { return sqlite3_sql(stmt_); }
    std::string columnName(int col) const override { return sqlite3_column_name(stmt_, col); }

private:
    void check(int rc) const;
    SqliteEngine& e_;
    sqlite3_stmt* stmt_ = nullptr;
};

class SqliteEngine final : public Engine {
public:
    SqliteEngine(const std::string& path, bool create, const char* vfs);
    ~SqliteEngine() override {
        if (db_) sqlite3_close_v2(db_);
        holder_.reset();  // after the connection: the record names this program as long as its locks stand
    }
    EngineKind kind() const override { return EngineKind::SQLite; }
    void exec(std::string_view sql) override;
    std::unique_ptr<Cursor> prepare(std::string_view sql) override { return std::make_unique<SqliteCursor>(*this, sql); }
    std::int64_t lastInsertId() override { return sqlite3_last_insert_rowid(db_); }
    int changes() const override { return sqlite3_changes(db_); }
    void beginWrite() override { exec("BEGIN IMMEDIATE"); }
    void beginRead() override {
        exec("BEGIN DEFERRED");
        try {
            // The read transaction, and with it the snapshot, starts at the first read of the file.
            exec("SELECT count(*) FROM sqlite_schema");
        } catch (...) {
            try {
                exec("ROLLBACK");
            } catch (...) {
            }
            throw;
        }
    }
    void commit() override { exec("COMMIT"); }
    void rollback() override { exec("ROLLBACK"); }
    std::int64_t metaInt(std::string_view name) override {
        SqliteCursor st(*this, "PRAGMA " + std::string(name));
        return st.step() ? st.getInt(0) : 0;
    }
    void setMetaInt(std::string_view name, std::int64_t value) override {
        exec("PRAGMA " + std::string(name) + " = " + std::to_string(value));
    }
    bool hasTable(std::string_view name) override {
        SqliteCursor st(*this, "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = ?");
        st.bindText(1, name);
        return st.step();
    }
    bool empty() override {
        SqliteCursor st(*this, "SELECT count(*) FROM sqlite_schema");
        st.step();
        return st.getInt(0) == 0;
    }
    std::vector<std::string> tables() override {
        std::vector<std::string> out;
        SqliteCursor st(*this, "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\'");
        while (st.step()) out.push_back(st.getText(0));
        std::sort(out.begin(), out.end());
        return out;
    }
    void deferReferences() override { exec("PRAGMA defer_foreign_keys = ON"); }
    void resetIds() override {}  // a row id follows the largest by itself
    void dropAll() override { throw std::logic_error(path_ + ": a file is removed, not emptied"); }
    bool archived() const override { return archived_; }
    void setMember(const std::string& member) override {
        if (holder_) holder_->setMember(member);
    }
    void setWorkpaper(const std::string& workpaper) override {
        if (holder_) holder_->setWorkpaper(workpaper);
    }
    std::vector<Holder> others() override { return otherHolders(path_); }
    sqlite3* sqliteHandle() const override { return db_; }

    [[noreturn]] void fail(int rc, std::string_view context) const;

private:
    [[noreturn]] void busy() const;
    void failIfAltered(int rc) const;
    bool openArchived(const std::string& path, const char* vfs);
    sqlite3* db_ = nullptr;
    std::string path_;
    bool archived_ = false;
    std::unique_ptr<HolderRecord> holder_;
};

SqliteCursor::SqliteCursor(SqliteEngine& e, std::string_view sql) : e_(e) {
    int rc = sqlite3_prepare_v2(e.sqliteHandle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) e.fail(rc, "preparing `" + std::string(sql.substr(0, 60)) + "`");
}

void SqliteCursor::check(int rc) const {
    if (rc != SQLITE_OK) e_.fail(rc, std::string("statement `") + sqlite3_sql(stmt_) + "`");
}

bool SqliteCursor::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    e_.fail(rc, std::string("running `") + sqlite3_sql(stmt_) + "`");
}

SqliteEngine::SqliteEngine(const std::string& path, bool create, const char* vfs) : path_(path) {
    useOfdLocks();  // before the first connection opens: no foreign close() may drop its locks
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (create) flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        const int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
        sqlite3_close(db_);
        db_ = nullptr;
        if (!create && !std::filesystem::exists(path))
            throw InputError(path + ": no such engagement file (create one with `tickmark new`)");
        failIfAltered(extended);
        throw StorageError(rc, path + ": cannot open: " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, busyTimeoutMs());
    // WAL's default, NORMAL, may lose the last commits on power loss: a commit is on disk when it returns.
    try {
        exec("PRAGMA synchronous = FULL");
        if (!create) metaInt("schema_version");  // the first read: WAL needs FILE-shm beside it
    } catch (const InputError&) {
        // A folder nobody may write here (an archive, a read-only share): SQLite cannot keep the WAL
        // index beside the file, so the file is read as it stands, immutable, and every write refused.
        sqlite3_close_v2(db_);
        db_ = nullptr;
        if (create || !openArchived(path, vfs)) throw;
        return;
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
    if (!path.empty() && path[0] != ':' && path.rfind("file:", 0) != 0) holder_ = std::make_unique<HolderRecord>(path);
}

bool SqliteEngine::openArchived(const std::string& path, const char* vfs) {
    if (path.empty() || path[0] == ':' || path.rfind("file:", 0) == 0) return false;
    const auto folder = std::filesystem::absolute(path).parent_path();
    if (::access(folder.c_str(), W_OK) == 0) return false;  // the folder can be written: not an archive
    // Nobody can write beside it, so nobody holds it open for writing: a WAL left behind would be
    // unreadable too, and the file must then be copied to be read (the original error says so).
    if (std::filesystem::exists(path + "-wal") && std::filesystem::file_size(path + "-wal") > 0) return false;
    std::string uri = "file:";
    for (unsigned char c : std::filesystem::absolute(path).string()) {
        if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~') uri += static_cast<char>(c);
        else {
            char hex[4];
            std::snprintf(hex, sizeof hex, "%%%02X", c);
            uri += hex;
        }
    }
    uri += "?immutable=1";
    int orc = sqlite3_open_v2(uri.c_str(), &db_, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, vfs);
    if (orc != SQLITE_OK) {
        sqlite3_close(db_);
        db_ = nullptr;
        return false;
    }
    sqlite3_extended_result_codes(db_, 1);
    archived_ = true;
    return true;
}

void SqliteEngine::busy() const {
    const std::string name = std::filesystem::path(path_).filename().string();
    const std::string waited = std::to_string((busyTimeoutMs() + 500) / 1000) + " s";
    auto holders = otherHolders(path_);
    std::string who;
    for (auto& h : holders) who += (who.empty() ? "" : "; ") + describe(h);
    if (who.empty())
        who = "a program that does not say who it is (the sqlite3 shell, or a Tickmark older than this one)";
    else
        who = "it is open in " + who;
    throw BusyError(path_ + ": " + name + " is busy: another program has kept it locked for more than " + waited +
                    " (" + who + "). Nothing was changed; try again when it finishes.");
}

void SqliteEngine::fail(int rc, std::string_view context) const {
    if (isBusy(rc)) busy();
    if ((rc & 0xff) == SQLITE_READONLY) readOnly(path_, rc);
    std::string msg = std::string(context) + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_NOTADB)
        throw InputError(path_ + ": not a Tickmark engagement file (it is not an SQLite database)");
    failIfAltered(rc);
    throw StorageError(rc, path_ + ": " + msg);
}

// An encrypted page that fails its authentication (workpapers/store/crypt_vfs.cpp): said plainly.
void SqliteEngine::failIfAltered(int rc) const {
    if (rc == SQLITE_IOERR_DATA)
        throw StorageError(rc, path_ + ": an encrypted page failed its integrity check: the file was altered or damaged on disk "
                                       "(restore it from its last good copy)");
}

void SqliteEngine::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if (isBusy(rc)) busy();
        if ((rc & 0xff) == SQLITE_READONLY) readOnly(path_, rc);
        if ((rc & 0xff) == SQLITE_NOTADB)
            throw InputError(path_ + ": not a Tickmark engagement file (it is not an SQLite database)");
        failIfAltered(rc);
        throw StorageError(rc, path_ + ": " + msg);
    }
}

}  // namespace

std::unique_ptr<Engine> openSqlite(const std::string& path, bool create, const char* vfs) {
    return std::make_unique<SqliteEngine>(path, create, vfs);
}

void sqliteBackup(Engine& engine, const std::string& destination) {
    if (std::filesystem::exists(destination))
        throw InputError(destination + ": a file is already there; not overwriting it with a backup");
    auto st = engine.prepare("VACUUM INTO ?");
    st->bindText(1, destination);
    st->step();
}

}  // namespace tickmark::db

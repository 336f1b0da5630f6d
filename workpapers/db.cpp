#include "workpapers/db.h"

#include <sqlite3.h>

#include <filesystem>

#include "workpapers/errors.h"

namespace tickmark::db {

Database::Database(const std::string& path, Mode mode, const char* vfs) : path_(path) {
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
    if (mode == Mode::Create) flags |= SQLITE_OPEN_CREATE;
    int rc = sqlite3_open_v2(path.c_str(), &db_, flags, vfs);
    if (rc != SQLITE_OK) {
        std::string msg = db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc);
        const int extended = db_ ? sqlite3_extended_errcode(db_) : rc;
        sqlite3_close(db_);
        db_ = nullptr;
        if (mode == Mode::OpenExisting && !std::filesystem::exists(path))
            throw InputError(path + ": no such engagement file (create one with `tickmark new`)");
        failIfAltered(extended);
        throw StorageError(rc, path + ": cannot open: " + msg);
    }
    sqlite3_extended_result_codes(db_, 1);
    sqlite3_busy_timeout(db_, 5000);
}

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
}

void Database::fail(int rc, std::string_view context) const {
    std::string msg = std::string(context) + ": " + (db_ ? sqlite3_errmsg(db_) : sqlite3_errstr(rc));
    if ((rc & 0xff) == SQLITE_NOTADB)
        throw InputError(path_ + ": not a Tickmark engagement file (it is not an SQLite database)");
    failIfAltered(rc);
    throw StorageError(rc, path_ + ": " + msg);
}

// An encrypted page that fails its authentication (workpapers/store/crypt_vfs.cpp): said plainly.
void Database::failIfAltered(int rc) const {
    if (rc == SQLITE_IOERR_DATA)
        throw StorageError(rc, path_ + ": an encrypted page failed its integrity check: the file was altered or damaged on disk "
                                       "(restore it from its last good copy)");
}

void Database::exec(std::string_view sql) {
    std::string s(sql);
    char* err = nullptr;
    int rc = sqlite3_exec(db_, s.c_str(), nullptr, nullptr, &err);
    if (rc != SQLITE_OK) {
        std::string msg = err ? err : sqlite3_errstr(rc);
        sqlite3_free(err);
        if ((rc & 0xff) == SQLITE_NOTADB)
            throw InputError(path_ + ": not a Tickmark engagement file (it is not an SQLite database)");
        failIfAltered(rc);
        throw StorageError(rc, path_ + ": " + msg);
    }
}

std::int64_t Database::lastInsertRowid() const { return sqlite3_last_insert_rowid(db_); }
int Database::changes() const { return sqlite3_changes(db_); }

std::int64_t Database::pragmaInt(std::string_view name) {
    Statement st(*this, "PRAGMA " + std::string(name));
    return st.step() ? st.getInt(0) : 0;
}

void Database::setPragmaInt(std::string_view name, std::int64_t value) {
    exec("PRAGMA " + std::string(name) + " = " + std::to_string(value));
}

void Database::backupTo(const std::string& destination) {
    if (std::filesystem::exists(destination))
        throw InputError(destination + ": a file is already there; not overwriting it with a backup");
    Statement st(*this, "VACUUM INTO ?");
    st.bind(1, destination);
    st.exec();
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db) {
    int rc = sqlite3_prepare_v2(db.handle(), sql.data(), static_cast<int>(sql.size()), &stmt_, nullptr);
    if (rc != SQLITE_OK) db.fail(rc, "preparing `" + std::string(sql.substr(0, 60)) + "`");
}

Statement::~Statement() {
    if (stmt_) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept : db_(other.db_), stmt_(other.stmt_) { other.stmt_ = nullptr; }

void Statement::check(int rc) const {
    if (rc != SQLITE_OK) db_->fail(rc, std::string("statement `") + sqlite3_sql(stmt_) + "`");
}

Statement& Statement::bind(int i, std::int64_t v) { check(sqlite3_bind_int64(stmt_, i, v)); return *this; }
Statement& Statement::bind(int i, double v) { check(sqlite3_bind_double(stmt_, i, v)); return *this; }
Statement& Statement::bind(int i, std::string_view t) {
    check(sqlite3_bind_text(stmt_, i, t.data(), static_cast<int>(t.size()), SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bind(int i, std::optional<std::string_view> t) { return t ? bind(i, *t) : bindNull(i); }
Statement& Statement::bind(int i, std::optional<std::int64_t> v) { return v ? bind(i, *v) : bindNull(i); }
Statement& Statement::bindBlob(int i, const void* data, std::size_t size) {
    check(sqlite3_bind_blob64(stmt_, i, data, size, SQLITE_TRANSIENT));
    return *this;
}
Statement& Statement::bindNull(int i) { check(sqlite3_bind_null(stmt_, i)); return *this; }

bool Statement::step() {
    int rc = sqlite3_step(stmt_);
    if (rc == SQLITE_ROW) return true;
    if (rc == SQLITE_DONE) return false;
    db_->fail(rc, std::string("running `") + sqlite3_sql(stmt_) + "`");
}

void Statement::exec() {
    while (step()) {}
    reset();
}

void Statement::reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
}

bool Statement::isNull(int col) const { return sqlite3_column_type(stmt_, col) == SQLITE_NULL; }
std::int64_t Statement::getInt(int col) const { return sqlite3_column_int64(stmt_, col); }
double Statement::getDouble(int col) const { return sqlite3_column_double(stmt_, col); }
std::string Statement::getText(int col) const {
    auto p = sqlite3_column_text(stmt_, col);
    return p ? std::string(reinterpret_cast<const char*>(p), sqlite3_column_bytes(stmt_, col)) : std::string();
}
std::optional<std::string> Statement::getOptText(int col) const {
    if (isNull(col)) return std::nullopt;
    return getText(col);
}
std::optional<std::int64_t> Statement::getOptInt(int col) const {
    if (isNull(col)) return std::nullopt;
    return getInt(col);
}
std::string_view Statement::getBlob(int col) const {
    auto p = static_cast<const char*>(sqlite3_column_blob(stmt_, col));
    return p ? std::string_view(p, sqlite3_column_bytes(stmt_, col)) : std::string_view();
}

int Statement::columnCount() const { return sqlite3_column_count(stmt_); }

// The column's storage class in this row: 'i'nteger, 'r'eal, 't'ext, 'b'lob or 'n'ull.
char Statement::columnKind(int col) const {
    switch (sqlite3_column_type(stmt_, col)) {
        case SQLITE_INTEGER: return 'i';
        case SQLITE_FLOAT: return 'r';
        case SQLITE_TEXT: return 't';
        case SQLITE_BLOB: return 'b';
        default: return 'n';
    }
}

Transaction::Transaction(Database& db) : db_(db), level_(db.depth_ + 1) {
    db_.exec(level_ == 1 ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT tickmark_" + std::to_string(level_));
    db_.depth_ = level_;
}

Transaction::~Transaction() {
    if (done_) return;
    try {
        if (level_ == 1) db_.exec("ROLLBACK");
        else db_.exec("ROLLBACK TO tickmark_" + std::to_string(level_) + "; RELEASE tickmark_" + std::to_string(level_));
    } catch (...) {
        // A failed rollback leaves SQLite to roll back on close; never throw from here.
    }
    db_.depth_ = level_ - 1;
}

void Transaction::commit() {
    if (db_.depth_ != level_) throw StorageError(0, db_.path() + ": a transaction was committed out of order (an inner one is still open)");
    db_.exec(level_ == 1 ? std::string("COMMIT") : "RELEASE tickmark_" + std::to_string(level_));
    done_ = true;
    db_.depth_ = level_ - 1;
}

}  // namespace tickmark::db

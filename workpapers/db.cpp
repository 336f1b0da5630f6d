#include "workpapers/db.h"

#include <unistd.h>

#include <cctype>
#include <cstdio>

#include <sqlite3.h>

#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include "workpapers/errors.h"
#include "workpapers/holders.h"
#include "workpapers/ofd_locks.h"

namespace tickmark::db {
namespace {

std::atomic<WriteOutcome> lastOutcome{WriteOutcome::None};
std::atomic<long> commits{0};

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

}  // namespace

int busyTimeoutMs() {
    if (const char* v = std::getenv("TICKMARK_BUSY_TIMEOUT_MS")) {
        char* end = nullptr;
        long ms = std::strtol(v, &end, 10);
        if (end != v && *end == '\0' && ms >= 0 && ms <= 3600000) return static_cast<int>(ms);
    }
    return 15000;
}

WriteOutcome lastWriteOutcome() { return lastOutcome; }
long committedWrites() { return commits; }

Database::Database(const std::string& path, Mode mode, const char* vfs) : path_(path) {
    useOfdLocks();  // before the first connection opens: no foreign close() may drop its locks
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
    sqlite3_busy_timeout(db_, busyTimeoutMs());
    // WAL's default, NORMAL, may lose the last commits on power loss: a commit is on disk when it returns.
    try {
        exec("PRAGMA synchronous = FULL");
        if (mode == Mode::OpenExisting) pragmaInt("schema_version");  // the first read: WAL needs FILE-shm beside it
    } catch (const InputError&) {
        // A folder nobody may write here (an archive, a read-only share): SQLite cannot keep the WAL
        // index beside the file, so the file is read as it stands, immutable, and every write refused.
        sqlite3_close_v2(db_);
        db_ = nullptr;
        if (mode != Mode::OpenExisting || !openArchived(path, vfs)) throw;
        return;
    } catch (...) {
        sqlite3_close_v2(db_);
        db_ = nullptr;
        throw;
    }
    if (!path.empty() && path[0] != ':' && path.rfind("file:", 0) != 0) holder_ = std::make_unique<HolderRecord>(path);
}

bool Database::openArchived(const std::string& path, const char* vfs) {
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

Database::~Database() {
    if (db_) sqlite3_close_v2(db_);
    holder_.reset();  // after the connection: the record names this program as long as its locks stand
}

void Database::setHolderMember(const std::string& member) {
    if (holder_) holder_->setMember(member);
}

void Database::busy() const {
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

void Database::fail(int rc, std::string_view context) const {
    if (isBusy(rc)) busy();
    if ((rc & 0xff) == SQLITE_READONLY) readOnly(path_, rc);
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
        if (isBusy(rc)) busy();
        if ((rc & 0xff) == SQLITE_READONLY) readOnly(path_, rc);
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
    if (db.snapshot_) throw std::logic_error(db.path() + ": a write begun inside a read snapshot");
    try {
        db_.exec(level_ == 1 ? std::string("BEGIN IMMEDIATE") : "SAVEPOINT tickmark_" + std::to_string(level_));
    } catch (...) {
        if (level_ == 1) lastOutcome = WriteOutcome::Failed;
        throw;
    }
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
    if (level_ == 1) lastOutcome = WriteOutcome::Failed;
}

void Transaction::commit() {
    if (db_.depth_ != level_) throw StorageError(0, db_.path() + ": a transaction was committed out of order (an inner one is still open)");
    // A failed COMMIT throws and the destructor rolls back: the write did not happen.
    db_.exec(level_ == 1 ? std::string("COMMIT") : "RELEASE tickmark_" + std::to_string(level_));
    done_ = true;
    db_.depth_ = level_ - 1;
    if (level_ == 1) {
        ++commits;
        lastOutcome = WriteOutcome::Committed;
    }
}

ReadSnapshot::ReadSnapshot(Database& db) : db_(db) {
    if (db.depth_ > 0 || db.snapshot_) return;
    db.exec("BEGIN DEFERRED");
    try {
        // The read transaction, and with it the snapshot, starts at the first read of the file.
        db.exec("SELECT count(*) FROM sqlite_schema");
    } catch (...) {
        try {
            db.exec("ROLLBACK");
        } catch (...) {
        }
        throw;
    }
    db.snapshot_ = owns_ = true;
}

ReadSnapshot::~ReadSnapshot() {
    if (!owns_) return;
    db_.snapshot_ = false;
    try {
        db_.exec("COMMIT");  // a read transaction: ends it, writes nothing
    } catch (...) {
    }
}

}  // namespace tickmark::db

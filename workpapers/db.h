#pragma once
// Owning wrappers over SQLite: a connection, prepared statements, and transactions that roll
// back unless committed. <sqlite3.h> stays in db.cpp.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

struct sqlite3;
struct sqlite3_stmt;

namespace tickmark::db {

class Database;
class HolderRecord;  // workpapers/holders.h

// How long a statement waits for another program's lock before it gives up with BusyError:
// TICKMARK_BUSY_TIMEOUT_MS when set, else 15 s.
int busyTimeoutMs();

// What became of this process's last write (outermost transaction), so a front end never reports
// a committed write as failed, nor a failed one as done.
enum class WriteOutcome { None, Committed, Failed };
WriteOutcome lastWriteOutcome();
// How many writes this process committed.
long committedWrites();

class Statement {
public:
    Statement(Database& db, std::string_view sql);
    ~Statement();
    Statement(Statement&& other) noexcept;
    Statement& operator=(Statement&&) = delete;
    Statement(const Statement&) = delete;
    Statement& operator=(const Statement&) = delete;

    // Parameters are 1-based, as in SQLite.
    Statement& bind(int i, std::int64_t v);
    Statement& bind(int i, int v) { return bind(i, static_cast<std::int64_t>(v)); }
    Statement& bind(int i, double v);
    Statement& bind(int i, std::string_view text);
    Statement& bind(int i, const char* text) { return bind(i, std::string_view(text)); }
    Statement& bind(int i, const std::string& text) { return bind(i, std::string_view(text)); }
    Statement& bind(int i, std::optional<std::string_view> text);
    Statement& bind(int i, const std::optional<std::string>& text) {
        return text ? bind(i, std::string_view(*text)) : bindNull(i);
    }
    // Empty text is stored as NULL: a field the source or the user left blank.
    Statement& bindOrNull(int i, std::string_view text) { return text.empty() ? bindNull(i) : bind(i, text); }
    Statement& bind(int i, std::optional<std::int64_t> v);
    Statement& bindBlob(int i, const void* data, std::size_t size);
    Statement& bindNull(int i);

    // Advances to the next row; false when done.
    bool step();
    // Runs a statement that returns no rows.
    void exec();
    void reset();

    bool isNull(int col) const;
    std::int64_t getInt(int col) const;
    double getDouble(int col) const;
    std::string getText(int col) const;
    std::optional<std::string> getOptText(int col) const;
    std::optional<std::int64_t> getOptInt(int col) const;
    std::string_view getBlob(int col) const;
    int columnCount() const;
    char columnKind(int col) const;  // i r t b n

private:
    void check(int rc) const;
    Database* db_;
    sqlite3_stmt* stmt_ = nullptr;
};

// A connection. Its locks are open-file-description locks (workpapers/ofd_locks.h): no close() of
// another descriptor of the file in this process drops them. Commits are durable (WAL with
// synchronous=FULL: COMMIT returns after the log is on disk). While it is open, the file's holder
// record (workpapers/holders.h) names this program.
class Database {
public:
    enum class Mode { OpenExisting, Create };
    // vfs: an SQLite VFS by name (the encryption VFS, workpapers/store/crypt_vfs.h); nullptr the default.
    Database(const std::string& path, Mode mode, const char* vfs = nullptr);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    std::int64_t lastInsertRowid() const;
    int changes() const;
    const std::string& path() const { return path_; }
    // Opened read-only because its folder cannot be written here (an archive): every write is refused.
    bool archived() const { return archived_; }

    // PRAGMA helpers for integer pragmas (user_version, application_id).
    std::int64_t pragmaInt(std::string_view name);
    void setPragmaInt(std::string_view name, std::int64_t value);

    // Copies the whole database into a new file (VACUUM INTO); refuses to overwrite.
    void backupTo(const std::string& destination);

    // Names the signed-in member in the file's holder record, for other programs kept waiting.
    void setHolderMember(const std::string& member);

    [[noreturn]] void fail(int rc, std::string_view context) const;
    sqlite3* handle() const { return db_; }
    // How many transactions are open on this connection: 0 none, 1 the outer one, more are savepoints.
    int transactionDepth() const { return depth_; }

private:
    friend class Transaction;
    friend class ReadSnapshot;
    [[noreturn]] void busy() const;
    void failIfAltered(int rc) const;
    sqlite3* db_ = nullptr;
    std::string path_;
    bool archived_ = false;
    bool openArchived(const std::string& path, const char* vfs);
    int depth_ = 0;
    bool snapshot_ = false;
    std::unique_ptr<HolderRecord> holder_;
};

// Rolls back in the destructor unless commit() was called. The outermost one is BEGIN IMMEDIATE
// (the write lock is taken before anything is read, so checks made inside act on current data);
// one opened inside another is a savepoint, whose rollback undoes only its own part.
class Transaction {
public:
    explicit Transaction(Database& db);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    int level_;
    bool done_ = false;
};

// Everything read while it lives comes from one state of the file, whatever other programs commit
// meanwhile (a WAL read transaction). What compares one table with another (the seals with the trail,
// a signed digest with the records, a report's text with its provenance stamp) reads inside one, or a
// write committed between two of its reads looks like tampering. Inside a transaction it adds nothing
// (that already reads one state); no write may begin while it lives.
class ReadSnapshot {
public:
    explicit ReadSnapshot(Database& db);
    ~ReadSnapshot();
    ReadSnapshot(const ReadSnapshot&) = delete;
    ReadSnapshot& operator=(const ReadSnapshot&) = delete;

private:
    Database& db_;
    bool owns_ = false;
};

}  // namespace tickmark::db

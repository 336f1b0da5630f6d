#pragma once
// The store's one interface: a connection to an engagement, prepared statements, and transactions
// that roll back unless committed. Behind it, one engine per kind of location (workpapers/store/
// engine.h): an engagement file (SQLite) or an engagement database on the team's PostgreSQL server.
// SQL is written once, with `?` or `?N` placeholders, in the subset both engines read.
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

struct sqlite3;

namespace tickmark::db {

class Database;
class Engine;  // workpapers/store/engine.h
struct Holder;  // workpapers/holders.h
class Cursor;
class BulkWriter;
class ChangeListener;
enum class EngineKind;

// A libpq connection URI (postgresql://... or postgres://...): an engagement on a server, not a file.
bool isServerLocation(std::string_view location);

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

    // Parameters are 1-based.
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
    std::string columnName(int col) const;

private:
    std::unique_ptr<Cursor> c_;
};

// Many rows into one table as one stream (a population's blocks and findings, a copy's tables): on a
// server COPY ... FROM STDIN in binary, with no round trip a row; on a file a prepared INSERT. Values
// are added in the columns' order, each row ended with endRow(). The connection is the writer's until
// finish() (which reports what the server refused) or its end; without finish(), what was added is
// abandoned and the caller's transaction must roll back.
class BulkInsert {
public:
    BulkInsert(Database& db, std::string_view table, const std::vector<std::string>& columns);
    ~BulkInsert();
    BulkInsert(BulkInsert&& other) noexcept;
    BulkInsert& operator=(BulkInsert&&) = delete;
    BulkInsert(const BulkInsert&) = delete;
    BulkInsert& operator=(const BulkInsert&) = delete;

    BulkInsert& add(std::int64_t v);
    BulkInsert& add(int v) { return add(static_cast<std::int64_t>(v)); }
    BulkInsert& add(double v);
    BulkInsert& add(std::string_view text);
    BulkInsert& add(const char* text) { return add(std::string_view(text)); }
    BulkInsert& add(const std::string& text) { return add(std::string_view(text)); }
    BulkInsert& addBlob(const void* data, std::size_t size);
    BulkInsert& addNull();
    void endRow();
    void finish();

private:
    std::unique_ptr<BulkWriter> w_;
};

// A connection. On a file, its locks are open-file-description locks (workpapers/ofd_locks.h): no
// close() of another descriptor of the file in this process drops them; commits are durable (WAL with
// synchronous=FULL: COMMIT returns after the log is on disk); while it is open, the file's holder
// record (workpapers/holders.h) names this program. On a server, the server does all of that.
class Database {
public:
    enum class Mode { OpenExisting, Create };
    // An engagement file. vfs: an SQLite VFS by name (the encryption VFS, workpapers/store/crypt_vfs.h);
    // nullptr the default.
    Database(const std::string& path, Mode mode, const char* vfs = nullptr);
    Database(std::string location, std::unique_ptr<Engine> engine);
    // A file path or a server URI. Create on a server: the database must be new or hold no tables.
    static std::unique_ptr<Database> open(const std::string& location, Mode mode);
    ~Database();
    Database(const Database&) = delete;
    Database& operator=(const Database&) = delete;

    void exec(std::string_view sql);
    Statement prepare(std::string_view sql) { return Statement(*this, sql); }
    BulkInsert bulkInsert(std::string_view table, const std::vector<std::string>& columns) { return BulkInsert(*this, table, columns); }
    std::int64_t lastInsertRowid() const;
    int changes() const;
    // The file's path, or the server URI (without its password).
    const std::string& path() const { return path_; }
    EngineKind engine() const;
    bool onServer() const;
    // Opened read-only because its folder cannot be written here (an archive): every write is refused.
    bool archived() const;

    // The schema's integer marks: user_version, application_id (SQLite pragmas; a table on a server).
    std::int64_t pragmaInt(std::string_view name);
    void setPragmaInt(std::string_view name, std::int64_t value);
    bool hasTable(std::string_view name);
    bool empty();
    // For copying an engagement between engines (workpapers/store/transfer.h): its tables by name;
    // references checked at the commit of this write; ids going on from the largest copied; and, on a
    // server, every table removed.
    std::vector<std::string> tables();
    void deferReferences();
    void resetIds();
    void dropAll();

    // Copies the whole file into a new one (VACUUM INTO); refuses to overwrite. Files only.
    void backupTo(const std::string& destination);

    // Names the signed-in member where other programs look for who holds the engagement, and what they
    // have open; the other programs holding it now.
    void setHolderMember(const std::string& member);
    void setHolderWorkpaper(const std::string& workpaper);
    std::vector<Holder> otherHolders();
    // Told of other programs' writes and moves as they happen (a server); nullptr on a file, whose
    // readers look for themselves (the trail's head, the holder records).
    std::unique_ptr<ChangeListener> listenForChanges();

    // The SQLite connection of a file; nullptr on a server.
    sqlite3* handle() const;
    // How many writes are open on this connection: 0 none, 1 the outer one, more are savepoints inside it.
    // A frame (Transaction::Frame) does not count: the writes inside it are each outermost.
    int transactionDepth() const { return depth_ - frames_; }

private:
    friend class Transaction;
    friend class ReadSnapshot;
    friend class Statement;
    friend class BulkInsert;
    std::string path_;
    std::unique_ptr<Engine> engine_;
    int depth_ = 0;
    int frames_ = 0;
    bool snapshot_ = false;
    std::map<std::string, bool, std::less<>> knownTables_;  // hasTable's answers, until SQL may change them
};

// Rolls back in the destructor unless commit() was called. The outermost one is BEGIN IMMEDIATE
// (the write lock is taken before anything is read, so checks made inside act on current data);
// one opened inside another is a savepoint, whose rollback undoes only its own part.
class Transaction {
public:
    // Frame: an outermost transaction around several writes that are each complete (sealed) in
    // themselves, committed or rolled back together (a new engagement on a server and its first member).
    enum class Kind { Write, Frame };
    explicit Transaction(Database& db, Kind kind = Kind::Write);
    ~Transaction();
    Transaction(const Transaction&) = delete;
    Transaction& operator=(const Transaction&) = delete;
    void commit();

private:
    Database& db_;
    int level_;
    bool frame_;
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

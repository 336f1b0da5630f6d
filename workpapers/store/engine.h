#pragma once
// The seam between the store's one interface (workpapers/db.h) and the engines behind it: SQLite for
// the engagement file, PostgreSQL for the team server. What differs between them (placeholders,
// how a writer takes the engagement, where the schema version lives, how values come back) is
// said once per engine, behind this interface; the rules above it never learn which one runs.
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/holders.h"

struct sqlite3;

namespace tickmark::db {

enum class EngineKind { SQLite, PostgreSQL };

// A prepared statement. Parameters are 1-based; SQL is written with `?` or `?N` placeholders.
class Cursor {
public:
    virtual ~Cursor() = default;
    virtual void bindInt(int i, std::int64_t v) = 0;
    virtual void bindDouble(int i, double v) = 0;
    virtual void bindText(int i, std::string_view v) = 0;
    virtual void bindBlob(int i, const void* data, std::size_t size) = 0;
    virtual void bindNull(int i) = 0;
    virtual bool step() = 0;
    // Ready to run again, its parameters cleared.
    virtual void reset() = 0;
    virtual bool isNull(int col) const = 0;
    virtual std::int64_t getInt(int col) const = 0;
    virtual double getDouble(int col) const = 0;
    virtual std::string getText(int col) const = 0;
    // Valid until the next step or reset.
    virtual std::string_view getBlob(int col) const = 0;
    virtual int columnCount() const = 0;
    // The value's kind in this row: 'i'nteger, 'r'eal, 't'ext, 'b'lob or 'n'ull; the same value gives the
    // same kind on every engine (the digests that sign-offs sign depend on it).
    virtual char columnKind(int col) const = 0;
    virtual std::string sql() const = 0;
    virtual std::string columnName(int col) const = 0;
};

// Rows into one table as one stream (see db::BulkInsert). Values come in the columns' order; a row
// ends with endRow(). Without finish(), what was added is abandoned with the caller's transaction.
class BulkWriter {
public:
    virtual ~BulkWriter() = default;
    virtual void putInt(std::int64_t v) = 0;
    virtual void putDouble(double v) = 0;
    virtual void putText(std::string_view v) = 0;
    virtual void putBlob(const void* data, std::size_t size) = 0;
    virtual void putNull() = 0;
    virtual void endRow() = 0;
    virtual void finish() = 0;
};

// Told when another program commits a write to the engagement, or comes, goes or moves to another
// workpaper (LISTEN/NOTIFY on a server, on a connection of its own). Files have none: their readers look.
class ChangeListener {
public:
    virtual ~ChangeListener() = default;
    // Waits up to `ms` for news; true when some came (all that waited is taken), or when the
    // connection had to be made again (anything may have changed meanwhile). One thread at a time.
    virtual bool wait(int ms) = 0;
};

class Engine {
public:
    virtual ~Engine() = default;
    virtual EngineKind kind() const = 0;
    virtual void exec(std::string_view sql) = 0;
    virtual std::unique_ptr<Cursor> prepare(std::string_view sql) = 0;
    virtual std::int64_t lastInsertId() = 0;
    // The connection is the writer's until it finishes or ends. By default a prepared INSERT a row
    // (db.cpp), which is what a file wants; the server streams COPY FROM STDIN in binary instead.
    virtual std::unique_ptr<BulkWriter> bulkWrite(std::string_view table, const std::vector<std::string>& columns);
    virtual int changes() const = 0;

    // One writer at a time per engagement, holding it from the transaction's start, so that what a
    // rule checks inside stays true until the commit (SQLite: BEGIN IMMEDIATE; PostgreSQL: the
    // engagement's transaction-scoped advisory lock).
    virtual void beginWrite() = 0;
    // Reads from one state of the engagement until endRead (a WAL read transaction; REPEATABLE READ).
    virtual void beginRead() = 0;
    virtual void commit() = 0;
    virtual void rollback() = 0;

    // The schema's identity and version: SQLite's application_id and user_version; a table on the server.
    virtual std::int64_t metaInt(std::string_view name) = 0;
    virtual void setMetaInt(std::string_view name, std::int64_t value) = 0;
    virtual bool hasTable(std::string_view name) = 0;
    // True when the engagement holds no tables at all (a new file; an empty database).
    virtual bool empty() = 0;

    // The engagement's tables, sorted by name (the engine's own bookkeeping left out).
    virtual std::vector<std::string> tables() = 0;
    // Inside a write: references are checked at its commit, not row by row (a copy brings rows that refer forward).
    virtual void deferReferences() = 0;
    // After rows came with their ids: the next id the engine gives follows the largest.
    virtual void resetIds() = 0;
    // Removes every table of the engagement (a server copy that failed its check). Servers only.
    virtual void dropAll() = 0;

    virtual bool archived() const { return false; }
    // Names the signed-in member where other programs look for who holds the engagement, and the
    // workpaper they have open (the holder record beside a file; the session's application_name on a server).
    virtual void setMember(const std::string& member) = 0;
    virtual void setWorkpaper(const std::string& workpaper) = 0;
    // The other programs that have the engagement open now, with who signed in and where they are.
    virtual std::vector<Holder> others() = 0;
    // nullptr where the engine tells nobody of changes (a file).
    virtual std::unique_ptr<ChangeListener> listen() { return nullptr; }
    virtual sqlite3* sqliteHandle() const { return nullptr; }
};

// A write this process committed was taken back whole (a copy that failed its check was removed):
// lastWriteOutcome() says Failed, so no front end reports it as saved.
void noteWriteUndone();

}  // namespace tickmark::db

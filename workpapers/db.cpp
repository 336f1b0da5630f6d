#include "workpapers/db.h"

#include <atomic>
#include <cctype>
#include <cstdlib>
#include <stdexcept>

#include "workpapers/errors.h"
#include "workpapers/store/engine.h"
#include "workpapers/store/pg_engine.h"
#include "workpapers/store/sqlite_engine.h"

namespace tickmark::db {
namespace {

std::atomic<WriteOutcome> lastOutcome{WriteOutcome::None};
std::atomic<long> commits{0};

}  // namespace

bool isServerLocation(std::string_view location) {
    return location.rfind("postgresql://", 0) == 0 || location.rfind("postgres://", 0) == 0;
}

int busyTimeoutMs() {
    if (const char* v = std::getenv("TICKMARK_BUSY_TIMEOUT_MS")) {
        char* end = nullptr;
        long ms = std::strtol(v, &end, 10);
        if (end != v && *end == '\0' && ms >= 0 && ms <= 3600000) return static_cast<int>(ms);
    }
    return 15000;
}

WriteOutcome lastWriteOutcome() { return lastOutcome; }
void noteWriteUndone() { lastOutcome = WriteOutcome::Failed; }
long committedWrites() { return commits; }

Database::Database(const std::string& path, Mode mode, const char* vfs)
    : path_(path), engine_(openSqlite(path, mode == Mode::Create, vfs)) {}

Database::Database(std::string location, std::unique_ptr<Engine> engine) : path_(std::move(location)), engine_(std::move(engine)) {}

std::unique_ptr<Database> Database::open(const std::string& location, Mode mode) {
    if (isServerLocation(location)) {
        return std::make_unique<Database>(displayLocation(location), openPostgres(location, mode == Mode::Create));
    }
    return std::make_unique<Database>(location, mode);
}

Database::~Database() = default;

void Database::exec(std::string_view sql) {
    // SQL that may make or remove a table: what hasTable remembered may no longer hold.
    std::string upper(sql.substr(0, 4096));
    for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (upper.find("CREATE ") != std::string::npos || upper.find("DROP ") != std::string::npos || upper.find("ALTER ") != std::string::npos)
        knownTables_.clear();
    engine_->exec(sql);
}
std::int64_t Database::lastInsertRowid() const { return engine_->lastInsertId(); }
int Database::changes() const { return engine_->changes(); }
EngineKind Database::engine() const { return engine_->kind(); }
bool Database::onServer() const { return engine_->kind() == EngineKind::PostgreSQL; }
bool Database::archived() const { return engine_->archived(); }
std::int64_t Database::pragmaInt(std::string_view name) { return engine_->metaInt(name); }
void Database::setPragmaInt(std::string_view name, std::int64_t value) { engine_->setMetaInt(name, value); }
// Asked once per connection (the trail's readers ask before every read whether the engagement has the
// server's stamps: on a server each asking is a round trip).
bool Database::hasTable(std::string_view name) {
    if (auto it = knownTables_.find(name); it != knownTables_.end()) return it->second;
    const bool has = engine_->hasTable(name);
    knownTables_.emplace(std::string(name), has);
    return has;
}
bool Database::empty() { return engine_->empty(); }
std::vector<std::string> Database::tables() { return engine_->tables(); }
void Database::deferReferences() { engine_->deferReferences(); }
void Database::resetIds() { engine_->resetIds(); }
void Database::dropAll() { engine_->dropAll(); }
void Database::setHolderMember(const std::string& member) { engine_->setMember(member); }
void Database::setHolderWorkpaper(const std::string& workpaper) { engine_->setWorkpaper(workpaper); }
std::vector<Holder> Database::otherHolders() { return engine_->others(); }
std::unique_ptr<ChangeListener> Database::listenForChanges() { return engine_->listen(); }
sqlite3* Database::handle() const { return engine_->sqliteHandle(); }

void Database::backupTo(const std::string& destination) {
    if (onServer()) throw std::logic_error(path_ + ": a server engagement is copied with `tickmark copy`, not backed up as a file");
    sqliteBackup(*engine_, destination);
}

Statement::Statement(Database& db, std::string_view sql) : c_(db.engine_->prepare(sql)) {}
Statement::~Statement() = default;
Statement::Statement(Statement&& other) noexcept = default;

Statement& Statement::bind(int i, std::int64_t v) { c_->bindInt(i, v); return *this; }
Statement& Statement::bind(int i, double v) { c_->bindDouble(i, v); return *this; }
Statement& Statement::bind(int i, std::string_view t) { c_->bindText(i, t); return *this; }
Statement& Statement::bind(int i, std::optional<std::string_view> t) { return t ? bind(i, *t) : bindNull(i); }
Statement& Statement::bind(int i, std::optional<std::int64_t> v) { return v ? bind(i, *v) : bindNull(i); }
Statement& Statement::bindBlob(int i, const void* data, std::size_t size) { c_->bindBlob(i, data, size); return *this; }
Statement& Statement::bindNull(int i) { c_->bindNull(i); return *this; }

bool Statement::step() { return c_->step(); }
void Statement::exec() {
    while (step()) {}
    reset();
}
void Statement::reset() { c_->reset(); }

bool Statement::isNull(int col) const { return c_->isNull(col); }
std::int64_t Statement::getInt(int col) const { return c_->getInt(col); }
double Statement::getDouble(int col) const { return c_->getDouble(col); }
std::string Statement::getText(int col) const { return c_->getText(col); }
std::optional<std::string> Statement::getOptText(int col) const {
    if (isNull(col)) return std::nullopt;
    return getText(col);
}
std::optional<std::int64_t> Statement::getOptInt(int col) const {
    if (isNull(col)) return std::nullopt;
    return getInt(col);
}
std::string_view Statement::getBlob(int col) const { return c_->getBlob(col); }
int Statement::columnCount() const { return c_->columnCount(); }
// The value's kind in this row: 'i'nteger, 'r'eal, 't'ext, 'b'lob or 'n'ull.
char Statement::columnKind(int col) const { return c_->columnKind(col); }
std::string Statement::columnName(int col) const { return c_->columnName(col); }

namespace {
// An INSERT a row: on a file, inside the caller's transaction, as quick as anything SQLite offers.
class StatementBulkWriter final : public BulkWriter {
public:
    StatementBulkWriter(Engine& e, std::string_view table, const std::vector<std::string>& columns) {
        std::string cols, marks;
        for (std::size_t i = 0; i < columns.size(); ++i) {
            cols += (i ? ", " : "") + columns[i];
            marks += i ? ", ?" : "?";
        }
        c_ = e.prepare("INSERT INTO " + std::string(table) + "(" + cols + ") VALUES (" + marks + ")");
    }
    void putInt(std::int64_t v) override { c_->bindInt(++at_, v); }
    void putDouble(double v) override { c_->bindDouble(++at_, v); }
    void putText(std::string_view v) override { c_->bindText(++at_, v); }
    void putBlob(const void* data, std::size_t size) override { c_->bindBlob(++at_, data, size); }
    void putNull() override { c_->bindNull(++at_); }
    void endRow() override {
        at_ = 0;
        while (c_->step()) {}
        c_->reset();
    }
    void finish() override { c_.reset(); }

private:
    std::unique_ptr<Cursor> c_;
    int at_ = 0;
};
}  // namespace

std::unique_ptr<BulkWriter> Engine::bulkWrite(std::string_view table, const std::vector<std::string>& columns) {
    return std::make_unique<StatementBulkWriter>(*this, table, columns);
}

BulkInsert::BulkInsert(Database& db, std::string_view table, const std::vector<std::string>& columns)
    : w_(db.engine_->bulkWrite(table, columns)) {}
BulkInsert::~BulkInsert() = default;
BulkInsert::BulkInsert(BulkInsert&& other) noexcept = default;
BulkInsert& BulkInsert::add(std::int64_t v) { w_->putInt(v); return *this; }
BulkInsert& BulkInsert::add(double v) { w_->putDouble(v); return *this; }
BulkInsert& BulkInsert::add(std::string_view t) { w_->putText(t); return *this; }
BulkInsert& BulkInsert::addBlob(const void* data, std::size_t size) { w_->putBlob(data, size); return *this; }
BulkInsert& BulkInsert::addNull() { w_->putNull(); return *this; }
void BulkInsert::endRow() { w_->endRow(); }
void BulkInsert::finish() {
    w_->finish();
    w_.reset();
}

// Savepoints are the same SQL on every engine; the outer transaction is the engine's.
Transaction::Transaction(Database& db, Kind kind) : db_(db), level_(db.depth_ + 1), frame_(kind == Kind::Frame) {
    if (db.snapshot_) throw std::logic_error(db.path() + ": a write begun inside a read snapshot");
    if (frame_ && level_ != 1) throw std::logic_error(db.path() + ": a frame is the outermost transaction");
    try {
        if (level_ == 1) db_.engine_->beginWrite();
        else db_.exec("SAVEPOINT tickmark_" + std::to_string(level_));
    } catch (...) {
        if (level_ == 1) lastOutcome = WriteOutcome::Failed;
        throw;
    }
    db_.depth_ = level_;
    if (frame_) ++db_.frames_;
}

Transaction::~Transaction() {
    if (done_) return;
    db_.knownTables_.clear();  // a table made inside is gone again
    try {
        if (level_ == 1) db_.engine_->rollback();
        else {
            db_.exec("ROLLBACK TO SAVEPOINT tickmark_" + std::to_string(level_));
            db_.exec("RELEASE SAVEPOINT tickmark_" + std::to_string(level_));
        }
    } catch (...) {
        // A failed rollback leaves the engine to roll back on close; never throw from here.
    }
    db_.depth_ = level_ - 1;
    if (frame_) --db_.frames_;
    if (level_ == 1) lastOutcome = WriteOutcome::Failed;
}

void Transaction::commit() {
    if (db_.depth_ != level_) throw StorageError(0, db_.path() + ": a transaction was committed out of order (an inner one is still open)");
    // A failed COMMIT throws and the destructor rolls back: the write did not happen.
    if (level_ == 1) db_.engine_->commit();
    else db_.exec("RELEASE SAVEPOINT tickmark_" + std::to_string(level_));
    done_ = true;
    db_.depth_ = level_ - 1;
    if (frame_) --db_.frames_;
    if (level_ == 1) {
        ++commits;
        lastOutcome = WriteOutcome::Committed;
    }
}

ReadSnapshot::ReadSnapshot(Database& db) : db_(db) {
    if (db.depth_ > 0 || db.snapshot_) return;
    db.engine_->beginRead();
    db.snapshot_ = owns_ = true;
}

ReadSnapshot::~ReadSnapshot() {
    if (!owns_) return;
    db_.snapshot_ = false;
    try {
        db_.engine_->commit();  // a read transaction: ends it, writes nothing
    } catch (...) {
    }
}

}  // namespace tickmark::db

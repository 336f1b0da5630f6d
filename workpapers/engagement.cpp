#include "workpapers/engagement.h"

#include <algorithm>
#include <cstdlib>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/schema.h"
#include "workpapers/readers/table_source.h"
#include "workpapers/people.h"
#include "workpapers/store/crypt_vfs.h"
#include "workpapers/store/key_header.h"
#include "workpapers/trail.h"

#ifndef TICKMARK_VERSION
#define TICKMARK_VERSION "dev"
#endif

namespace tickmark {

const std::vector<Category>& allCategories() {
    static const std::vector<Category> c = {
        {"security", "Security (common criteria)"},
        {"availability", "Availability"},
        {"processing-integrity", "Processing integrity"},
        {"confidentiality", "Confidentiality"},
        {"privacy", "Privacy"},
    };
    return c;
}

const Category* findCategory(std::string_view s) {
    std::string k;
    for (char ch : s) k += ch == '_' || ch == ' ' ? '-' : static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    for (auto& c : allCategories()) {
        std::string name;
        for (const char* p = c.name; *p; ++p) name += *p == ' ' ? '-' : static_cast<char>(std::tolower(*p));
        if (k == c.code || k == name || (k == "pi" && std::string_view(c.code) == "processing-integrity")) return &c;
    }
    return nullptr;
}

std::string utcNow() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

std::vector<std::string> splitCriteria(std::string_view text) {
    // Pieces between separators; a space separates ids ("CC6.1 CC6.2") unless it sits between a
    // prefix and its number ("CC 6.2", "cc 6.2"), as matrices often write them.
    std::vector<std::string> words;
    std::string cur;
    auto endWord = [&] {
        if (!cur.empty()) words.push_back(cur);
        cur.clear();
    };
    auto letters = [](const std::string& w) {
        return !w.empty() && std::all_of(w.begin(), w.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    };
    std::vector<std::string> out;
    auto push = [&](const std::string& id) {
        if (!id.empty() && std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    };
    auto endPiece = [&] {
        endWord();
        for (std::size_t i = 0; i < words.size(); ++i) {
            if (letters(words[i]) && i + 1 < words.size() && std::isdigit(static_cast<unsigned char>(words[i + 1][0]))) {
                push(words[i] + words[i + 1]);
                ++i;
            } else {
                push(words[i]);
            }
        }
        words.clear();
    };
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == ',' || c == ';' || c == '\n' || c == '\r' || c == '/' || c == '|') endPiece();
        else if (c == ' ' || c == '\t') endWord();
        else if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') endWord(), ++i;  // no-break space
        else cur += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    }
    endPiece();
    return out;
}

namespace {

// Loads templates/tsc-2017.csv through the same reader as client files.
class CriteriaLoader : public TableHandler {
public:
    CriteriaLoader(db::Database& db, const std::string& file) : db_(db), file_(file) {}
    void header(const std::vector<std::string>& names) override {
        const char* want[] = {"id", "category", "group", "group_name", "short_name"};
        for (const char* w : want) {
            auto it = std::find(names.begin(), names.end(), w);
            if (it == names.end()) throw InputError(file_ + ": the criteria list has no column \"" + w + "\"");
            col_.push_back(static_cast<std::size_t>(it - names.begin()));
        }
    }
    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        const Category* cat = findCategory(cells[col_[1]]);
        if (!cat)
            throw InputError(file_ + ": line " + std::to_string(line) + ": unknown category \"" +
                             std::string(cells[col_[1]]) + "\"");
        auto st = db_.prepare(
            "INSERT INTO criterion(id, category_code, group_id, group_name, short_name, ordinal) VALUES (?,?,?,?,?,?)");
        st.bind(1, cells[col_[0]]).bind(2, cat->code).bind(3, cells[col_[2]]).bind(4, cells[col_[3]]);
        st.bind(5, cells[col_[4]]).bind(6, ++ordinal_);
        st.exec();
    }
    std::int64_t count() const { return ordinal_; }

private:
    db::Database& db_;
    std::string file_;
    std::vector<std::size_t> col_;
    std::int64_t ordinal_ = 0;
};

void removeDatabaseFiles(const std::filesystem::path& f) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(f.string() + suffix, ec);
}

}  // namespace

Engagement::Engagement(std::filesystem::path file, std::unique_ptr<db::Database> db, std::shared_ptr<store::EngagementKey> key,
                       std::string location)
    : file_(std::move(file)), location_(location.empty() ? file_.string() : std::move(location)), key_(std::move(key)),
      db_(std::move(db)) {}

namespace {
UnlockProvider& unlockProvider() {
    static UnlockProvider p;
    return p;
}
}  // namespace

void Engagement::setUnlockProvider(UnlockProvider provider) { unlockProvider() = std::move(provider); }

bool Engagement::isEncrypted(const std::filesystem::path& file) { return store::isEncryptedFile(file); }

Engagement Engagement::create(const std::filesystem::path& file, const EngagementSetup& s,
                              const std::filesystem::path& criteriaCsv, const std::function<void(Engagement&)>& then) {
    if (s.client.empty()) throw InputError("the client (service organization) name is empty");
    if (s.systemName.empty()) throw InputError("the system name is empty");
    if (s.reportType == ReportType::TypeII) {
        if (!s.periodStart || !s.periodEnd) throw InputError("a Type II engagement needs a period (start..end)");
        if (*s.periodEnd < *s.periodStart) throw InputError("the period ends before it starts");
    } else if (!s.asOf) {
        throw InputError("a Type I engagement needs an as-of date");
    }
    const bool server = db::isServerLocation(file.string());
    if (server && s.encrypted)
        throw InputError("an engagement on a server is not encrypted as a file: the server protects it (TLS on the way, the firm's "
                         "disk encryption at rest, each member's own server role); leave out --encrypted");
    // The server refuses any change without its trail entry (workpapers/store/pg_guards.cpp): the engagement's
    // first rows are recorded with its partner joining, in the same transaction.
    if (server && !then)
        throw InputError("an engagement on a server starts with its engagement partner (tickmark new ... --partner)");
    if (!server && std::filesystem::exists(file))
        throw InputError(file.string() + ": a file is already there; choose another name (nothing was overwritten)");
    if (!std::filesystem::exists(criteriaCsv))
        throw InputError(criteriaCsv.string() + ": the TSC criteria list is missing (set TICKMARK_DATA_DIR to the "
                                                "folder holding templates/)");

    std::shared_ptr<store::EngagementKey> key;
    std::optional<store::NewFileKey> newFile;
    if (s.encrypted) {
        key = store::EngagementKey::generate();
        newFile.emplace(key->newFileHeader(), key->key());
    }
    auto db = server ? db::Database::open(file.string(), db::Database::Mode::Create)
                     : std::make_unique<db::Database>(file.string(), db::Database::Mode::Create, key ? store::cryptVfsName() : nullptr);
    // On a server the schema, the engagement's first rows and `then` are one transaction: a failed `new`
    // leaves the database as empty as it was. (A file is removed instead: SQLite sets it up outside one.)
    std::optional<db::Transaction> whole;
    db::Database& raw = *db;  // the connection stays where it is when the engagement takes it
    try {
        if (key) store::prepareNewEncryptedDatabase(db->handle());
        if (server) whole.emplace(*db, db::Transaction::Kind::Frame);
        schema::create(*db);
        db::Transaction tx(*db);
        auto st = db->prepare(
            "INSERT INTO engagement(id, client, system_name, report_type, period_start, period_end, as_of_date, "
            "created_at, created_with, time_zone) VALUES (1,?,?,?,?,?,?,?,?,?)");
        st.bind(1, s.client).bind(2, s.systemName).bind(3, static_cast<int>(s.reportType));
        if (s.reportType == ReportType::TypeII) {
            st.bind(4, isoString(*s.periodStart)).bind(5, isoString(*s.periodEnd)).bindNull(6);
        } else {
            st.bindNull(4).bindNull(5).bind(6, isoString(*s.asOf));
        }
        st.bind(7, utcNow()).bind(8, "Tickmark " TICKMARK_VERSION);
        if (s.timeZone) st.bind(9, requireTimeZone(*s.timeZone));
        else st.bindNull(9);
        st.exec();

        std::vector<std::string> scope{"security"};
        for (auto& c : s.categories) {
            const Category* cat = findCategory(c);
            if (!cat)
                throw InputError("unknown category \"" + c +
                                 "\"; use security, availability, processing-integrity, confidentiality, privacy");
            if (std::find(scope.begin(), scope.end(), cat->code) == scope.end()) scope.emplace_back(cat->code);
        }
        int ordinal = 0;
        for (auto& c : allCategories()) {
            auto ins = db->prepare("INSERT INTO category(code, name, ordinal, in_scope) VALUES (?,?,?,?)");
            ins.bind(1, c.code).bind(2, c.name).bind(3, ++ordinal);
            ins.bind(4, std::find(scope.begin(), scope.end(), c.code) != scope.end() ? 1 : 0);
            ins.exec();
        }
        CriteriaLoader loader(*db, criteriaCsv.string());
        readTable(criteriaCsv, ReadOptions{}, loader);
        tx.commit();
    } catch (...) {
        whole.reset();
        db.reset();
        if (!server) removeDatabaseFiles(file);
        throw;
    }
    std::filesystem::path shown = server ? std::filesystem::path(raw.path()) : file;
    Engagement e(shown, std::move(db), key, file.string());
    try {
        if (then) then(e);
        if (whole) whole->commit();
    } catch (...) {
        whole.reset();
        if (!server) {
            e.db_.reset();
            removeDatabaseFiles(file);
        }
        throw;
    }
    return e;
}

Engagement Engagement::open(const std::filesystem::path& file) {
    if (db::isServerLocation(file.string())) {
        auto db = db::Database::open(file.string(), db::Database::Mode::OpenExisting);
        schema::openAndUpgrade(*db);
        std::filesystem::path shown = db->path();
        return Engagement(shown, std::move(db), nullptr, file.string());
    }
    if (!std::filesystem::exists(file))
        throw InputError(file.string() + ": no such engagement file (create one with `tickmark new`)");
    if (store::isEncryptedFile(file)) {
        if (!unlockProvider())
            throw InputError(file.string() + " is encrypted: sign in with a team member's initials and password to open it");
        return open(file, unlockProvider()(file));
    }
    auto db = std::make_unique<db::Database>(file.string(), db::Database::Mode::OpenExisting);
    std::string backup = schema::openAndUpgrade(*db);
    Engagement e(file, std::move(db));
    e.upgradeBackup_ = backup;
    return e;
}

Engagement Engagement::open(const std::filesystem::path& file, const Credentials& who) {
    if (db::isServerLocation(file.string())) return open(file);  // the server signs its roles in
    if (!std::filesystem::exists(file))
        throw InputError(file.string() + ": no such engagement file (create one with `tickmark new`)");
    if (!store::isEncryptedFile(file)) return open(file);
    auto key = store::EngagementKey::unlock(file, who.user, who.password);
    auto db = std::make_unique<db::Database>(file.string(), db::Database::Mode::OpenExisting, store::cryptVfsName());
    store::prepareEncryptedConnection(db->handle());
    // The wrap opened; the team record, which the key now lets us read, must vouch for its member.
    auto member = db->prepare("SELECT 1 FROM person WHERE id = ? AND upper(initials) = ?");
    member.bind(1, key->memberId()).bind(2, key->initials());
    if (!member.step())
        throw InputError("no team member with the initials \"" + who.user + "\" in " + file.string() +
                         " (this engagement is encrypted: every command signs in)");
    member.reset();
    std::string backup;
    {
        // A schema-upgrade backup (VACUUM INTO) is encrypted for the same members.
        store::NewFileKey backupKey(key->newFileHeader(store::readHeader(db->handle())), key->key());
        backup = schema::openAndUpgrade(*db);
    }
    Engagement e(file, std::move(db), key);
    e.upgradeBackup_ = backup;
    return e;
}

void Engagement::copyTo(const std::filesystem::path& destination, CopyMode mode) {
    if (db_->onServer() || db::isServerLocation(destination.string()))
        throw InputError(file_.string() + ": an engagement on a server is copied record by record: `tickmark copy FROM TO`");
    if (std::filesystem::exists(destination))
        throw InputError(destination.string() + ": a file is already there; not overwriting it with a copy");
    if (!key_ || mode == CopyMode::Keep) {
        std::optional<store::NewFileKey> copyKey;
        if (key_) copyKey.emplace(key_->newFileHeader(store::readHeader(db_->handle())), key_->key());
        db_->backupTo(destination.string());
        return;
    }
    store::copyDecrypted(db_->handle(), destination.string());
}

void Engagement::copyEncrypted(const std::filesystem::path& destination, const Actor& partner, const std::string& password) {
    if (key_) throw InputError(file_.string() + " is encrypted already: `tickmark copy` keeps a copy encrypted");
    if (std::filesystem::exists(destination))
        throw InputError(destination.string() + ": a file is already there; not overwriting it with a copy");
    requireMember(*this, partner);
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; a partner makes an encrypted copy");
    authenticate(*this, partner.initials, password);  // the password is theirs
    auto key = store::EngagementKey::generate();
    store::KeyHeader h;
    h.fileId = key->fileId();
    h.wraps.push_back(key->wrapFor(partner.id, partner.initials, store::deriveWrapKey(password)));
    store::copyEncrypted(file_.string(), destination.string(), h.serialize(), key->key());
}

EngagementSetup Engagement::setup() {
    EngagementSetup s;
    auto st = db_->prepare(
        "SELECT client, system_name, report_type, period_start, period_end, as_of_date, time_zone FROM engagement "
        "WHERE id = 1");
    if (!st.step()) throw InputError(file_.string() + ": the engagement record is missing; the file is damaged");
    s.client = st.getText(0);
    s.systemName = st.getText(1);
    s.reportType = st.getInt(2) == 1 ? ReportType::TypeI : ReportType::TypeII;
    if (auto v = st.getOptText(3)) s.periodStart = parseIsoDate(*v);
    if (auto v = st.getOptText(4)) s.periodEnd = parseIsoDate(*v);
    if (auto v = st.getOptText(5)) s.asOf = parseIsoDate(*v);
    s.timeZone = st.getOptText(6);
    s.categories = categoriesInScope();
    return s;
}

Period Engagement::period() {
    auto s = setup();
    if (s.reportType == ReportType::TypeII) return Period{*s.periodStart, *s.periodEnd};
    return Period{*s.asOf, *s.asOf};
}

std::optional<std::string> Engagement::timeZone() { return setup().timeZone; }

void Engagement::setTimeZone(const Actor& a, const std::optional<std::string>& zone, const std::string& reason) {
    UnitOfWork tx(*this, a);
    std::optional<std::string> name = zone ? std::optional(requireTimeZone(*zone)) : std::nullopt;
    requireWritable(*this, WriteKind::Change, "changing the time zone", reason);
    auto old = timeZone();
    if (old == name) return;
    auto st = db_->prepare("UPDATE engagement SET time_zone = ? WHERE id = 1");
    if (name) st.bind(1, *name);
    else st.bindNull(1);
    st.exec();
    AuditTrail(*db_).append({0, "", a.name, "change", "engagement", "time zone", "time_zone", old, name, reason, "", ""});
    tx.commit();
}

std::vector<std::string> Engagement::categoriesInScope() {
    std::vector<std::string> out;
    auto st = db_->prepare("SELECT code FROM category WHERE in_scope = 1 ORDER BY ordinal");
    while (st.step()) out.push_back(st.getText(0));
    return out;
}

void Engagement::requireCriteria(const std::vector<std::string>& ids, const std::string& where) {
    auto st = db_->prepare("SELECT 1 FROM criterion WHERE id = ?");
    for (auto& id : ids) {
        st.bind(1, id);
        bool found = st.step();
        st.reset();
        if (!found)
            throw InputError(where + ": \"" + id + "\" is not a TSC 2017 criterion (expected ids such as CC6.1, A1.2, C1.1)");
    }
}

void Engagement::requireCriteriaInScope(const std::vector<std::string>& ids, const std::string& where) {
    requireCriteria(ids, where);
    auto st = db_->prepare("SELECT k.in_scope, k.name FROM criterion c JOIN category k ON k.code = c.category_code WHERE c.id = ?");
    for (auto& id : ids) {
        st.bind(1, id);
        st.step();
        const bool inScope = st.getInt(0) != 0;
        const std::string category = st.getText(1);
        st.reset();
        if (!inScope)
            throw InputError(where + ": " + id + " belongs to " + category + ", which is not in the scope of this examination; " +
                             "name criteria of the categories in scope (`tickmark info` lists them)");
    }
}

std::int64_t Engagement::addSubserviceOrg(const Actor& a, const std::string& name, const std::string& services,
                                          const std::string& method) {
    UnitOfWork tx(*this, a);  // first: the checks below read what the write will change
    if (name.empty()) throw InputError("the subservice organization's name is empty");
    if (method != "carve-out" && method != "inclusive")
        throw InputError("method \"" + method + "\": use carve-out or inclusive");
    requireWritable(*this, WriteKind::Add, "adding a subservice organization", "");
    auto chk = db_->prepare("SELECT 1 FROM subservice_org WHERE name = ?");
    chk.bind(1, name);
    if (chk.step()) throw InputError("a subservice organization named \"" + name + "\" is already recorded");
    auto st = db_->prepare("INSERT INTO subservice_org(name, services, method) VALUES (?,?,?)");
    st.bind(1, name).bind(2, services).bind(3, method);
    st.exec();
    auto id = db_->lastInsertRowid();
    trail(a, "subservice organization " + std::to_string(id), name + " (" + method + "): " + services);
    tx.commit();
    return id;
}

namespace {
void linkCriteria(db::Database& db, const char* table, const char* col, std::int64_t id,
                  const std::vector<std::string>& criteria) {
    auto st = db.prepare(std::string("INSERT INTO ") + table + "(" + col + ", criterion_id) VALUES (?,?)");
    for (auto& c : criteria) {
        st.bind(1, id).bind(2, c);
        st.exec();
    }
}
}  // namespace

std::int64_t Engagement::addCuec(const Actor& a, const std::string& description, const std::vector<std::string>& criteria) {
    UnitOfWork tx(*this, a);  // first: the checks below read what the write will change
    if (description.empty()) throw InputError("the CUEC's text is empty");
    requireCriteriaInScope(criteria, "CUEC");
    requireWritable(*this, WriteKind::Add, "adding a CUEC", "");
    auto st = db_->prepare("INSERT INTO cuec(description) VALUES (?)");
    st.bind(1, description);
    st.exec();
    auto id = db_->lastInsertRowid();
    linkCriteria(*db_, "cuec_criterion", "cuec_id", id, criteria);
    trail(a, "CUEC " + std::to_string(id), description);
    tx.commit();
    return id;
}

std::int64_t Engagement::addCsoc(const Actor& a, const std::string& org, const std::string& description,
                                 const std::vector<std::string>& criteria) {
    UnitOfWork tx(*this, a);  // first: the checks below read what the write will change
    if (description.empty()) throw InputError("the CSOC's text is empty");
    requireCriteriaInScope(criteria, "CSOC");
    requireWritable(*this, WriteKind::Add, "adding a CSOC", "");
    auto find = db_->prepare("SELECT id FROM subservice_org WHERE name = ?");
    find.bind(1, org);
    if (!find.step())
        throw InputError("no subservice organization named \"" + org + "\"; add it first with `tickmark subservice add`");
    auto orgId = find.getInt(0);
    auto st = db_->prepare("INSERT INTO csoc(subservice_org_id, description) VALUES (?,?)");
    st.bind(1, orgId).bind(2, description);
    st.exec();
    auto id = db_->lastInsertRowid();
    linkCriteria(*db_, "csoc_criterion", "csoc_id", id, criteria);
    trail(a, "CSOC " + std::to_string(id), org + ": " + description);
    tx.commit();
    return id;
}

// Subservice organizations, CSOCs and CUECs are the report's scope: a report sign-off goes stale through them.
void Engagement::trail(const Actor& a, const std::string& entity, const std::string& value) {
    AuditTrail(*db_).append({0, "", a.name, "add", "report", entity, "added", std::nullopt, value, "", "", ""});
}

std::vector<Criterion> Engagement::criteriaInScope() {
    std::vector<Criterion> out;
    auto st = db_->prepare(
        "SELECT c.id, c.short_name, c.group_id, c.group_name FROM criterion c JOIN category k ON k.code = c.category_code "
        "WHERE k.in_scope = 1 ORDER BY c.ordinal");
    while (st.step()) out.push_back({st.getText(0), st.getText(1), st.getText(2), st.getText(3)});
    return out;
}

std::vector<SubserviceOrg> Engagement::subserviceOrgs() {
    std::vector<SubserviceOrg> out;
    auto st = db_->prepare("SELECT id, name, services, method, coalesce(signatory_name, ''), coalesce(signatory_title, '') "
                           "FROM subservice_org ORDER BY id");
    while (st.step()) out.push_back({st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getText(5)});
    return out;
}

namespace {
std::vector<ComplementaryControl> loadComplementary(db::Database& db, bool csoc) {
    std::vector<ComplementaryControl> out;
    auto st = db.prepare(csoc ? "SELECT c.id, o.name, c.description FROM csoc c JOIN subservice_org o "
                                "ON o.id = c.subservice_org_id ORDER BY c.id"
                              : "SELECT id, '', description FROM cuec ORDER BY id");
    auto crit = db.prepare(csoc ? "SELECT criterion_id FROM csoc_criterion JOIN criterion ON id = criterion_id "
                                  "WHERE csoc_id = ? ORDER BY ordinal"
                                : "SELECT criterion_id FROM cuec_criterion JOIN criterion ON id = criterion_id "
                                  "WHERE cuec_id = ? ORDER BY ordinal");
    while (st.step()) {
        ComplementaryControl c{st.getInt(0), st.getText(1), st.getText(2), {}};
        crit.bind(1, c.id);
        while (crit.step()) c.criteria.push_back(crit.getText(0));
        crit.reset();
        out.push_back(std::move(c));
    }
    return out;
}
}  // namespace

std::vector<ComplementaryControl> Engagement::cuecs() { return loadComplementary(*db_, false); }
std::vector<ComplementaryControl> Engagement::csocs() { return loadComplementary(*db_, true); }

}  // namespace tickmark

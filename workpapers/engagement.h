#pragma once
// The engagement: one SOC 2 examination, in a file (SQLite) or in its own database on the team's
// PostgreSQL server (a postgresql:// URI wherever a file is taken). Opening it checks and upgrades the
// schema; every write goes through one transaction.
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/dates.h"
#include "workpapers/db.h"
#include "workpapers/holders.h"

namespace tickmark {

class Actor;  // workpapers/people.h: a signed-in team member
namespace store {
class EngagementKey;  // workpapers/store/key_header.h
}

// The Trust Services Categories. Security (the common criteria) is always in scope.
struct Category {
    const char* code;  // what the CLI takes: security, availability, processing-integrity, ...
    const char* name;  // as the TSC list names it
};
const std::vector<Category>& allCategories();
const Category* findCategory(std::string_view codeOrName);

enum class ReportType { TypeI = 1, TypeII = 2 };

struct EngagementSetup {
    std::string client;      // the service organization
    std::string systemName;
    ReportType reportType = ReportType::TypeII;
    std::optional<Date> periodStart, periodEnd;  // Type II
    std::optional<Date> asOf;                    // Type I
    std::vector<std::string> categories;         // codes; security is added when missing
    bool encrypted = false;  // the whole file encrypted at rest, opened only by the team (workpapers/store/)
    // The client's IANA time zone: the day a timestamp with a UTC offset falls on is the day there.
    std::optional<std::string> timeZone;
};

// Who opens an encrypted engagement: a member's initials and password. Every opening of an encrypted
// file needs them, reads included; a plain file ignores them.
struct Credentials {
    std::string user, password;
};
// How a front end asks for them when Engagement::open(file) meets an encrypted file (the CLI reads
// --user and the password; the desk shows a dialog). May throw InputError (nothing given) or Cancelled.
using UnlockProvider = std::function<Credentials(const std::filesystem::path& file)>;

enum class CopyMode { Keep, Decrypted };

// The span items are judged against: the examination period, or the as-of date for Type I.
struct Period {
    Date start, end;
    bool contains(Date d) const { return d >= start && d <= end; }
};

// One TSC 2017 criterion as the engagement holds it.
struct Criterion {
    std::string id, shortName, groupId, groupName;
};

struct SubserviceOrg {
    std::int64_t id;
    std::string name, services, method;  // method: carve-out | inclusive
    std::string signatoryName, signatoryTitle;  // who signs its assertion (inclusive only); empty until given
};
struct ComplementaryControl {  // a CUEC, or a CSOC when `subserviceOrg` is set
    std::int64_t id;
    std::string subserviceOrg;
    std::string description;
    std::vector<std::string> criteria;
};

class Engagement {
public:
    // Refuses to overwrite an existing file. criteriaCsv: templates/tsc-2017.csv. The file records when
    // and with which Tickmark it was created; its audit trail starts with the engagement partner
    // joining (createEngagement in people.h does both).
    // `then` makes the engagement's first writes (the partner joining): it fails, nothing is left.
    static Engagement create(const std::filesystem::path& file, const EngagementSetup& setup,
                             const std::filesystem::path& criteriaCsv, const std::function<void(Engagement&)>& then = {});
    // An encrypted file asks the unlock provider for credentials first (InputError when none is set).
    static Engagement open(const std::filesystem::path& file);
    // With the credentials given: the member's wrap of the engagement key is unlocked before the first
    // SQLite read. InputError for a missing user, a member the file does not know, a wrong password.
    static Engagement open(const std::filesystem::path& file, const Credentials& who);
    static void setUnlockProvider(UnlockProvider provider);
    static bool isEncrypted(const std::filesystem::path& file);

    bool encrypted() const { return key_ != nullptr; }
    const std::shared_ptr<store::EngagementKey>& key() const { return key_; }
    // A copy of the whole file into `destination` (refused when something is there): an encrypted
    // engagement's copy is encrypted under the same key, for the same members, unless Decrypted.
    void copyTo(const std::filesystem::path& destination, CopyMode mode = CopyMode::Keep);
    // An encrypted copy of a plain engagement, under a new key wrapped for `partner` (with `password`,
    // which must be theirs) alone: the other members are given theirs by the partner resetting their key
    // (`team reset-key`), which wraps the key under the new password.
    void copyEncrypted(const std::filesystem::path& destination, const Actor& partner, const std::string& password);

    db::Database& db() { return *db_; }
    // The file, or the server URI as messages show it (no password).
    const std::filesystem::path& file() const { return file_; }
    // Where it was opened from, to open it again (a second connection, another thread): the file, or
    // the URI as given.
    const std::string& location() const { return location_; }
    bool onServer() const { return db_->onServer(); }
    // Where this program's member works now (the workpaper the desk shows; empty: none), for the others to
    // see; and the other programs that have the engagement open now, who is signed in there and where.
    void workingOn(const std::string& workpaper) { db_->setHolderWorkpaper(workpaper); }
    std::vector<db::Holder> othersHere() { return db_->otherHolders(); }
    // Opened read-only because its folder cannot be written here (an archive, a read-only share).
    bool archived() const { return db_->archived(); }
    // Where the file was backed up before a schema upgrade on open; empty when none was needed.
    const std::string& upgradeBackup() const { return upgradeBackup_; }

    EngagementSetup setup();
    Period period();
    std::optional<std::string> timeZone();
    // Sets (or, with nullopt, clears) the client's time zone; recorded in the trail. Populations
    // imported before keep the dates they were read with (their profile names the zone used).
    void setTimeZone(const Actor& a, const std::optional<std::string>& zone, const std::string& reason);
    std::vector<std::string> categoriesInScope();

    // Additions by a signed-in team member (recorded in the audit trail under their name).
    std::int64_t addSubserviceOrg(const Actor& a, const std::string& name, const std::string& services,
                                  const std::string& method);
    std::int64_t addCuec(const Actor& a, const std::string& description, const std::vector<std::string>& criteria);
    std::int64_t addCsoc(const Actor& a, const std::string& subserviceOrg, const std::string& description,
                         const std::vector<std::string>& criteria);
    std::vector<SubserviceOrg> subserviceOrgs();
    // The criteria of the categories in scope, in TSC order.
    std::vector<Criterion> criteriaInScope();
    std::vector<ComplementaryControl> cuecs();
    std::vector<ComplementaryControl> csocs();

    // Throws InputError naming the first id that is not a TSC 2017 criterion.
    void requireCriteria(const std::vector<std::string>& ids, const std::string& where);
    // ... and each one of a category in scope: a CUEC, CSOC or exception about a criterion out of
    // scope could never reach the report.
    void requireCriteriaInScope(const std::vector<std::string>& ids, const std::string& where);

private:
    Engagement(std::filesystem::path file, std::unique_ptr<db::Database> db, std::shared_ptr<store::EngagementKey> key = nullptr,
               std::string location = {});
    std::filesystem::path file_;
    std::string location_;
    std::shared_ptr<store::EngagementKey> key_;  // before db_: outlives the connection
    std::unique_ptr<db::Database> db_;
    std::string upgradeBackup_;
    void trail(const Actor& a, const std::string& entity, const std::string& value);
};

// UTC, ISO 8601, seconds: every timestamp the file records.
std::string utcNow();

// "CC6.1, CC6.2; A1.2" -> {"CC6.1","CC6.2","A1.2"}: commas, semicolons, line breaks or spaces.
std::vector<std::string> splitCriteria(std::string_view text);

}  // namespace tickmark

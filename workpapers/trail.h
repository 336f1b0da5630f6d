#pragma once
// The audit trail: every change to the engagement appends who, when, what, old -> new (and why,
// after assembly). Entries are hash-chained: entry k's SHA-256 covers entry k-1's hash and every
// field of entry k, each written as <byte length>:<bytes>, so a row changed, deleted or inserted
// behind the program's back breaks the chain at that row. Appends happen inside the caller's
// transaction, so a change and its trail entry land together or not at all.
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/db.h"

namespace tickmark {

class Engagement;

struct TrailEntry {
    std::int64_t seq = 0;
    std::string at, actor, action, workpaper, entity, field;
    std::optional<std::string> oldValue, newValue;
    std::string reason;
    std::string prevHash, hash;
    // On a server: its stamp, outside the hash (the server writes it): the login it authenticated and its
    // clock when the entry was appended (workpapers/store/pg_guards.cpp).
    std::optional<std::string> serverLogin = {}, serverAt = {};
};

class AuditTrail {
public:
    explicit AuditTrail(db::Database& db);
    // Fills seq, at, prev_hash and hash; returns the entry as written.
    TrailEntry append(TrailEntry e);
    std::int64_t head();

private:
    db::Database& db_;
};

std::string trailHash(const TrailEntry& e);

struct TrailVerification {
    bool intact = true;
    std::int64_t entries = 0;
    std::optional<std::int64_t> firstBroken;  // the first entry that does not chain
    std::string problem;
};
// Walks the whole chain; also checks every sign-off still points at the entry that recorded it,
// so cutting entries off the end is caught too, and, on a server, that the server stamped every entry
// (an entry without one was written while its rules were switched off by the schema's owner).
TrailVerification verifyTrail(db::Database& db);

// Entries about a workpaper after a trail position, oldest first (what changed since a sign-off).
std::vector<TrailEntry> trailFor(db::Database& db, const std::string& workpaper, std::int64_t afterSeq);

// A record's version: the newest trail entry about it (every change appends one naming the record as
// its workpaper and entity, e.g. "test:CM-03" / "note 12"); 0 when none.
std::int64_t recordVersion(db::Database& db, const std::string& workpaper, const std::string& entity);
// A workpaper's version: its newest trail entry, whatever record it names; 0 when none.
std::int64_t workpaperVersion(db::Database& db, const std::string& workpaper);
// Inside a write: refuses (ConflictError) a change decided on the record as it read at version `seen`
// when another write changed it since, naming who changed what and when. Never a silent overwrite.
// field: only the entries about that field of the record (a heading of the description, which several
// members write, each their own).
void requireUnchangedSince(db::Database& db, const std::string& workpaper, const std::string& entity, std::int64_t seen,
                           const std::optional<std::string>& field = std::nullopt);
// The same for a judgement on a whole workpaper (a conclusion decided on every result and exception the
// member saw): refused when anything of the workpaper changed after trail entry `seen`.
void requireWorkpaperUnchangedSince(db::Database& db, const std::string& workpaper, std::int64_t seen);

// What to read of the trail; the default is every entry, oldest first.
struct TrailQuery {
    std::optional<std::string> workpaper;
    std::int64_t afterSeq = 0;
    bool newestFirst = false;
    std::optional<std::int64_t> limit;
};
// Hands the entries over one at a time: a trail of a hundred thousand entries is never one vector.
void forEachTrailEntry(db::Database& db, const TrailQuery& q, const std::function<void(const TrailEntry&)>& visit);

// The same, for the front ends: they hold an engagement, never its storage.
TrailVerification verifyTrail(Engagement& e);
void forEachTrailEntry(Engagement& e, const TrailQuery& q, const std::function<void(const TrailEntry&)>& visit);
// The newest entry's number: every write appends one, so a front end that sees it move knows the
// engagement changed (by this program or another one) and redraws.
std::int64_t trailHead(Engagement& e);

}  // namespace tickmark

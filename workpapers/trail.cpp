#include "workpapers/trail.h"

#include <limits>

#include "workpapers/engagement.h"
#include "workpapers/errors.h"
#include "workpapers/sha256.h"

namespace tickmark {
namespace {

const std::string kGenesis(64, '0');

void field(Sha256& h, std::string_view v) {
    std::string len = std::to_string(v.size()) + ":";
    h.update(len.data(), len.size());
    h.update(v.data(), v.size());
}
// NULL is written as "~", which no <length>: prefix starts with, so it never equals "".
void optField(Sha256& h, const std::optional<std::string>& v) {
    if (!v) return h.update("~", 1);
    field(h, *v);
}

TrailEntry readEntry(db::Statement& st) {
    TrailEntry e;
    e.seq = st.getInt(0);
    e.at = st.getText(1);
    e.actor = st.getText(2);
    e.action = st.getText(3);
    e.workpaper = st.getText(4);
    e.entity = st.getText(5);
    e.field = st.getText(6);
    e.oldValue = st.getOptText(7);
    e.newValue = st.getOptText(8);
    e.reason = st.getText(9);
    e.prevHash = st.getText(10);
    e.hash = st.getText(11);
    return e;
}

constexpr const char* kColumns =
    "SELECT seq, at, actor, action, workpaper, entity, field, old_value, new_value, reason, prev_hash, hash FROM audit_trail t ";
// The same, with the server's stamps where the engagement has them: the stamp of the server that first
// took the entry (server_stamp, carried by copies) before this server's own (trail_stamp: on a server
// that received a copy, the copy's login and time). Empty when the engagement has neither.
std::string stampedColumns(db::Database& db) {
    const bool own = db.hasTable("trail_stamp"), carried = db.hasTable("server_stamp");
    if (!own && !carried) return {};
    const std::string login = own && carried ? "coalesce(c.server_login, s.server_role)" : carried ? "c.server_login" : "s.server_role";
    const std::string at = own && carried ? "coalesce(c.server_at, s.server_at)" : carried ? "c.server_at" : "s.server_at";
    return "SELECT t.seq, t.at, t.actor, t.action, t.workpaper, t.entity, t.field, t.old_value, t.new_value, t.reason, t.prev_hash, "
           "t.hash, " + login + ", " + at + " FROM audit_trail t " + (own ? "LEFT JOIN trail_stamp s ON s.seq = t.seq " : "") +
           (carried ? "LEFT JOIN server_stamp c ON c.seq = t.seq " : "");
}

}  // namespace

std::string trailHash(const TrailEntry& e) {
    Sha256 h;
    field(h, e.prevHash);
    field(h, std::to_string(e.seq));
    for (const std::string* f : {&e.at, &e.actor, &e.action, &e.workpaper, &e.entity, &e.field}) field(h, *f);
    optField(h, e.oldValue);
    optField(h, e.newValue);
    field(h, e.reason);
    return h.hexDigest();
}

AuditTrail::AuditTrail(db::Database& db) : db_(db) {}

std::int64_t AuditTrail::head() {
    auto st = db_.prepare("SELECT coalesce(max(seq), 0) FROM audit_trail");
    st.step();
    return st.getInt(0);
}

TrailEntry AuditTrail::append(TrailEntry e) {
    // The backstop behind the signed-in Actor every write takes: the trail names team members only.
    auto member = db_.prepare("SELECT 1 FROM person WHERE name = ?");
    member.bind(1, e.actor);
    if (!member.step())
        throw InputError("\"" + e.actor + "\" is not on this engagement's team: the audit trail records only signed-in team members");
    auto last = db_.prepare("SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1");
    if (last.step()) {
        e.seq = last.getInt(0) + 1;
        e.prevHash = last.getText(1);
    } else {
        e.seq = 1;
        e.prevHash = kGenesis;
    }
    if (e.at.empty()) e.at = utcNow();
    e.hash = trailHash(e);
    auto st = db_.prepare(
        "INSERT INTO audit_trail(seq, at, actor, action, workpaper, entity, field, old_value, new_value, reason, "
        "prev_hash, hash) VALUES (?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, e.seq).bind(2, e.at).bind(3, e.actor).bind(4, e.action).bind(5, e.workpaper).bind(6, e.entity);
    st.bind(7, e.field);
    st.bind(8, e.oldValue);
    st.bind(9, e.newValue);
    st.bind(10, e.reason).bind(11, e.prevHash).bind(12, e.hash);
    st.exec();
    return e;
}

TrailVerification verifyTrail(db::Database& db) {
    TrailVerification v;
    auto st = db.prepare(std::string(kColumns) + "ORDER BY seq");
    std::string prev = kGenesis;
    std::int64_t expected = 1;
    while (st.step()) {
        TrailEntry e = readEntry(st);
        ++v.entries;
        auto broken = [&](std::string why) {
            v.intact = false;
            v.firstBroken = e.seq;
            v.problem = std::move(why);
            return v;
        };
        if (e.seq != expected)
            return broken("entry " + std::to_string(e.seq) + " follows entry " + std::to_string(expected - 1) +
                          ": entries " + std::to_string(expected) + ".." + std::to_string(e.seq - 1) + " are missing");
        if (e.prevHash != prev)
            return broken("entry " + std::to_string(e.seq) + " does not chain to the entry before it (an entry was "
                                                             "deleted, inserted or changed before it)");
        if (trailHash(e) != e.hash)
            return broken("entry " + std::to_string(e.seq) + " (" + e.action + " " + e.entity + " " + e.field +
                          " by " + e.actor + " at " + e.at + ") was changed after it was written");
        prev = e.hash;
        ++expected;
    }
    if (db.hasTable("trail_stamp")) {
        auto unstamped = db.prepare("SELECT t.seq FROM audit_trail t LEFT JOIN trail_stamp s ON s.seq = t.seq WHERE s.seq IS NULL "
                                    "ORDER BY t.seq LIMIT 1");
        if (unstamped.step()) {
            v.intact = false;
            v.firstBroken = unstamped.getInt(0);
            v.problem = "entry " + std::to_string(unstamped.getInt(0)) + " has no server stamp: it was written while the server's "
                        "rules were switched off (only the engagement's owner can), not by Tickmark";
            return v;
        }
    }
    // Sign-offs point at their own trail entries: a trail cut short no longer reaches them.
    auto so = db.prepare("SELECT s.id, s.trail_seq, s.trail_hash, t.hash FROM signoff s LEFT JOIN audit_trail t ON t.seq = s.trail_seq");
    while (so.step()) {
        if (so.isNull(3) || so.getText(3) != so.getText(2)) {
            v.intact = false;
            v.firstBroken = so.getInt(1);
            v.problem = "sign-off " + std::to_string(so.getInt(0)) + " was recorded as trail entry " +
                        std::to_string(so.getInt(1)) + ", which is missing or different: the trail was cut short or rewritten";
            return v;
        }
    }
    return v;
}

std::vector<TrailEntry> trailFor(db::Database& db, const std::string& workpaper, std::int64_t afterSeq) {
    std::vector<TrailEntry> out;
    forEachTrailEntry(db, {workpaper, afterSeq}, [&](const TrailEntry& t) { out.push_back(t); });
    return out;
}

void forEachTrailEntry(db::Database& db, const TrailQuery& q, const std::function<void(const TrailEntry&)>& visit) {
    const std::string columns = stampedColumns(db);
    const bool stamped = !columns.empty();
    auto st = db.prepare((stamped ? columns : std::string(kColumns)) + "WHERE (?1 IS NULL OR t.workpaper = ?1) AND t.seq > ?2 ORDER BY t.seq " +
                         (q.newestFirst ? "DESC" : "") + " LIMIT ?3");
    // No limit: the largest one (SQLite reads -1 as none, PostgreSQL refuses it).
    st.bind(1, q.workpaper).bind(2, q.afterSeq).bind(3, q.limit.value_or(std::numeric_limits<std::int64_t>::max()));
    while (st.step()) {
        TrailEntry e = readEntry(st);
        if (stamped) {
            e.serverLogin = st.getOptText(12);
            e.serverAt = st.getOptText(13);
        }
        visit(e);
    }
}

std::int64_t recordVersion(db::Database& db, const std::string& workpaper, const std::string& entity) {
    auto st = db.prepare("SELECT coalesce(max(seq), 0) FROM audit_trail WHERE workpaper = ? AND entity = ?");
    st.bind(1, workpaper).bind(2, entity);
    st.step();
    return st.getInt(0);
}

std::int64_t workpaperVersion(db::Database& db, const std::string& workpaper) {
    auto st = db.prepare("SELECT coalesce(max(seq), 0) FROM audit_trail WHERE workpaper = ?");
    st.bind(1, workpaper);
    st.step();
    return st.getInt(0);
}

namespace {
// The newest entry of `st` (entries after the member's read), if any, refused in the trail's words.
void refuseIfChanged(db::Statement& st, const std::string& what) {
    if (!st.step()) return;
    const TrailEntry t = readEntry(st);
    auto shown = [](const std::optional<std::string>& v) { return v ? "\"" + *v + "\"" : std::string("(none)"); };
    throw ConflictError(what + " was changed by " + t.actor + " at " + t.at + " (" + (what.rfind(t.entity, 0) == 0 ? "" : t.entity + " ") +
                        t.field + ": " + shown(t.oldValue) + " -> " + shown(t.newValue) + ", trail entry " + std::to_string(t.seq) +
                        ") after you read it; nothing was saved: read it again, then decide");
}
}  // namespace

void requireUnchangedSince(db::Database& db, const std::string& workpaper, const std::string& entity, std::int64_t seen,
                           const std::optional<std::string>& field) {
    auto st = db.prepare(std::string(kColumns) + "WHERE t.workpaper = ?1 AND t.entity = ?2 AND t.seq > ?3 AND (?4 IS NULL OR t.field = ?4) "
                                                 "ORDER BY t.seq DESC LIMIT 1");
    st.bind(1, workpaper).bind(2, entity).bind(3, seen).bind(4, field);
    refuseIfChanged(st, field ? entity + " " + *field + " (" + workpaper + ")" : entity + " (" + workpaper + ")");
}

void requireWorkpaperUnchangedSince(db::Database& db, const std::string& workpaper, std::int64_t seen) {
    auto st = db.prepare(std::string(kColumns) + "WHERE t.workpaper = ? AND t.seq > ? ORDER BY t.seq DESC LIMIT 1");
    st.bind(1, workpaper).bind(2, seen);
    refuseIfChanged(st, workpaper);
}

TrailVerification verifyTrail(Engagement& e) { return verifyTrail(e.db()); }
std::int64_t trailHead(Engagement& e) { return AuditTrail(e.db()).head(); }
void forEachTrailEntry(Engagement& e, const TrailQuery& q, const std::function<void(const TrailEntry&)>& visit) {
    forEachTrailEntry(e.db(), q, visit);
}

}  // namespace tickmark

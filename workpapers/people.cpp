#include "workpapers/people.h"

#include <boost/algorithm/string/join.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <algorithm>
#include <ctime>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/trail.h"

namespace tickmark {
namespace {

constexpr std::uint64_t kN = 32768, kR = 8, kP = 1;
constexpr std::size_t kKeyLen = 32;

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    for (std::size_t i = 0; i < n; ++i) s += d[p[i] >> 4], s += d[p[i] & 15];
    return s;
}

std::string unhex(const std::string& s) {
    std::string out;
    for (std::size_t i = 0; i + 1 < s.size(); i += 2) out += static_cast<char>(std::stoi(s.substr(i, 2), nullptr, 16));
    return out;
}

std::string derive(const std::string& password, const std::string& salt, std::uint64_t N, std::uint64_t r,
                   std::uint64_t p) {
    unsigned char key[kKeyLen];
    if (EVP_PBE_scrypt(password.data(), password.size(), reinterpret_cast<const unsigned char*>(salt.data()), salt.size(),
                       N, r, p, 64ull * 1024 * 1024, key, sizeof key) != 1)
        throw std::runtime_error("OpenSSL: scrypt failed");
    return std::string(reinterpret_cast<char*>(key), sizeof key);
}

const char* const kRoles[] = {"preparer", "reviewer", "partner"};

}  // namespace

bool Person::has(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

std::string hashPassword(const std::string& password) {
    unsigned char salt[16];
    if (RAND_bytes(salt, sizeof salt) != 1) throw std::runtime_error("OpenSSL: no random bytes for a salt");
    std::string s(reinterpret_cast<char*>(salt), sizeof salt);
    std::string key = derive(password, s, kN, kR, kP);
    return "scrypt$" + std::to_string(kN) + "$" + std::to_string(kR) + "$" + std::to_string(kP) + "$" +
           hex(salt, sizeof salt) + "$" + hex(reinterpret_cast<const unsigned char*>(key.data()), key.size());
}

bool checkPassword(const std::string& password, const std::string& stored) {
    std::vector<std::string> parts;
    std::size_t start = 0;
    for (std::size_t i = 0; i <= stored.size(); ++i)
        if (i == stored.size() || stored[i] == '$') parts.push_back(stored.substr(start, i - start)), start = i + 1;
    if (parts.size() != 6 || parts[0] != "scrypt") return false;
    // The cost is the program's, never the file's: a record whose parameters were lowered (N=2) is
    // no password record of Tickmark's and checks nothing.
    if (parts[1] != std::to_string(kN) || parts[2] != std::to_string(kR) || parts[3] != std::to_string(kP)) return false;
    std::string key = derive(password, unhex(parts[4]), kN, kR, kP);
    std::string expected = unhex(parts[5]);
    return key.size() == expected.size() && CRYPTO_memcmp(key.data(), expected.data(), key.size()) == 0;
}

Date today() {
    std::time_t t = std::time(nullptr);
    std::tm tm{};
    gmtime_r(&t, &tm);
    return Date{std::chrono::year{tm.tm_year + 1900}, std::chrono::month{static_cast<unsigned>(tm.tm_mon + 1)},
                std::chrono::day{static_cast<unsigned>(tm.tm_mday)}};
}

std::vector<Person> team(Engagement& e) {
    std::vector<Person> out;
    auto st = e.db().prepare("SELECT id, name, initials, same_person_as, coalesce(identity_reason, '') FROM person ORDER BY id");
    auto roles = e.db().prepare("SELECT role FROM person_role WHERE person_id = ? ORDER BY CASE role WHEN 'preparer' THEN 1 WHEN 'reviewer' THEN 2 ELSE 3 END");
    while (st.step()) {
        Person p{st.getInt(0), st.getText(1), st.getText(2), {}, std::nullopt, st.getText(4)};
        if (!st.isNull(3)) p.samePersonAs = st.getInt(3);
        roles.bind(1, p.id);
        while (roles.step()) p.roles.push_back(roles.getText(0));
        roles.reset();
        out.push_back(std::move(p));
    }
    return out;
}

namespace {

void validateMember(const std::string& name, const std::string& initials, const std::vector<std::string>& roles,
                    const std::string& password) {
    if (name.empty() || initials.empty()) throw InputError("a team member needs a name and initials");
    if (roles.empty()) throw InputError("give the team member at least one role: preparer, reviewer or partner");
    for (auto& r : roles)
        if (std::find(std::begin(kRoles), std::end(kRoles), r) == std::end(kRoles))
            throw InputError("role \"" + r + "\": use preparer, reviewer or partner");
    if (password.size() < 8) throw InputError("the password must have at least 8 characters");
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

// A name's letters and digits, lower case: "Priya  Raman." and "priya raman" are one name.
std::string nameKey(const std::string& name) {
    std::string k;
    for (unsigned char c : name)
        if (std::isalnum(c) || c >= 0x80) k += static_cast<char>(std::tolower(c));
    return k;
}

// Inserts the person and appends the trail entry, attributed to `by` (the new member themself for
// the engagement partner).
Person insertPerson(Engagement& e, const std::string& by, const std::string& name, const std::string& initials,
                    const std::vector<std::string>& roles, const std::string& password, const std::string& identityReason = "") {
    std::optional<Person> same;
    for (auto& p : team(e)) {
        if (upper(p.initials) == upper(initials))
            throw InputError("the initials \"" + initials + "\" are taken by " + p.name);
        if (nameKey(p.name) == nameKey(name) && !same) same = p;
    }
    if (same && identityReason.empty())
        throw InputError("\"" + name + "\" is already on the team as " + same->name + " (" + same->initials +
                         "): a second identity for the same person needs the reason recorded (--identity-reason); "
                         "the duties rules then treat both as one person");
    if (same && same->name == name) throw InputError("\"" + name + "\" is already on the team; give the second identity another name");
    const std::optional<std::int64_t> samePerson = same ? std::optional<std::int64_t>(same->samePersonAs.value_or(same->id)) : std::nullopt;
    requireWritable(e, WriteKind::Add, "adding a team member", "");
    const std::string hash = hashPassword(password);
    db::Transaction tx(e.db());
    auto st = e.db().prepare("INSERT INTO person(name, initials, password_hash, added_at, same_person_as, identity_reason) VALUES (?,?,?,?,?,?)");
    st.bind(1, name).bind(2, initials).bind(3, hash).bind(4, utcNow());
    if (samePerson) st.bind(5, *samePerson).bind(6, identityReason);
    else st.bindNull(5).bindNull(6);
    st.exec();
    Person p{e.db().lastInsertRowid(), name, initials, roles, samePerson, same ? identityReason : ""};
    auto r = e.db().prepare("INSERT INTO person_role(person_id, role) VALUES (?,?)");
    for (auto& role : roles) {
        r.bind(1, p.id).bind(2, role);
        r.exec();
    }
    AuditTrail(e.db()).append({0, "", by, "add", "engagement", "person " + initials, "roles", std::nullopt,
                               name + ": " + boost::algorithm::join(roles, ",") + (same ? " (a second identity of " + same->name + ")" : ""),
                               same ? identityReason : "", "", ""});
    tx.commit();
    return p;
}

}  // namespace

bool Actor::has(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

std::string noTeamMessage(const Engagement& e) {
    return e.file().string() + " has no team yet, so nobody can sign in to record anything. Add the engagement partner first: "
           "tickmark team add " + e.file().string() + " --name NAME --initials XX --role partner,reviewer";
}

Actor addEngagementPartner(Engagement& e, const std::string& name, const std::string& initials,
                           const std::vector<std::string>& roles, const std::string& password) {
    validateMember(name, initials, roles, password);
    if (!team(e).empty())
        throw InputError("the team already has members: a partner adds people (sign in with --user)");
    if (std::find(roles.begin(), roles.end(), "partner") == roles.end())
        throw InputError("the first team member is the engagement partner: give them the partner role (--role partner,...)");
    Actor partner(insertPerson(e, name, name, initials, roles, password));
    e.db().setHolderMember(partner.name);
    return partner;
}

Person addPerson(Engagement& e, const Actor& partner, const std::string& name, const std::string& initials,
                 const std::vector<std::string>& roles, const std::string& password, const std::string& identityReason) {
    validateMember(name, initials, roles, password);
    requireMember(e, partner);
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; only a partner adds team members");
    return insertPerson(e, partner.name, name, initials, roles, password, identityReason);
}

void requireMember(Engagement& e, const Actor& a) {
    auto st = e.db().prepare("SELECT 1 FROM person WHERE id = ? AND name = ?");
    st.bind(1, a.id).bind(2, a.name);
    if (!st.step())
        throw InputError(a.name + " is not on the team of " + e.file().string() + "; sign in to this engagement");
}

Actor authenticate(Engagement& e, const std::string& who, const std::string& password) {
    if (team(e).empty()) throw InputError(noTeamMessage(e));
    auto st = e.db().prepare("SELECT id, password_hash FROM person WHERE name = ?1 OR initials = ?1");
    st.bind(1, who);
    if (!st.step()) {
        // As long as a wrong password takes: the answer's time does not tell who is a member.
        static const std::string kNobody =
            "scrypt$32768$8$1$000102030405060708090a0b0c0d0e0f$8b4edf7b868c1f91339aba00509a2970e2bb98ec452171db79f73af865fa789c";
        (void)checkPassword(password, kNobody);
        throw InputError("no team member \"" + who + "\" in this engagement (see `tickmark team list`)");
    }
    const std::int64_t id = st.getInt(0);
    if (!checkPassword(password, st.getText(1))) throw InputError("wrong password for \"" + who + "\"");
    for (auto& p : team(e))
        if (p.id == id) {
            e.db().setHolderMember(p.name);  // other programs kept waiting are told who has the file open
            return Actor(p);
        }
    throw InputError("no team member \"" + who + "\"");
}

NewEngagement createEngagement(const std::filesystem::path& file, const EngagementSetup& setup,
                               const std::filesystem::path& criteriaCsv, const std::string& partnerName,
                               const std::string& partnerInitials, const std::vector<std::string>& roles,
                               const std::string& password) {
    validateMember(partnerName, partnerInitials, roles, password);
    if (std::find(roles.begin(), roles.end(), "partner") == roles.end())
        throw InputError("the engagement partner needs the partner role (--role partner,...)");
    std::optional<Engagement> e(Engagement::create(file, setup, criteriaCsv));
    try {
        Actor partner = addEngagementPartner(*e, partnerName, partnerInitials, roles, password);
        return NewEngagement{std::move(*e), partner};
    } catch (...) {
        e.reset();
        std::error_code ec;
        for (const char* suffix : {"", "-wal", "-shm", "-journal"}) std::filesystem::remove(file.string() + suffix, ec);
        throw;
    }
}

void requireWritable(Engagement& e, WriteKind kind, const std::string& what, const std::string& reason) {
    auto st = e.db().prepare("SELECT locked_at, locked_by FROM engagement WHERE id = 1");
    if (!st.step() || st.isNull(0)) return;
    const std::string when = st.getText(0), by = st.getText(1);
    if (kind != WriteKind::Add)
        throw InputError(what + " is refused: the file was assembled (locked) on " + when + " by " + by +
                         "; after assembly nothing may be changed or deleted");
    if (reason.empty())
        throw InputError(what + " after assembly (locked on " + when + " by " + by +
                         ") is an addition to the final file: give the reason (--reason)");
}

AssemblyStatus assemblyStatus(Engagement& e, Date now) {
    AssemblyStatus s;
    auto st = e.db().prepare("SELECT release_date, locked_at, locked_by FROM engagement WHERE id = 1");
    st.step();
    if (auto r = st.getOptText(0)) {
        s.releaseDate = parseIsoDate(*r);
        s.assemblyDeadline = dateFromDays(daysSinceEpoch(*s.releaseDate) + 60);
        s.daysLeft = daysSinceEpoch(*s.assemblyDeadline) - daysSinceEpoch(now);
    }
    s.lockedAt = st.getOptText(1);
    s.lockedBy = st.getOptText(2);
    return s;
}

void recordRelease(Engagement& e, const Actor& partner, Date releaseDate) {
    UnitOfWork tx(e, partner);  // first: the checks below read what the write will change
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; the engagement partner records the release");
    requireWritable(e, WriteKind::Change, "changing the report release date", "");
    auto old = assemblyStatus(e, today()).releaseDate;
    auto st = e.db().prepare("UPDATE engagement SET release_date = ? WHERE id = 1");
    st.bind(1, isoString(releaseDate));
    st.exec();
    AuditTrail(e.db()).append({0, "", partner.name, "change", "engagement", "engagement", "release_date",
                               old ? std::optional<std::string>(isoString(*old)) : std::nullopt, isoString(releaseDate),
                               "", "", ""});
    tx.commit();
}

void lockFile(Engagement& e, const Actor& partner) {
    UnitOfWork tx(e, partner);  // first: the checks below read what the write will change
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; only the engagement partner assembles the file");
    auto s = assemblyStatus(e, today());
    if (s.lockedAt) throw InputError("the file was already assembled on " + *s.lockedAt + " by " + *s.lockedBy);
    if (!s.releaseDate) throw InputError("record the report release date first (`tickmark release`): assembly follows release");
    const std::string now = utcNow();
    auto st = e.db().prepare("UPDATE engagement SET locked_at = ?, locked_by = ? WHERE id = 1");
    st.bind(1, now).bind(2, partner.name);
    st.exec();
    AuditTrail(e.db()).append({0, now, partner.name, "lock", "engagement", "engagement", "locked_at", std::nullopt, now,
                               "final file assembled", "", ""});
    tx.commit();
}

}  // namespace tickmark

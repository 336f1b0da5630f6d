#include "workpapers/people.h"

#include <boost/algorithm/string/join.hpp>
#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <algorithm>
#include <ctime>

#include "workpapers/errors.h"
#include "workpapers/proof/keys.h"
#include "workpapers/proof/seal.h"
#include "workpapers/proof/team_keys.h"
#include "workpapers/store/key_header.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/trail.h"

namespace tickmark {
namespace {

constexpr std::uint64_t kN = 32768, kR = 8, kP = 1;
constexpr std::size_t kKeyLen = 32;

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

struct ActorAccess {
    static Actor make(const Person& p, std::shared_ptr<const proof::SigningKey> key) { return Actor(p, std::move(key)); }
    static const proof::SigningKey& key(const Actor& a) { return *a.key_; }
};

namespace {

// On an encrypted engagement, the engagement key wrapped under a member's (new) password, written to the
// file's key header inside the write that adds the member or changes their password, before it commits.
// Not committed: the wrap is taken out again. Committed: the member's older wraps go, under the write
// lock again (another process changing the header holds it too).
class PendingWrap {
public:
    PendingWrap(Engagement& e, std::int64_t memberId, const std::string& initials, const std::optional<store::WrapKey>& k) : e_(e) {
        if (!e.encrypted() || !k) return;
        wrap_ = e.key()->wrapFor(memberId, initials, *k);
        store::addMemberWrap(e.db(), *wrap_);
    }
    ~PendingWrap() {
        if (wrap_ && !committed_) store::removeWrap(e_.db(), *wrap_);
    }
    PendingWrap(const PendingWrap&) = delete;
    PendingWrap& operator=(const PendingWrap&) = delete;
    // Call after the transaction committed.
    void committed() {
        committed_ = true;
        if (!wrap_) return;
        try {
            db::Transaction tx(e_.db());
            store::keepNewestWrap(e_.db(), wrap_->initials);
            tx.commit();
        } catch (...) {
            // An older wrap left behind still needs the member's older password, and the team record.
        }
    }

private:
    Engagement& e_;
    std::optional<store::MemberWrap> wrap_;
    bool committed_ = false;
};

std::optional<store::WrapKey> wrapKeyFor(Engagement& e, const std::string& password) {
    if (!e.encrypted()) return std::nullopt;
    return store::deriveWrapKey(password);
}

}  // namespace

bool Person::has(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }

bool checkLegacyPassword(const std::string& password, const std::string& stored) {
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
    auto st = e.db().prepare(
        "SELECT p.id, p.name, p.initials, p.same_person_as, coalesce(p.identity_reason, ''), p.public_key, c.name "
        "FROM person p LEFT JOIN person c ON c.id = p.certified_by ORDER BY p.id");
    auto roles = e.db().prepare("SELECT role FROM person_role WHERE person_id = ? ORDER BY CASE role WHEN 'preparer' THEN 1 WHEN 'reviewer' THEN 2 ELSE 3 END");
    while (st.step()) {
        Person p{st.getInt(0), st.getText(1), st.getText(2), {}, std::nullopt, st.getText(4)};
        if (!st.isNull(3)) p.samePersonAs = st.getInt(3);
        if (!st.isNull(5)) p.keyFingerprint = proof::fingerprint(st.getText(5));
        p.certifiedBy = st.getText(6);
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

// Inserts the person with their new signing key sealed under their password, certified by `certifier`
// (nullptr: the engagement partner, whose key becomes the engagement's root and who certifies themself),
// and appends the trail entry, sealed.
struct Joined {
    Person person;
    std::shared_ptr<const proof::SigningKey> key;
};
Joined insertPerson(Engagement& e, const Actor* certifier, const std::string& name, const std::string& initials,
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
    auto key = std::make_shared<const proof::SigningKey>(proof::SigningKey::generate());
    const std::string sealed = key->seal(password);  // the slow part, before the write lock is taken
    const auto wrapKey = wrapKeyFor(e, password);
    db::Transaction tx(e.db());
    const std::int64_t headBefore = AuditTrail(e.db()).head();
    auto st = e.db().prepare(
        "INSERT INTO person(name, initials, password_hash, added_at, same_person_as, identity_reason, public_key) VALUES (?,?,?,?,?,?,?)");
    st.bind(1, name).bind(2, initials).bind(3, sealed).bind(4, utcNow());
    if (samePerson) st.bind(5, *samePerson).bind(6, identityReason);
    else st.bindNull(5).bindNull(6);
    st.bind(7, key->publicKey());
    st.exec();
    Person p{e.db().lastInsertRowid(), name, initials, roles, samePerson, same ? identityReason : "", proof::fingerprint(key->publicKey()),
             certifier ? certifier->name : name};
    auto r = e.db().prepare("INSERT INTO person_role(person_id, role) VALUES (?,?)");
    for (auto& role : roles) {
        r.bind(1, p.id).bind(2, role);
        r.exec();
    }
    if (!certifier) {
        auto root = e.db().prepare("UPDATE engagement SET root_key = ? WHERE id = 1 AND root_key IS NULL");
        root.bind(1, key->publicKey());
        root.exec();
        if (e.db().changes() != 1) throw InputError("the engagement already has its engagement partner's root key");
    }
    const Actor self = ActorAccess::make(p, key);
    const Actor& by = certifier ? *certifier : self;
    proof::writeCertificate(e.db(), p.id, by);
    AuditTrail(e.db()).append({0, "", by.name, "add", "engagement", "person " + initials, "roles", std::nullopt,
                               name + ": " + boost::algorithm::join(roles, ",") + (same ? " (a second identity of " + same->name + ")" : "") +
                                   "; signing key " + p.keyFingerprint + (certifier ? ", certified by " + certifier->name : ", the engagement's root key"),
                               same ? identityReason : "", "", ""});
    proof::sealWrite(e, by, headBefore);
    PendingWrap wrap(e, p.id, initials, wrapKey);
    tx.commit();
    wrap.committed();
    return {p, key};
}

}  // namespace

Actor::Actor(const Person& p, std::shared_ptr<const proof::SigningKey> key)
    : id(p.id), name(p.name), initials(p.initials), roles(p.roles), key_(std::move(key)) {}

bool Actor::has(std::string_view role) const { return std::find(roles.begin(), roles.end(), role) != roles.end(); }
std::string Actor::sign(std::string_view message) const { return key_->sign(message); }
const std::string& Actor::publicKey() const { return key_->publicKey(); }

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
    auto joined = insertPerson(e, nullptr, name, initials, roles, password);
    e.db().setHolderMember(joined.person.name);  // other programs kept waiting are told who has the file open
    return ActorAccess::make(joined.person, joined.key);
}

Person addPerson(Engagement& e, const Actor& partner, const std::string& name, const std::string& initials,
                 const std::vector<std::string>& roles, const std::string& password, const std::string& identityReason) {
    validateMember(name, initials, roles, password);
    requireMember(e, partner);
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; only a partner adds team members");
    return insertPerson(e, &partner, name, initials, roles, password, identityReason).person;
}

void requireMember(Engagement& e, const Actor& a) {
    auto st = e.db().prepare("SELECT 1 FROM person WHERE id = ? AND name = ?");
    st.bind(1, a.id).bind(2, a.name);
    if (!st.step())
        throw InputError(a.name + " is not on the team of " + e.file().string() + "; sign in to this engagement");
}

namespace {

Person personById(Engagement& e, std::int64_t id) {
    for (auto& p : team(e))
        if (p.id == id) return p;
    throw InputError("no team member #" + std::to_string(id));
}

// A member of a file from before signing keys signs in for the first time since the upgrade: their old
// password record is checked once and replaced by a new key sealed under the same password. The
// engagement partner's key becomes the root; the others' wait for a partner's certificate.
Actor firstKey(Engagement& e, const Person& p, const std::string& password) {
    auto root = proof::rootKey(e.db());
    std::int64_t firstPartner = 0;
    for (auto& m : team(e))
        if (m.has("partner")) {
            firstPartner = m.id;
            break;
        }
    const bool becomesRoot = !root && p.id == firstPartner;
    if (!root && !becomesRoot)
        throw InputError("this file was upgraded to signing keys: its engagement partner (" + personById(e, firstPartner).name +
                         ") signs in first, which makes the engagement's root key");
    auto key = std::make_shared<const proof::SigningKey>(proof::SigningKey::generate());
    const std::string sealed = key->seal(password);
    Person signedIn = p;
    signedIn.keyFingerprint = proof::fingerprint(key->publicKey());
    const Actor a = ActorAccess::make(signedIn, key);
    db::Transaction tx(e.db());
    const std::int64_t headBefore = AuditTrail(e.db()).head();
    auto st = e.db().prepare("UPDATE person SET password_hash = ?, public_key = ? WHERE id = ? AND public_key IS NULL");
    st.bind(1, sealed).bind(2, key->publicKey()).bind(3, p.id);
    st.exec();
    if (e.db().changes() != 1) throw InputError("the team record of " + p.name + " changed while signing in; sign in again");
    if (becomesRoot) {
        auto r = e.db().prepare("UPDATE engagement SET root_key = ? WHERE id = 1");
        r.bind(1, key->publicKey());
        r.exec();
        proof::writeCertificate(e.db(), p.id, a);
    }
    AuditTrail(e.db()).append({0, "", p.name, "add", "engagement", "person " + p.initials, "key", std::nullopt, key->publicKey(),
                               becomesRoot ? "first sign-in since the upgrade to signing keys: the engagement's root key"
                                           : "first sign-in since the upgrade to signing keys; a partner certifies it",
                               "", ""});
    proof::sealWrite(e, a, headBefore);
    tx.commit();
    return a;
}

}  // namespace

Actor authenticate(Engagement& e, const std::string& who, const std::string& password) {
    if (team(e).empty()) throw InputError(noTeamMessage(e));
    auto st = e.db().prepare("SELECT id, password_hash, public_key, certified_by FROM person WHERE name = ?1 OR initials = ?1");
    st.bind(1, who);
    if (!st.step()) {
        // As long as a wrong password takes: the answer's time does not tell who is a member.
        static const std::string kNobody =
            "sealed$131072$8$1$000102030405060708090a0b0c0d0e0f$000102030405060708090a0b$"
            "000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f000102030405060708090a0b0c0d0e0f";
        (void)proof::SigningKey::unseal(kNobody, password, std::string(64, '0'));
        throw InputError("no team member \"" + who + "\" in this engagement (see `tickmark team list`)");
    }
    const std::int64_t id = st.getInt(0);
    const std::string record = st.getText(1);
    const auto publicKey = st.getOptText(2);
    const bool certified = !st.isNull(3);
    if (!publicKey) {
        if (proof::isSealedRecord(record) || !checkLegacyPassword(password, record))
            throw InputError("wrong password for \"" + who + "\"");
        Actor a = firstKey(e, personById(e, id), password);
        e.db().setHolderMember(a.name);
        return a;
    }
    auto key = proof::SigningKey::unseal(record, password, *publicKey);
    if (!key) throw InputError("wrong password for \"" + who + "\"");
    // A key the file no longer vouches for signs nothing (one a partner has yet to certify, after an upgrade, may).
    if (certified)
        if (auto problem = proof::memberKeyProblem(e.db(), id))
            throw InputError("cannot sign in as \"" + who + "\": " + *problem +
                             ". Restore the file from its last good copy, or have a partner check the team record and re-certify it "
                             "(`tickmark team certify`)");
    Actor a = ActorAccess::make(personById(e, id), std::make_shared<const proof::SigningKey>(std::move(*key)));
    e.db().setHolderMember(a.name);  // other programs kept waiting are told who has the file open
    return a;
}

void changePassword(Engagement& e, const Actor& a, const std::string& newPassword) {
    if (newPassword.size() < 8) throw InputError("the password must have at least 8 characters");
    const std::string sealed = ActorAccess::key(a).seal(newPassword);
    const auto wrapKey = wrapKeyFor(e, newPassword);
    UnitOfWork tx(e, a);
    auto st = e.db().prepare("UPDATE person SET password_hash = ? WHERE id = ?");
    st.bind(1, sealed).bind(2, a.id);
    st.exec();
    AuditTrail(e.db()).append({0, "", a.name, "change", "engagement", "person " + a.initials, "password", std::nullopt, std::nullopt,
                               e.encrypted() ? "the signing key and the engagement key sealed under the new password"
                                             : "the signing key sealed under the new password", "", ""});
    PendingWrap wrap(e, a.id, a.initials, wrapKey);
    tx.commit();
    wrap.committed();
}

namespace {
std::int64_t memberId(Engagement& e, const std::string& member) {
    auto st = e.db().prepare("SELECT id FROM person WHERE name = ?1 OR initials = ?1");
    st.bind(1, member);
    if (!st.step()) throw InputError("no team member \"" + member + "\" in this engagement (see `tickmark team list`)");
    return st.getInt(0);
}
}  // namespace

void resetMemberKey(Engagement& e, const Actor& partner, const std::string& member, const std::string& newPassword) {
    if (newPassword.size() < 8) throw InputError("the password must have at least 8 characters");
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; a partner gives a member a new key");
    const std::int64_t id = memberId(e, member);
    if (id == partner.id) throw InputError("a partner does not reset their own key; they change their password (`tickmark team password`)");
    auto key = proof::SigningKey::generate();
    const std::string sealed = key.seal(newPassword);
    const auto wrapKey = wrapKeyFor(e, newPassword);
    UnitOfWork tx(e, partner);
    const Person p = personById(e, id);
    auto old = e.db().prepare("SELECT public_key FROM person WHERE id = ?");
    old.bind(1, id);
    old.step();
    const auto oldKey = old.getOptText(0);
    auto st = e.db().prepare("UPDATE person SET password_hash = ?, public_key = ? WHERE id = ?");
    st.bind(1, sealed).bind(2, key.publicKey()).bind(3, id);
    st.exec();
    proof::writeCertificate(e.db(), id, partner);
    // The old key stays on the trail: what the member signed before verifies under it.
    AuditTrail(e.db()).append({0, "", partner.name, "change", "engagement", "person " + p.initials, "key", oldKey, key.publicKey(),
                               "a new key and password for " + p.name + ", certified by " + partner.name, "", ""});
    PendingWrap wrap(e, id, p.initials, wrapKey);
    tx.commit();
    wrap.committed();
}

void certifyMemberKey(Engagement& e, const Actor& partner, const std::string& member) {
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; a partner certifies a member's key");
    UnitOfWork tx(e, partner);
    const std::int64_t id = memberId(e, member);
    const Person p = personById(e, id);
    if (p.keyFingerprint.empty()) throw InputError(p.name + " has no signing key yet: it is made when they next sign in");
    if (id == partner.id) throw InputError("nobody certifies their own key");
    proof::writeCertificate(e.db(), id, partner);
    AuditTrail(e.db()).append({0, "", partner.name, "change", "engagement", "person " + p.initials, "certificate", std::nullopt,
                               p.keyFingerprint, "certified the team record and key of " + p.name, "", ""});
    tx.commit();
}

NewEngagement createEngagement(const std::filesystem::path& file, const EngagementSetup& setup,
                               const std::filesystem::path& criteriaCsv, const std::string& partnerName,
                               const std::string& partnerInitials, const std::vector<std::string>& roles,
                               const std::string& password) {
    validateMember(partnerName, partnerInitials, roles, password);
    if (std::find(roles.begin(), roles.end(), "partner") == roles.end())
        throw InputError("the engagement partner needs the partner role (--role partner,...)");
    std::optional<Actor> partner;
    Engagement e = Engagement::create(file, setup, criteriaCsv, [&](Engagement& made) {
        partner.emplace(addEngagementPartner(made, partnerName, partnerInitials, roles, password));
    });
    return NewEngagement{std::move(e), *partner};
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

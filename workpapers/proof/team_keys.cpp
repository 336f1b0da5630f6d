#include "workpapers/proof/team_keys.h"

#include "workpapers/people.h"
#include "workpapers/proof/keys.h"

namespace tickmark::proof {
namespace {

struct MemberRow {
    std::int64_t id = 0;
    std::string name, initials, addedAt, identityReason;
    std::optional<std::int64_t> samePersonAs, certifiedBy;
    std::optional<std::string> publicKey, certificate;
    std::string roles;  // as certified: preparer,reviewer,partner order
};

std::optional<MemberRow> readMember(db::Database& db, std::int64_t id) {
    auto st = db.prepare(
        "SELECT id, name, initials, added_at, coalesce(identity_reason, ''), same_person_as, certified_by, public_key, certificate "
        "FROM person WHERE id = ?");
    st.bind(1, id);
    if (!st.step()) return std::nullopt;
    MemberRow m{st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getOptInt(5), st.getOptInt(6),
                st.getOptText(7), st.getOptText(8), ""};
    auto r = db.prepare(
        "SELECT role FROM person_role WHERE person_id = ? ORDER BY CASE role WHEN 'preparer' THEN 1 WHEN 'reviewer' THEN 2 ELSE 3 END, role");
    r.bind(1, id);
    while (r.step()) m.roles += (m.roles.empty() ? "" : ",") + r.getText(0);
    return m;
}

std::string memberMessage(const MemberRow& m, const std::string& root) {
    return signedMessage("tickmark member v1", {root, std::to_string(m.id), m.name, m.initials, m.roles,
                                                m.samePersonAs ? std::to_string(*m.samePersonAs) : "", m.identityReason,
                                                m.addedAt, m.publicKey.value_or(""),
                                                m.certifiedBy ? std::to_string(*m.certifiedBy) : ""});
}

std::string who(const MemberRow& m) { return m.name + " (" + m.initials + ")"; }

std::optional<std::string> problemOf(db::Database& db, std::int64_t id, int depth) {
    auto m = readMember(db, id);
    if (!m) return "no such team member (#" + std::to_string(id) + ")";
    if (!m->publicKey)
        return "has no signing key yet (a member of a file from before signing keys: the key is made when they next sign in)";
    auto root = rootKey(db);
    if (!root) return "the engagement records no root key (its engagement partner has not signed in since the file was upgraded)";
    if (!m->certifiedBy)
        return "key " + fingerprint(*m->publicKey) + " is not certified by a partner (made at sign-in after an upgrade); "
               "a partner certifies it with `tickmark team certify`";
    if (!m->certificate || m->certificate->empty()) return "the certificate of key " + fingerprint(*m->publicKey) + " is missing";
    std::string certifierKey;
    std::string certifierName;
    if (*m->certifiedBy == m->id) {
        if (*m->publicKey != *root)
            return "certifies their own key, which only the engagement partner's root key does, and " + fingerprint(*m->publicKey) +
                   " is not the engagement's root key " + fingerprint(*root);
        if (m->roles.find("partner") == std::string::npos) return "holds the engagement's root key without the partner role";
        certifierKey = *m->publicKey;
        certifierName = "themself";
    } else {
        auto c = readMember(db, *m->certifiedBy);
        if (!c || c->id >= m->id) return "is certified by someone who was not on the team before them";
        if (depth > 64) return "the certification chain does not end at the engagement partner";
        if (auto p = problemOf(db, c->id, depth + 1)) return "certified by " + who(*c) + ", whose key does not verify: " + *p;
        if (c->roles.find("partner") == std::string::npos) return "certified by " + who(*c) + ", who is not a partner";
        certifierKey = *c->publicKey;
        certifierName = who(*c);
    }
    if (!verifySignature(certifierKey, memberMessage(*m, *root), *m->certificate))
        return "the team record (name, initials, roles, second identity or key) is not what " + certifierName +
               " certified: changed outside Tickmark";
    return std::nullopt;
}

}  // namespace

std::optional<std::string> rootKey(db::Database& db) {
    auto st = db.prepare("SELECT root_key FROM engagement WHERE id = 1");
    if (!st.step()) return std::nullopt;
    return st.getOptText(0);
}

void writeCertificate(db::Database& db, std::int64_t personId, const Actor& certifier) {
    auto st = db.prepare("UPDATE person SET certified_by = ? WHERE id = ?");
    st.bind(1, certifier.id).bind(2, personId);
    st.exec();
    auto m = readMember(db, personId);
    auto root = rootKey(db);
    if (!m || !root) throw std::logic_error("certifying a member without a record or a root key");
    auto set = db.prepare("UPDATE person SET certificate = ? WHERE id = ?");
    set.bind(1, certifier.sign(memberMessage(*m, *root))).bind(2, personId);
    set.exec();
}

std::optional<std::string> memberKeyProblem(db::Database& db, std::int64_t personId) { return problemOf(db, personId, 0); }

std::optional<std::string> certifiedKey(db::Database& db, std::int64_t personId) {
    if (problemOf(db, personId, 0)) return std::nullopt;
    return readMember(db, personId)->publicKey;
}

std::vector<std::string> verifyTeamKeys(db::Database& db) {
    std::vector<std::string> out;
    std::vector<std::int64_t> ids;
    auto st = db.prepare("SELECT id FROM person ORDER BY id");
    while (st.step()) ids.push_back(st.getInt(0));
    for (auto id : ids)
        if (auto p = problemOf(db, id, 0)) out.push_back(who(*readMember(db, id)) + ": " + *p);
    return out;
}

}  // namespace tickmark::proof

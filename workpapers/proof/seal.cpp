#include "workpapers/proof/seal.h"

#include <nlohmann/json.hpp>

#include <map>
#include <optional>

#include "workpapers/people.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/keys.h"
#include "workpapers/proof/team_keys.h"
#include "workpapers/sha256.h"

namespace tickmark::proof {
namespace {

std::string sealMessage(const std::string& root, std::int64_t seq, const std::string& hash, std::int64_t personId,
                        const std::string& states) {
    return signedMessage("tickmark trail seal v1", {root, std::to_string(seq), hash, std::to_string(personId), states});
}

std::string joinParts(const std::vector<std::string>& parts) {
    std::string list;
    for (std::size_t i = 0; i < parts.size(); ++i) list += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return list;
}

struct Signer {
    std::string name;
    std::optional<std::string> key;  // certified back to the root
    std::string problem;
};

class Signers {
public:
    explicit Signers(db::Database& db) : db_(db) {}
    // The key the member signed with at trail position `seq`: a key replaced later (a partner's reset)
    // is the one the sealed trail entry of the replacement names.
    std::optional<std::string> keyAt(std::int64_t id, std::int64_t seq) {
        const Signer& s = get(id);
        auto st = db_.prepare(
            "SELECT t.old_value FROM audit_trail t JOIN person p ON t.entity = 'person ' || p.initials "
            "WHERE p.id = ? AND t.field = 'key' AND t.action = 'change' AND t.seq > ? ORDER BY t.seq LIMIT 1");
        st.bind(1, id).bind(2, seq);
        if (st.step() && !st.isNull(0)) return st.getText(0);
        return s.key;
    }
    const Signer& get(std::int64_t id) {
        auto it = cache_.find(id);
        if (it != cache_.end()) return it->second;
        Signer s;
        auto st = db_.prepare("SELECT name FROM person WHERE id = ?");
        st.bind(1, id);
        s.name = st.step() ? st.getText(0) : "member #" + std::to_string(id);
        if (auto p = memberKeyProblem(db_, id)) s.problem = *p;
        else s.key = certifiedKey(db_, id);
        return cache_.emplace(id, std::move(s)).first->second;
    }

private:
    db::Database& db_;
    std::map<std::int64_t, Signer> cache_;
};

std::int64_t keysFromSeq(db::Database& db) {
    auto st = db.prepare("SELECT keys_from_seq FROM engagement WHERE id = 1");
    return st.step() ? st.getInt(0) : 0;
}

}  // namespace

void sealWrite(Engagement& e, const Actor& a, std::int64_t headBefore) {
    auto& db = e.db();
    if (db.transactionDepth() != 1) return;  // the outer write seals it all
    auto head = db.prepare("SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1");
    if (!head.step() || head.getInt(0) <= headBefore) return;
    const std::int64_t seq = head.getInt(0);
    const std::string hash = head.getText(1);
    auto root = rootKey(db);
    if (!root) throw std::logic_error("sealing a write in a file without a root key");
    // The workpapers the write names, and always the engagement's and the report's own (small, and what a
    // write may change in passing: the frequency table copied when sampling starts, the scope a CUEC or a
    // subservice organization joins).
    std::vector<std::string> touched{"engagement", "report"};
    auto st = db.prepare("SELECT DISTINCT workpaper FROM audit_trail WHERE seq > ? ORDER BY workpaper");
    st.bind(1, headBefore);
    while (st.step())
        if (st.getText(0) != "engagement" && st.getText(0) != "report") touched.push_back(st.getText(0));
    nlohmann::json states = nlohmann::json::object();
    for (auto& wp : touched) {
        auto d = stateDigest(e, wp);
        states[wp] = d ? nlohmann::json(d->parts) : nlohmann::json(nullptr);
    }
    const std::string statesText = states.dump();
    auto ins = db.prepare("INSERT INTO trail_seal(seq, person_id, states, signature) VALUES (?,?,?,?)");
    ins.bind(1, seq).bind(2, a.id).bind(3, statesText).bind(4, a.sign(sealMessage(*root, seq, hash, a.id, statesText)));
    ins.exec();
}

std::string signOffMessage(const std::string& rootKey, const std::string& workpaper, const std::string& role,
                           std::int64_t personId, const std::string& signedAt, std::int64_t trailSeq,
                           const std::string& trailHash, const std::string& contentDigest) {
    return signedMessage("tickmark sign-off v1", {rootKey, workpaper, role, std::to_string(personId), signedAt,
                                                  std::to_string(trailSeq), trailHash, contentDigest});
}

std::vector<std::string> ProofFindings::all() const {
    std::vector<std::string> out;
    for (auto* v : {&team, &seals, &states, &signoffs, &evidence}) out.insert(out.end(), v->begin(), v->end());
    return out;
}

ProofFindings verifyProof(Engagement& e) {
    auto& db = e.db();
    // The seals, the trail and the workpapers' states from one state of the file: read apart, a write
    // committed in between by another program reads as an entry no one sealed.
    db::ReadSnapshot snapshot(db);
    ProofFindings f;
    f.team = verifyTeamKeys(db);
    const auto root = rootKey(db).value_or("");
    const std::int64_t from = keysFromSeq(db);
    Signers signers(db);

    // Seals: each signed by its member's certified key, over the entry it closes; every entry after
    // the upgrade point under a seal, in the sealer's name.
    struct LastState {
        nlohmann::json parts;
        std::string by, at;
        std::int64_t seq;
    };
    std::map<std::string, LastState> last;
    // Seals and sign-offs of a member whose key does not verify: one finding per member, not one per entry.
    std::map<std::string, std::pair<std::int64_t, std::int64_t>> unverifiable;  // name -> seals, sign-offs
    std::map<std::string, std::string> unverifiableWhy;
    std::int64_t prevSeal = from;
    auto seals = db.prepare(
        "SELECT s.seq, s.person_id, s.states, s.signature, t.hash, t.at FROM trail_seal s LEFT JOIN audit_trail t ON t.seq = s.seq "
        "ORDER BY s.seq");
    auto actors = db.prepare("SELECT seq, actor FROM audit_trail WHERE seq > ? AND seq <= ? AND actor <> ? ORDER BY seq LIMIT 1");
    while (seals.step()) {
        ++f.sealsChecked;
        const std::int64_t seq = seals.getInt(0), person = seals.getInt(1);
        const std::string states = seals.getText(2), signature = seals.getText(3);
        const Signer& s = signers.get(person);
        if (seals.isNull(4)) {
            f.seals.push_back("the seal of trail entry #" + std::to_string(seq) + " by " + s.name + " closes an entry the trail no longer has");
            continue;
        }
        const auto key = signers.keyAt(person, seq);
        if (!key) {
            ++unverifiable[s.name].first;
            unverifiableWhy[s.name] = s.problem;
        } else if (!verifySignature(*key, sealMessage(root, seq, seals.getText(4), person, states), signature)) {
            f.seals.push_back("the seal " + s.name + " put on trail entry #" + std::to_string(seq) +
                              " does not verify: the trail up to that entry, or the state it records, was changed outside Tickmark");
        }
        if (seq > from) {
            actors.bind(1, std::max(prevSeal, from)).bind(2, seq).bind(3, s.name);
            if (actors.step())
                f.seals.push_back("trail entry #" + std::to_string(actors.getInt(0)) + " names " + actors.getText(1) +
                                  " but was sealed by " + s.name + ": written outside Tickmark");
            actors.reset();
        }
        prevSeal = std::max(prevSeal, seq);
        try {
            const auto parsed = nlohmann::json::parse(states);
            for (auto& [wp, parts] : parsed.items()) last[wp] = {parts, s.name, seals.getText(5), seq};
        } catch (const nlohmann::json::exception&) {
            f.seals.push_back("the seal of trail entry #" + std::to_string(seq) + " records no readable state");
        }
    }
    {
        auto tail = db.prepare("SELECT min(seq), max(seq), count(*) FROM audit_trail WHERE seq > ?");
        tail.bind(1, prevSeal);
        if (tail.step() && tail.getInt(2) > 0) {
            const auto a = tail.getInt(0), b = tail.getInt(1);
            f.seals.push_back(std::string(a == b ? "trail entry #" + std::to_string(a) + " is" : "trail entries #" + std::to_string(a) + "-#" + std::to_string(b) + " are") +
                              " sealed by no team member: written outside Tickmark");
        }
    }

    // Each workpaper as its last write left it.
    for (auto& [wp, l] : last) {
        auto now = stateDigest(e, wp);
        std::vector<std::string> changed;
        if (!now) {
            if (!l.parts.is_null()) changed.push_back("everything (it is no longer in the file)");
        } else if (l.parts.is_null()) {
            changed.push_back("everything (it was not in the file)");
        } else {
            WorkpaperDigest before;
            before.parts = l.parts.get<std::map<std::string, std::string>>();
            changed = now->changedSince(before);
        }
        if (!changed.empty())
            f.states.push_back(wp + ": " + joinParts(changed) + " changed since the last write recorded on it (" + l.by + ", " +
                               l.at.substr(0, 10) + ", trail entry #" + std::to_string(l.seq) +
                               "), and the audit trail records no such change (changed outside Tickmark)");
    }

    // Sign-offs made with keys are signed by their member.
    auto so = db.prepare(
        "SELECT workpaper, role, person_id, signed_at, trail_seq, trail_hash, coalesce(content_digest, ''), signature FROM signoff "
        "WHERE trail_seq > ? ORDER BY id");
    so.bind(1, from);
    while (so.step()) {
        ++f.signaturesChecked;
        const Signer& s = signers.get(so.getInt(2));
        const auto key = signers.keyAt(so.getInt(2), so.getInt(4));
        const std::string what = so.getText(0) + ": the " + so.getText(1) + " sign-off of " + s.name + " on " + so.getText(3).substr(0, 10);
        if (so.isNull(7)) f.signoffs.push_back(what + " carries no signature: added outside Tickmark");
        else if (!key) ++unverifiable[s.name].second, unverifiableWhy[s.name] = s.problem;
        else if (!verifySignature(*key, signOffMessage(root, so.getText(0), so.getText(1), so.getInt(2), so.getText(3), so.getInt(4),
                                                         so.getText(5), so.getText(6)),
                                  so.getText(7)))
            f.signoffs.push_back(what + " does not verify: what it records (the workpaper's digest, the trail's head) was changed outside Tickmark");
    }

    for (auto& [name, counts] : unverifiable)
        f.seals.push_back(std::to_string(counts.first) + " seal" + (counts.first == 1 ? "" : "s") + " and " + std::to_string(counts.second) +
                          " sign-off" + (counts.second == 1 ? "" : "s") + " by " + name + " cannot be checked: " + unverifiableWhy[name]);

    // Each population's stored records as they were imported.
    for (auto& m : verifyPopulationRecords(e)) f.states.push_back(m);

    // Each evidence file as its SHA-256 says.
    auto ev = db.prepare("SELECT id, sha256, content FROM evidence ORDER BY id");
    while (ev.step()) {
        Sha256 h;
        auto c = ev.getBlob(2);
        h.update(c.data(), c.size());
        if (h.hexDigest() != ev.getText(1))
            f.evidence.push_back("evidence #" + std::to_string(ev.getInt(0)) + ": its stored content no longer matches its SHA-256 " +
                                 ev.getText(1).substr(0, 12) + "…: changed outside Tickmark");
    }
    return f;
}

}  // namespace tickmark::proof

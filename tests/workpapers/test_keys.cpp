// Keys, not just hashes (issue 11): members' Ed25519 keys sealed under their passwords and certified
// back to the engagement partner; every write sealed; every sign-off signed. Each attack the issue
// names, made as the attacker would (the sqlite3 shell on the file), is caught and named; the keys
// themselves are checked by an independent implementation (tests/tools/verify_keys.py: Python's
// hashlib and the cryptography package).
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "support.h"
#include "workpapers/fieldwork.h"
#include "workpapers/proof/keys.h"
#include "workpapers/proof/seal.h"
#include "workpapers/proof/team_keys.h"
#include "workpapers/schema.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// The demo is built once (its team's keys take a few seconds); each test works on its own copy.
const fs::path& pristineDemo() {
    static TempDir dir;
    static fs::path file = buildDemo(dir.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile;
    return file;
}

struct Copy {
    TempDir d;
    fs::path file = d / "copy.tickmark";
    Copy() { fs::copy_file(pristineDemo(), file); }
    // The sqlite3 shell, as an attacker who can write the file uses it.
    void shell(const std::string& sql) {
        auto r = sh("sqlite3 " + quote(file.string()) + " " + quote(sql));
        REQUIRE(r.status == 0);
    }
    proof::ProofFindings findings() {
        auto e = Engagement::open(file);
        return proof::verifyProof(e);
    }
};

std::string joined(const std::vector<std::string>& v) {
    std::string s;
    for (auto& x : v) s += x + "\n";
    return s;
}

// The demo team's passwords (app/demo.cpp).
std::string passwordOf(const std::string& initials) {
    for (auto& p : demoTeam())
        if (p.initials == initials) return p.password;
    return {};
}

}  // namespace

TEST_CASE("keys: an untouched engagement verifies: every member certified back to the root, every seal and sign-off") {
    Copy c;
    auto f = c.findings();
    INFO(joined(f.all()));
    CHECK(f.clean());
    CHECK(f.sealsChecked > 100);
    CHECK(f.signaturesChecked > 20);
    auto r = cli("audit verify " + quote(c.file.string()) + " --json");
    CHECK(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["intact"] == true);
    CHECK(j["root_key_fingerprint"].get<std::string>().size() == 39);  // 8 groups of 4 hex digits
}

TEST_CASE("keys: an independent implementation opens each member's sealed key and verifies their sign-offs and seals") {
    Copy c;
    for (const char* who : {"DW", "PR", "ML"}) {
        auto r = sh("/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "verify_keys.py").string()) + " " +
                    quote(c.file.string()) + " " + who + " " + quote(passwordOf(who)));
        INFO(who << ": " << r.err);
        REQUIRE(r.status == 0);
        CHECK_THAT(r.out, Contains("opened; "));
        CHECK_THAT(r.out, !Contains(" 0 seals"));
    }
    // A wrong password opens nothing there either.
    auto r = sh("/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "verify_keys.py").string()) + " " +
                quote(c.file.string()) + " PR wrong-password");
    CHECK(r.status != 0);
}

TEST_CASE("keys: the sealed key never holds the private key in the clear, and a record moved to another member opens nothing") {
    auto k = proof::SigningKey::generate();
    const std::string sealed = k.seal("correct horse battery");
    CHECK(sealed.rfind("sealed$131072$8$1$", 0) == 0);
    auto opened = proof::SigningKey::unseal(sealed, "correct horse battery", k.publicKey());
    REQUIRE(opened);
    CHECK(opened->publicKey() == k.publicKey());
    const std::string msg = proof::signedMessage("t", {"a", "bc"});
    CHECK(msg == "t\n1:a2:bc");  // the documented framing, by hand
    CHECK(proof::verifySignature(k.publicKey(), msg, opened->sign(msg)));
    CHECK_FALSE(proof::verifySignature(k.publicKey(), msg + "x", opened->sign(msg)));
    CHECK_FALSE(proof::SigningKey::unseal(sealed, "correct horse batterY", k.publicKey()));
    auto other = proof::SigningKey::generate();
    CHECK_FALSE(proof::SigningKey::unseal(sealed, "correct horse battery", other.publicKey()));
    // The cost is the program's: the same record claiming N=2 opens nothing.
    std::string weak = sealed;
    weak.replace(0, std::string("sealed$131072").size(), "sealed$2");
    CHECK_FALSE(proof::SigningKey::unseal(weak, "correct horse battery", k.publicKey()));
}

TEST_CASE("keys: results changed in the sqlite3 shell on a workpaper nobody signed yet are named by the seal of its last write") {
    Copy c;
    // A workpaper with results and no sign-off: found from the file, not assumed.
    std::string wp;
    {
        auto e = Engagement::open(c.file);
        auto st = e.db().prepare(
            "SELECT 'test:' || c.ref FROM control c JOIN control_test t ON t.control_id = c.id JOIN test_result r ON r.test_id = t.id "
            "WHERE 'test:' || c.ref NOT IN (SELECT workpaper FROM signoff) LIMIT 1");
        REQUIRE(st.step());
        wp = st.getText(0);
    }
    c.shell("UPDATE test_result SET comment = comment || ' (edited)' WHERE (test_id, item_key, occurrence, letter) IN (SELECT r.test_id, "
            "r.item_key, r.occurrence, r.letter FROM test_result r JOIN control_test t ON t.id = r.test_id JOIN control c ON c.id = t.control_id "
            "WHERE 'test:' || c.ref = '" + wp + "' LIMIT 1)");
    auto f = c.findings();
    REQUIRE(f.states.size() == 1);
    CHECK_THAT(f.states[0], Contains(wp + ": results changed since the last write recorded on it"));
    CHECK_THAT(f.states[0], Contains("changed outside Tickmark"));
    auto r = cli("audit verify " + quote(c.file.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains(wp + ": results changed"));
}

TEST_CASE("keys: a review note and an evidence file changed in the shell are named") {
    Copy c;
    {
        auto e = Engagement::open(c.file);
        auto pr = authenticate(e, "PR", passwordOf("PR"));
        attachEvidence(e, pr, {"engagement", std::nullopt, std::nullopt}, write(c.d / "walkthrough.txt", "walkthrough notes"));
        REQUIRE(proof::verifyProof(e).clean());
    }
    c.shell("UPDATE review_note SET text = 'nothing to see' WHERE id = (SELECT min(id) FROM review_note)");
    c.shell("UPDATE evidence SET content = CAST('forged' AS BLOB) WHERE id = (SELECT min(id) FROM evidence)");
    auto f = c.findings();
    CHECK_THAT(joined(f.states), Contains("notes changed since the last write"));
    REQUIRE(f.evidence.size() == 1);
    CHECK_THAT(f.evidence[0], Contains("no longer matches its SHA-256"));
}

TEST_CASE("keys: an edit with a forged trail entry (the chain extended by hand) is sealed by no member") {
    Copy c;
    std::string ref;
    {
        auto e = Engagement::open(c.file);
        auto st = e.db().prepare("SELECT workpaper FROM audit_trail WHERE workpaper LIKE 'test:%' ORDER BY seq DESC LIMIT 1");
        REQUIRE(st.step());
        ref = st.getText(0);
        // The attacker appends an entry that chains, in Priya Raman's name, as the program would.
        TrailEntry t{0, "", "Priya Raman", "change", ref, "result", "comment", std::nullopt, "edited", "", "", ""};
        AuditTrail(e.db()).append(t);
    }
    auto f = c.findings();
    {
        auto e = Engagement::open(c.file);
        CHECK(verifyTrail(e).intact);  // the chain alone is satisfied
    }
    REQUIRE_FALSE(f.seals.empty());
    CHECK_THAT(f.seals.back(), Contains("sealed by no team member: written outside Tickmark"));
}

TEST_CASE("keys: a recomputed chain with re-pointed sign-offs no longer verifies without the signers' passwords") {
    Copy c;
    {
        auto e = Engagement::open(c.file);
        // The attacker drops the triggers, rewrites an early entry, recomputes every hash after it and
        // re-points the sign-offs at the new hashes, then restores the triggers.
        e.db().exec("DROP TRIGGER audit_trail_no_update");
        e.db().exec("UPDATE audit_trail SET new_value = 'fewer deviations' WHERE seq = 30");
        std::vector<TrailEntry> all;
        forEachTrailEntry(e, {}, [&](const TrailEntry& t) { all.push_back(t); });
        std::string prev = std::string(64, '0');
        auto upd = e.db().prepare("UPDATE audit_trail SET prev_hash = ?, hash = ? WHERE seq = ?");
        for (auto t : all) {
            t.prevHash = prev;
            t.hash = trailHash(t);
            upd.bind(1, t.prevHash).bind(2, t.hash).bind(3, t.seq);
            upd.exec();
            prev = t.hash;
        }
        e.db().exec("UPDATE signoff SET trail_hash = (SELECT hash FROM audit_trail WHERE seq = signoff.trail_seq)");
        e.db().exec("CREATE TRIGGER audit_trail_no_update BEFORE UPDATE ON audit_trail BEGIN SELECT RAISE(ABORT, 'append-only'); END");
        REQUIRE(verifyTrail(e).intact);  // what the first version called "intact"
    }
    auto f = c.findings();
    REQUIRE_FALSE(f.seals.empty());
    CHECK_THAT(f.seals[0], Contains("does not verify: the trail up to that entry"));
    CHECK_FALSE(f.signoffs.empty());
    CHECK_THAT(joined(f.signoffs), Contains("sign-off of"));
    CHECK(cli("audit verify " + quote(c.file.string())).status == 2);
}

TEST_CASE("keys: a password record copied onto another member does not sign in as them") {
    Copy c;
    c.shell("UPDATE person SET password_hash = (SELECT password_hash FROM person WHERE initials = 'PR') WHERE initials = 'ML'");
    {
        auto e = Engagement::open(c.file);
        CHECK_THROWS_WITH(authenticate(e, "ML", passwordOf("PR")), Contains("wrong password for \"ML\""));
    }
    // With the public key copied too, the key opens, but it is not the one the partner certified for ML.
    c.shell("UPDATE person SET public_key = (SELECT public_key FROM person WHERE initials = 'PR') WHERE initials = 'ML'");
    auto e = Engagement::open(c.file);
    CHECK_THROWS_WITH(authenticate(e, "ML", passwordOf("PR")), Contains("is not what Dana Whitfield") && Contains("certified"));
    auto f = proof::verifyProof(e);
    CHECK_THAT(joined(f.team), Contains("Marcus Lee (ML): the team record"));
    CHECK_THAT(joined(f.seals) + joined(f.signoffs), Contains("Marcus Lee"));
}

TEST_CASE("keys: a role row added in the shell makes no reviewer: the member cannot sign in and verify names them") {
    Copy c;
    c.shell("INSERT INTO person_role(person_id, role) SELECT id, 'reviewer' FROM person WHERE initials = 'PR'");
    auto e = Engagement::open(c.file);
    CHECK_THROWS_WITH(authenticate(e, "PR", passwordOf("PR")),
                      Contains("cannot sign in as \"PR\"") && Contains("not what Dana Whitfield (DW) certified"));
    auto f = proof::verifyProof(e);
    REQUIRE(f.team.size() == 1);
    CHECK_THAT(f.team[0], Contains("Priya Raman (PR): the team record (name, initials, roles"));
}

TEST_CASE("keys: weakened sealing parameters in the file open nothing") {
    Copy c;
    c.shell("UPDATE person SET password_hash = replace(password_hash, 'sealed$131072$', 'sealed$2$') WHERE initials = 'PR'");
    auto e = Engagement::open(c.file);
    CHECK_THROWS_WITH(authenticate(e, "PR", passwordOf("PR")), Contains("wrong password for \"PR\""));
}

TEST_CASE("keys: a password change re-seals the same key, and a partner's reset gives a new key and old signatures still verify") {
    Copy c;
    auto e = Engagement::open(c.file);
    const auto before = team(e);
    auto pr = authenticate(e, "PR", passwordOf("PR"));
    changePassword(e, pr, "a-new-password-1");
    CHECK_THROWS_WITH(authenticate(e, "PR", passwordOf("PR")), Contains("wrong password"));
    auto again = authenticate(e, "PR", "a-new-password-1");
    CHECK(again.publicKey() == pr.publicKey());

    auto dw = authenticate(e, "DW", passwordOf("DW"));
    resetMemberKey(e, dw, "ML", "forgotten-and-new-1");
    auto ml = authenticate(e, "ML", "forgotten-and-new-1");
    std::string oldPrint;
    for (auto& p : before)
        if (p.initials == "ML") oldPrint = p.keyFingerprint;
    CHECK(proof::fingerprint(ml.publicKey()) != oldPrint);
    CHECK_THROWS(resetMemberKey(e, ml, "PR", "whatever-123"));  // only a partner
    auto f = proof::verifyProof(e);
    INFO(joined(f.all()));
    CHECK(f.clean());  // ML's sign-offs before the reset verify under the key the trail names
}

TEST_CASE("keys: a file from before signing keys: the engagement partner's first sign-in makes the root, others wait for a certificate") {
    TempDir d;
    const auto file = d / "v10.tickmark";
    // Legacy records: scrypt N=32768 of "not a password of anyone" (Python's hashlib, computed apart).
    const std::string legacy = "scrypt$32768$8$1$000102030405060708090a0b0c0d0e0f$"
                               "8b4edf7b868c1f91339aba00509a2970e2bb98ec452171db79f73af865fa789c";
    {
        db::Database raw(file.string(), db::Database::Mode::Create);
        schema::create(raw, 10);
        raw.exec("INSERT INTO engagement(id, client, system_name, report_type, period_start, period_end, created_at, "
                 "created_with) VALUES (1, 'Old Client', 'S', 2, '2025-01-01', '2025-12-31', 'x', 'Tickmark 0.0')");
        raw.exec("INSERT INTO person(id, name, initials, password_hash, added_at) VALUES (1, 'Old Partner', 'OP', '" + legacy +
                 "', 'x'), (2, 'Old Senior', 'OS', '" + legacy + "', 'x')");
        raw.exec("INSERT INTO person_role VALUES (1, 'partner'), (2, 'preparer')");
        raw.exec("INSERT INTO audit_trail(seq, at, actor, action, workpaper, entity, field, prev_hash, hash) VALUES "
                 "(1, 'x', 'Old Partner', 'add', 'engagement', 'person OP', 'roles', '" + std::string(64, '0') + "', 'h')");
    }
    auto e = Engagement::open(file);
    CHECK_THROWS_WITH(authenticate(e, "OS", "not a password of anyone"), Contains("Old Partner) signs in first"));
    auto op = authenticate(e, "OP", "not a password of anyone");
    CHECK(proof::rootKey(e.db()) == op.publicKey());
    auto os = authenticate(e, "OS", "not a password of anyone");  // signs in, key not yet certified
    CHECK_THAT(joined(proof::verifyTeamKeys(e.db())), Contains("Old Senior (OS): key") && Contains("not certified by a partner"));
    certifyMemberKey(e, op, "OS");
    CHECK(proof::verifyTeamKeys(e.db()).empty());
    // The old record is gone: the key, sealed, stands in its place.
    auto st = e.db().prepare("SELECT count(*) FROM person WHERE password_hash LIKE 'scrypt$%'");
    st.step();
    CHECK(st.getInt(0) == 0);
    (void)os;
}

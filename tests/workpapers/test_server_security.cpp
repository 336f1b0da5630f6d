// Security on the server, not in the client (issue 14, item 4): the firm's administrator owns each
// engagement; an auditor's login reaches only its team's engagements and there, with plain SQL (psql,
// as the auditor's own login with its SCRAM password), cannot change the trail, its seals or a
// sign-off, nor any record without a sealed trail entry; what it forges anyway is stamped with its
// login by the server and named by `tickmark audit verify`. Run against the private test server.
#include <catch2/catch.hpp>

#include <random>

#include <nlohmann/json.hpp>

#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/schema.h"
#include "workpapers/store/engine.h"
#include "workpapers/store/server_admin.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// Server logins are the server's, not a database's: made with a name of their own, dropped at the end.
struct Logins {
    std::vector<std::string> names;
    std::string make(const std::string& stem) {
        names.push_back(stem + "_" + std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}() % 1000000));
        return names.back();
    }
    ~Logins() {
        for (auto& n : names)
            std::system(("psql -q -h " + quote(testServer()) + " -U postgres -d postgres -c " + quote("DROP ROLE IF EXISTS " + n) +
                         " >/dev/null 2>&1").c_str());
    }
};

// A login's URI for a database on the test server, password included (the server asks SCRAM of every
// login but its superuser).
std::string as(const std::string& login, const std::string& password, const std::string& database) {
    return "postgresql:///" + database + "?host=" + testServer() + "&user=" + login + "&password=" + password;
}

// The CLI with an environment variable set for it (the passwords it reads).
Result cliWith(const std::string& env, const std::string& args) { return sh(env + " " + std::string(TICKMARK_CLI) + " " + args); }

std::string one(const Result& r) {
    std::string s = r.out;
    while (!s.empty() && s.back() == '\n') s.pop_back();
    return s;
}

}  // namespace

TEST_CASE("an auditor's server login: only its team's engagement, and there no change to the trail, a seal, a sign-off or "
          "a signed result by plain SQL",
          "[server]") {
    TempDir d;
    Logins logins;
    const std::string admin = logins.make("tm_admin"), priya = logins.make("tm_priya"), other = logins.make("tm_other");
    // The firm's administrator, made by the server's superuser; then everything else is done as the administrator.
    auto init = server::init(serverUri("postgres"), admin, "admin-pw-2026");
    CHECK(init.adminCreated);
    CHECK(init.serverVersion >= 130000);
    CHECK(one(rawSql(serverUri("postgres"), "SELECT rolsuper::int, rolcreatedb::int, rolcreaterole::int FROM pg_roles WHERE rolname = '" +
                                                admin + "'")) == "0|1|1");
    CHECK(one(rawSql(serverUri("postgres"), "SELECT left(rolpassword, 14) FROM pg_authid WHERE rolname = '" + admin + "'")) ==
          "SCRAM-SHA-256$");

    const std::string db = newServerDatabase(d, "lumen"), otherDb = newServerDatabase(d, "otherteam");
    const std::string owner = as(admin, "admin-pw-2026", db);
    auto built = sh(std::string(TICKMARK_CLI) + " demo " + quote(d.path().string()) + " --at " + quote(owner));
    REQUIRE(built.status == 0);
    CHECK(cliWith("TICKMARK_PASSWORD=other-partner-1", "new " + quote(as(admin, "admin-pw-2026", otherDb)) +
              " --client Other --system S --type 2 --period 2025-01-01..2025-12-31 --partner 'Olga Other' --initials OO < /dev/null")
              .status == 0);
    // Everything the administrator made is theirs: the tables, the rules' functions and triggers.
    CHECK(one(rawSql(serverUri(db), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '" + admin + "'")) == "0");
    CHECK(one(rawSql(serverUri(db), "SELECT count(*) FROM pg_proc WHERE proname LIKE 'tickmark%' AND proowner <> (SELECT oid FROM "
                                    "pg_roles WHERE rolname = '" + admin + "')")) == "0");

    auto grant = server::grantAccess(owner, priya, std::string("priya-server-1"));
    CHECK(grant.loginCreated);
    CHECK(grant.team == db.substr(0, 58) + "_team");
    server::grantAccess(as(admin, "admin-pw-2026", otherDb), other, std::string("other-server-1"));
    const std::string auditor = as(priya, "priya-server-1", db);
    CHECK(sh("psql " + quote(as(priya, "wrong-password", db)) + " -c 'SELECT 1'").err.find("password authentication failed") !=
          std::string::npos);

    // Only its team's engagement: the other one is closed to this login, by the server.
    auto closed = rawSql(as(priya, "priya-server-1", otherDb), "SELECT count(*) FROM audit_trail");
    CHECK(closed.status != 0);
    CHECK_THAT(closed.err, Contains("permission denied for database"));
    auto viaTickmark = cli("info " + quote(as(priya, "priya-server-1", otherDb)));
    CHECK(viaTickmark.status != 0);
    CHECK_THAT(viaTickmark.err, Contains("permission denied for database"));
    CHECK(rawSql(as(other, "other-server-1", db), "SELECT 1").status != 0);

    const std::string before = one(rawSql(serverUri(db), "SELECT md5(string_agg(t::text, ',' ORDER BY t.test_id, t.item_key, t.letter)) "
                                                         "FROM test_result t")) +
                               one(rawSql(serverUri(db), "SELECT max(seq) FROM audit_trail"));
    // Plain SQL, as the auditor: every one refused by the server, with its reason.
    const std::vector<std::pair<std::string, std::string>> refused{
        {"UPDATE audit_trail SET actor = 'Someone Else' WHERE seq = 5", "permission denied for table audit_trail"},
        {"DELETE FROM audit_trail WHERE seq > 1000", "permission denied for table audit_trail"},
        {"UPDATE signoff SET signed_at = '2026-01-01' WHERE role = 'partner'", "permission denied for table signoff"},
        {"DELETE FROM signoff", "permission denied for table signoff"},
        {"DELETE FROM trail_seal", "permission denied for table trail_seal"},
        {"UPDATE trail_stamp SET server_role = 'x'", "permission denied for table trail_stamp"},
        {"TRUNCATE test_result", "permission denied for table test_result"},
        {"ALTER TABLE audit_trail DISABLE TRIGGER USER", "must be owner"},
        {"ALTER TABLE test_result DISABLE TRIGGER USER", "must be owner"},
        {"DROP TRIGGER test_result_needs_trail ON test_result", "must be owner"},
        {"SET session_replication_role = replica", "permission denied to set parameter"},
        {"CREATE TABLE audit_trail_copy (seq bigint)", "permission denied for schema public"},
        // A signed result (the demo's deviations are in signed workpapers) turned from deviation to pass.
        {"UPDATE test_result SET outcome = 'pass' WHERE outcome = 'deviation'", "test_result changed without its audit trail entry"},
        // ... with a trail entry that does not chain.
        {"UPDATE test_result SET outcome = 'pass' WHERE outcome = 'deviation'; "
         "INSERT INTO audit_trail(seq, at, actor, action, workpaper, entity, field, reason, prev_hash, hash) "
         "SELECT max(seq) + 1, 'now', 'Priya Raman', 'change', 'test:CM-03', 'result', 'outcome', '', 'x', 'x' FROM audit_trail",
         "does not follow entry"},
        // ... with one that chains (its hash computed as Tickmark does), but not sealed by a member's key.
        {"UPDATE test_result SET outcome = 'pass' WHERE outcome = 'deviation'; "
         "INSERT INTO audit_trail(seq, at, actor, action, workpaper, entity, field, old_value, new_value, reason, prev_hash, hash) "
         "SELECT h.seq + 1, '2026-08-01T00:00:00Z', 'Priya Raman', 'change', 'test:CM-03', 'result', 'outcome', 'deviation', 'pass', '', "
         "h.hash, encode(sha256(tickmark_trail_field(h.hash) || tickmark_trail_field((h.seq + 1)::text) || "
         "tickmark_trail_field('2026-08-01T00:00:00Z') || tickmark_trail_field('Priya Raman') || tickmark_trail_field('change') || "
         "tickmark_trail_field('test:CM-03') || tickmark_trail_field('result') || tickmark_trail_field('outcome') || "
         "tickmark_trail_field('deviation') || tickmark_trail_field('pass') || tickmark_trail_field('')), 'hex') "
         "FROM (SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1) h",
         "without the seal of the member who made them"},
    };
    for (auto& [sql, why] : refused) {
        INFO(sql);
        auto r = rawSql(auditor, sql);
        CHECK(r.status != 0);
        CHECK_THAT(r.err, Contains(why));
    }
    const std::string after = one(rawSql(serverUri(db), "SELECT md5(string_agg(t::text, ',' ORDER BY t.test_id, t.item_key, t.letter)) "
                                                        "FROM test_result t")) +
                              one(rawSql(serverUri(db), "SELECT max(seq) FROM audit_trail"));
    CHECK(after == before);
    CHECK(cli("audit verify " + quote(auditor)).status == 0);

    // Through Tickmark the same login writes: the server stamps each entry with it and its own clock.
    auto note = cliWith("TICKMARK_PASSWORD=prepare-2026",
                        "csoc add " + quote(auditor) + " --subservice 'Amazon Web Services, Inc.' --text 'Backups are encrypted.' --user PR");
    INFO(note.err);
    REQUIRE(note.status == 0);
    auto log = cli("audit log " + quote(auditor) + " --json");
    REQUIRE(log.status == 0);
    auto entries = nlohmann::json::parse(log.out);
    REQUIRE(!entries.empty());
    CHECK(entries.back()["actor"] == "Priya Raman");
    CHECK(entries.back()["server_login"] == priya);
    CHECK(entries.front()["server_login"] == admin);  // the demo, built by the administrator
    CHECK(entries.back()["server_at"].get<std::string>().size() == 27);  // 2026-12-05T11:56:16.446689Z

    // A forgery that gets past the server (a chained entry and a seal it cannot check the signature of)
    // is the auditor's on the record, and verify names it.
    const std::string forged =
        "UPDATE test_result SET outcome = 'pass' WHERE outcome = 'deviation'; "
        "INSERT INTO audit_trail(seq, at, actor, action, workpaper, entity, field, old_value, new_value, reason, prev_hash, hash) "
        "SELECT h.seq + 1, 'x', 'Marcus Lee', 'change', 'test:CM-03', 'result', 'outcome', NULL, NULL, '', h.hash, "
        "encode(sha256(tickmark_trail_field(h.hash) || tickmark_trail_field((h.seq + 1)::text) || tickmark_trail_field('x') || "
        "tickmark_trail_field('Marcus Lee') || tickmark_trail_field('change') || tickmark_trail_field('test:CM-03') || "
        "tickmark_trail_field('result') || tickmark_trail_field('outcome') || tickmark_trail_field(NULL) || "
        "tickmark_trail_field(NULL) || tickmark_trail_field('')), 'hex') FROM (SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1) h; "
        "INSERT INTO trail_seal(seq, person_id, states, signature) SELECT max(seq), 2, '{}', '00' FROM audit_trail";
    REQUIRE(rawSql(auditor, forged).status == 0);
    CHECK(one(rawSql(serverUri(db), "SELECT s.server_role FROM trail_stamp s ORDER BY seq DESC LIMIT 1")) == priya);
    auto verify = cli("audit verify " + quote(owner));
    CHECK(verify.status != 0);
    CHECK_THAT(verify.out + verify.err, Contains("seal"));

    // Revoked: the login's access ends, by the server.
    server::revokeAccess(owner, priya);
    auto gone = rawSql(auditor, "SELECT 1");
    CHECK(gone.status != 0);
    CHECK_THAT(gone.err, Contains("permission denied for database"));
    CHECK_THROWS_WITH(server::revokeAccess(owner, priya), Contains("is not on the team"));
}

TEST_CASE("server init and grant refuse what would not hold", "[server]") {
    TempDir d;
    Logins logins;
    const std::string admin = logins.make("tm_admin");
    server::init(serverUri("postgres"), admin, "admin-pw-2026");
    // Only the server's superuser makes the administrator.
    CHECK_THROWS_WITH(server::init(as(admin, "admin-pw-2026", "postgres"), logins.make("tm_second"), "x-pw-2026"),
                      Contains("as the server's superuser"));
    CHECK_THROWS_WITH(server::init(serverUri("postgres"), "postgres", "x"), Contains("is a superuser"));
    const std::string db = newServerDatabase(d, "grants");
    const std::string owner = as(admin, "admin-pw-2026", db);
    REQUIRE(cliWith("TICKMARK_PASSWORD=partner-pass-1", "new " + quote(owner) + " --client C --system S --type 2 "
                    "--period 2025-01-01..2025-12-31 --partner 'Pat Partner' --initials PP < /dev/null")
                .status == 0);
    // A superuser is never an auditor (grants do not bind it); a new login needs a password; a name is a name.
    CHECK_THROWS_WITH(server::grantAccess(owner, "postgres", std::nullopt), Contains("superuser"));
    CHECK_THROWS_WITH(server::grantAccess(owner, logins.make("tm_new"), std::nullopt), Contains("needs a password"));
    CHECK_THROWS_WITH(server::grantAccess(owner, "a b\"; DROP", std::string("pw")), Contains("without spaces or quotes"));
    // The maintenance database is no engagement.
    CHECK_THROWS_WITH(server::grantAccess(as(admin, "admin-pw-2026", "postgres"), logins.make("tm_x"), std::string("pw-2026")),
                      Contains("not a Tickmark engagement"));
    // The CLI says the same, once, and `server team` shows who may open it and who is in it now.
    const std::string senior = logins.make("tm_senior");
    auto r = cliWith("TICKMARK_NEW_PASSWORD=senior-server-1", "server grant " + quote(owner) + " " + senior + " --new");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains(senior + " (a new login) joins the team role"));
    auto team = cli("server team " + quote(owner) + " --json");
    REQUIRE(team.status == 0);
    auto j = nlohmann::json::parse(team.out);
    REQUIRE(j.size() == 1);
    CHECK(j[0]["login"] == senior);
    CHECK(j[0]["sessions"].empty());
}

TEST_CASE("a server engagement of the previous schema is upgraded by its owner in one transaction, and an auditor is told whom to ask",
          "[server]") {
    TempDir d;
    Logins logins;
    const std::string admin = logins.make("tm_admin"), priya = logins.make("tm_priya");
    server::init(serverUri("postgres"), admin, "admin-pw-2026");
    const std::string db = newServerDatabase(d, "upgrade");
    const std::string owner = as(admin, "admin-pw-2026", db), asPriya = as(priya, "priya-server-1", db);
    {
        auto e = newEngagement(owner);
        auto me = testPartner(e);
        e.addCuec(me, "Customers review access.", {"CC6.1"});
    }
    server::grantAccess(owner, priya, std::string("priya-server-1"));
    // As a build of schema 13 left it: no carried stamps, no notice of writes.
    REQUIRE(rawSql(serverUri(db), "DROP TABLE server_stamp; DROP TRIGGER audit_trail_notify ON audit_trail; "
                                  "DROP FUNCTION tickmark_notify_write(); UPDATE tickmark_meta SET value = 13 WHERE name = 'user_version'")
                .status == 0);
    const auto trail = rawSql(serverUri(db), "SELECT seq, hash FROM audit_trail ORDER BY seq").out;

    // An auditor's login may not change the tables: told whom to ask, nothing changed.
    CHECK_THROWS_WITH(Engagement::open(asPriya), Contains("schema is at version 13 and this Tickmark needs " +
                                                         std::to_string(schema::currentVersion())) &&
                                                     Contains("only the engagement's owner") && Contains("nothing was changed"));
    CHECK(one(rawSql(serverUri(db), "SELECT value FROM tickmark_meta WHERE name = 'user_version'")) == "13");
    CHECK(one(rawSql(serverUri(db), "SELECT count(*) FROM pg_tables WHERE tablename = 'server_stamp'")) == "0");

    // The owner opens it once: upgraded, the trail as it was and verifying.
    {
        auto e = Engagement::open(owner);
        CHECK(e.db().pragmaInt("user_version") == schema::currentVersion());
        CHECK(verifyTrail(e).intact);
    }
    CHECK(rawSql(serverUri(db), "SELECT seq, hash FROM audit_trail ORDER BY seq").out == trail);
    // What the step added is guarded as the base is: the team reads the stamps and cannot write them;
    // the desks are told of writes from now on; the tables are still all the owner's.
    CHECK(rawSql(asPriya, "SELECT count(*) FROM server_stamp").out == "0\n");
    auto forged = rawSql(asPriya, "INSERT INTO server_stamp VALUES (1, 'someone', '2026-01-01')");
    CHECK(forged.status != 0);
    CHECK_THAT(forged.err, Contains("permission denied"));
    auto e = Engagement::open(asPriya);
    CHECK(e.db().listenForChanges());
    CHECK(one(rawSql(serverUri(db), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tableowner <> '" + admin + "'")) == "0");
}

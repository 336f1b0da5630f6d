// The engagement on the team's PostgreSQL server (workpapers/store/pg_engine.cpp) against the
// engagement file: the same tables column for column, text in the same order, values of the same
// kinds, one writer at a time with the holder named, the trail append-only, a failed `new` leaving
// nothing. Needs the private test server (scripts/pg_test_server.sh, TICKMARK_TEST_PG).
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include <chrono>
#include <cstdlib>
#include <set>

#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/store/engine.h"
#include "workpapers/store/pg_engine.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// Lines of a shell's output.
std::vector<std::string> lines(const std::string& out) {
    std::vector<std::string> v;
    std::string cur;
    for (char c : out) {
        if (c == '\n') v.push_back(cur), cur.clear();
        else cur += c;
    }
    if (!cur.empty()) v.push_back(cur);
    return v;
}

}  // namespace

TEST_CASE("the server's tables are the file's, column for column in the same order", "[server]") {
    TempDir d;
    const auto file = (d / "e.tickmark").string();
    const auto server = serverUri(newServerDatabase(d, "parity"));
    { newEngagement(file); }
    { newEngagement(server); }
    // Read by the two engines' own shells, not through Tickmark.
    auto tables = lines(rawSql(file, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").out);
    REQUIRE(tables.size() >= 40);
    auto serverTables = lines(rawSql(server, "SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename NOT IN ('tickmark_meta', 'trail_stamp') "
                                             "ORDER BY tablename COLLATE \"C\"").out);
    CHECK(serverTables == tables);
    for (auto& t : tables) {
        auto fileColumns = lines(rawSql(file, "SELECT name FROM pragma_table_info('" + t + "') ORDER BY cid").out);
        auto serverColumns = lines(rawSql(server, "SELECT column_name FROM information_schema.columns WHERE table_name = '" + t +
                                                  "' ORDER BY ordinal_position").out);
        INFO(t);
        CHECK(serverColumns == fileColumns);
    }
    // The fixed rows too.
    CHECK(rawSql(server, "SELECT symbol, meaning FROM tick_mark ORDER BY symbol").out ==
          rawSql(file, "SELECT symbol, meaning FROM tick_mark ORDER BY symbol").out);
    CHECK(rawSql(server, "SELECT id, category_code, ordinal FROM criterion ORDER BY ordinal").out ==
          rawSql(file, "SELECT id, category_code, ordinal FROM criterion ORDER BY ordinal").out);
}

TEST_CASE("text sorts by byte value and values come back as the same kinds on both engines", "[server]") {
    TempDir d;
    for (const std::string& at : {(d / "e.tickmark").string(), serverUri(newServerDatabase(d, "kinds"))}) {
        INFO(at);
        auto e = newEngagement(at);
        auto& db = e.db();
        // The engine's values, not the rules: rows go in without their trail entries, which the server refuses
        // to anyone but its superuser, who may set its guards aside for the session (the tests run as it).
        if (db.onServer()) db.exec("SET session_replication_role = replica");
        const std::vector<std::string> headings{"b", "B", "a", "é", "Z", "_x", "a b", "ab"};
        for (auto& h : headings) {
            auto st = db.prepare("INSERT INTO description_section(heading, text) VALUES (?, ?)");
            st.bind(1, h).bind(2, std::string("text of ") + h);
            st.exec();
        }
        std::vector<std::string> sorted = headings;
        std::sort(sorted.begin(), sorted.end());  // std::string compares bytes, as SQLite's BINARY
        std::vector<std::string> got;
        auto st = db.prepare("SELECT heading FROM description_section ORDER BY heading");
        while (st.step()) got.push_back(st.getText(0));
        CHECK(got == sorted);

        // Every byte value through a blob column, and the kinds the digests hash.
        std::string bytes;
        for (int i = 0; i < 256; ++i) bytes += static_cast<char>(i);
        auto ins = db.prepare("INSERT INTO evidence(sha256, size, content) VALUES (?, ?, ?)");
        ins.bind(1, "00").bind(2, static_cast<std::int64_t>(bytes.size())).bindBlob(3, bytes.data(), bytes.size());
        ins.exec();
        auto back = db.prepare("SELECT content, size, sha256, NULL, count(*) OVER () FROM evidence WHERE sha256 = ?1 AND ?2 IS NULL");
        back.bind(1, "00").bindNull(2);
        REQUIRE(back.step());
        CHECK(back.getBlob(0) == bytes);
        CHECK(std::string{back.columnKind(0), back.columnKind(1), back.columnKind(2), back.columnKind(3), back.columnKind(4)} == "bitni");
        CHECK(back.getInt(1) == 256);
        CHECK(back.getText(1) == "256");
        CHECK_FALSE(back.step());
        // An id the server gave, read back as SQLite's last row id would be.
        auto cuec = db.prepare("INSERT INTO cuec(description) VALUES (?)");
        cuec.bind(1, "one");
        cuec.exec();
        const auto id = db.lastInsertRowid();
        auto one = db.prepare("SELECT description FROM cuec WHERE id = ?");
        one.bind(1, id);
        REQUIRE(one.step());
        CHECK(one.getText(0) == "one");

        // Statements run while another's rows are still coming (the server streams them one at a time and
        // sets the rest aside when the connection is needed): each sees all of its rows.
        for (int i = 2; i <= 300; ++i) {
            auto more = db.prepare("INSERT INTO cuec(description) VALUES (?)");
            more.bind(1, "cuec " + std::to_string(i));
            more.exec();
        }
        auto outer = db.prepare("SELECT id FROM cuec ORDER BY id");
        std::int64_t n = 0;
        while (outer.step()) {
            ++n;
            auto inner = db.prepare("SELECT count(*) FROM cuec WHERE id <= ?");
            inner.bind(1, outer.getInt(0));
            REQUIRE(inner.step());
            CHECK(inner.getInt(0) == n);
        }
        CHECK(n == 300);
        auto abandoned = db.prepare("SELECT id FROM cuec ORDER BY id");
        REQUIRE(abandoned.step());  // one row read, the rest never
        auto count = db.prepare("SELECT count(*) FROM cuec");
        REQUIRE(count.step());
        CHECK(count.getInt(0) == 300);
        CHECK(abandoned.step());  // and it goes on where it was
        CHECK(abandoned.getInt(0) == id + 1);
    }
}

TEST_CASE("one writer at a time on a server engagement: the next one waits, then is told who holds it", "[server]") {
    TempDir d;
    const auto at = serverUri(newServerDatabase(d, "busy"));
    {
        auto e = newEngagement(at);
        testPartner(e);
    }
    auto holder = Engagement::open(at);
    auto me = testPartner(holder);
    db::Transaction writing(holder.db());
    ::setenv("TICKMARK_BUSY_TIMEOUT_MS", "300", 1);
    auto other = Engagement::open(at);
    ::unsetenv("TICKMARK_BUSY_TIMEOUT_MS");
    auto them = testPartner(other);  // reads are not held up
    try {
        other.addCuec(them, "Customers review access.", {"CC6.1"});
        FAIL("the second writer was not held");
    } catch (const BusyError& e) {
        CHECK_THAT(e.what(), Contains("busy") && Contains("tickmark (Test Partner)") && Contains("Nothing was changed"));
    }
    writing.commit();
    other.addCuec(them, "Customers review access.", {"CC6.1"});  // free again
    CHECK(other.cuecs().size() == 1);
}

TEST_CASE("the trail and the seals on a server are append-only, whoever asks", "[server]") {
    TempDir d;
    const auto at = serverUri(newServerDatabase(d, "append"));
    {
        auto e = newEngagement(at);
        auto me = testPartner(e);
        e.addCuec(me, "Customers review access.", {"CC6.1"});
    }
    for (const std::string& sql : {"UPDATE audit_trail SET actor = 'X'", "DELETE FROM audit_trail", "TRUNCATE audit_trail CASCADE",
                                   "UPDATE trail_seal SET signature = 'X'", "DELETE FROM trail_seal"}) {
        auto r = rawSql(at, sql);
        INFO(sql);
        CHECK(r.status != 0);
        CHECK_THAT(r.err, Contains("append-only"));
    }
    CHECK(rawSql(at, "SELECT count(*) > 0 FROM audit_trail").out == "t\n");
}

TEST_CASE("a `new` on a server that fails leaves the database empty, and one that holds tables is refused", "[server]") {
    TempDir d;
    const auto at = serverUri(newServerDatabase(d, "failed"));
    EngagementSetup s;
    s.client = "C";
    s.systemName = "S";
    s.periodStart = parseIsoDate("2025-01-01");
    s.periodEnd = parseIsoDate("2025-12-31");
    // The partner's first write fails after the schema and the engagement's rows went in: all of it goes.
    CHECK_THROWS_AS(Engagement::create(at, s, criteriaCsv(), [](Engagement& e) {
                        addEngagementPartner(e, "Pat Partner", "PP", {"partner"}, "long-enough-1");
                        throw InputError("the partner's machine lost power");
                    }),
                    InputError);
    CHECK(rawSql(at, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'").out == "0\n");
    createEngagement(at, s, criteriaCsv(), "Pat Partner", "PP", {"partner"}, "long-enough-1");
    try {
        createEngagement(at, s, criteriaCsv(), "Pat Partner", "PP", {"partner"}, "long-enough-1");
        FAIL("a second engagement went into the same database");
    } catch (const InputError& e) {
        CHECK_THAT(e.what(), Contains("holds tables already"));
    }
    auto e = Engagement::open(at);
    CHECK(e.setup().client == "C");
    CHECK(e.file().string().find("postgresql:///") == 0);
}

TEST_CASE("a server URI is shown without its password", "[server]") {
    CHECK(db::displayLocation("postgresql://pat:s3cret@db.firm.example:5432/acme?sslmode=require") ==
          "postgresql://pat@db.firm.example:5432/acme?sslmode=require");
    CHECK(db::displayLocation("postgresql://db.firm.example/acme?password=s3cret&sslmode=require") ==
          "postgresql://db.firm.example/acme?password=…&sslmode=require");
    CHECK(db::displayLocation("postgresql:///acme?host=/tmp/x") == "postgresql:///acme?host=/tmp/x");
}

TEST_CASE("copy file -> server -> file: the workpapers, the trail and the signatures verify identical", "[server]") {
    TempDir d;
    REQUIRE(cli("demo " + quote(d.path().string())).status == 0);
    const auto original = (d / "lumen-ledger-fy26.tickmark").string();
    const auto server = serverUri(newServerDatabase(d, "copy"));
    const auto back = (d / "back.tickmark").string();

    auto up = cli("copy " + quote(original) + " " + quote(server) + " --json");
    INFO(up.err);
    REQUIRE(up.status == 0);
    auto down = cli("copy " + quote(server) + " " + quote(back) + " --json");
    INFO(down.err);
    REQUIRE(down.status == 0);
    for (auto* at : {&server, &back}) {
        auto v = cli("audit verify " + quote(*at));
        INFO(*at << "\n" << v.out << v.err);
        CHECK(v.status == 0);
        CHECK_THAT(v.out, Contains("83 sign-offs verify"));
    }

    // Read by the engines' own shells, table by table: the file that came back holds what the original
    // held, value for value (blobs in hex); the server holds the trail and the sign-offs as the file does.
    auto tables = lines(rawSql(original, "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name").out);
    REQUIRE(tables.size() >= 40);
    std::int64_t rows = 0;
    for (auto& t : tables) {
        if (t == "server_stamp") continue;  // the server's stamps come back too: below
        auto dump = [&](const std::string& file) {
            auto r = sh("sqlite3 -cmd '.mode quote' " + quote(file) + " " + quote("SELECT * FROM " + t));
            auto v = lines(r.out);
            std::sort(v.begin(), v.end());
            return v;
        };
        auto a = dump(original), b = dump(back);
        INFO(t);
        CHECK(a == b);
        rows += static_cast<std::int64_t>(a.size());
    }
    CHECK(rows > 2000);  // the demo's populations (256 records to a block), trail and seals: a copy of something
    CHECK(json::parse(up.out)["rows"] == rows);
    // Every entry comes back with the login and the time the server stamped it with, as the server's
    // own table holds them (the copy's login, here: the server took the entries from the copy).
    const auto entries = std::stoll(rawSql(original, "SELECT count(*) FROM audit_trail").out);
    CHECK(rawSql(original, "SELECT count(*) FROM server_stamp").out == "0\n");
    CHECK(rawSql(back, "SELECT count(*), min(server_login), max(server_login) FROM server_stamp").out ==
          std::to_string(entries) + "|postgres|postgres\n");
    const std::string stamps = "SELECT seq, server_login, server_at FROM server_stamp ORDER BY seq";
    CHECK(rawSql(back, stamps).out == rawSql(server, "SELECT seq, server_role, server_at FROM trail_stamp ORDER BY seq").out);
    CHECK(json::parse(down.out)["rows"] == rows + entries);
    // And back to another server and down again: each entry keeps the first server's stamp, not the later copy's.
    const auto server2 = serverUri(newServerDatabase(d, "copy2"));
    const auto back2 = (d / "back2.tickmark").string();
    REQUIRE(cli("copy " + quote(back) + " " + quote(server2)).status == 0);
    REQUIRE(cli("copy " + quote(server2) + " " + quote(back2)).status == 0);
    CHECK(rawSql(back2, stamps).out == rawSql(back, stamps).out);
    CHECK(rawSql(server2, "SELECT count(*) FROM trail_stamp t JOIN server_stamp c USING (seq) WHERE t.server_at > c.server_at").out ==
          std::to_string(entries) + "\n");  // the second server stamped them again when the copy came in
    auto log = cli("audit log " + quote(back2) + " --json");
    REQUIRE(log.status == 0);
    std::int64_t shown = 0;
    for (auto& entry : json::parse(log.out)) shown += entry["server_login"] == "postgres" && entry["server_at"].is_string();
    CHECK(shown == entries);  // the archive's log names the server's login on every entry
    CHECK(json::parse(up.out)["workpapers_identical"].size() > 45);  // every control's test, the populations, ...
    for (const std::string& q : {"SELECT seq, at, actor, action, workpaper, entity, field, old_value, new_value, reason, prev_hash, hash "
                                 "FROM audit_trail ORDER BY seq",
                                 "SELECT id, workpaper, role, person_id, signed_at, trail_seq, trail_hash, content_digest, signature "
                                 "FROM signoff ORDER BY id",
                                 "SELECT seq, person_id, states, signature FROM trail_seal ORDER BY seq"}) {
        INFO(q);
        CHECK(rawSql(server, q).out == rawSql(original, q).out);
    }
    // Ids go on from the largest copied: a new write on the server gets the next one.
    CHECK(sh("TICKMARK_PASSWORD=review-2026 " + std::string(TICKMARK_CLI) + " note raise " + quote(server) +
             " --workpaper test:CM-03 --text 'After the move' --user ML").status == 0);
    CHECK(rawSql(server, "SELECT max(id) FROM review_note").out == std::to_string(std::stoll(rawSql(original, "SELECT max(id) FROM review_note").out) + 1) + "\n");

    // An original changed behind the program's back is not copied: a copy must not settle it.
    const auto tampered = (d / "tampered.tickmark").string();
    fs::copy_file(original, tampered);
    REQUIRE(sh("sqlite3 " + quote(tampered) + " \"DROP TRIGGER audit_trail_no_update; UPDATE audit_trail SET actor = 'Someone Else' WHERE seq = 500\"").status == 0);
    const auto refusedAt = serverUri(newServerDatabase(d, "refused"));
    auto refused = cli("copy " + quote(tampered) + " " + quote(refusedAt));
    CHECK(refused.status == 2);
    CHECK_THAT(refused.err, Contains("does not verify") && Contains("entry 500") && Contains("nothing was copied"));
    CHECK(rawSql(refusedAt, "SELECT 1").status != 0);  // not even its database was made

    // Never over something: a file that is there, a database that holds an engagement.
    auto again = cli("copy " + quote(original) + " " + quote(server));
    CHECK(again.status == 2);
    CHECK_THAT(again.err, Contains("holds tables already"));
    again = cli("copy " + quote(server) + " " + quote(back));
    CHECK(again.status == 2);
    CHECK_THAT(again.err, Contains("a file is already there"));
}

TEST_CASE("every program on a server engagement is told of each committed write and each move, and of nothing rolled back", "[server]") {
    TempDir d;
    const auto server = serverUri(newServerDatabase(d, "listen"));
    { auto e = newEngagement(server); testPartner(e); }
    auto mine = Engagement::open(server);
    auto listener = mine.db().listenForChanges();
    REQUIRE(listener);
    auto drain = [&] { while (listener->wait(300)) {} };
    auto told = [&](int ms) {
        const auto start = std::chrono::steady_clock::now();
        const bool news = listener->wait(ms);
        return std::make_pair(news, std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
    };
    auto other = std::make_unique<Engagement>(Engagement::open(server));
    auto partner = testPartner(*other);
    drain();

    other->addCuec(partner, "User entities restrict access to their own workstations.", {"CC6.1"});
    auto [news, ms] = told(5000);
    CHECK(news);
    CHECK(ms < 1000);  // at the commit, not at the next look
    CHECK_FALSE(listener->wait(300));  // once

    // A write that does not commit tells nobody (an entry appended, then rolled back).
    {
        db::Transaction tx(other->db());
        other->db().exec("SELECT pg_notify('unrelated', 'x')");
        auto st = other->db().prepare("INSERT INTO cuec(description) VALUES ('never')");
        st.exec();
    }
    CHECK_FALSE(listener->wait(500));

    other->workingOn("engagement");  // a move
    CHECK(told(5000).first);
    const std::string onEngagement = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND "
                                     "application_name LIKE 'tickmark (%) engagement'";
    CHECK(rawSql(server, onEngagement).out == "1\n");
    other.reset();  // and leaving: by the time the news comes, the session no longer counts among those here
    CHECK(told(5000).first);
    CHECK(rawSql(server, onEngagement).out == "0\n");

    // An engagement made before the server told of writes has nobody to listen to: its readers look for themselves.
    REQUIRE(rawSql(server, "DROP TRIGGER audit_trail_notify ON audit_trail").status == 0);
    CHECK_FALSE(mine.db().listenForChanges());
    // Nor does a file.
    auto file = newEngagement(d / "e.tickmark");
    CHECK_FALSE(file.db().listenForChanges());
}

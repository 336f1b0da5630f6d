#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/schema.h"
#include "workpapers/sha256.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
std::int64_t count(Engagement& e, const std::string& sql) {
    auto st = e.db().prepare(sql);
    st.step();
    return st.getInt(0);
}
}  // namespace

TEST_CASE("a new engagement holds the scope and the 61 TSC 2017 criteria") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    // AICPA TSC 2017: 33 common criteria, 3 availability, 2 confidentiality, 5 processing integrity, 18 privacy.
    CHECK(count(e, "SELECT count(*) FROM criterion") == 61);
    CHECK(count(e, "SELECT count(*) FROM criterion WHERE category_code = 'security'") == 33);
    CHECK(count(e, "SELECT count(*) FROM criterion WHERE category_code = 'privacy'") == 18);
    CHECK(count(e, "SELECT count(*) FROM criterion c JOIN category k ON k.code = c.category_code WHERE k.in_scope") == 36);
    CHECK(e.categoriesInScope() == std::vector<std::string>{"security", "availability"});
    CHECK(e.db().pragmaInt("application_id") == schema::kApplicationId);
    CHECK(e.db().pragmaInt("user_version") == schema::currentVersion());
    auto s = e.setup();
    CHECK(s.client == "Test Client, Inc.");
    CHECK(isoString(e.period().start) == "2025-01-01");
    CHECK(isoString(e.period().end) == "2025-12-31");
}

TEST_CASE("security is always in scope, and Type I engagements use an as-of date") {
    TempDir d;
    EngagementSetup s;
    s.client = "C";
    s.systemName = "S";
    s.reportType = ReportType::TypeI;
    s.asOf = parseIsoDate("2025-09-30");
    s.categories = {"confidentiality"};
    auto e = Engagement::create(d / "t1.tickmark", s, criteriaCsv());
    CHECK(e.categoriesInScope() == std::vector<std::string>{"security", "confidentiality"});
    CHECK(isoString(e.period().start) == "2025-09-30");
    CHECK(isoString(e.period().end) == "2025-09-30");
}

TEST_CASE("invalid engagements are refused and leave no file behind") {
    TempDir d;
    EngagementSetup s;
    s.client = "C";
    s.systemName = "S";
    SECTION("Type II without a period") {
        CHECK_THROWS_WITH(Engagement::create(d / "x.tickmark", s, criteriaCsv()), Contains("needs a period"));
    }
    SECTION("a period that ends before it starts") {
        s.periodStart = parseIsoDate("2025-12-31");
        s.periodEnd = parseIsoDate("2025-01-01");
        CHECK_THROWS_WITH(Engagement::create(d / "x.tickmark", s, criteriaCsv()), Contains("ends before it starts"));
    }
    SECTION("an unknown category") {
        s.periodStart = parseIsoDate("2025-01-01");
        s.periodEnd = parseIsoDate("2025-12-31");
        s.categories = {"integrity"};
        CHECK_THROWS_WITH(Engagement::create(d / "x.tickmark", s, criteriaCsv()), Contains("unknown category \"integrity\""));
    }
    CHECK_FALSE(fs::exists(d / "x.tickmark"));
}

TEST_CASE("an existing file is never overwritten") {
    TempDir d;
    auto f = write(d / "keep.tickmark", "precious");
    CHECK_THROWS_WITH(newEngagement(f), Contains("a file is already there"));
    CHECK(read(f) == "precious");
}

TEST_CASE("files that are not Tickmark engagements are recognised and refused") {
    TempDir d;
    SECTION("a text file") {
        auto f = write(d / "notes.tickmark", std::string(4096, 'x'));
        CHECK_THROWS_WITH(Engagement::open(f), Contains("not a Tickmark engagement file"));
    }
    SECTION("another application's SQLite database") {
        {
            db::Database other((d / "other.db").string(), db::Database::Mode::Create);
            other.exec("CREATE TABLE t(x)");
        }
        CHECK_THROWS_WITH(Engagement::open(d / "other.db"), Contains("some other SQLite database"));
    }
    SECTION("a path with nothing there") {
        CHECK_THROWS_WITH(Engagement::open(d / "nope.tickmark"), Contains("no such engagement file"));
    }
}

TEST_CASE("a file from a newer Tickmark is refused and not touched") {
    TempDir d;
    const auto f = d / "future.tickmark";
    { newEngagement(f); }
    {
        db::Database raw(f.string(), db::Database::Mode::OpenExisting);
        raw.setPragmaInt("user_version", schema::currentVersion() + 1);
    }
    const auto before = sha256File(f);
    CHECK_THROWS_WITH(Engagement::open(f), Contains("written by a newer Tickmark (file schema " +
                                                    std::to_string(schema::currentVersion() + 1)));
    CHECK(sha256File(f) == before);
}

TEST_CASE("an older file is backed up, then upgraded") {
    TempDir d;
    const auto f = d / "old.tickmark";
    {
        db::Database raw(f.string(), db::Database::Mode::Create);
        schema::create(raw, 1);  // as the first release left it: no populations yet
        raw.exec("INSERT INTO engagement(id, client, system_name, report_type, period_start, period_end, created_at, "
                 "created_with) VALUES (1, 'Old Client', 'S', 2, '2024-01-01', '2024-12-31', 'x', 'Tickmark 0.0')");
    }
    auto e = Engagement::open(f);
    REQUIRE_FALSE(e.upgradeBackup().empty());
    CHECK(e.upgradeBackup() == f.string() + ".schema-v1.bak");
    CHECK(e.db().pragmaInt("user_version") == schema::currentVersion());
    CHECK(count(e, "SELECT count(*) FROM population") == 0);  // the table the upgrade added
    CHECK(e.setup().client == "Old Client");
    db::Database backup(e.upgradeBackup(), db::Database::Mode::OpenExisting);
    CHECK(backup.pragmaInt("user_version") == 1);
    CHECK(backup.pragmaInt("application_id") == schema::kApplicationId);
}

TEST_CASE("subservice organizations, CSOCs and CUECs") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    e.addSubserviceOrg(me, "Cloud Host", "IaaS", "carve-out");
    e.addCsoc(me, "Cloud Host", "Physical access is restricted.", {"CC6.4"});
    e.addCuec(me, "Customers review their users.", {"CC6.2", "CC6.3"});
    CHECK(e.subserviceOrgs().size() == 1);
    CHECK(e.subserviceOrgs()[0].method == "carve-out");
    REQUIRE(e.csocs().size() == 1);
    CHECK(e.csocs()[0].subserviceOrg == "Cloud Host");
    REQUIRE(e.cuecs().size() == 1);
    CHECK(e.cuecs()[0].criteria == std::vector<std::string>{"CC6.2", "CC6.3"});

    CHECK_THROWS_WITH(e.addSubserviceOrg(me, "X", "", "outsourced"), Contains("use carve-out or inclusive"));
    CHECK_THROWS_WITH(e.addSubserviceOrg(me, "Cloud Host", "", "inclusive"), Contains("already recorded"));
    CHECK_THROWS_WITH(e.addCsoc(me, "Nobody", "text", {"CC6.4"}), Contains("no subservice organization named \"Nobody\""));
    CHECK_THROWS_WITH(e.addCuec(me, "text", {"CC9.9"}), Contains("\"CC9.9\" is not a TSC 2017 criterion"));
    CHECK(e.cuecs().size() == 1);
}

TEST_CASE("criteria lists are split the ways matrices write them") {
    CHECK(splitCriteria("CC6.1, CC6.2;cc6.3\nA1.2 / C1.1") ==
          std::vector<std::string>{"CC6.1", "CC6.2", "CC6.3", "A1.2", "C1.1"});
    CHECK(splitCriteria("CC6.1,CC6.1").size() == 1);
    CHECK(splitCriteria(" ").empty());
}

// How the report words the engagement: a population's client-facing description, the controls an
// inclusive subservice organization performs and its signatory; and a version 7 file's upgrade.
#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/population.h"
#include "workpapers/presentation.h"
#include "workpapers/schema.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

struct Fixture {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor partner = testPartner(e);
    Fixture() {
        ControlImportRequest c;
        c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nLA-03,Access is revoked,CC6.2,As needed,Manual\n"
                                    "IC-07,Backups replicate,A1.2,Daily,Automated\n");
        importControls(e, partner, c);
    }
    std::int64_t population() {
        PopulationImportRequest req;
        req.file = write(d / "t.csv", "Personnel No,Termination Date\nE1,2025-03-01\nE2,2025-04-01\n");
        req.control = "LA-03";
        req.name = "Workday terms FY25 (internal)";
        req.keyColumn = "Personnel No";
        req.dateColumn = "Termination Date";
        return importPopulation(e, partner, req).populationId;
    }
    std::vector<TrailEntry> trail() {
        std::vector<TrailEntry> out;
        forEachTrailEntry(e.db(), {std::nullopt, 0}, [&](const TrailEntry& t) { out.push_back(t); });
        return out;
    }
};

}  // namespace

TEST_CASE("a population's client-facing description: recorded with the trail, one line, cleared by an empty text") {
    Fixture f;
    auto id = f.population();
    CHECK_FALSE(populationDescription(f.e, id).has_value());
    describePopulation(f.e, f.partner, id, "terminated employees");
    CHECK(populationDescription(f.e, id) == std::optional<std::string>("terminated employees"));
    auto t = f.trail().back();
    CHECK(t.workpaper == "report");
    CHECK(t.field == "client_description");
    CHECK_FALSE(t.oldValue.has_value());
    CHECK(t.newValue == std::optional<std::string>("terminated employees"));
    describePopulation(f.e, f.partner, id, "employees who left");
    CHECK(f.trail().back().oldValue == std::optional<std::string>("terminated employees"));
    CHECK_THROWS_WITH(describePopulation(f.e, f.partner, id, "two\nlines"), Contains("one line"));
    CHECK_THROWS_WITH(describePopulation(f.e, f.partner, 999, "x"), Contains("population 999 is not in this engagement"));
    describePopulation(f.e, f.partner, id, "");
    CHECK_FALSE(populationDescription(f.e, id).has_value());
}

TEST_CASE("an inclusive subservice organization performs controls and signs an assertion, a carved-out one does neither") {
    Fixture f;
    f.e.addSubserviceOrg(f.partner, "Vaultline Backup LLC", "backups", "inclusive");
    f.e.addSubserviceOrg(f.partner, "Azure", "hosting", "carve-out");
    CHECK_THROWS_WITH(assignControlToSubservice(f.e, f.partner, "IC-07", "Azure"), Contains("Azure is carved out"));
    CHECK_THROWS_WITH(assignControlToSubservice(f.e, f.partner, "IC-07", "Nobody"), Contains("no subservice organization named \"Nobody\""));
    CHECK_THROWS_WITH(assignControlToSubservice(f.e, f.partner, "ZZ-99", "Vaultline Backup LLC"), Contains("ZZ-99"));
    CHECK(controlsPerformedBySubservice(f.e).empty());
    assignControlToSubservice(f.e, f.partner, "IC-07", "Vaultline Backup LLC");
    CHECK(controlsPerformedBySubservice(f.e) == std::map<std::string, std::string>{{"IC-07", "Vaultline Backup LLC"}});
    auto t = f.trail().back();
    CHECK(t.workpaper == "test:IC-07");  // the control's workpaper: its sign-offs go stale
    CHECK(t.newValue == std::optional<std::string>("Vaultline Backup LLC"));
    assignControlToSubservice(f.e, f.partner, "IC-07", "");
    CHECK(controlsPerformedBySubservice(f.e).empty());

    CHECK_THROWS_WITH(setSubserviceSignatory(f.e, f.partner, "Azure", "A", "B"), Contains("Azure is carved out"));
    CHECK_THROWS_WITH(setSubserviceSignatory(f.e, f.partner, "Vaultline Backup LLC", "", "COO"), Contains("both the signatory's name and title"));
    setSubserviceSignatory(f.e, f.partner, "Vaultline Backup LLC", "Vera Lind", "COO");
    auto orgs = f.e.subserviceOrgs();
    REQUIRE(orgs.size() == 2);
    CHECK(orgs[0].signatoryName == "Vera Lind");
    CHECK(orgs[0].signatoryTitle == "COO");
    CHECK(orgs[1].signatoryName.empty());
}

TEST_CASE("a version 7 file gains the report's wording columns, and the criteria their punctuation, on upgrade") {
    TempDir d;
    const auto file = d / "v7.tickmark";
    {
        db::Database raw(file.string(), db::Database::Mode::Create);
        schema::create(raw, 7);
        raw.exec("INSERT INTO engagement(id, client, system_name, report_type, period_start, period_end, created_at, "
                 "created_with) VALUES (1, 'Old Client', 'S', 2, '2025-01-01', '2025-12-31', 'x', 'Tickmark 0.0')");
        raw.exec("INSERT INTO category(code, name, ordinal, in_scope) VALUES ('security', 'Security (common criteria)', 1, 1)");
        raw.exec("INSERT INTO criterion(id, category_code, group_id, group_name, short_name, ordinal) VALUES "
                 "('CC1.3', 'security', 'CC1', 'Control environment', 'Structures reporting lines authorities and responsibilities', 1), "
                 "('CC8.1', 'security', 'CC8', 'Change management', 'Our firm''s own name for it', 2)");
        raw.exec("INSERT INTO subservice_org(name, services, method) VALUES ('Old Host', 'hosting', 'inclusive')");
    }
    auto e = Engagement::open(file);
    CHECK(e.db().pragmaInt("user_version") == schema::currentVersion());
    auto names = e.db().prepare("SELECT short_name FROM criterion ORDER BY ordinal");
    REQUIRE(names.step());
    CHECK(names.getText(0) == "Structures, reporting lines, authorities, and responsibilities");
    REQUIRE(names.step());
    CHECK(names.getText(0) == "Our firm's own name for it");  // a name the firm changed is left alone
    auto orgs = e.subserviceOrgs();
    REQUIRE(orgs.size() == 1);
    CHECK(orgs[0].signatoryName.empty());
}

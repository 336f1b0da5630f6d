// Signed-in people, not names: an Actor only authentication makes, required by every write, and a
// trail that names only team members.
#include <catch2/catch.hpp>

#include <set>
#include <type_traits>

#include "app/demo.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"
#include "workpapers/sha256.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

// Nobody makes an Actor up: not from nothing, not from a Person, not from a name, not field by field.
static_assert(!std::is_default_constructible_v<Actor>);
static_assert(!std::is_constructible_v<Actor, Person>);
static_assert(!std::is_constructible_v<Actor, const Person&>);
static_assert(!std::is_constructible_v<Actor, std::string>);
static_assert(!std::is_constructible_v<Actor, const char*>);
static_assert(!std::is_constructible_v<Actor, std::int64_t, std::string, std::string, std::vector<std::string>>);
static_assert(!std::is_aggregate_v<Actor>);
static_assert(!std::is_convertible_v<Person, Actor>);
// A sign-in can be passed around, but never changed into someone else's.
static_assert(std::is_copy_constructible_v<Actor>);
static_assert(!std::is_copy_assignable_v<Actor>);
static_assert(!std::is_move_assignable_v<Actor>);
static_assert(std::is_const_v<decltype(Actor::name)> && std::is_const_v<decltype(Actor::roles)>);

namespace {

const char* kMatrix =
    "Control ID,Description,Criteria,Frequency,Nature\n"
    "CM-03,Changes approved,CC8.1,Multiple times a day,Manual\n";

// The engagement file's bytes once its connection is closed (WAL checkpointed).
std::string bytes(const fs::path& f) { return read(f); }

}  // namespace

TEST_CASE("an engagement without a team: nobody can sign in, so nothing can be written") {
    TempDir d;
    const auto file = d / "e.tickmark";
    { newEngagement(file); }
    const std::string before = bytes(file);
    {
        auto e = Engagement::open(file);
        CHECK(team(e).empty());
        CHECK_THROWS_WITH(authenticate(e, "Anyone", "any-password"),
                          Contains("has no team yet") && Contains("tickmark team add " + file.string() +
                                                                  " --name NAME --initials XX --role partner,reviewer"));
        CHECK_THROWS_WITH(addEngagementPartner(e, "Sam Senior", "SS", {"preparer"}, "password-1"),
                          Contains("the first team member is the engagement partner"));
    }
    CHECK(bytes(file) == before);
    // The creation itself names no one: the trail starts with the partner joining.
    auto e = Engagement::open(file);
    auto st = e.db().prepare("SELECT count(*) FROM audit_trail");
    st.step();
    CHECK(st.getInt(0) == 0);
    auto partner = addEngagementPartner(e, "Pat Partner", "PP", {"partner", "reviewer"}, "password-1");
    CHECK(partner.name == "Pat Partner");
    CHECK(partner.has("partner"));
    CHECK_THROWS_WITH(addEngagementPartner(e, "Other Partner", "OP", {"partner"}, "password-2"),
                      Contains("the team already has members"));
    auto added = addPerson(e, partner, "Sam Senior", "SS", {"preparer"}, "password-3");
    CHECK(added.name == "Sam Senior");  // a Person: the partner does not get to act as them
    CHECK(authenticate(e, "SS", "password-3").name == "Sam Senior");
}

TEST_CASE("createEngagement: the file never exists without its engagement partner") {
    TempDir d;
    EngagementSetup s{"Client", "System", ReportType::TypeII, parseIsoDate("2025-01-01"), parseIsoDate("2025-12-31"), std::nullopt, {}};
    CHECK_THROWS_WITH(createEngagement(d / "a.tickmark", s, criteriaCsv(), "Pat Partner", "PP", {"partner"}, "short"),
                      Contains("at least 8 characters"));
    CHECK_THROWS_WITH(createEngagement(d / "b.tickmark", s, criteriaCsv(), "Pat Partner", "PP", {"reviewer"}, "password-1"),
                      Contains("partner role"));
    CHECK_FALSE(fs::exists(d / "a.tickmark"));
    CHECK_FALSE(fs::exists(d / "b.tickmark"));
    auto c = createEngagement(d / "c.tickmark", s, criteriaCsv(), "Pat Partner", "PP", {"partner", "reviewer"}, "password-1");
    CHECK(c.partner.name == "Pat Partner");
    CHECK(team(c.engagement).size() == 1);
    CHECK(authenticate(c.engagement, "PP", "password-1").id == c.partner.id);
}

TEST_CASE("a sign-in to another engagement writes nothing here, and leaves the file byte for byte unchanged") {
    TempDir d;
    const auto file = d / "e.tickmark";
    auto matrix = write(d / "m.csv", kMatrix);
    auto tickets = write(d / "t.csv", "Ticket,Opened\nT1,2025-03-01\nT2,2025-04-01\nT3,2025-05-01\n");
    std::int64_t sampleId = 0;
    {
        auto e = newEngagement(file);
        auto me = testPartner(e);
        ControlImportRequest c;
        c.file = matrix;
        importControls(e, me, c);
        PopulationImportRequest p{tickets, "CM-03", "Tickets", "Ticket", "Opened"};
        auto pop = importPopulation(e, me, p).populationId;
        DrawRequest r;
        r.populationId = pop;
        r.size = 1;
        r.seed = 1;
        sampleId = drawSample(e, me, r).id;
        e.addSubserviceOrg(me, "Cloud Host", "IaaS", "carve-out");
    }
    const std::string before = bytes(file);

    // Someone on another engagement's team, with a name nobody here has.
    auto other = newEngagement(d / "other.tickmark");
    const Actor stranger = addEngagementPartner(other, "Stranger Danger", "SD", {"partner", "preparer"}, "password-9");
    {
        auto e = Engagement::open(file);
        ControlImportRequest c;
        c.file = matrix;
        CHECK_THROWS_WITH(importControls(e, stranger, c), Contains("Stranger Danger is not on the team of"));
        PopulationImportRequest p{tickets, "CM-03", "Again", "Ticket", "Opened"};
        CHECK_THROWS_WITH(importPopulation(e, stranger, p), Contains("is not on the team"));
        DrawRequest r;
        r.populationId = 1;
        r.size = 1;
        CHECK_THROWS_WITH(drawSample(e, stranger, r), Contains("is not on the team"));
        CHECK_THROWS_WITH(extendSample(e, stranger, sampleId, 1, 2), Contains("is not on the team"));
        CHECK_THROWS_WITH(e.addSubserviceOrg(stranger, "Other Host", "", "carve-out"), Contains("is not on the team"));
        CHECK_THROWS_WITH(e.addCuec(stranger, "Customers review access.", {"CC6.2"}), Contains("is not on the team"));
        CHECK_THROWS_WITH(e.addCsoc(stranger, "Cloud Host", "Badges.", {"CC6.4"}), Contains("is not on the team"));
        CHECK_THROWS_WITH(addPerson(e, stranger, "New", "NW", {"preparer"}, "password-1"), Contains("is not on the team"));
        // A wrong password signs no one in.
        CHECK_THROWS_WITH(authenticate(e, "TP", "not-the-password"), Contains("wrong password for \"TP\""));
    }
    CHECK(bytes(file) == before);
}

TEST_CASE("the demo's whole audit trail names only team members, and every selection a team member") {
    TempDir d;
    auto demo = buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr);
    auto e = Engagement::open(demo.engagementFile);
    std::set<std::string> names;
    for (auto& p : team(e)) names.insert(p.name);
    REQUIRE(names == std::set<std::string>{"Dana Whitfield", "Marcus Lee", "Priya Raman", "Jordan Ellis"});
    std::int64_t entries = 0;
    std::set<std::string> strangers;
    forEachTrailEntry(e.db(), TrailQuery{}, [&](const TrailEntry& t) {
        ++entries;
        if (!names.count(t.actor)) strangers.insert(t.actor);
    });
    CHECK(entries > 1000);
    CHECK(strangers.empty());  // no "unknown", no login name
    auto first = e.db().prepare("SELECT actor, entity FROM audit_trail ORDER BY seq LIMIT 1");
    REQUIRE(first.step());
    CHECK(first.getText(0) == "Dana Whitfield");  // the engagement partner joining starts the trail
    CHECK(first.getText(1) == "person DW");
    for (auto& s : listSamples(e)) CHECK(names.count(s.createdBy) == 1);
    auto unknown = e.db().prepare("SELECT count(*) FROM audit_trail WHERE actor IN ('unknown', '') OR actor IS NULL");
    unknown.step();
    CHECK(unknown.getInt(0) == 0);
}

TEST_CASE("the audit trail itself refuses a name that is not on the team") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    for (const char* who : {"unknown", "", "root", "Test partner"})
        CHECK_THROWS_WITH(AuditTrail(e.db()).append({0, "", who, "add", "engagement", "x", "y", std::nullopt, "z", "", "", ""}),
                          Contains("is not on this engagement's team"));
    CHECK(AuditTrail(e.db()).append({0, "", me.name, "add", "engagement", "x", "y", std::nullopt, "z", "", "", ""}).seq == 2);
    CHECK(verifyTrail(e.db()).intact);
}

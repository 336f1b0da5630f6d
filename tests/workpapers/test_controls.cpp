#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
ControlImportResult importCsv(Engagement& e, const Actor& a, const fs::path& f, std::map<std::string, std::string> map = {}) {
    ControlImportRequest r;
    r.file = f;
    r.columnMap = std::move(map);
    return importControls(e, a, r);
}
}  // namespace

TEST_CASE("control matrix columns are found by the names matrices give them") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    auto f = write(d / "m.csv",
                   "Control No.,Control Activity,TSC,Frequency,Type,Owner\n"
                   "LA-01,MFA on production,\"CC6.1; CC6.2\nCC6.3\",Multiple times per day,Automated,IT\n"
                   "CM-03,Changes approved,CC8.1,As needed / event-driven,ITDM,Engineering\n"
                   "RA-01,Risk assessment,CC3.1,Annually,Manual,\n");
    auto r = importCsv(e, me, f);
    CHECK(r.added == 3);
    CHECK(r.updated == 0);
    auto list = listControls(e);
    REQUIRE(list.size() == 3);
    const auto& la = list[1];
    CHECK(la.ref == "LA-01");
    CHECK(la.criteria == std::vector<std::string>{"CC6.1", "CC6.2", "CC6.3"});
    CHECK(la.frequency == "multiple-daily");
    CHECK(la.nature == "automated");
    CHECK(list[0].frequency == "as-needed");
    CHECK(list[0].nature == "it-dependent-manual");
    CHECK(list[2].frequency == "annual");
    CHECK(list[2].owner == "");
}

TEST_CASE("the --map option names columns the synonyms do not know") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    auto f = write(d / "m.csv", "Ref#,What,Maps to,How often,Kind\nX-1,Something,CC2.1,Monthly,Manual\n");
    // "Ref#" is a known name for the id column; "What" is not one for the description.
    CHECK_THROWS_WITH(importCsv(e, me, f), Contains("no column for the control description"));
    auto r = importCsv(e, me, f, {{"id", "Ref#"}, {"description", "What"}, {"criteria", "Maps to"},
                              {"frequency", "How often"}, {"nature", "Kind"}});
    CHECK(r.added == 1);
    CHECK(listControls(e)[0].frequency == "monthly");
    CHECK_THROWS_WITH(importCsv(e, me, f, {{"colour", "What"}}), Contains("unknown field"));
    CHECK_THROWS_WITH(importCsv(e, me, f, {{"id", "Nope"}}), Contains("--map id=\"Nope\": no such column"));
}

TEST_CASE("bad rows are refused with the line and column named, and nothing is imported") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    const std::string head = "Control ID,Description,Criteria,Frequency,Nature\n";
    SECTION("an unknown criterion") {
        auto f = write(d / "m.csv", head + "A-1,ok,CC1.1,Annual,Manual\nA-2,bad,CC10.1,Annual,Manual\n");
        CHECK_THROWS_WITH(importCsv(e, me, f), Contains("m.csv: line 3, column 3 (\"Criteria\"): \"CC10.1\" is not a TSC 2017 criterion"));
    }
    SECTION("a control id twice") {
        auto f = write(d / "m.csv", head + "A-1,ok,CC1.1,Annual,Manual\na-1,again,CC1.2,Annual,Manual\n");
        CHECK_THROWS_WITH(importCsv(e, me, f), Contains("line 3, column 1 (\"Control ID\"): control a-1 appears again (first at line 2)"));
    }
    SECTION("an unknown frequency") {
        auto f = write(d / "m.csv", head + "A-1,ok,CC1.1,Fortnightly,Manual\n");
        CHECK_THROWS_WITH(importCsv(e, me, f), Contains("\"Fortnightly\" is not a frequency"));
    }
    SECTION("an unknown nature") {
        auto f = write(d / "m.csv", head + "A-1,ok,CC1.1,Annual,Robotic\n");
        CHECK_THROWS_WITH(importCsv(e, me, f), Contains("\"Robotic\" is not a control nature"));
    }
    SECTION("no criteria") {
        auto f = write(d / "m.csv", head + "A-1,ok,,Annual,Manual\n");
        CHECK_THROWS_WITH(importCsv(e, me, f), Contains("control A-1 maps to no criterion"));
    }
    CHECK(listControls(e).empty());
}

TEST_CASE("importing the matrix again updates controls in place and keeps the rest") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    const std::string head = "Control ID,Description,Criteria,Frequency,Nature\n";
    importCsv(e, me, write(d / "v1.csv", head + "A-1,old text,CC1.1,Annual,Manual\nB-1,kept,CC2.1,Monthly,Manual\n"));
    auto r = importCsv(e, me, write(d / "v2.csv", head + "A-1,new text,CC1.2,Quarterly,Manual\nC-1,added,CC3.1,Weekly,Manual\n"));
    CHECK(r.added == 1);
    CHECK(r.updated == 1);
    auto list = listControls(e);
    REQUIRE(list.size() == 3);
    CHECK(list[0].description == "new text");
    CHECK(list[0].criteria == std::vector<std::string>{"CC1.2"});
    CHECK(list[1].ref == "B-1");
}

TEST_CASE("criteria outside the categories in scope are imported with a note") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");  // security + availability
    auto me = testPartner(e);
    auto r = importCsv(e, me, write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nP-1,x,\"PI1.1, CC1.1\",Daily,Manual\n"));
    REQUIRE(r.warnings.size() == 1);
    CHECK_THAT(r.warnings[0], Contains("P-1 maps to PI1.1 (Processing integrity, not in scope)"));
}

TEST_CASE("the demo's XLSX control matrix (written by openpyxl)") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    ControlImportRequest r;
    r.file = sourceDir() / "demo" / "data" / "control-matrix.xlsx";
    auto res = importControls(e, me, r);
    CHECK(res.source.sheet == "Control Matrix");
    CHECK(res.added == 45);
    auto list = listControls(e);
    auto cm = std::find_if(list.begin(), list.end(), [](const Control& c) { return c.ref == "CM-03"; });
    REQUIRE(cm != list.end());
    CHECK(cm->criteria == std::vector<std::string>{"CC8.1"});
    CHECK(cm->nature == "it-dependent-manual");
}

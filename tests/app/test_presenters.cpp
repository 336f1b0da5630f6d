#include <catch2/catch.hpp>

#include "app/demo.h"
#include "app/presenters/dashboard.h"
#include "app/presenters/navigator.h"
#include "app/presenters/population_grid.h"
#include "app/presenters/population_overview.h"
#include "app/presenters/test_grid.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"

#include <atomic>
#include <chrono>
#include <thread>

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
struct Demo {
    TempDir d;
    Engagement e;
    Demo() : e(Engagement::open(buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile)) {}
};
}  // namespace

TEST_CASE("the navigator: criteria groups in TSC order, each control's workpapers, statuses") {
    Demo demo;
    auto root = desk::buildNavigator(demo.e);
    REQUIRE(root.children.size() >= 3);
    CHECK(root.children.front().label == "CC1  Control environment");
    CHECK(root.children.back().kind == desk::NavNode::Kind::Report);
    auto* notes = desk::findNode(root, desk::NavNode::Kind::Notes);
    REQUIRE(notes);
    CHECK(notes->label == "Review notes (2 open)");
    auto* cm03 = desk::findNode(root, desk::NavNode::Kind::Control, "CM-03");
    REQUIRE(cm03);
    std::vector<desk::NavNode::Kind> kinds;
    for (auto& c : cm03->children) kinds.push_back(c.kind);
    CHECK(kinds == std::vector<desk::NavNode::Kind>{desk::NavNode::Kind::Population, desk::NavNode::Kind::Sample,
                                                    desk::NavNode::Kind::Sample, desk::NavNode::Kind::Test, desk::NavNode::Kind::Exceptions});
    CHECK(cm03->status == desk::Status::Exceptions);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "LA-02")->status == desk::Status::Stale);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "RM-02")->status == desk::Status::OpenNotes);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "AV-03")->status == desk::Status::Reviewed);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "CF-02")->status == desk::Status::InProgress);
}

TEST_CASE("the population grid is virtual: it reads only what is shown, and filters and sorts without reordering storage") {
    Demo demo;
    desk::PopulationGrid g(demo.e, 1);
    CHECK(g.rowCount() == 2407);
    CHECK(g.columnLabel(3) == "Ticket ID");
    CHECK(g.cell(0, 3) == "CHG0100188");  // the first delivered record, before the period
    CHECK(g.cell(0, 2) == "before period");
    for (int r = 0; r < 30; ++r)
        for (int c = 0; c < g.columnCount(); ++c) g.cell(r, c);
    CHECK(g.reads() == 2 + 30 * g.columnCount());

    g.setFilter(desk::PopulationGrid::Filter::OutOfPeriod);
    CHECK(g.rowCount() == 5);  // 2 before and 3 after the period, as the demo planted them
    for (int r = 0; r < 5; ++r) CHECK((g.flags(r) & (kBeforePeriod | kAfterPeriod)) != 0);
    g.setFilter(desk::PopulationGrid::Filter::Duplicates);
    CHECK(g.rowCount() == 4);
    g.setFilter(desk::PopulationGrid::Filter::All);
    g.sortBy(0, false);
    CHECK(g.cell(0, 3) >= g.cell(1, 3));
    CHECK(g.cell(0, 3) == "CHG0102702");  // the highest ticket id: the last post-period ticket
    PopulationItems stored(demo.e, 1);
    CHECK(stored.at(1).key == "CHG0100188");  // storage unchanged
}

TEST_CASE("the testing grid records with the keyboard, as the signed-in preparer") {
    Demo demo;
    auto pr = authenticate(demo.e, "PR", "prepare-2026");
    auto ml = authenticate(demo.e, "ML", "review-2026");
    desk::TestGrid g(demo.e, "RM-03");
    using O = desk::TestGrid::Outcome;
    REQUIRE(g.rows() == 1);
    CHECK(g.columns() == 3);
    CHECK(g.cell(0, 1).empty());
    CHECK(g.fill(pr, {{0, 0}}, O::Pass) == 0);  // the item column takes no result
    CHECK(g.fill(pr, {{0, 1}}, O::Pass) == 1);
    CHECK(g.cell(0, 1) == "✓ pass");
    CHECK_THROWS_WITH(g.fill(ml, {{0, 2}}, O::Pass), Contains("does not hold the preparer role"));
    CHECK(g.fill(pr, {{0, 2}}, O::Deviation) == 1);
    CHECK(g.cell(0, 2) == "⊗ deviation");
    CHECK(g.outcome(0, 2) == O::Deviation);
    REQUIRE(g.lastException().has_value());
    CHECK(g.progressText() == "1 of 1 items done, 2 of 2 results, 1 deviation");
    CHECK_THROWS_WITH(g.fill(pr, {{0, 2}}, O::NotApplicable), Contains("needs the reason"));
    CHECK(g.fill(pr, {{0, 2}}, O::NotApplicable, "no evidence expected for this occurrence") == 1);
    CHECK(g.cell(0, 2) == "N/A");
    // The mark chosen is what the cell shows (it used to show the outcome's default whatever was chosen).
    g.annotate(pr, 0, 1, "agreed to the vendor's 2026 SOC 2 report", "Ⓘ");
    CHECK(g.cell(0, 1) == "Ⓘ pass — agreed to the vendor's 2026 SOC 2 report");
    // A chosen mark survives a new outcome; a default one follows the outcome.
    CHECK(g.fill(pr, {{0, 1}}, O::Deviation) == 1);
    CHECK(g.cell(0, 1) == "Ⓘ deviation — agreed to the vendor's 2026 SOC 2 report");
    CHECK(g.legend().size() == 6);
    CHECK_THROWS_WITH(g.annotate(pr, 0, 0, "x", ""), Contains("choose a result cell"));
    CHECK_THROWS_WITH(g.annotate(pr, 0, 1, "x", "@@"), Contains("not in the legend"));
    CHECK(g.nextCell(0, 1) == std::pair<int, int>{0, 2});  // one item: on to the next attribute
    CHECK(g.nextCell(0, 2) == std::pair<int, int>{0, 2});  // the last cell: it stays
}

#include "app/presenters/background_job.h"
#include "app/presenters/import_wizard.h"
#include "workpapers/controls.h"
#include "workpapers/sha256.h"

TEST_CASE("a background job reports progress, can be cancelled, and hands back what it threw") {
    std::atomic<int> steps{0};
    {
        desk::BackgroundJob job([&](Progress& p) {
            for (std::uint64_t i = 0; i < 1000000; ++i) {
                p.update(i, 1000000);
                if (p.cancelled()) throw Cancelled();
                ++steps;
                std::this_thread::sleep_for(std::chrono::microseconds(50));
            }
        });
        while (steps < 10) std::this_thread::sleep_for(std::chrono::milliseconds(1));
        CHECK(job.fraction() >= 0.0);
        job.cancel();
        job.wait();
        CHECK(job.finished());
        CHECK_THROWS_AS(job.rethrow(), Cancelled);
    }
    desk::BackgroundJob failing([](Progress&) { throw InputError("bad row 7"); });
    failing.wait();
    CHECK_THROWS_WITH(failing.rethrow(), "bad row 7");
    desk::BackgroundJob fine([](Progress& p) { p.update(5, 5); });
    fine.wait();
    CHECK_NOTHROW(fine.rethrow());
    CHECK(fine.fraction() == 1.0);
}

TEST_CASE("the import wizard previews, guesses the columns, checks a dry run, and a cancelled import changes nothing") {
    TempDir d;
    auto file = d / "e.tickmark";
    {
        auto e = newEngagement(file);
        ControlImportRequest c;
        c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nLA-02,Access,CC6.2,As needed,Manual\n");
        importControls(e, testPartner(e), c);
    }
    auto e = Engagement::open(file);
    const auto me = testPartner(e);
    desk::PopulationImportWizard w;
    w.chooseFile(sourceDir() / "demo" / "data" / "new-hires.xlsx");
    CHECK(w.sheets() == std::vector<std::string>{"Hires FY26"});
    CHECK(w.preview().header.at(0) == "Employee ID");
    CHECK(w.preview().rows.size() == 20);
    CHECK(w.preview().rows[0][4].size() == 10);  // a real date cell, shown as YYYY-MM-DD
    CHECK(w.guessKey() == "Employee ID");
    CHECK(w.guessDate() == "Hire Date");
    auto req = w.request("LA-02", "New hires", w.guessKey(), w.guessDate(), "", "");
    auto profile = checkPopulation(e, req);  // the dry run: no sign-in, nothing written
    CHECK(profile.rows == 143);
    CHECK(listPopulations(e).empty());  // a dry run imports nothing

    desk::PopulationImportWizard csv;
    csv.chooseFile(sourceDir() / "demo" / "data" / "terminations.csv");
    CHECK(csv.sheets().empty());
    CHECK(csv.guessKey() == "Personnel No");
    CHECK(csv.guessDate() == "Termination Date");

    // A large import cancelled from the GUI's side leaves the file exactly as it was.
    std::string big = "Key,When\n";
    for (int i = 0; i < 300000; ++i) big += "K" + std::to_string(i) + ",2025-03-01\n";
    auto bigFile = write(d / "big.csv", big);
    e.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const auto before = sha256File(file);
    {
        PopulationImportRequest r;
        r.file = bigFile;
        r.control = "LA-02";
        r.name = "Big";
        r.keyColumn = "Key";
        r.dateColumn = "When";
        desk::BackgroundJob job([&, by = me](Progress& p) { importPopulation(e, by, r, &p); });  // the job carries the Actor
        job.cancel();
        job.wait();
        CHECK_THROWS_AS(job.rethrow(), Cancelled);
    }
    CHECK(listPopulations(e).empty());
    e.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(sha256File(file) == before);
}

#include "app/presenters/sample_planner.h"

TEST_CASE("the sample planner sizes by the firm table or by attributes, and draws with the seed shown") {
    Demo demo;
    desk::SamplePlanner planner(demo.e, 1);  // CM-03's production changes
    CHECK(planner.control() == "CM-03");
    CHECK(planner.frameSize() == 2401);
    auto f = planner.byFrequency("", "higher");  // the control's own frequency: multiple times a day
    CHECK(f.size == 60);
    CHECK(f.basis == "multiple-daily, higher risk: 60");
    auto a = planner.byAttributes("0.95", "0.05", "0.01");
    CHECK(a.size == 93);  // the AICPA table's 93 (1)
    CHECK_THROWS_WITH(planner.byAttributes("0.95", "0.05", "0.06"), Contains("is not below the tolerable rate"));
    const auto pr = authenticate(demo.e, "PR", "prepare-2026");
    auto s = planner.draw(pr, a, "systematic", "777");
    CHECK(s.size == 93);
    CHECK(s.seed == 777u);
    CHECK(s.seedSource == "given");
    CHECK(verifySample(demo.e, s.id, std::nullopt).identical);
    CHECK(s.createdBy == "Priya Raman");
    CHECK_THROWS_WITH(planner.draw(pr, a, "random", "-1"), Contains("give a whole number"));
}

TEST_CASE("the navigator shows a control mapped to no criterion in scope instead of leaving it out") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");  // security + availability
    ControlImportRequest r;
    r.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nS-1,x,CC1.1,Daily,Manual\nP-1,y,PI1.1,Daily,Manual\n");
    importControls(e, testPartner(e), r);
    auto root = desk::buildNavigator(e);
    REQUIRE(root.children.size() == 4);  // CC1, the unmapped group, notes, report
    CHECK(root.children[0].label == "CC1  Control environment");
    CHECK(root.children[0].children.at(0).control == "S-1");
    CHECK(root.children[1].label == "Not mapped to a criterion in scope");
    REQUIRE(root.children[1].children.size() == 1);
    CHECK(root.children[1].children[0].control == "P-1");
}

TEST_CASE("the population overview names the gaps a daily control's population leaves, by hand, in both front ends' words") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");  // period 2025-01-01..2025-12-31
    auto me = testPartner(e);
    ControlImportRequest c;
    c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nOP-02,Backups run,A1.2,Daily,Automated\n");
    importControls(e, me, c);
    // One backup a day, BK0001 on 2025-01-01 .. BK0365 on 2025-12-31, except March 3 (day 62, BK0062) and
    // the numbers 200-202 (days 200-202, July 19-21): by hand, 4 days without an item, 4 numbers missing
    // in 2 ranges, 361 numbered keys.
    std::string csv = "Backup,Ran\n";
    for (int day = 1; day <= 365; ++day) {
        if (day == 62 || (day >= 200 && day <= 202)) continue;
        char key[16];
        std::snprintf(key, sizeof key, "BK%04d", day);
        csv += std::string(key) + "," + isoString(dateFromDays(daysSinceEpoch(*parseIsoDate("2025-01-01")) + day - 1)) + "\n";
    }
    PopulationImportRequest r;
    r.file = write(d / "b.csv", csv);
    r.control = "OP-02";
    r.name = "Backups";
    r.keyColumn = "Backup";
    r.dateColumn = "Ran";
    const auto id = importPopulation(e, me, r).populationId;

    const auto lines = desk::populationOverview(e, id);
    std::vector<std::string> text;
    for (auto& l : lines) text.push_back((l.attention ? "! " : "") + l.label + "|" + l.text);
    CHECK(text == std::vector<std::string>{
                      "Controls|OP-02",
                      "! Period gaps|4 of 365 days (daily control OP-02) with no item in the period",
                      "! |no item: 2025-03-03",
                      "! |no item: 2025-07-19",
                      "! |no item: 2025-07-20",
                      "! |no item: 2025-07-21",
                      "! Key gaps|4 numbers missing in 2 ranges between BK0001 and BK0365 (361 numbered keys, 0 of another shape)",
                      "! |missing key BK0062",
                      "! |missing keys BK0200..BK0202",
                  });
    // The CLI prints the same lines under the profile.
    auto shown = sh(std::string(TICKMARK_CLI) + " population show " + quote((d / "e.tickmark").string()) + " " + std::to_string(id));
    CHECK_THAT(shown.out, Contains("  Period gaps 4 of 365 days (daily control OP-02) with no item in the period\n  ! no item: 2025-03-03\n"));
    CHECK_THAT(shown.out, Contains("  Key gaps    4 numbers missing in 2 ranges between BK0001 and BK0365"));
}

TEST_CASE("the dashboard counts progress by control and by member, lists what is open, and points each open gate at its workpaper") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto partner = testPartner(e);  // Test Partner (TP): partner and reviewer
    auto preparer = joinTeam(e, partner, "Priya Preparer", "PR", {"preparer"}, "preparer-pw-1");
    ControlImportRequest c;
    c.file = write(d / "m.csv",
                   "Control ID,Description,Criteria,Frequency,Nature\n"
                   "CM-03,Changes are approved,CC8.1,Multiple times a day,Manual\n"
                   "HR-01,Background checks,CC1.4,As needed,Manual\n");
    importControls(e, partner, c);
    std::string csv = "Ticket,Opened\n";
    for (int i = 1; i <= 40; ++i) csv += "T" + std::to_string(i) + ",2025-03-" + (i % 28 < 9 ? "0" : "") + std::to_string(i % 28 + 1) + "\n";
    PopulationImportRequest r;
    r.file = write(d / "t.csv", csv);
    r.control = "CM-03";
    r.name = "Changes";
    r.keyColumn = "Ticket";
    r.dateColumn = "Opened";
    const auto pop = importPopulation(e, partner, r).populationId;
    DrawRequest draw;
    draw.populationId = pop;
    draw.size = 5;
    draw.seed = 1;
    const auto sample = drawSample(e, partner, draw).id;
    TestDefinition t;
    t.control = "CM-03";
    t.types = {"inspection"};
    t.procedure = "Inspected the approval";
    t.sampleId = sample;
    t.attributes = {{"A", "Approved before release?"}};
    defineTest(e, preparer, t);
    // By hand: 5 items x 1 attribute expected; PR records 3 (items 1-2 pass, item 3 a deviation); TP raises one note.
    recordResults(e, preparer, {{"CM-03", 1, "A", "pass", "", "", ""}, {"CM-03", 2, "A", "pass", "", "", ""},
                                {"CM-03", 3, "A", "deviation", "", "not approved", ""}});
    raiseNote(e, partner, "test:CM-03", "Item 3", "Who approved it after the fact?");

    const auto dash = desk::dashboardOf(e);
    REQUIRE(dash.controls.size() == 2);
    const auto& cm = dash.controls[0];
    CHECK(cm.control == "CM-03");
    CHECK(cm.planned);
    CHECK(cm.items == 5);
    CHECK(cm.itemsDone == 3);
    CHECK(cm.expected == 5);
    CHECK(cm.recorded == 3);
    CHECK(cm.deviations == 1);
    CHECK(cm.openNotes == 1);
    CHECK(cm.status == WorkpaperStatus::OpenNotes);
    CHECK(cm.preparedBy.empty());
    const auto& hr = dash.controls[1];
    CHECK(hr.control == "HR-01");
    CHECK_FALSE(hr.planned);
    CHECK(hr.status == WorkpaperStatus::NotStarted);
    CHECK(dash.notStarted() == 1);
    CHECK(dash.tested() == 0);

    REQUIRE(dash.team.size() == 2);
    for (auto& m : dash.team) {
        if (m.initials == "PR") {
            CHECK(m.resultsRecorded == 3);
            CHECK(m.notesRaisedOpen == 0);
        } else {
            CHECK(m.initials == "TP");
            CHECK(m.resultsRecorded == 0);
            CHECK(m.notesRaisedOpen == 1);
        }
    }
    REQUIRE(dash.openNotes.size() == 1);
    CHECK(dash.openNotes[0].subject == "Item 3");
    REQUIRE(dash.awaitingConclusion.size() == 1);
    CHECK(dash.awaitingConclusion[0].letter == "A");
    CHECK(dash.awaitingConclusion[0].deviations == 1);
    CHECK(dash.staleSignOffs.empty());
    CHECK_FALSE(dash.chosenOpinion.has_value());

    auto gate = [&](const std::string& prefix) {
        for (auto& g : dash.gates)
            if (g.name.rfind(prefix, 0) == 0) return g;
        FAIL("no gate " << prefix);
        return desk::GateLine{};
    };
    CHECK(gate("Every control tested").workpapers == std::vector<std::string>{"test:HR-01"});
    CHECK(gate("Every selected item").workpapers == std::vector<std::string>{"test:CM-03"});
    CHECK(gate("No open review notes").workpapers == std::vector<std::string>{"test:CM-03"});
    CHECK(gate("Every exception concluded").workpapers == std::vector<std::string>{"test:CM-03"});
    CHECK(gate("Every tested control signed").workpapers == std::vector<std::string>{"test:CM-03"});
    CHECK(gate("The opinion chosen").workpapers == std::vector<std::string>{"report"});
    CHECK(gate("Partner sign-off on the report").workpapers == std::vector<std::string>{"report"});
    for (auto& g : dash.gates) CHECK(g.met == g.workpapers.empty());  // an open gate always says where to go
    CHECK(dash.gatesOpen == std::count_if(dash.gates.begin(), dash.gates.end(), [](auto& g) { return !g.met; }));
}

// A whole day in the desktop app, through the presenters and the library calls its views make, on a
// fresh engagement: the senior imports the population through the wizard, draws through the planner,
// defines the test in the plan editor, records results with a range fill, a deviation and its
// exception, and attaches evidence; the reviewer raises a note, the senior responds, the reviewer
// clears it, concludes and signs; the partner chooses the opinion, signs the report and exports it.
// What the dashboard shows at the end is checked against counts worked out here.
#include <catch2/catch.hpp>

#include <fstream>

#include "app/presenters/dashboard.h"
#include "app/presenters/import_wizard.h"
#include "app/presenters/sample_planner.h"
#include "app/presenters/test_grid.h"
#include "app/presenters/test_plan_editor.h"
#include "report/report.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/reporting.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using O = desk::TestGrid::Outcome;

TEST_CASE("the whole day through the desktop app's presenters: define, record, conclude, review, sign, report", "[scenario]") {
    TempDir d;
    EngagementSetup s;
    s.client = "Lumen Ledger, Inc.";
    s.systemName = "Accounts Payable Platform";
    s.reportType = ReportType::TypeII;
    s.periodStart = parseIsoDate("2025-07-01");
    s.periodEnd = parseIsoDate("2026-06-30");
    auto e = Engagement::create(d / "day.tickmark", s, criteriaCsv());
    auto partner = testPartner(e);  // TP: partner and reviewer
    auto senior = joinTeam(e, partner, "Priya Raman", "PR", {"preparer"}, "prepare-2026");
    auto reviewer = joinTeam(e, partner, "Marcus Lee", "ML", {"reviewer"}, "review-2026");

    // The control matrix (File > Import control matrix): one control.
    ControlImportRequest controls;
    controls.file = write(d / "matrix.csv",
                          "Control ID,Description,Criteria,Frequency,Nature\n"
                          "CM-03,Production changes are approved before deployment,CC8.1,Multiple times a day,Manual\n");
    importControls(e, senior, controls);

    // The population through the import wizard: dry run, then the import.
    desk::PopulationImportWizard wizard;
    wizard.chooseFile(sourceDir() / "demo" / "data" / "change-tickets.csv");
    CHECK(wizard.guessKey() == "Ticket ID");
    auto request = wizard.request("CM-03", "Production changes", wizard.guessKey(), "Deployed At", "", "");
    const auto dry = checkPopulation(e, request);
    CHECK(listPopulations(e).empty());  // the dry run wrote nothing
    const auto imported = importPopulation(e, senior, request);
    CHECK(imported.inPeriod == dry.inPeriod);
    CHECK(imported.inPeriod == 2401);  // 2,407 rows: 2 before the period, 3 after, 1 unreadable date (the demo's plants)

    // Plan and draw: the firm's table for a control operating many times a day, lower risk.
    desk::SamplePlanner planner(e, imported.populationId);
    auto plan = planner.byFrequency("", "lower");
    REQUIRE(plan.size > 0);
    auto drawn = planner.draw(senior, plan, "random", "20261205");
    CHECK(drawn.size == plan.size);

    // The test plan editor: a new plan, the one selection proposed; saving twice writes once.
    desk::TestPlanEditor editor(e, "CM-03");
    CHECK_FALSE(editor.exists());
    REQUIRE(editor.sampleId == drawn.id);
    editor.types = {"inspection", "reperformance"};
    editor.procedure = "Inspected the change ticket for an approval recorded before deployment.";
    CHECK_THROWS_WITH(editor.save(senior), Catch::Matchers::Contains("Attributes:"));
    editor.addAttribute("Change approved before deployment");
    editor.addAttribute("Deployed by someone other than the developer");
    CHECK(editor.attributes[1].first == "B");
    auto head = trailHead(e);
    CHECK(editor.save(senior));
    const auto afterPlan = trailHead(e);
    CHECK(afterPlan > head);
    CHECK_FALSE(editor.save(senior));
    CHECK(trailHead(e) == afterPlan);

    // Results: the whole grid as pass in one range fill, then item 4, A a deviation.
    desk::TestGrid grid(e, "CM-03");
    REQUIRE(grid.rows() == plan.size);
    REQUIRE(grid.columns() == 3);
    desk::TestGrid::Cells all;
    for (int c = 1; c <= 2; ++c)
        for (int r = 0; r < grid.rows(); ++r) all.emplace_back(r, c);
    head = trailHead(e);
    CHECK(grid.fill(senior, all, O::Pass) == 2 * plan.size);
    CHECK(trailHead(e) - head == 2 * plan.size);  // one trail entry per result, one transaction
    CHECK(grid.fill(senior, {{3, 1}}, O::Deviation) == 1);
    REQUIRE(grid.lastException());
    const auto exceptionId = *grid.lastException();
    CHECK(grid.cell(3, 1) == "⊗ deviation");
    CHECK(grid.progressText() == std::to_string(plan.size) + " of " + std::to_string(plan.size) + " items done, " +
                                     std::to_string(2 * plan.size) + " of " + std::to_string(2 * plan.size) + " results, 1 deviation");

    // A mistaken range, undone: the file holds what it held, the trail holds both.
    desk::TestGrid::Cells mistake = {{0, 2}, {1, 2}, {2, 2}};
    head = trailHead(e);
    CHECK(grid.fill(senior, mistake, O::Deviation) == 3);
    grid.undo(senior);
    for (auto [r, c] : mistake) CHECK(grid.outcome(r, c) == O::Pass);
    CHECK(trailHead(e) >= head + 6);

    // The exception form's fields, then evidence on the deviating result.
    // The form saves its fields together: one refused, none saved.
    CHECK_THROWS_AS(updateException(e, senior, exceptionId, {{"description", "Approved an hour after deployment"}, {"nature", "sometimes"}}),
                    InputError);
    CHECK(listExceptions(e, std::string("CM-03")).front().description.empty());
    updateException(e, senior, exceptionId,
                    {{"description", "Approved an hour after deployment"}, {"cause", "Emergency fix at night"}, {"nature", "isolated"},
                     {"management-response", "The pipeline now blocks unapproved deployments"}, {"criteria", "CC8.1"},
                     {"conclusion", "Isolated; CC8.1 is still met"}, {"criteria-met", "yes"}});
    // The undone range opened B's exception: the record stays, with no deviation left it counts nowhere.
    auto exceptions = listExceptions(e, std::string("CM-03"));
    REQUIRE(exceptions.size() == 2);
    CHECK(exceptions[0].letter == "A");
    CHECK(exceptions[0].concluded());
    CHECK(exceptions[0].deviations == 1);
    CHECK(exceptions[1].letter == "B");
    CHECK(exceptions[1].deviations == 0);
    attachEvidence(e, senior, {testWorkpaper("CM-03"), grid.test().items[3].position, std::string("A")},
                   write(d / "CHG-approval.txt", "approval record"));
    CHECK(listEvidence(e, testWorkpaper("CM-03")).size() == 1);

    // Review: a note raised, answered, cleared; the reviewer concludes (one deviation is the firm's
    // "extend the sample" unless judged otherwise) and both sign.
    const auto note = raiseNote(e, reviewer, testWorkpaper("CM-03"), desk::TestGrid::resultSubject(grid.test().items[3].position, "A"),
                                "Attach the approval record");
    CHECK(desk::dashboardOf(e).openNotes.size() == 1);
    grid.reload();
    CHECK(grid.openNotes(3, 1) == 1);  // the cell the note is about says so
    CHECK(grid.cell(3, 1) == "✎ ⊗ deviation");
    CHECK(grid.openNotes(3, 2) == 0);
    respondToNote(e, senior, note, "Attached CHG-approval.txt");
    clearNote(e, reviewer, note);
    grid.reload();
    CHECK(grid.openNotes(3, 1) == 0);
    CHECK(grid.cell(3, 1) == "⊗ deviation");
    if (!isFinalConclusion(controlConclusion(e, "CM-03").effective()))
        overrideConclusion(e, reviewer, "CM-03", "exceptions-noted", "One isolated, remediated deviation; approval evidence inspected");
    signOff(e, senior, testWorkpaper("CM-03"), "preparer");
    signOff(e, reviewer, testWorkpaper("CM-03"), "reviewer");

    // The partner: particulars and description, the opinion proposed, the report signed and exported.
    for (auto [key, value] : std::initializer_list<std::pair<const char*, const char*>>{
             {"firm_name", "Harbor & Finch LLP"}, {"firm_city", "Boston, Massachusetts"}, {"signatory_name", "Elena Park"},
             {"signatory_title", "Chief Executive Officer"}})
        setReportSetting(e, partner, key, value);
    setReportSetting(e, partner, "report_date", isoString(dateFromDays(daysSinceEpoch(today()) + 14)));
    for (auto& h : descriptionHeadings()) setDescription(e, senior, h.key, std::string("The ") + h.title + " as management describes it.");
    auto proposal = report::assemble(e, sourceDir() / "templates");
    chooseOpinion(e, partner, proposal.opinionProposed, "");
    signOff(e, partner, "report", "partner");

    auto dash = desk::dashboardOf(e);
    for (auto& g : dash.gates) {
        INFO(g.name << ": " << g.detail);
        CHECK(g.met);
    }
    CHECK(dash.gatesOpen == 0);
    REQUIRE(dash.controls.size() == 1);
    CHECK(dash.controls[0].recorded == 2 * plan.size);
    CHECK(dash.controls[0].deviations == 1);
    CHECK(dash.controls[0].preparedBy == "Priya Raman");
    CHECK(dash.controls[0].reviewedBy == "Marcus Lee");
    CHECK(dash.openNotes.empty());
    CHECK(dash.chosenOpinion == proposal.opinionProposed);

    auto final = report::assemble(e, sourceDir() / "templates");
    CHECK(final.issuable());
    CHECK(final.opinionUsed == proposal.opinionProposed);
    report::writePdf(final, d / "report.pdf", report::Output{});
    std::ifstream pdf(d / "report.pdf", std::ios::binary);
    std::string magic(5, '\0');
    pdf.read(magic.data(), 5);
    CHECK(magic == "%PDF-");
    CHECK(verifyTrail(e).intact);
}

// Two members, one record: a write decided on what a member read is refused, nothing of it saved, when
// another member changed that record since, and the refusal names who changed what and when; a record
// nobody else touched is never a conflict. (The test grid's cells: tests/app/test_grid_entry.cpp.)
// Tagged [engines]: ctest runs it on a file and on the private server.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/reporting.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
std::optional<ExceptionView> exceptionOf(Engagement& e, const std::string& control) {
    for (auto& x : listExceptions(e, control)) return x;
    return std::nullopt;
}
// The demo's engagement (on a file, or on the server when the suite runs there), its members signed in.
struct Demo {
    TempDir d;
    std::string at = cliDemo(d);
    Engagement e = Engagement::open(at);
    Actor pr = authenticate(e, "PR", "prepare-2026"), je = authenticate(e, "JE", "staff-2026"), ml = authenticate(e, "ML", "review-2026");
};
NoteView noteOf(Engagement& e, std::int64_t id) {
    for (auto& n : listNotes(e))
        if (n.id == id) return n;
    throw std::runtime_error("no note " + std::to_string(id));
}
}  // namespace

TEST_CASE("an exception form or a note answered on a stale view is refused, naming who changed it, and a fresh one goes in",
          "[engines]") {
    Demo demo;
    auto& e = demo.e;
    auto &pr = demo.pr, &je = demo.je, &ml = demo.ml;
    auto x = exceptionOf(e, "CM-03");
    REQUIRE(x);

    // Priya opens the exception form; Jordan saves the cause meanwhile.
    const auto priyaRead = trailHead(e);
    updateException(e, je, x->id, "cause", "Emergency change approved verbally");
    const auto head = trailHead(e);
    try {
        updateException(e, pr, x->id, {{"cause", "Approval step skipped"}, {"nature", "isolated"}}, "", priyaRead);
        FAIL("Jordan's cause was overwritten by a form that never showed it");
    } catch (const ConflictError& c) {
        CHECK_THAT(c.what(), Contains("exception " + x->letter) && Contains("was changed by Jordan Ellis") &&
                                 Contains("Emergency change approved verbally") && Contains("nothing was saved"));
    }
    CHECK(trailHead(e) == head);  // neither field
    CHECK(exceptionOf(e, "CM-03")->cause == "Emergency change approved verbally");
    // Read again, decided again: saved, and the trail says what it replaced.
    updateException(e, pr, x->id, {{"cause", "Approval step skipped"}}, "", trailHead(e));
    CHECK(exceptionOf(e, "CM-03")->cause == "Approval step skipped");

    // A note: Marcus raises it, Jordan and Priya both read it unanswered; Jordan answers first.
    const auto id = raiseNote(e, ml, "test:CM-03", "", "Which ticket shows the approval?");
    const auto unanswered = noteOf(e, id).version;
    const auto other = raiseNote(e, ml, "test:CM-03", "", "Population completeness?");
    const auto otherRead = noteOf(e, other).version;
    respondToNote(e, je, id, "CHG100734, see the comment history", unanswered);
    CHECK_THROWS_WITH(respondToNote(e, pr, id, "No ticket found", unanswered),
                      Contains("note " + std::to_string(id)) && Contains("was changed by Jordan Ellis") && Contains("CHG100734"));
    CHECK(noteOf(e, id).response.value_or("") == "CHG100734, see the comment history");
    // Another note, changed by nobody since Priya read it (the trail moved on elsewhere): no conflict.
    respondToNote(e, pr, other, "Reconciled to the change log", otherRead);
    // Clearing on the answer as Marcus read it.
    const auto answered = noteOf(e, id).version;
    clearNote(e, ml, id, answered);
    CHECK_FALSE(noteOf(e, id).open());
    CHECK_THROWS_AS(clearNote(e, ml, other, otherRead), ConflictError);  // answered since that read
    CHECK(verifyTrail(e).intact);
}

TEST_CASE("a conclusion judged on a test that changed since is refused, naming the change, and a change elsewhere does not block it",
          "[engines]") {
    Demo demo;
    auto& e = demo.e;
    auto &je = demo.je, &ml = demo.ml;
    const std::string& at = demo.at;
    auto x = exceptionOf(e, "CM-03");
    REQUIRE(x);

    // Marcus reads CM-03 and decides; meanwhile Jordan changes its exception's cause.
    const auto marcusRead = trailHead(e);
    const auto conclusionBefore = controlConclusion(e, "CM-03");
    updateException(e, je, x->id, "cause", "Emergency change approved verbally");
    const auto head = trailHead(e);
    CHECK_THROWS_WITH(overrideConclusion(e, ml, "CM-03", "not-effective", "Approval control failed", marcusRead),
                      Contains("test:CM-03 was changed by Jordan Ellis") && Contains("exception " + x->letter) &&
                          Contains("Emergency change approved verbally") && Contains("nothing was saved"));
    CHECK(trailHead(e) == head);
    CHECK(controlConclusion(e, "CM-03").effective() == conclusionBefore.effective());

    // Read again; another test changes meanwhile (a note on IC-02): the judgement goes in.
    const auto again = trailHead(e);
    raiseNote(e, ml, "test:IC-02", "", "Where is the incident ticket?");
    overrideConclusion(e, ml, "CM-03", "not-effective", "Approval control failed", again);
    CHECK(controlConclusion(e, "CM-03").effective() == "not-effective");

    // The CLI: the version `conclusion --json` gives is the test's newest trail entry, counted by the engine's shell.
    auto shown = sh(std::string(TICKMARK_CLI) + " conclusion " + quote(at) + " --control CM-03 --json");
    REQUIRE(shown.status == 0);
    const auto version = std::stoll(rawSql(at, "SELECT max(seq) FROM audit_trail WHERE workpaper = 'test:CM-03'").out);
    CHECK(nlohmann::json::parse(shown.out).at("version").get<std::int64_t>() == version);
    updateException(e, je, x->id, "cause", "Approval step skipped");
    auto stale = sh("TICKMARK_PASSWORD=review-2026 " + std::string(TICKMARK_CLI) + " conclusion " + quote(at) +
                    " --control CM-03 --override exceptions-noted --reason 'Isolated' --user ML --seen " + std::to_string(version));
    CHECK(stale.status != 0);
    CHECK_THAT(stale.err, Contains("test:CM-03 was changed by Jordan Ellis"));
    CHECK(controlConclusion(e, "CM-03").effective() == "not-effective");
    CHECK(verifyTrail(e).intact);
}

TEST_CASE("a description heading saved on a stale read is refused, naming who wrote it, and another heading goes in",
          "[engines]") {
    Demo demo;
    auto& e = demo.e;
    auto &pr = demo.pr, &je = demo.je;
    const auto priyaRead = trailHead(e);
    setDescription(e, je, "services", "Accounts payable processing for mid-market customers.");
    const auto head = trailHead(e);
    CHECK_THROWS_WITH(setDescription(e, pr, "services", "Payments platform.", "", priyaRead),
                      Contains("description services (report) was changed by Jordan Ellis") &&
                          Contains("Accounts payable processing for mid-market customers.") && Contains("nothing was saved"));
    CHECK(trailHead(e) == head);
    CHECK(descriptionTexts(e).at("services") == "Accounts payable processing for mid-market customers.");
    // A heading nobody else wrote since: no conflict, whatever else changed.
    setDescription(e, pr, "people", "Forty staff across engineering, operations and support.", "", priyaRead);
    CHECK(descriptionTexts(e).at("people") == "Forty staff across engineering, operations and support.");
    CHECK(verifyTrail(e).intact);
}

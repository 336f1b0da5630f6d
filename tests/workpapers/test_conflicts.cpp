// Two members, one record: a write decided on what a member read is refused, nothing of it saved, when
// another member changed that record since, and the refusal names who changed what and when; a record
// nobody else touched is never a conflict. (The test grid's cells: tests/app/test_grid_entry.cpp.)
// Tagged [engines]: ctest runs it on a file and on the private server.
#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
std::optional<ExceptionView> exceptionOf(Engagement& e, const std::string& control) {
    for (auto& x : listExceptions(e, control)) return x;
    return std::nullopt;
}
NoteView noteOf(Engagement& e, std::int64_t id) {
    for (auto& n : listNotes(e))
        if (n.id == id) return n;
    throw std::runtime_error("no note " + std::to_string(id));
}
}  // namespace

TEST_CASE("an exception form or a note answered on a stale view is refused, naming who changed it, and a fresh one goes in",
          "[engines]") {
    TempDir d;
    const std::string at = cliDemo(d);
    auto e = Engagement::open(at);
    auto pr = authenticate(e, "PR", "prepare-2026");
    auto je = authenticate(e, "JE", "staff-2026");
    auto ml = authenticate(e, "ML", "review-2026");
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

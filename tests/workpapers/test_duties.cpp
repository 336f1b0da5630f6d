// Segregation of duties by person (issue: "DW signs one workpaper both as reviewer and as partner; a
// partner adds a second account for a preparer, who then reviews her own work; a member holding
// preparer and reviewer records the results, a colleague signs as preparer, and the one who did the
// work signs as reviewer"). Each attack refused, naming the rule.
#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

struct Team {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor dw = addEngagementPartner(e, "Dana Whitfield", "DW", {"partner", "reviewer"}, "partner-pw-1");
    Actor pr = joinTeam(e, dw, "Priya Raman", "PR", {"preparer"}, "preparer-pw-1");
    Actor ml = joinTeam(e, dw, "Marcus Lee", "ML", {"reviewer"}, "reviewer-pw-1");
    Actor je = joinTeam(e, dw, "Jordan Ellis", "JE", {"preparer", "reviewer"}, "both-pw-123");
    const std::string wp = "test:CM-03";
    Team() {
        ControlImportRequest c;
        c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes approved,CC8.1,Annual,Manual\n");
        importControls(e, pr, c);
        DrawRequest r;
        r.control = "CM-03";
        r.method = "dates";
        r.size = 2;
        r.seed = 3;
        defineTest(e, pr, {"CM-03", {"inspection"}, "Inspected the change log.", drawSample(e, pr, r).id, {{"A", "Approved"}}, ""});
    }
    void record(const Actor& a) { recordResults(e, a, {{"CM-03", 1, "A", "pass", "", "", ""}, {"CM-03", 2, "A", "pass", "", "", ""}}); }
};

}  // namespace

TEST_CASE("duties: one person signs a workpaper in one role only, whatever roles the account holds") {
    Team t;
    t.record(t.pr);
    signOff(t.e, t.pr, t.wp, "preparer");
    signOff(t.e, t.dw, t.wp, "reviewer");
    // DW holds reviewer and partner: having reviewed, DW does not also sign as partner.
    CHECK_THROWS_WITH(signOff(t.e, t.dw, t.wp, "partner"),
                      Contains("Dana Whitfield signed test:CM-03 as reviewer on ") && Contains("one person signs a workpaper in one role only"));
}

TEST_CASE("duties: whoever recorded the results does not review them, even after a colleague signs as preparer") {
    Team t;
    t.record(t.je);                       // JE (preparer and reviewer) does the work
    signOff(t.e, t.pr, t.wp, "preparer");  // PR signs as preparer
    CHECK_THROWS_WITH(signOff(t.e, t.je, t.wp, "reviewer"),
                      Contains("Jordan Ellis recorded results on test:CM-03 (trail entry #") &&
                          Contains("whoever recorded results or evidence on a workpaper does not sign it as reviewer"));
    signOff(t.e, t.ml, t.wp, "reviewer");  // someone who did not do the work reviews it
}

TEST_CASE("duties: evidence attached counts as work on the workpaper") {
    Team t;
    t.record(t.pr);
    attachEvidence(t.e, t.ml, {t.wp, 1, std::string("A")}, write(t.d / "log.txt", "deploy log"));
    signOff(t.e, t.pr, t.wp, "preparer");
    CHECK_THROWS_WITH(signOff(t.e, t.ml, t.wp, "reviewer"), Contains("Marcus Lee recorded evidence on test:CM-03"));
}

TEST_CASE("duties: a second identity for a member needs a recorded reason, and counts as the same person") {
    Team t;
    // The same name, written differently, is the same person: refused without a reason.
    CHECK_THROWS_WITH(addPerson(t.e, t.dw, "priya  RAMAN.", "PR2", {"reviewer"}, "second-pw-12"),
                      Contains("is already on the team as Priya Raman (PR)") && Contains("--identity-reason"));
    CHECK(team(t.e).size() == 4);
    auto p2 = addPerson(t.e, t.dw, "Priya Raman (review account)", "PRR", {"reviewer"}, "second-pw-12");
    CHECK_FALSE(p2.samePersonAs.has_value());  // a different name is not detected as the same person: see below
    auto p3 = addPerson(t.e, t.dw, "Priya Raman.", "PR3", {"reviewer"}, "third-pw-123", "Works from the client site on a second laptop");
    REQUIRE(p3.samePersonAs.has_value());
    CHECK(*p3.samePersonAs == t.pr.id);
    auto members = team(t.e);
    auto listed = std::find_if(members.begin(), members.end(), [](auto& m) { return m.initials == "PR3"; });
    REQUIRE(listed != members.end());
    CHECK(listed->identityReason == "Works from the client site on a second laptop");
    // PR prepares; PR's second identity may not review her own work.
    t.record(t.pr);
    signOff(t.e, t.pr, t.wp, "preparer");
    auto pr3 = authenticate(t.e, "PR3", "third-pw-123");
    CHECK_THROWS_WITH(signOff(t.e, pr3, t.wp, "reviewer"),
                      Contains("Priya Raman. signed test:CM-03 as preparer on ") && Contains("(as Priya Raman, the same person)"));
}

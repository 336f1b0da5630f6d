// Regression tests for the defects of issue 9, each reproduced on the old code first: the report
// follows the evidence. Expected values are written out by hand from the TSC list, never read back
// from the code under test.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/gates.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/rules/scope.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// Security + Availability: 33 common criteria and A1.1-A1.3, 36 in all (templates/tsc-2017.csv).
const std::vector<std::string> kInScope = {
    "CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC2.1", "CC2.2", "CC2.3", "CC3.1", "CC3.2", "CC3.3", "CC3.4",
    "CC4.1", "CC4.2", "CC5.1", "CC5.2", "CC5.3", "CC6.1", "CC6.2", "CC6.3", "CC6.4", "CC6.5", "CC6.6", "CC6.7",
    "CC6.8", "CC7.1", "CC7.2", "CC7.3", "CC7.4", "CC7.5", "CC8.1", "CC9.1", "CC9.2", "A1.1", "A1.2", "A1.3"};

std::string joined(const std::vector<std::string>& ids, const std::set<std::string>& leaveOut) {
    std::string s;
    for (auto& id : ids)
        if (!leaveOut.count(id)) s += (s.empty() ? "" : ";") + id;
    return s;
}

// CM-03 (multiple-daily) tested on 10 of 100 tickets; GEN-01 maps every criterion in scope but those
// left out. A team of three.
struct Engaged {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor partner = addEngagementPartner(e, "Zoe Partner", "ZP", {"partner", "reviewer"}, "partner-pw-1");
    Actor senior = join("Sam Senior", "SS", {"preparer"}, "senior-pw-1");
    Actor manager = join("Mia Manager", "MM", {"reviewer"}, "manager-pw-1");
    std::int64_t population = 0, sample = 0;
    Actor join(const std::string& name, const std::string& initials, const std::vector<std::string>& roles,
               const std::string& password) {
        return joinTeam(e, partner, name, initials, roles, password);
    }
    explicit Engaged(const std::set<std::string>& unmapped = {}) {
        ControlImportRequest c;
        c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\n"
                                    "CM-03,Changes approved,CC8.1,Multiple times a day,Manual\n"
                                    "GEN-01,Entity-level controls,\"" + joined(kInScope, unmapped) + "\",Annual,Manual\n");
        importControls(e, senior, c);
        std::string csv = "Ticket,Opened\n";
        for (int i = 1; i <= 100; ++i) csv += "T" + std::to_string(i) + ",2025-06-" + std::to_string(10 + i % 15) + "\n";
        population = importPopulation(e, senior, {write(d / "t.csv", csv), "CM-03", "Tickets", "Ticket", "Opened"}).populationId;
        sample = draw(10, 1);
        define(sample);
    }
    std::int64_t draw(std::int64_t n, std::uint64_t seed) {
        DrawRequest r;
        r.populationId = population;
        r.size = n;
        r.seed = seed;
        r.planJson = R"({"method":"frequency","frequency":"multiple-daily","risk":"lower","population_size":100,"sample_size":)" +
                     std::to_string(n) + "}";
        return drawSample(e, senior, r).id;
    }
    void define(std::int64_t s) {
        defineTest(e, senior, {"CM-03", {"inspection"}, "Inspected each change ticket.", s, {{"A", "Approved before deployment"}}, ""});
    }
    std::int64_t deviationConcludedNotMet(const std::string& criteria) {
        recordResults(e, senior, {{"CM-03", 4, "A", "deviation", "", "approved after deployment", ""}});
        auto x = listExceptions(e, "CM-03").front();
        updateException(e, senior, x.id, "criteria", criteria);
        updateException(e, senior, x.id, "conclusion", "The change process failed.");
        updateException(e, senior, x.id, "criteria-met", "no");
        return x.id;
    }
};

std::vector<std::string> idsWith(const OpinionProposal& p, Standing s) {
    std::vector<std::string> out;
    for (auto* c : p.with(s)) out.push_back(c->id);
    return out;
}

const Gate& gateNamed(const std::vector<Gate>& gates, const std::string& prefix) {
    auto it = std::find_if(gates.begin(), gates.end(), [&](auto& g) { return g.name.rfind(prefix, 0) == 0; });
    REQUIRE(it != gates.end());
    return *it;
}

}  // namespace

TEST_CASE("criteria concluded not met reach the opinion even while another criterion has no control") {
    Engaged f({"CC9.2"});
    f.deviationConcludedNotMet("CC7.1,CC8.1");
    auto p = proposeOpinion(f.e);
    CHECK(idsWith(p, Standing::NotMet) == std::vector<std::string>{"CC7.1", "CC8.1"});
    CHECK(idsWith(p, Standing::NotAddressed) == std::vector<std::string>{"CC9.2"});
    CHECK(p.opinion == Opinion::Qualified);  // 3 of 36, pervasive at 9
    CHECK(p.applicable == 36);
    CHECK(p.pervasiveAt == 9);
    auto* cc81 = p.with(Standing::NotMet)[1];
    REQUIRE(cc81->exceptions.size() == 1);
    CHECK(cc81->exceptions[0].deviations == 1);
    CHECK(cc81->exceptions[0].tested == 1);  // one of ten recorded so far
}

TEST_CASE("a criterion no control addresses is a design deficiency, not a scope limitation, and a disclaimer needs criteria not examined") {
    std::set<std::string> nine(kInScope.begin(), kInScope.begin() + 9);
    Engaged f(nine);
    auto p = proposeOpinion(f.e);
    CHECK(idsWith(p, Standing::NotAddressed).size() == 9);
    CHECK(p.opinion == Opinion::Adverse);  // 9 of 36 is a quarter: pervasive
    for (const char* id : {"CC1.1", "CC1.2", "CC1.3", "CC1.4", "CC1.5", "CC2.1", "CC2.2", "CC2.3"})
        markCriterion(f.e, f.manager, id, CriterionStatus::NotExamined, "the client could not produce the board minutes");
    p = proposeOpinion(f.e);
    CHECK(idsWith(p, Standing::NotExamined).size() == 8);
    CHECK(idsWith(p, Standing::NotAddressed) == std::vector<std::string>{"CC3.1"});
    CHECK(p.opinion == Opinion::Qualified);  // 8 not examined, 1 not addressed: neither reaches 9
    markCriterion(f.e, f.manager, "CC3.1", CriterionStatus::NotExamined, "risk assessment records were destroyed");
    CHECK(proposeOpinion(f.e).opinion == Opinion::Disclaimer);  // 9 of 36 not examined
    CHECK_THROWS_WITH(markCriterion(f.e, f.senior, "CC3.2", CriterionStatus::NotExamined, "x"), Contains("neither reviewer nor partner"));
    CHECK_THROWS_WITH(markCriterion(f.e, f.manager, "CC3.2", CriterionStatus::NotExamined, ""), Contains("needs the reason"));
}

TEST_CASE("criteria marked not applicable are left out with the reason, and a carved-out subservice organization's CSOC addresses a criterion") {
    Engaged f({"CC6.4", "A1.2", "A1.3"});
    auto p = proposeOpinion(f.e);
    CHECK(idsWith(p, Standing::NotAddressed) == std::vector<std::string>{"CC6.4", "A1.2", "A1.3"});
    f.e.addSubserviceOrg(f.senior, "Amazon Web Services", "IaaS hosting", "carve-out");
    f.e.addCsoc(f.senior, "Amazon Web Services", "Physical access to data centers is restricted.", {"CC6.4"});
    markCriterion(f.e, f.partner, "A1.2", CriterionStatus::NotApplicable, "the system keeps no backups: it is stateless");
    markCriterion(f.e, f.partner, "A1.3", CriterionStatus::NotApplicable, "recovery is the customers' own");
    p = proposeOpinion(f.e);
    CHECK(idsWith(p, Standing::NotAddressed).empty());
    CHECK(idsWith(p, Standing::NotApplicable) == std::vector<std::string>{"A1.2", "A1.3"});
    CHECK(p.applicable == 34);
    CHECK(p.pervasiveAt == 9);  // ceil(34 / 4)
    CHECK(p.opinion == Opinion::Unmodified);
    CHECK_THROWS_WITH(markCriterion(f.e, f.partner, "A1.2", CriterionStatus::NotExamined, "x"), Contains("undo that first"));
    markCriterion(f.e, f.partner, "A1.3", CriterionStatus::NotApplicable, "mistaken", true);
    CHECK(idsWith(proposeOpinion(f.e), Standing::NotAddressed) == std::vector<std::string>{"A1.3"});
}

TEST_CASE("CUECs, CSOCs, exceptions and marks naming criteria out of scope are refused and change nothing") {
    Engaged f;
    auto trailLength = [&] { return AuditTrail(f.e.db()).head(); };
    const auto before = trailLength();
    CHECK_THROWS_WITH(f.e.addCuec(f.senior, "Customers review their users.", {"PI1.4"}), Contains("PI1.4 belongs to Processing integrity"));
    f.e.addSubserviceOrg(f.senior, "Amazon Web Services", "IaaS hosting", "carve-out");
    CHECK_THROWS_WITH(f.e.addCsoc(f.senior, "Amazon Web Services", "Backups.", {"C1.1"}), Contains("not in the scope of this examination"));
    CHECK(trailLength() == before + 1);  // the subservice organization alone
    recordResults(f.e, f.senior, {{"CM-03", 4, "A", "deviation", "", "", ""}});
    auto x = listExceptions(f.e, "CM-03").front();
    CHECK_THROWS_WITH(updateException(f.e, f.senior, x.id, "criteria", "CC8.1,PI1.1"), Contains("PI1.1 belongs to"));
    CHECK(listExceptions(f.e, "CM-03").front().criteria.empty());
    CHECK_THROWS_WITH(markCriterion(f.e, f.partner, "P1.1", CriterionStatus::NotApplicable, "x"), Contains("not in the scope"));
}

TEST_CASE("the opinion choice and the report sign-off go stale when an exception changes after them") {
    Engaged f;
    auto x = f.deviationConcludedNotMet("CC8.1");
    chooseOpinion(f.e, f.partner, "qualified", "");
    signOff(f.e, f.partner, "report", "partner");
    CHECK_FALSE(opinionChoice(f.e)->stale);
    CHECK(gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "Partner sign-off").met);

    updateException(f.e, f.senior, x, "criteria-met", "yes");  // reconsidered: the criterion is met after all
    auto p = proposeOpinion(f.e);
    CHECK(p.opinion == Opinion::Unmodified);
    auto choice = opinionChoice(f.e);
    CHECK(choice->stale);
    CHECK(choice->changesSince.size() == 1);
    CHECK(choice->changesSince[0].field == "criteria-met");
    auto gates = issuanceGates(f.e, p);
    CHECK_FALSE(gateNamed(gates, "The opinion chosen").met);
    CHECK_FALSE(gateNamed(gates, "Partner sign-off").met);
    CHECK_FALSE(allMet(gates));
    CHECK_THROWS_WITH(signOff(f.e, f.partner, "report", "partner"), Contains("the opinion choice is stale"));
    CHECK_THROWS_WITH(chooseOpinion(f.e, f.partner, "qualified", ""), Contains("propose a unmodified opinion"));
    chooseOpinion(f.e, f.partner, "unmodified", "");
    signOff(f.e, f.partner, "report", "partner");
    CHECK(gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "Partner sign-off").met);
}

TEST_CASE("re-pointing a test at another selection never moves a result onto another item") {
    Engaged f;
    auto items = loadTest(f.e, "CM-03").items;
    // What was recorded, by key, written down independently of the store.
    std::map<std::string, std::pair<std::string, std::string>> recorded;
    std::vector<ResultInput> rs;
    for (auto& it : items) {
        const bool dev = it.position == 7;
        rs.push_back({"CM-03", it.position, "A", dev ? "deviation" : "pass", "", "comment on " + it.key, ""});
        recorded[it.key] = {dev ? "deviation" : "pass", "comment on " + it.key};
    }
    recordResults(f.e, f.senior, rs);

    const auto corrected = f.draw(30, 99);  // a new selection: some of the same tickets, most not
    f.define(corrected);
    auto t = loadTest(f.e, "CM-03");
    REQUIRE(t.items.size() == 30);
    std::size_t kept = 0;
    for (auto& r : loadResults(f.e, "CM-03")) {
        const auto& item = t.items.at(static_cast<std::size_t>(r.position - 1));
        CHECK(r.itemKey == item.key);
        REQUIRE(recorded.count(item.key));
        CHECK(recorded[item.key].first == r.outcome);
        CHECK(recorded[item.key].second == r.comment);
        ++kept;
    }
    std::size_t common = 0;
    for (auto& it : t.items) common += recorded.count(it.key);
    CHECK(kept == common);
    CHECK(detachedResults(f.e, "CM-03").size() == 10 - common);
    CHECK(t.recorded == static_cast<std::int64_t>(common));
    CHECK(controlConclusion(f.e, "CM-03").computed == "in-progress");  // the new plan: 30 items to record
    // The trail says where each result went.
    bool saidKeptOut = common == 10;
    for (auto& e : trailFor(f.e.db(), "test:CM-03", 0)) saidKeptOut |= e.newValue && e.newValue->find("kept out of the test") != std::string::npos;
    CHECK(saidKeptOut);

    f.define(f.sample);  // back to the first selection: every result where it was
    auto back = loadResults(f.e, "CM-03");
    REQUIRE(back.size() == 10);
    for (auto& r : back) CHECK(r.itemKey == items.at(static_cast<std::size_t>(r.position - 1)).key);
    CHECK(controlConclusion(f.e, "CM-03").computed == "extend-sample");
}

TEST_CASE("re-importing the control matrix lists each change and makes the sign-offs before it stale") {
    Engaged f;
    std::vector<ResultInput> rs;
    for (int i = 1; i <= 10; ++i) rs.push_back({"CM-03", i, "A", "pass", "", "", ""});
    recordResults(f.e, f.senior, rs);
    signOff(f.e, f.senior, "test:CM-03", "preparer");
    signOff(f.e, f.manager, "test:CM-03", "reviewer");
    CHECK(gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "Every tested control signed").met);

    ControlImportRequest c;
    c.file = write(f.d / "m2.csv", "Control ID,Description,Criteria,Frequency,Nature\n"
                                   "CM-03,Changes approved by the CAB,\"CC8.1\",Multiple times a day,Manual\n"
                                   "GEN-01,Entity-level controls,\"" + joined(kInScope, {"CC9.2"}) + "\",Annual,Manual\n");
    auto r = importControls(f.e, f.senior, c);
    REQUIRE(r.changes.size() == 2);
    CHECK(r.changes[0].control == "CM-03");
    CHECK(r.changes[0].field == "description");
    CHECK(r.changes[0].oldValue == "Changes approved");
    CHECK(r.changes[0].newValue == "Changes approved by the CAB");
    CHECK(r.changes[1].control == "GEN-01");
    CHECK(r.changes[1].field == "criteria");
    CHECK(r.changes[1].newValue.find("CC9.2") == std::string::npos);
    auto so = listSignOffs(f.e, "test:CM-03");
    REQUIRE(so.size() == 2);
    CHECK(so[0].stale);
    CHECK(so[1].stale);
    CHECK(gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "Every tested control signed").failing ==
          std::vector<std::string>{"CM-03 (stale)"});
    CHECK(idsWith(proposeOpinion(f.e), Standing::NotAddressed) == std::vector<std::string>{"CC9.2"});
}

TEST_CASE("the gates tell the truth: results missing, a conclusion not final, dates out of order") {
    Engaged f;
    auto gates = issuanceGates(f.e, proposeOpinion(f.e));
    CHECK(gateNamed(gates, "Every selected item").failing == std::vector<std::string>{"CM-03 (10 of 10 missing)"});
    CHECK(gateNamed(gates, "Every control tested").failing == std::vector<std::string>{"GEN-01"});
    std::vector<ResultInput> rs;
    for (int i = 1; i <= 10; ++i) rs.push_back({"CM-03", i, "A", i == 4 ? "deviation" : "pass", "", "", ""});
    recordResults(f.e, f.senior, rs);
    auto x = listExceptions(f.e, "CM-03").front();
    updateException(f.e, f.senior, x.id, "conclusion", "Isolated.");
    updateException(f.e, f.senior, x.id, "criteria-met", "yes");
    CHECK(controlConclusion(f.e, "CM-03").computed == "extend-sample");
    gates = issuanceGates(f.e, proposeOpinion(f.e));
    CHECK(gateNamed(gates, "Every selected item").met);
    CHECK(gateNamed(gates, "Every conclusion final").failing == std::vector<std::string>{"CM-03 (extend-sample)"});
    CHECK(gateNamed(gates, "Every exception concluded").met);

    updateException(f.e, f.senior, x.id, "criteria-met", "no");  // not met, but which criteria?
    CHECK(gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "Every exception concluded").failing ==
          std::vector<std::string>{"CM-03 A (criteria not met: name them)"});

    setReportSetting(f.e, f.partner, "report_date", "2025-12-31");  // the period's last day
    auto dating = gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "The report date");
    CHECK_FALSE(dating.met);
    CHECK_THAT(dating.detail, Contains("is not after the period end 2025-12-31"));
    signOff(f.e, f.senior, "test:CM-03", "preparer");
    setReportSetting(f.e, f.partner, "report_date", "2026-01-15");  // after the period, but before today's sign-off
    dating = gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "The report date");
    CHECK_THAT(dating.detail, Contains("2026-01-15 is before the last fieldwork sign-off (" + isoString(today())));
    const auto later = isoString(dateFromDays(daysSinceEpoch(today()) + 7));
    setReportSetting(f.e, f.partner, "report_date", later);
    recordRelease(f.e, f.partner, today());
    dating = gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "The report date");
    CHECK(dating.failing == std::vector<std::string>{"release date " + isoString(today()) + " is before the report date " + later});
    recordRelease(f.e, f.partner, *parseIsoDate(later));
    CHECK(gateNamed(issuanceGates(f.e, proposeOpinion(f.e)), "The report date").met);
}

TEST_CASE("a nested unit of work rolls back only its own part") {
    Engaged f;
    auto count = [&] {
        auto st = f.e.db().prepare("SELECT count(*) FROM audit_trail");
        st.step();
        return st.getInt(0);
    };
    const auto before = count();
    {
        db::Transaction outer(f.e.db());
        markCriterion(f.e, f.partner, "A1.1", CriterionStatus::NotApplicable, "no availability commitments");  // nested: a savepoint
        CHECK_THROWS(markCriterion(f.e, f.partner, "A1.1", CriterionStatus::NotExamined, "x"));                 // its savepoint rolls back
        CHECK(count() == before + 1);
        CHECK(f.e.db().transactionDepth() == 1);
        outer.commit();
    }
    CHECK(count() == before + 1);
    CHECK(criterionStatuses(f.e).count("A1.1") == 1);
}

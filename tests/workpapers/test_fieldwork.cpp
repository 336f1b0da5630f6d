#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"
#include "workpapers/sha256.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// An engagement with CM-03 tested on a 10-item random selection, and a team of four.
struct Fieldwork {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    // The engagement partner starts the team and adds the others, who sign in (scrypt: once each).
    Actor partner = addEngagementPartner(e, "Zoe Partner", "ZP", {"partner", "reviewer"}, "partner-pw-1");
    Actor senior = join("Sam Senior", "SS", {"preparer"}, "senior-pw-1");
    Actor manager = join("Mia Manager", "MM", {"reviewer"}, "manager-pw-1");
    Actor both = join("Bo Both", "BB", {"preparer", "reviewer"}, "both-pw-12");
    std::int64_t sample = 0;
    Actor join(const std::string& name, const std::string& initials, const std::vector<std::string>& roles,
               const std::string& password) {
        return joinTeam(e, partner, name, initials, roles, password);
    }
    Fieldwork() {
        ControlImportRequest c;
        c.file = write(d / "m.csv",
                       "Control ID,Description,Criteria,Frequency,Nature\n"
                       "CM-03,Changes approved,CC8.1,Multiple times a day,Manual\n");
        importControls(e, senior, c);
        std::string csv = "Ticket,Opened\n";
        for (int i = 1; i <= 100; ++i) csv += "T" + std::to_string(i) + ",2025-06-" + std::to_string(10 + i % 15) + "\n";
        PopulationImportRequest p{write(d / "t.csv", csv), "CM-03", "Tickets", "Ticket", "Opened"};
        auto pop = importPopulation(e, senior, p).populationId;
        DrawRequest r;
        r.populationId = pop;
        r.size = 10;
        r.seed = 1;
        r.planJson = R"({"method":"frequency","frequency":"multiple-daily","risk":"lower","population_size":100,"sample_size":10})";
        sample = drawSample(e, senior, r).id;
        defineTest(e, senior, {"CM-03", {"inspection", "reperformance"}, "Inspected each change ticket.", sample,
                               {{"A", "Approved before deployment"}, {"B", "Deployed by someone other than the developer"}}, ""});
    }
    void recordAll(const Actor& a, const std::string& outcome = "pass") {
        std::vector<ResultInput> rs;
        for (int i = 1; i <= 10; ++i)
            for (auto l : {"A", "B"}) rs.push_back({"CM-03", i, l, outcome, "", "", ""});
        recordResults(e, a, rs);
    }
    std::int64_t count(const std::string& sql) {
        auto st = e.db().prepare(sql);
        st.step();
        return st.getInt(0);
    }
};

}  // namespace

TEST_CASE("the password records of older files are scrypt at the program's cost, checked against an independent scrypt") {
    // Python's hashlib.scrypt("not a password of anyone", salt 00..0f, N=32768, r=8, p=1, 32 bytes), computed apart.
    const std::string kPython = "scrypt$32768$8$1$000102030405060708090a0b0c0d0e0f$"
                                "8b4edf7b868c1f91339aba00509a2970e2bb98ec452171db79f73af865fa789c";
    CHECK(checkLegacyPassword("not a password of anyone", kPython));
    CHECK_FALSE(checkLegacyPassword("Not a password of anyone", kPython));
    // RFC 7914's vector is scrypt at N=1024, r=8, p=16: right as scrypt, but not the program's cost, so
    // a record carrying it (or any cost written into the file) checks nothing.
    CHECK_FALSE(checkLegacyPassword("password", "scrypt$1024$8$16$4e61436c$fdbabe1c9d3472007856e7190d01e9fe7c6ad7cbc8237830e77376634b373162"));
}

TEST_CASE("people sign in with their password: a wrong one is refused") {
    Fieldwork f;
    CHECK(authenticate(f.e, "SS", "senior-pw-1").name == "Sam Senior");
    CHECK(authenticate(f.e, "Sam Senior", "senior-pw-1").has("preparer"));
    CHECK_THROWS_WITH(authenticate(f.e, "SS", "senior-pw-2"), Contains("wrong password for \"SS\""));
    CHECK_THROWS_WITH(authenticate(f.e, "XX", "x"), Contains("no team member \"XX\""));
    CHECK_THROWS_WITH(addPerson(f.e, f.senior, "New", "NW", {"preparer"}, "password-1"), Contains("only a partner adds"));
    CHECK_THROWS_WITH(addPerson(f.e, f.partner, "Other", "ss", {"preparer"}, "password-1"), Contains("initials \"ss\" are taken"));
    CHECK_THROWS_WITH(addPerson(f.e, f.partner, "Other", "OT", {"auditor"}, "password-1"), Contains("use preparer, reviewer or partner"));
}

TEST_CASE("results: every item x attribute, with progress: bad input records nothing") {
    Fieldwork f;
    auto v = loadTest(f.e, "CM-03");
    CHECK(v.items.size() == 10);
    CHECK(v.expected == 20);
    recordResults(f.e, f.senior, {{"CM-03", 1, "A", "pass", "", "agreed to ticket", "✓"}, {"CM-03", 1, "B", "na", "no deployment", "", ""}});
    v = loadTest(f.e, "CM-03");
    CHECK(v.recorded == 2);
    CHECK(v.itemsDone == 1);
    CHECK(controlConclusion(f.e, "CM-03").computed == "in-progress");

    const auto before = f.count("SELECT count(*) FROM test_result");
    CHECK_THROWS_WITH(recordResults(f.e, f.senior, {{"CM-03", 2, "A", "pass", "", "", ""}, {"CM-03", 11, "A", "pass", "", "", ""}}),
                      Contains("item 11 is not in the selection tested for CM-03 (it has 10 items)"));
    CHECK_THROWS_WITH(recordResults(f.e, f.senior, {{"CM-03", 2, "C", "pass", "", "", ""}}), Contains("attribute C is not in the test plan"));
    CHECK_THROWS_WITH(recordResults(f.e, f.senior, {{"CM-03", 2, "A", "na", "", "", ""}}), Contains("needs the reason"));
    CHECK_THROWS_WITH(recordResults(f.e, f.senior, {{"CM-03", 2, "A", "pass", "", "", "@@"}}), Contains("not in the legend"));
    CHECK_THROWS_WITH(recordResults(f.e, f.senior, {{"XX-01", 1, "A", "pass", "", "", ""}}), Contains("no control \"XX-01\""));
    CHECK_THROWS_WITH(recordResults(f.e, f.manager, {{"CM-03", 2, "A", "pass", "", "", ""}}), Contains("does not hold the preparer role"));
    CHECK(f.count("SELECT count(*) FROM test_result") == before);
}

TEST_CASE("a deviation opens an exception with its x-of-n: the conclusion follows results and the firm's rule") {
    Fieldwork f;
    f.recordAll(f.senior);
    CHECK(controlConclusion(f.e, "CM-03").computed == "operating-effectively");
    recordResults(f.e, f.senior, {{"CM-03", 4, "A", "deviation", "", "approved after deployment", "⊗"}});
    auto x = listExceptions(f.e, "CM-03");
    REQUIRE(x.size() == 1);
    CHECK(x[0].letter == "A");
    CHECK(x[0].deviations == 1);
    CHECK(x[0].tested == 10);
    CHECK_FALSE(x[0].concluded());
    auto c = controlConclusion(f.e, "CM-03");
    CHECK(c.computed == "extend-sample");  // multiple-daily, lower risk: 25 -> 40 in the firm's table
    CHECK_THAT(c.basis, Contains("extend the sample"));

    updateException(f.e, f.senior, x[0].id, "description", "Change approved after deployment.");
    updateException(f.e, f.senior, x[0].id, "management-response", "Approvals are now enforced by the pipeline.");
    updateException(f.e, f.senior, x[0].id, "nature", "isolated");
    updateException(f.e, f.senior, x[0].id, "criteria", "CC8.1");
    CHECK_THROWS_WITH(updateException(f.e, f.senior, x[0].id, "nature", "random"), Contains("use isolated, systemic"));
    CHECK_THROWS_WITH(updateException(f.e, f.senior, x[0].id, "criteria", "CC99.1"), Contains("not a TSC 2017 criterion"));
    updateException(f.e, f.senior, x[0].id, "conclusion", "Isolated; the criterion is still met.");
    updateException(f.e, f.senior, x[0].id, "criteria-met", "no");
    CHECK(controlConclusion(f.e, "CM-03").computed == "not-effective");
    updateException(f.e, f.senior, x[0].id, "criteria-met", "yes");
    x = listExceptions(f.e, "CM-03");
    CHECK(x[0].concluded());
    CHECK(x[0].criteria == std::vector<std::string>{"CC8.1"});

    CHECK_THROWS_WITH(overrideConclusion(f.e, f.manager, "CM-03", "exceptions-noted", ""), Contains("needs the reason"));
    CHECK_THROWS_WITH(overrideConclusion(f.e, f.senior, "CM-03", "exceptions-noted", "x"), Contains("neither reviewer nor partner"));
    overrideConclusion(f.e, f.manager, "CM-03", "exceptions-noted", "Pipeline evidence shows the deviation was isolated");
    c = controlConclusion(f.e, "CM-03");
    CHECK(c.computed == "extend-sample");
    CHECK(c.effective() == "exceptions-noted");
    auto trail = trailFor(f.e.db(), "test:CM-03", 0);
    CHECK(trail.back().field == "override");
    CHECK(trail.back().reason == "Pipeline evidence shows the deviation was isolated");
}

TEST_CASE("sign-offs: segregation of duties, order, open notes, and staleness after a change") {
    Fieldwork f;
    f.recordAll(f.both);
    const std::string wp = "test:CM-03";
    CHECK_THROWS_WITH(signOff(f.e, f.manager, wp, "reviewer"), Contains("no current preparer sign-off"));
    CHECK_THROWS_WITH(signOff(f.e, f.manager, wp, "preparer"), Contains("does not hold the preparer role"));
    signOff(f.e, f.both, wp, "preparer");
    CHECK_THROWS_WITH(signOff(f.e, f.both, wp, "reviewer"), Contains("Bo Both signed test:CM-03 as preparer on ") && Contains("one person signs a workpaper in one role only"));
    CHECK_THROWS_WITH(signOff(f.e, f.partner, wp, "partner"), Contains("no current reviewer sign-off"));

    auto note = raiseNote(f.e, f.manager, wp, "item 3", "Attach the deployment log for item 3.");
    CHECK_THROWS_WITH(raiseNote(f.e, f.senior, wp, "", "x"), Contains("neither reviewer nor partner"));
    CHECK_THROWS_WITH(signOff(f.e, f.manager, wp, "reviewer"), Contains("1 open review note; clear it"));
    respondToNote(f.e, f.both, note, "Attached.");
    clearNote(f.e, f.manager, note);
    CHECK_THROWS_WITH(clearNote(f.e, f.manager, note), Contains("already cleared"));
    signOff(f.e, f.manager, wp, "reviewer");
    signOff(f.e, f.partner, wp, "partner");
    for (auto& s : listSignOffs(f.e, wp)) CHECK_FALSE(s.stale);

    // A result changes after review: every sign-off made before it is stale and shows what changed.
    recordResults(f.e, f.both, {{"CM-03", 3, "B", "deviation", "", "same person deployed", ""}});
    auto sos = listSignOffs(f.e, wp);
    REQUIRE(sos.size() == 3);
    for (auto& s : sos) {
        CHECK(s.stale);
        REQUIRE_FALSE(s.changesSince.empty());
        CHECK(s.changesSince.front().entity.rfind("result 3B (", 0) == 0);
        CHECK(s.changesSince.front().oldValue == std::string("pass"));
        CHECK(s.changesSince.front().newValue == std::string("deviation: same person deployed"));
        CHECK(s.changesSince.front().actor == "Bo Both");
    }
    CHECK_THROWS_WITH(signOff(f.e, f.manager, wp, "reviewer"), Contains("no current preparer sign-off"));
    signOff(f.e, f.both, wp, "preparer");
    signOff(f.e, f.manager, wp, "reviewer");
    auto latest = listSignOffs(f.e, wp);
    CHECK_FALSE(latest.back().stale);
    CHECK_FALSE(latest[latest.size() - 2].stale);
}

TEST_CASE("evidence is kept once, exported byte for byte, under a safe name, within the limit") {
    Fieldwork f;
    std::string bytes;
    for (int i = 0; i < 5000; ++i) bytes += static_cast<char>(i * 7919 % 256);
    auto file = write(f.d / "ticket-4.pdf", bytes);
    auto id1 = attachEvidence(f.e, f.senior, {"test:CM-03", 4, "A"}, file);
    auto id2 = attachEvidence(f.e, f.senior, {"engagement", std::nullopt, std::nullopt}, file);
    CHECK(f.count("SELECT count(*) FROM evidence") == 1);  // the same content is stored once
    CHECK(listEvidence(f.e).size() == 2);
    auto out = exportEvidence(f.e, id1, f.d / "export");
    CHECK(out == f.d / "export" / "ticket-4.pdf");
    CHECK(sha256File(out) == sha256File(file));
    CHECK(exportEvidence(f.e, id2, f.d / "export") == f.d / "export" / "ticket-4 (2).pdf");

    auto odd = write(f.d / "..\\..\\win.ini", "x");  // one file name on Linux; hostile on Windows
    auto oddId = attachEvidence(f.e, f.senior, {"engagement", std::nullopt, std::nullopt}, odd);
    auto oddOut = exportEvidence(f.e, oddId, f.d / "export");
    CHECK(oddOut.parent_path() == f.d / "export");
    CHECK(oddOut.filename().string().find('\\') == std::string::npos);

    const auto links = f.count("SELECT count(*) FROM evidence_link");
    setEvidenceLimit(f.e, f.partner, 1000);
    CHECK_THROWS_WITH(attachEvidence(f.e, f.senior, {"engagement", std::nullopt, std::nullopt}, file),
                      Contains("over the engagement's evidence limit of 1000 bytes"));
    CHECK_THROWS_WITH(attachEvidence(f.e, f.senior, {"engagement", std::nullopt, std::nullopt}, f.d / "gone.pdf"),
                      Contains("gone.pdf: cannot be read"));
    CHECK_THROWS_WITH(attachEvidence(f.e, f.senior, {"test:CM-03", 11, "A"}, odd), Contains("item 11 is not in the selection"));
    CHECK_THROWS_WITH(setEvidenceLimit(f.e, f.senior, 5), Contains("is not a partner"));
    CHECK(f.count("SELECT count(*) FROM evidence_link") == links);
}

TEST_CASE("the audit trail chains every change and detects rows changed, deleted or inserted behind the program's back") {
    Fieldwork f;
    f.recordAll(f.senior);
    signOff(f.e, f.senior, "test:CM-03", "preparer");
    auto v = verifyTrail(f.e.db());
    REQUIRE(v.intact);
    CHECK(v.entries == f.count("SELECT count(*) FROM audit_trail"));
    CHECK(v.entries > 20);
    CHECK_THROWS_AS(f.e.db().exec("UPDATE audit_trail SET actor = 'x' WHERE seq = 3"), StorageError);  // append-only
    CHECK_THROWS_AS(f.e.db().exec("DELETE FROM audit_trail WHERE seq = 3"), StorageError);

    f.e.db().exec("DROP TRIGGER audit_trail_no_update; DROP TRIGGER audit_trail_no_delete");  // as the sqlite3 shell could
    SECTION("a changed row") {
        f.e.db().exec("UPDATE audit_trail SET new_value = 'pass' WHERE seq = 12");
        auto r = verifyTrail(f.e.db());
        CHECK_FALSE(r.intact);
        CHECK(*r.firstBroken == 12);
        CHECK_THAT(r.problem, Contains("was changed after it was written"));
    }
    SECTION("a deleted row") {
        f.e.db().exec("DELETE FROM audit_trail WHERE seq = 7");
        auto r = verifyTrail(f.e.db());
        CHECK_FALSE(r.intact);
        CHECK(*r.firstBroken == 8);
        CHECK_THAT(r.problem, Contains("entries 7..7 are missing"));
    }
    SECTION("an inserted row, renumbering the rest") {
        f.e.db().exec("UPDATE audit_trail SET seq = seq + 1000 WHERE seq >= 5; UPDATE audit_trail SET seq = seq - 999 WHERE seq >= 1005;"
                      "INSERT INTO audit_trail SELECT 5, at, actor, action, workpaper, entity, field, old_value, 'forged', reason, prev_hash, hash FROM audit_trail WHERE seq = 4");
        auto r = verifyTrail(f.e.db());
        CHECK_FALSE(r.intact);
        CHECK(*r.firstBroken == 5);
    }
    SECTION("entries cut off the end, sign-off included") {
        f.e.db().exec("DELETE FROM audit_trail WHERE seq >= (SELECT trail_seq FROM signoff)");
        auto r = verifyTrail(f.e.db());
        CHECK_FALSE(r.intact);
        CHECK_THAT(r.problem, Contains("the trail was cut short or rewritten"));
    }
}

TEST_CASE("release and assembly: the partner locks: then nothing changes or goes, additions need a reason") {
    Fieldwork f;
    f.recordAll(f.senior);
    CHECK_THROWS_WITH(lockFile(f.e, f.partner), Contains("record the report release date first"));
    CHECK_THROWS_WITH(recordRelease(f.e, f.senior, *parseIsoDate("2026-02-15")), Contains("is not a partner"));
    recordRelease(f.e, f.partner, *parseIsoDate("2026-02-15"));
    auto s = assemblyStatus(f.e, *parseIsoDate("2026-03-01"));
    CHECK(isoString(*s.assemblyDeadline) == "2026-04-16");  // 60 days after 2026-02-15
    CHECK(*s.daysLeft == 46);
    CHECK_THROWS_WITH(lockFile(f.e, f.manager), Contains("is not a partner"));
    lockFile(f.e, f.partner);
    CHECK_THROWS_WITH(lockFile(f.e, f.partner), Contains("already assembled"));

    const auto entries = f.count("SELECT count(*) FROM audit_trail");
    CHECK_THROWS_WITH(recordResults(f.e, f.senior, {{"CM-03", 1, "A", "deviation", "", "", ""}}), Contains("nothing may be changed or deleted"));
    CHECK_THROWS_WITH(defineTest(f.e, f.senior, {"CM-03", {"inspection"}, "Changed.", f.sample, {{"A", "Approved"}}, ""}),
                      Contains("nothing may be changed or deleted"));
    CHECK_THROWS_WITH(updateException(f.e, f.senior, 1, "cause", "x"), Contains("no exception with id 1"));
    CHECK_THROWS_WITH(raiseNote(f.e, f.manager, "test:CM-03", "", "Late note"), Contains("give the reason (--reason)"));
    CHECK_THROWS_WITH(recordRelease(f.e, f.partner, *parseIsoDate("2026-02-20")), Contains("nothing may be changed"));
    CHECK(f.count("SELECT count(*) FROM audit_trail") == entries);
    raiseNote(f.e, f.manager, "test:CM-03", "", "Memo for the inspector", "Requested at PCAOB inspection");
    auto last = trailFor(f.e.db(), "test:CM-03", 0).back();
    CHECK(last.reason == "Requested at PCAOB inspection");
    CHECK(last.actor == "Mia Manager");
    CHECK(verifyTrail(f.e.db()).intact);
}

TEST_CASE("Type I engagements test design only") {
    TempDir d;
    EngagementSetup s{"C", "S", ReportType::TypeI, std::nullopt, std::nullopt, parseIsoDate("2025-09-30"), {}};
    auto e = Engagement::create(d / "t1.tickmark", s, criteriaCsv());
    ControlImportRequest c;
    c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nHR-01,Checks,CC1.4,As needed,Manual\n");
    auto p = addEngagementPartner(e, "Solo", "SO", {"partner", "preparer"}, "solo-pass-1");
    importControls(e, p, c);
    CHECK_THROWS_WITH(defineTest(e, p, {"HR-01", {"inquiry"}, "Asked.", std::nullopt, {{"A", "Designed"}}, ""}),
                      Contains("inquiry alone is never enough"));
    defineTest(e, p, {"HR-01", {"inquiry", "inspection"}, "Inspected the design.", std::nullopt, {{"A", "Suitably designed"}}, ""});
    auto v = loadTest(e, "HR-01");
    CHECK(v.designOnly);
    CHECK(v.items.size() == 1);
    recordResults(e, p, {{"HR-01", 1, "A", "pass", "", "", ""}});
    CHECK(controlConclusion(e, "HR-01").computed == "suitably-designed");  // Type I concludes on design, never "operating effectively"
}

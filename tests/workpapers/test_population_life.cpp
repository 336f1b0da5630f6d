// Populations over their life: replaced (the old version kept, its selections flagged until re-drawn
// or accepted), renamed, deleted while nothing depends on them, shared by controls; judgmental items
// outside the statistical evaluation; the client's stated total.
#include <catch2/catch.hpp>

#include <algorithm>
#include <set>

#include <nlohmann/json.hpp>

#include "report/report.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/judgmental_items.h"
#include "workpapers/population.h"
#include "workpapers/population_life.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/seal.h"
#include "workpapers/schema.h"
#include "workpapers/rules/gates.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/rules/population_currency.h"
#include "workpapers/samples.h"
#include "workpapers/sha256.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// Tickets T1..Tn, ticket i opened on day 8*i of 2025 (T1 on 2025-01-09), all in the period.
std::string tickets(int n, const std::set<int>& without = {}, const std::vector<int>& extra = {}) {
    std::string csv = "Ticket,Opened\n";
    auto row = [&](int i) {
        const auto d = dateFromDays(daysSinceEpoch(*parseIsoDate("2025-01-01")) + 8 * i % 364);
        csv += "T" + std::to_string(i) + "," + isoString(d) + "\n";
    };
    for (int i = 1; i <= n; ++i)
        if (!without.count(i)) row(i);
    for (int i : extra) row(i);
    return csv;
}

// Every row of every table, in one digest: what "the engagement is unchanged" means here.
std::string contents(Engagement& e) {
    Sha256 h;
    std::vector<std::string> tables;
    auto t = e.db().prepare("SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name");
    while (t.step()) tables.push_back(t.getText(0));
    for (auto& name : tables) {
        auto st = e.db().prepare("SELECT * FROM \"" + name + "\"");
        h.update(name.data(), name.size());
        while (st.step())
            for (int c = 0; c < st.columnCount(); ++c) {
                std::string v = st.columnKind(c) == 'n' ? "\x01NULL" : std::string(st.getText(c));
                h.update(v.data(), v.size() + 1);
            }
    }
    return h.hexDigest();
}

struct Fixture {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor partner = testPartner(e);  // partner and reviewer
    Actor preparer = joinTeam(e, partner, "Priya Preparer", "PR", {"preparer"}, "preparer-pw-1");
    int files = 0;
    Fixture() {
        ControlImportRequest c;
        c.file = write(d / "m.csv",
                       "Control ID,Description,Criteria,Frequency,Nature\n"
                       "CM-03,Changes approved,CC8.1,Multiple times a day,Manual\n"
                       "CM-04,Changes tested,CC8.1,Multiple times a day,Manual\n"
                       "OP-02,Backups run,A1.2,Daily,Automated\n");
        importControls(e, partner, c);
    }
    std::filesystem::path file(const std::string& csv) { return write(d / ("p" + std::to_string(++files) + ".csv"), csv); }
    PopulationImportRequest request(const std::string& csv, const std::string& name = "Tickets", const std::string& control = "CM-03") {
        PopulationImportRequest p;
        p.file = file(csv);
        p.control = control;
        p.name = name;
        p.keyColumn = "Ticket";
        p.dateColumn = "Opened";
        return p;
    }
    std::int64_t import(const std::string& csv, const std::string& name = "Tickets", const std::string& control = "CM-03") {
        return importPopulation(e, partner, request(csv, name, control)).populationId;
    }
    SampleRecord draw(std::int64_t population, std::int64_t size, std::uint64_t seed, const std::string& control = "") {
        DrawRequest r;
        r.populationId = population;
        r.control = control;
        r.size = size;
        r.seed = seed;
        return drawSample(e, partner, r);
    }
    void define(const std::string& control, std::int64_t sample) {
        TestDefinition t;
        t.control = control;
        t.types = {"inspection"};
        t.procedure = "Inspected the ticket's approval";
        t.sampleId = sample;
        t.attributes = {{"A", "Approved before release?"}};
        defineTest(e, preparer, t);
    }
    void record(const std::string& control, std::int64_t from, std::int64_t to, const std::string& outcome = "pass") {
        std::vector<ResultInput> in;
        for (auto p = from; p <= to; ++p) in.push_back({control, p, "A", outcome, "", "", ""});
        recordResults(e, preparer, in);
    }
    Gate populationGate() {
        for (auto& g : issuanceGates(e, proposeOpinion(e)))
            if (g.name.rfind("Every selection tested drawn from the population in force", 0) == 0) return g;
        FAIL("no population gate");
        return {};
    }
};

}  // namespace

TEST_CASE("a replaced population is kept, its selection flagged naming the missing key, results untouched, until accepted") {
    Fixture f;
    const auto p1 = f.import(tickets(40));
    const auto s1 = f.draw(p1, 5, 20251127);
    f.define("CM-03", s1.id);
    f.record("CM-03", 1, 5);
    const auto before = loadResults(f.e, "CM-03");
    REQUIRE(before.size() == 5);
    CHECK(f.populationGate().met);

    // The corrected file drops the first drawn ticket and adds T41.
    const int dropped = std::stoi(s1.items[0].key.substr(1));
    auto req = f.request(tickets(40, {dropped}, {41}));
    req.name = "";
    auto p2 = replacePopulation(f.e, f.partner, p1, req, "the client's corrected extract");
    CHECK(p2.name == "Tickets (version 2)");
    CHECK(p2.rows == 40);
    CHECK(p2.source.sha256 == sha256File(req.file));
    CHECK(populationLife(f.e, p1).supersededBy == p2.populationId);
    CHECK(populationLife(f.e, p1).supersedeReason == "the client's corrected extract");
    CHECK(populationLife(f.e, p2.populationId).supersedes == p1);
    CHECK(loadProfile(f.e, p1).rows == 40);  // the old version is kept as it was
    CHECK(currentPopulationVersion(f.e, p1) == p2.populationId);

    auto flagged = supersededSelections(f.e);
    REQUIRE(flagged.size() == 1);
    CHECK(flagged[0].sampleId == s1.id);
    CHECK(flagged[0].drawnFrom == p1);
    CHECK(flagged[0].current == p2.populationId);
    CHECK(flagged[0].items == 5);
    CHECK(flagged[0].missingKeys == std::vector<std::string>{s1.items[0].key});
    CHECK(flagged[0].testedBy == std::vector<std::string>{"CM-03"});
    CHECK(flagged[0].open());
    auto gate = f.populationGate();
    CHECK_FALSE(gate.met);
    CHECK(gate.failing == std::vector<std::string>{"selection " + std::to_string(s1.id) +
                                                   " (tested for CM-03) drawn from superseded population " + std::to_string(p1)});
    // The test's sign-offs see the change: the trail has it on test:CM-03.
    bool trailed = false;
    forEachTrailEntry(f.e.db(), {std::string("test:CM-03"), 0}, [&](const TrailEntry& t) { trailed |= t.field == "superseded_by"; });
    CHECK(trailed);

    // Replacing never changes a recorded result.
    const auto after = loadResults(f.e, "CM-03");
    REQUIRE(after.size() == before.size());
    for (std::size_t i = 0; i < after.size(); ++i) {
        CHECK(after[i].itemKey == before[i].itemKey);
        CHECK(after[i].outcome == before[i].outcome);
        CHECK(after[i].recordedAt == before[i].recordedAt);
        CHECK(after[i].position == before[i].position);
    }

    // Refusals leave the engagement as it was.
    const auto state = contents(f.e);
    CHECK_THROWS_WITH(acceptSupersededSelection(f.e, f.preparer, s1.id, "fine"), Contains("neither reviewer nor partner"));
    CHECK_THROWS_WITH(acceptSupersededSelection(f.e, f.partner, s1.id, "  "), Contains("needs the reason"));
    CHECK_THROWS_WITH(replacePopulation(f.e, f.partner, p1, f.request(tickets(3)), "again"),
                      Contains("already superseded by population " + std::to_string(p2.populationId)));
    CHECK_THROWS_WITH(f.draw(p1, 2, 1), Contains("draw from the version in force, population " + std::to_string(p2.populationId)));
    CHECK(contents(f.e) == state);

    auto accepted = acceptSupersededSelection(f.e, f.partner, s1.id, "the dropped ticket was a duplicate; tested items stand");
    CHECK_FALSE(accepted.open());
    CHECK(f.populationGate().met);
    CHECK_THROWS_WITH(acceptSupersededSelection(f.e, f.partner, s1.id, "again"), Contains("already accepted"));
    CHECK(proof::verifyProof(f.e).clean());

    // Replaced again: the acceptance was for version 2, so the selection is open again.
    auto req3 = f.request(tickets(40, {dropped}, {41, 42}));
    req3.name = "";
    auto p3 = replacePopulation(f.e, f.partner, p2.populationId, req3, "one more ticket");
    CHECK(p3.name == "Tickets (version 3)");
    auto again = supersededSelection(f.e, s1.id);
    REQUIRE(again);
    CHECK(again->current == p3.populationId);
    CHECK(again->open());
    CHECK(again->acceptanceStale);
    CHECK_FALSE(f.populationGate().met);

    // Re-drawn from the version in force and the test pointed at it: nothing tested is flagged; the
    // results stay with their keys (those in the new selection placed, the rest kept out).
    const auto s2 = f.draw(p3.populationId, 5, 20251127);
    f.define("CM-03", s2.id);
    CHECK(supersededSelection(f.e, s1.id)->redrawnAs == s2.id);
    CHECK(f.populationGate().met);
    std::set<std::string> newKeys;
    for (auto& it : s2.items) newKeys.insert(it.key);
    std::int64_t placed = 0, keptOut = 0;
    for (auto& r : before) (newKeys.count(r.itemKey) ? placed : keptOut) += 1;
    CHECK(static_cast<std::int64_t>(loadResults(f.e, "CM-03").size()) == placed);
    CHECK(static_cast<std::int64_t>(detachedResults(f.e, "CM-03").size()) == keptOut);
    CHECK(proof::verifyProof(f.e).clean());
}

TEST_CASE("replace takes the old version's columns unless told otherwise, and refuses without a reason") {
    Fixture f;
    auto first = f.request("Ticket,Opened,Amount\nT1,2025-02-01,10\nT2,2025-03-01,20\n");
    first.amountColumn = "Amount";
    const auto p1 = importPopulation(f.e, f.partner, first).populationId;
    // Only the file given: the columns (the amount too) are the old version's.
    PopulationImportRequest blank;
    blank.file = f.file("Ticket,Opened,Amount\nT1,2025-02-01,10\nT2,2025-03-01,n/a\nT3,2025-04-01,5\n");
    const auto state = contents(f.e);
    CHECK_THROWS_WITH(replacePopulation(f.e, f.partner, p1, blank, ""), Contains("needs the reason"));
    CHECK(contents(f.e) == state);
    auto p = replacePopulation(f.e, f.partner, p1, blank, "amount column corrected");
    CHECK(p.keyColumn == "Ticket");
    CHECK(p.dateColumn == "Opened");
    REQUIRE(p.amountColumn);
    CHECK(*p.amountColumn == "Amount");
    CHECK(p.badAmounts == 1);
    CHECK(p.rows == 3);
    CHECK(p.control == "CM-03");
    CHECK(p.name == "Tickets (version 2)");
}

TEST_CASE("a population is renamed under a unique name and deleted only while nothing depends on it") {
    Fixture f;
    const auto p1 = f.import(tickets(10));
    const auto p2 = f.import(tickets(12), "Tickets Q1");
    const auto state = contents(f.e);
    CHECK_THROWS_WITH(renamePopulation(f.e, f.partner, p2, "Tickets", ""), Contains("already has a population named \"Tickets\""));
    CHECK_THROWS_WITH(renamePopulation(f.e, f.partner, p2, "", ""), Contains("cannot be empty"));
    CHECK(contents(f.e) == state);
    renamePopulation(f.e, f.partner, p2, "Tickets (spare)", "clearer");
    CHECK(loadProfile(f.e, p2).name == "Tickets (spare)");

    const auto s = f.draw(p1, 3, 7);
    const auto s2 = f.draw(p1, 2, 8);
    const auto before = contents(f.e);
    CHECK_THROWS_WITH(deletePopulation(f.e, f.partner, p1, "not needed"),
                      Contains("selections " + std::to_string(s.id) + ", " + std::to_string(s2.id) + " were drawn from it"));
    CHECK_THROWS_WITH(deletePopulation(f.e, f.partner, p2, ""), Contains("needs the reason"));
    CHECK(contents(f.e) == before);

    std::string sourceName;
    {
        auto st = f.e.db().prepare("SELECT f.file_name FROM population p JOIN source_file f ON f.id = p.source_file_id WHERE p.id = ?");
        st.bind(1, p2);
        REQUIRE(st.step());
        sourceName = st.getText(0);
    }
    deletePopulation(f.e, f.partner, p2, "imported twice by mistake");
    CHECK_THROWS_AS(loadProfile(f.e, p2), InputError);
    auto count = [&](const std::string& sql) {
        auto st = f.e.db().prepare(sql);
        st.bind(1, p2);
        st.step();
        return st.getInt(0);
    };
    CHECK(count("SELECT count(*) FROM population_block WHERE population_id = ?") == 0);
    CHECK(count("SELECT count(*) FROM population_finding WHERE population_id = ?") == 0);
    {
        auto st = f.e.db().prepare("SELECT count(*) FROM source_file WHERE file_name = ?");
        st.bind(1, sourceName);
        st.step();
        CHECK(st.getInt(0) == 0);
    }
    std::vector<TrailEntry> deletion;
    forEachTrailEntry(f.e.db(), {"population:" + std::to_string(p2), 0}, [&](const TrailEntry& t) {
        if (t.action == "delete") deletion.push_back(t);
    });
    REQUIRE(deletion.size() == 1);
    CHECK(deletion[0].reason == "imported twice by mistake");
    CHECK_THAT(*deletion[0].oldValue, Contains("Tickets (spare) for CM-03"));
    CHECK(listPopulations(f.e).size() == 1);
    CHECK(proof::verifyProof(f.e).clean());
}

TEST_CASE("deleting a replacement puts the version it superseded back in force") {
    Fixture f;
    const auto p1 = f.import(tickets(10));
    const auto s = f.draw(p1, 3, 9);
    f.define("CM-03", s.id);
    auto req = f.request(tickets(9));
    req.name = "";
    const auto p2 = replacePopulation(f.e, f.partner, p1, req, "wrong file sent").populationId;
    CHECK(supersededSelections(f.e).size() == 1);
    deletePopulation(f.e, f.partner, p2, "the client withdrew the correction");
    CHECK_FALSE(populationLife(f.e, p1).supersededBy);
    CHECK(supersededSelections(f.e).empty());
    CHECK(f.populationGate().met);
    CHECK(proof::verifyProof(f.e).clean());
}

TEST_CASE("one population and one selection serve two controls, and a change to the shared selection reaches both tests") {
    Fixture f;
    const auto p = f.import(tickets(30));
    const auto s = f.draw(p, 4, 11);
    f.define("CM-03", s.id);
    const auto state = contents(f.e);
    CHECK_THROWS_WITH(f.define("CM-04", s.id), Contains("link it first: tickmark population link FILE " + std::to_string(p) +
                                                        " --control CM-04"));
    CHECK_THROWS_WITH(f.draw(p, 2, 1, "CM-04"), Contains("belongs to control CM-03, not CM-04"));
    CHECK(contents(f.e) == state);

    linkPopulation(f.e, f.partner, p, "CM-04", "both controls test the same change tickets");
    CHECK(controlsServed(f.e, p) == std::vector<std::string>{"CM-03", "CM-04"});
    CHECK_THROWS_WITH(linkPopulation(f.e, f.partner, p, "CM-04", ""), Contains("already serves CM-04"));
    CHECK_THROWS_WITH(linkPopulation(f.e, f.partner, p, "CM-03", ""), Contains("serves it already"));
    f.define("CM-04", s.id);
    CHECK(controlsTestingSelection(f.e, s.id) == std::vector<std::string>{"CM-03", "CM-04"});
    CHECK(loadTest(f.e, "CM-04").items.size() == 4);
    // A selection may be drawn for the linked control too.
    CHECK(f.draw(p, 2, 3, "CM-04").control == "CM-04");

    f.record("CM-03", 1, 4);
    f.record("CM-04", 1, 4);
    signOff(f.e, f.preparer, "test:CM-03", "preparer");
    signOff(f.e, f.preparer, "test:CM-04", "preparer");
    for (auto& so : listSignOffs(f.e)) CHECK_FALSE(so.stale);

    // Extended for one, the selection grows in both tests; both sign-offs go stale by the trail, and the
    // seals still verify (no test changed behind its trail).
    extendSample(f.e, f.partner, s.id, 2, 5);
    CHECK(loadTest(f.e, "CM-03").items.size() == 6);
    CHECK(loadTest(f.e, "CM-04").items.size() == 6);
    std::int64_t stale = 0, outside = 0;
    for (auto& so : listSignOffs(f.e)) {
        stale += so.stale;
        outside += !so.changedOutside.empty();
    }
    CHECK(stale == 2);
    CHECK(outside == 0);
    CHECK(proof::verifyProof(f.e).clean());

    // A judgmental item added to the shared selection too.
    addJudgmentalItem(f.e, f.partner, s.id, "T30", "the last ticket of the year");
    CHECK(loadTest(f.e, "CM-03").items.size() == 7);
    CHECK(loadTest(f.e, "CM-04").items.size() == 7);
    CHECK(proof::verifyProof(f.e).clean());
}

TEST_CASE("a judgmental item is tested like the others, outside the statistical evaluation, and apart from the re-performed draw") {
    Fixture f;
    const auto p = f.import(tickets(60));
    DrawRequest r;
    r.populationId = p;
    r.seed = 99;
    r.size = 25;
    const auto s = drawSample(f.e, f.partner, r);
    std::set<std::string> drawn;
    for (auto& it : s.items) drawn.insert(it.key);
    std::string boundary;
    for (int i = 60; i >= 1 && boundary.empty(); --i)
        if (!drawn.count("T" + std::to_string(i))) boundary = "T" + std::to_string(i);
    f.define("CM-03", s.id);

    const auto state = contents(f.e);
    CHECK_THROWS_WITH(addJudgmentalItem(f.e, f.partner, s.id, s.items[0].key, "again"), Contains("already in selection"));
    CHECK_THROWS_WITH(addJudgmentalItem(f.e, f.partner, s.id, "T999", "x"), Contains("has no item with key \"T999\""));
    CHECK_THROWS_WITH(addJudgmentalItem(f.e, f.partner, s.id, boundary, ""), Contains("needs the reason"));
    CHECK(contents(f.e) == state);

    const auto j = addJudgmentalItem(f.e, f.partner, s.id, boundary, "boundary: the last ticket not drawn");
    CHECK(j.seq == 1);
    CHECK(j.row == std::stoi(boundary.substr(1)));
    auto v = loadTest(f.e, "CM-03");
    REQUIRE(v.items.size() == 26);
    CHECK(v.items[25].judgmental);
    CHECK(v.items[25].key == boundary);
    CHECK(std::count_if(v.items.begin(), v.items.end(), [](const TestItem& i) { return i.judgmental; }) == 1);
    CHECK(v.expected == 26);

    // The judgmental item deviates, the 25 drawn pass: no deviation counts against the control.
    f.record("CM-03", 1, 25);
    f.record("CM-03", 26, 26, "deviation");
    auto c = controlConclusion(f.e, "CM-03");
    CHECK(c.computed == "in-progress");  // the exception awaits the auditor's conclusion
    CHECK_THAT(c.basis, Contains("no deviations in 25 items drawn; 1 of 1 judgmental item deviated (outside the statistical evaluation)"));
    auto x = listExceptions(f.e, "CM-03");
    REQUIRE(x.size() == 1);
    updateException(f.e, f.partner, x[0].id, "conclusion", "isolated; the control operated for the drawn items");
    updateException(f.e, f.partner, x[0].id, "criteria-met", "yes");
    CHECK(controlConclusion(f.e, "CM-03").computed == "exceptions-noted");

    // Re-performing the selection reproduces the 25 drawn items; the judgmental one is listed apart.
    auto ver = verifySample(f.e, s.id, std::nullopt);
    CHECK(ver.identical);
    REQUIRE(ver.judgmental.size() == 1);
    CHECK_THAT(ver.judgmental[0], Contains(boundary + " (row " + boundary.substr(1) + "), added by Test Partner"));
    CHECK(loadSample(f.e, s.id).items.size() == 25);
    CHECK(proof::verifyProof(f.e).clean());
}

TEST_CASE("a judgmental day is added to a selection of dates, and extensions are refused their own") {
    Fixture f;
    DrawRequest r;
    r.method = "dates";
    r.control = "OP-02";
    r.size = 3;
    r.seed = 5;
    const auto s = drawSample(f.e, f.partner, r);
    CHECK_THROWS_WITH(addJudgmentalItem(f.e, f.partner, s.id, "2026-01-01", "x"), Contains("give a day of the period"));
    std::string day = "2025-12-31";
    for (auto& it : s.items)
        if (it.key == day) day = "2025-12-30";
    auto j = addJudgmentalItem(f.e, f.partner, s.id, day, "year end");
    CHECK(j.key == day);
    CHECK_FALSE(j.row);
    CHECK_THROWS_WITH(addJudgmentalItem(f.e, f.partner, s.id, day, "again"), Contains("already in selection"));
    const auto ext = extendSample(f.e, f.partner, s.id, 1, 3);
    CHECK_THROWS_WITH(addJudgmentalItem(f.e, f.partner, ext.id, "2025-06-30", "x"),
                      Contains("add the item to selection " + std::to_string(s.id)));
}

TEST_CASE("the client's stated total: agreeing closes it, a difference is open until a reviewer explains it") {
    Fixture f;
    const auto p = f.import(tickets(20));  // 20 in the period
    CHECK(f.populationGate().met);
    reconcilePopulation(f.e, f.preparer, p, 20, "ServiceNow dashboard, 2026-01-05", "");
    auto r = *populationReconciliation(f.e, p);
    CHECK(r.counted == 20);
    CHECK(r.agrees());
    CHECK_FALSE(r.open());
    CHECK_THROWS_WITH(explainReconciliation(f.e, f.partner, p, "x"), Contains("no difference to explain"));

    reconcilePopulation(f.e, f.preparer, p, 22, "ServiceNow dashboard, 2026-01-05", "");
    r = *populationReconciliation(f.e, p);
    CHECK(r.difference() == -2);
    CHECK(r.open());
    auto gate = f.populationGate();
    CHECK_FALSE(gate.met);
    CHECK(gate.failing == std::vector<std::string>{"population " + std::to_string(p) +
                                                   " counts 20 in the period, the client states 22 (ServiceNow dashboard, 2026-01-05): "
                                                   "difference -2 not explained"});
    const auto state = contents(f.e);
    CHECK_THROWS_WITH(explainReconciliation(f.e, f.preparer, p, "two cancelled"), Contains("neither reviewer nor partner"));
    CHECK_THROWS_WITH(reconcilePopulation(f.e, f.preparer, p, -1, "x", ""), Contains("0 or more"));
    CHECK_THROWS_WITH(reconcilePopulation(f.e, f.preparer, p, 3, " ", ""), Contains("--source"));
    CHECK(contents(f.e) == state);
    explainReconciliation(f.e, f.partner, p, "two tickets cancelled before work started are counted by the dashboard");
    CHECK_FALSE(populationReconciliation(f.e, p)->open());
    CHECK(f.populationGate().met);
    // Recorded again, the explanation goes with the old total.
    reconcilePopulation(f.e, f.preparer, p, 23, "ServiceNow dashboard, 2026-01-07", "");
    CHECK(populationReconciliation(f.e, p)->open());
    CHECK(proof::verifyProof(f.e).clean());
}

TEST_CASE("a file of the previous schema upgrades to populations over their life with its sign-offs and seals as they were") {
    TempDir d;
    const auto v11 = d / "previous.tickmark";
    const int previous = schema::currentVersion() - 1;  // the schema before populations over their life
    std::int64_t population = 0, sample = 0;
    {
        // An engagement worked through: a population, a selection, a test with results, signed off.
        Fixture f;
        population = f.import(tickets(30));
        sample = f.draw(population, 4, 3).id;
        f.define("CM-03", sample);
        f.record("CM-03", 1, 4);
        signOff(f.e, f.preparer, "test:CM-03", "preparer");
        signOff(f.e, f.partner, "test:CM-03", "reviewer");
        // The same content in a file of the previous schema: each of its tables copied column for column.
        db::Database raw(v11.string(), db::Database::Mode::Create);
        schema::create(raw, previous);
        raw.exec("PRAGMA foreign_keys = OFF");
        raw.exec("ATTACH DATABASE " + std::string("'") + (f.d / "e.tickmark").string() + "' AS src");
        std::vector<std::string> tables;
        {
            auto st = raw.prepare("SELECT name FROM main.sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%'");
            while (st.step()) tables.push_back(st.getText(0));
        }
        for (auto& t : tables) {
            std::string cols;
            auto st = raw.prepare("SELECT name FROM pragma_table_info('" + t + "', 'main')");
            while (st.step()) cols += (cols.empty() ? "\"" : ", \"") + st.getText(0) + "\"";
            if (t == "tick_mark") raw.exec("DELETE FROM main.tick_mark");  // the schema's own rows, copied again
            raw.exec("INSERT INTO main.\"" + t + "\"(" + cols + ") SELECT " + cols + " FROM src.\"" + t + "\"");
        }
        raw.exec("DETACH DATABASE src");
        CHECK(raw.pragmaInt("user_version") == previous);
    }
    auto e = Engagement::open(v11);
    CHECK(e.db().pragmaInt("user_version") == schema::currentVersion());
    CHECK(std::filesystem::exists(v11.string() + ".schema-v" + std::to_string(previous) + ".bak"));
    // What was signed reads the same: no new part appears in a workpaper that holds none of it.
    auto signoffs = listSignOffs(e, std::string("test:CM-03"));
    REQUIRE(signoffs.size() == 2);
    for (auto& s : signoffs) {
        CHECK_FALSE(s.stale);
        CHECK(s.changedOutside.empty());
    }
    const auto parts = workpaperDigest(e, "test:CM-03").parts;
    std::set<std::string> names;
    for (auto& [name, hex] : parts) names.insert(name);
    CHECK(names.count("selection") == 1);
    CHECK(names.count("judgmental items") == 0);
    CHECK(names.count("population acceptance") == 0);
    CHECK(stateDigest(e, "population:" + std::to_string(population))->parts.count("life") == 0);
    CHECK(proof::verifyProof(e).clean());
    // And the upgraded file lives on: replaced, the selection is flagged; its sign-offs go stale by the trail.
    const Actor partner = authenticate(e, "TP", "test-partner-pw");
    PopulationImportRequest req;
    req.file = write(d / "v2.csv", tickets(30, {1}));
    auto p2 = replacePopulation(e, partner, population, req, "corrected");
    CHECK(p2.rows == 29);
    CHECK(supersededSelection(e, sample).has_value());
    for (auto& s : listSignOffs(e, std::string("test:CM-03"))) CHECK(s.stale);
    CHECK(proof::verifyProof(e).clean());
}

TEST_CASE("the workpapers workbook's Populations sheet carries the versions, gaps and reconciliation, read back with openpyxl") {
    Fixture f;
    // Daily backups B001..B365 of 2025 without day 331 (2025-11-27).
    std::string csv = "Job,Run date\n";
    for (int n = 1; n <= 365; ++n)
        if (n != 331) csv += "B" + std::string(n < 10 ? "00" : n < 100 ? "0" : "") + std::to_string(n) + "," +
                             isoString(dateFromDays(daysSinceEpoch(*parseIsoDate("2025-01-01")) + n - 1)) + "\n";
    PopulationImportRequest r;
    r.file = write(f.d / "b.csv", csv);
    r.control = "OP-02";
    r.name = "Backups";
    r.keyColumn = "Job";
    r.dateColumn = "Run date";
    const auto p = importPopulation(f.e, f.partner, r).populationId;
    reconcilePopulation(f.e, f.partner, p, 365, "backup console", "");
    report::writeWorkpapersXlsx(f.e, f.d / "wp.xlsx");
    auto out = sh("/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "xlsx_dump.py").string()) + " " +
                  quote((f.d / "wp.xlsx").string()));
    REQUIRE(out.status == 0);
    auto book = nlohmann::json::parse(out.out);
    auto& sheet = book["sheets"]["Populations"];
    REQUIRE(sheet["rows"].size() == 2);
    auto col = [&](const std::string& name) {
        for (std::size_t i = 0; i < sheet["rows"][0].size(); ++i)
            if (sheet["rows"][0][i][0] == name) return i;
        FAIL("no column " << name);
        return std::size_t{0};
    };
    auto& row = sheet["rows"][1];
    CHECK(row[col("Period gap unit")][0] == "day");
    CHECK(row[col("Period gaps")][0] == 1);
    CHECK(row[col("Period gaps listed")][0] == "2025-11-27");
    CHECK(row[col("Key numbers missing")][0] == 1);
    CHECK(row[col("Key gaps listed")][0] == "B331");
    CHECK(row[col("Client's stated total")][0] == 365);
    CHECK(row[col("Reconciling difference")][0] == -1);
    CHECK(row[col("Reconciliation")][0] == "backup console: difference not explained");
    CHECK(row[col("Controls served")][0] == "OP-02");
    CHECK(row[col("Superseded by")][0].is_null());
}

TEST_CASE("after assembly a population is neither replaced, renamed nor deleted, and additions need a reason") {
    Fixture f;
    const auto p = f.import(tickets(10));
    const auto s = f.draw(p, 2, 4);
    recordRelease(f.e, f.partner, *parseIsoDate("2026-02-01"));
    lockFile(f.e, f.partner);
    const auto state = contents(f.e);
    auto req = f.request(tickets(9));
    req.name = "";
    CHECK_THROWS_WITH(replacePopulation(f.e, f.partner, p, req, "late correction"), Contains("after assembly nothing may be changed"));
    CHECK_THROWS_WITH(renamePopulation(f.e, f.partner, p, "Other", "x"), Contains("after assembly nothing may be changed"));
    CHECK_THROWS_WITH(deletePopulation(f.e, f.partner, p, "x"), Contains("cannot be deleted"));
    CHECK_THROWS_WITH(linkPopulation(f.e, f.partner, p, "CM-04", ""), Contains("give the reason"));
    CHECK_THROWS_WITH(reconcilePopulation(f.e, f.partner, p, 10, "dashboard", ""), Contains("give the reason"));
    CHECK(contents(f.e) == state);
    reconcilePopulation(f.e, f.partner, p, 10, "dashboard", "documented after release");
    std::string free = "T10";
    for (int i = 10; i >= 1; --i) {
        free = "T" + std::to_string(i);
        if (free != s.items[0].key && free != s.items[1].key) break;
    }
    CHECK(addJudgmentalItem(f.e, f.partner, s.id, free, "documented after release").seq == 1);
    CHECK(populationReconciliation(f.e, p)->agrees());
}

// Records bound to what was signed (issue 11): "sqlite3 E \"update test_result set outcome='pass',
// comment='' where outcome='deviation'\" (or deleting CM-03's exception with it) leaves audit verify at
// intact; the sign-offs stay current; the conclusion becomes operating effectively; the report says No
// exceptions noted." Each edit behind the program's back is caught and named, by part.
#include <catch2/catch.hpp>

#include <set>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "report/report.h"
#include "support.h"
#include "workpapers/fieldwork.h"
#include "workpapers/proof/digest.h"
#include "workpapers/rules/gates.h"
#include "workpapers/samples.h"
#include "workpapers/rules/opinion.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

// The demo, with CM-03 signed by its preparer and reviewer as it stands.
struct Signed {
    TempDir d;
    fs::path file;
    Signed() {
        auto demo = buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr);
        file = demo.engagementFile;
    }
    std::vector<AlteredRecord> altered() {
        auto e = Engagement::open(file);
        return verifySignedRecords(e);
    }
    // The sqlite3 shell, as an attacker who can write the file uses it.
    void shell(const std::string& sql) { REQUIRE(sh("sqlite3 " + quote(file.string()) + " " + quote(sql)).status == 0); }
};

bool currentBy(Engagement& e, const std::string& wp, const std::string& role) {
    for (auto& s : listSignOffs(e, wp))
        if (s.role == role && !s.stale) return true;
    return false;
}

}  // namespace

TEST_CASE("signed records: an untouched file verifies, every signed workpaper as it was signed") {
    Signed s;
    CHECK(s.altered().empty());
    auto r = cli("audit verify " + quote(s.file.string()) + " --json");
    CHECK(r.status == 0);
    CHECK(json::parse(r.out)["signed_records_changed"].empty());
}

TEST_CASE("signed records: a deviation turned into a pass in the sqlite3 shell is named, and the sign-offs are no longer current") {
    Signed s;
    {
        auto e = Engagement::open(s.file);
        REQUIRE(currentBy(e, "test:CM-03", "preparer"));
        REQUIRE(currentBy(e, "test:CM-03", "reviewer"));
    }
    s.shell("UPDATE test_result SET outcome = 'pass', comment = '' WHERE outcome = 'deviation'");
    auto altered = s.altered();
    std::set<std::string> workpapers;
    for (auto& a : altered) {
        workpapers.insert(a.workpaper);
        CHECK(a.parts == std::vector<std::string>{"results"});
    }
    // The demo's signed workpapers with a deviation: CM-03 (LA-03 and AV-02 too where signed).
    CHECK(workpapers.count("test:CM-03") == 1);
    auto e = Engagement::open(s.file);
    CHECK_FALSE(currentBy(e, "test:CM-03", "preparer"));
    CHECK_FALSE(currentBy(e, "test:CM-03", "reviewer"));
    // The gate that signed workpapers are current names CM-03; --final cannot pass.
    auto gates = issuanceGates(e, proposeOpinion(e));
    auto signedGate = std::find_if(gates.begin(), gates.end(), [](auto& g) { return g.name.rfind("Every tested control signed", 0) == 0; });
    REQUIRE(signedGate != gates.end());
    CHECK_FALSE(signedGate->met);
    CHECK(std::find(signedGate->failing.begin(), signedGate->failing.end(), "CM-03 (stale)") != signedGate->failing.end());
    // audit verify: exit 2, each change named with its signer.
    auto r = cli("audit verify " + quote(s.file.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("test:CM-03: results changed since Priya Raman signed as preparer on "));
    CHECK_THAT(r.err, Contains("and the audit trail records no such change (changed outside Tickmark)"));
}

TEST_CASE("signed records: an exception deleted, a control's wording, a test procedure and evidence bytes changed are each named") {
    Signed s;
    s.shell("DELETE FROM exception_criterion WHERE exception_id IN (SELECT x.id FROM exception_record x JOIN control_test t ON t.id = x.test_id "
            "JOIN control c ON c.id = t.control_id WHERE c.ref = 'CM-03');"
            "DELETE FROM exception_record WHERE test_id IN (SELECT t.id FROM control_test t JOIN control c ON c.id = t.control_id WHERE c.ref = 'CM-03');"
            "UPDATE control SET description = 'Changes are sometimes approved' WHERE ref = 'CM-01';"
            "UPDATE control_test SET procedure_text = 'Asked the engineers.' WHERE control_id = (SELECT id FROM control WHERE ref = 'CM-02')");
    std::map<std::string, std::vector<std::string>> parts;
    for (auto& a : s.altered()) parts[a.workpaper] = a.parts;
    CHECK(parts["test:CM-03"] == std::vector<std::string>{"exceptions"});
    CHECK(parts["test:CM-01"] == std::vector<std::string>{"control"});
    CHECK(parts["test:CM-02"] == std::vector<std::string>{"plan"});
}

TEST_CASE("signed records: changes made through Tickmark make sign-offs stale by the trail, not 'outside'") {
    Signed s;
    auto e = Engagement::open(s.file);
    auto pr = authenticate(e, "PR", "prepare-2026");
    auto x = listExceptions(e, "CM-03").front();
    updateException(e, pr, x.id, "cause", "A new engineer skipped the approval step.");
    CHECK(verifySignedRecords(e).empty());  // recorded in the trail: stale, not altered
    bool staleByTrail = false;
    for (auto& so : listSignOffs(e, "test:CM-03")) staleByTrail |= so.stale && !so.changesSince.empty() && so.changedOutside.empty();
    CHECK(staleByTrail);
}

TEST_CASE("selections: a shortened selection and a substituted population file do not verify") {
    Signed s;
    auto id = [&] {
        auto e = Engagement::open(s.file);
        for (auto& smp : listSamples(e))
            if (smp.control == "CM-03" && smp.method == "random") return smp.id;
        return std::int64_t{0};
    }();
    REQUIRE(id > 0);
    {
        auto e = Engagement::open(s.file);
        REQUIRE(verifySample(e, id, std::nullopt).identical);
    }
    SECTION("the last item deleted and the size lowered: a prefix of the same draw, caught by the record the trail holds") {
        s.shell("DELETE FROM sample_item WHERE sample_id = " + std::to_string(id) + " AND position = (SELECT max(position) FROM sample_item "
                "WHERE sample_id = " + std::to_string(id) + "); UPDATE sample SET size = size - 1 WHERE id = " + std::to_string(id));
        auto e = Engagement::open(s.file);
        auto v = verifySample(e, id, std::nullopt);
        CHECK_FALSE(v.identical);
        CHECK_THAT(v.firstDifference, Contains("is not what trail entry #") && Contains("changed outside Tickmark"));
    }
    SECTION("the record's population fingerprint pointed at a substitute file") {
        s.shell("UPDATE sample SET population_sha256 = '" + std::string(64, 'a') + "' WHERE id = " + std::to_string(id));
        auto e = Engagement::open(s.file);
        auto v = verifySample(e, id, std::nullopt);
        CHECK_FALSE(v.identical);
        CHECK_THAT(v.firstDifference, Contains("names a population file with SHA-256 aaaa") && Contains("was imported from"));
    }
    SECTION("the size lowered alone") {
        s.shell("UPDATE sample SET size = size - 1 WHERE id = " + std::to_string(id));
        auto e = Engagement::open(s.file);
        CHECK_FALSE(verifySample(e, id, std::nullopt).identical);
    }
}

#include <catch2/catch.hpp>

#include <chrono>
#include <map>
#include <numeric>
#include <set>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include "sampling/selection.h"
#include "support.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/rules/frequency_adequacy.h"
#include "workpapers/samples.h"
#include "workpapers/schema.h"
#include "workpapers/sha256.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// The firm's table as shipped, read here with a plain split (not with the code under test).
std::map<std::string, std::vector<std::string>> firmTable() {
    std::map<std::string, std::vector<std::string>> rows;
    std::istringstream in(read(sourceDir() / "templates" / "frequency-table.csv"));
    std::string line;
    std::getline(in, line);
    REQUIRE(line.rfind("frequency,per_year,lower_risk,higher_risk,lower_extended,higher_extended,spread", 0) == 0);
    while (std::getline(in, line)) {
        std::vector<std::string> cells;
        std::string cell;
        std::istringstream l(line);
        while (std::getline(l, cell, ',')) cells.push_back(cell);
        rows[cells[0]] = cells;
    }
    return rows;
}
std::int64_t cell(const std::string& frequency, int column) { return std::stoll(firmTable().at(frequency).at(static_cast<std::size_t>(column))); }

// 2025, the fixture engagement's period, quarter by quarter as the workpaper names them.
const char* kQuarters[] = {"2025-01..2025-03", "2025-04..2025-06", "2025-07..2025-09", "2025-10..2025-12"};

struct Adequacy {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor partner = addEngagementPartner(e, "Zoe Partner", "ZP", {"partner", "reviewer"}, "partner-pw-1");
    Actor senior = join("Sam Senior", "SS", {"preparer"}, "senior-pw-1");
    Actor manager = join("Mia Manager", "MM", {"reviewer"}, "manager-pw-1");
    std::int64_t reviews = 0;
    Actor join(const std::string& name, const std::string& initials, const std::vector<std::string>& roles,
               const std::string& password) {
        return joinTeam(e, partner, name, initials, roles, password);
    }
    Adequacy() {
        ControlImportRequest c;
        c.file = write(d / "m.csv",
                       "Control ID,Description,Criteria,Frequency,Nature\n"
                       "AR-01,Access reviewed,CC6.2,Quarterly,Manual\n"
                       "MO-01,Reconciled,CC7.1,Monthly,Manual\n"
                       "WK-01,Logs reviewed,CC7.2,Weekly,Manual\n"
                       "DA-01,Alerts triaged,CC7.3,Daily,Manual\n"
                       "AU-01,Backups run,A1.2,Daily,Automated\n");
        importControls(e, senior, c);
        // Two reviews a quarter (two systems): frame positions 2q and 2q+1 are quarter q.
        PopulationImportRequest p{write(d / "r.csv",
                                        "Review,Done\nR1,2025-01-10\nR2,2025-02-10\nR3,2025-04-10\nR4,2025-05-10\n"
                                        "R5,2025-07-10\nR6,2025-08-10\nR7,2025-10-10\nR8,2025-11-10\n"),
                                  "AR-01", "Reviews", "Review", "Done"};
        reviews = importPopulation(e, senior, p).populationId;
    }
    std::int64_t drawDates(const std::string& control, std::int64_t size, std::uint64_t seed, const std::string& plan = "") {
        DrawRequest r;
        r.control = control;
        r.method = "dates";
        r.size = size;
        r.seed = seed;
        r.planJson = plan;
        return drawSample(e, senior, r).id;
    }
    void define(const std::string& control, std::int64_t sample) {
        defineTest(e, senior, {control, {"inspection"}, "Inspected it.", sample, {{"A", "Done on time"}}, ""});
    }
    std::int64_t count(const std::string& sql) {
        auto st = e.db().prepare(sql);
        st.step();
        return st.getInt(0);
    }
    // The quarterly selection of the defect report: both reviews drawn from one quarter.
    std::int64_t sameQuarterSelection(int& quarter) {
        std::uint64_t seed = 1;
        for (;; ++seed) {
            auto p = sampling::selectRandom(8, 2, seed);
            if (p[0] / 2 == p[1] / 2) {
                quarter = static_cast<int>(p[0] / 2);
                break;
            }
        }
        DrawRequest r;
        r.populationId = reviews;
        r.size = 2;
        r.seed = seed;
        r.planJson = R"({"method":"frequency","frequency":"quarterly","risk":"lower","population_size":8,"sample_size":2})";
        auto id = drawSample(e, senior, r).id;
        define("AR-01", id);
        return id;
    }
};

}  // namespace

TEST_CASE("regression: a quarterly control's two items from one quarter are flagged, naming the quarters missed") {
    Adequacy f;
    int q = -1;
    auto sample = f.sameQuarterSelection(q);
    auto findings = selectionAdequacy(f.e, "AR-01");
    REQUIRE(findings.size() == 1);  // two items is the size the table asks for: only the spread fails
    CHECK(cell("quarterly", 2) == 2);
    const auto& x = findings[0];
    CHECK(x.kind == AdequacyKind::NotSpread);
    CHECK(x.control == "AR-01");
    CHECK(x.sampleId == sample);
    CHECK(x.required == 2);
    CHECK(x.actual == 1);
    CHECK(x.unit == "quarter");
    CHECK(x.covered == std::vector<std::string>{kQuarters[q]});
    std::vector<std::string> missing;
    for (int k = 0; k < 4; ++k)
        if (k != q) missing.push_back(kQuarters[k]);
    CHECK(x.missing == missing);
    CHECK_THAT(x.text, Contains("fall in 1 quarter"));
    CHECK_THAT(x.text, Contains(missing[2]));
    CHECK(x.open());
    CHECK(adequacyFindings(f.e).size() == 1);
}

TEST_CASE("a selection smaller than the table's size for the frequency and risk is too small") {
    Adequacy f;
    // Daily, lower risk recorded in the plan: the table's lower_risk cell.
    f.define("DA-01", f.drawDates("DA-01", 3, 11, R"({"method":"frequency","frequency":"daily","risk":"lower"})"));
    auto x = selectionAdequacy(f.e, "DA-01");
    REQUIRE(x.size() == 1);
    CHECK(x[0].kind == AdequacyKind::TooSmall);
    CHECK(x[0].required == cell("daily", 2));
    CHECK(x[0].required == 20);
    CHECK(x[0].actual == 3);
    CHECK_THAT(x[0].text, Contains("has 3 items; the firm's table requires 20"));

    // Higher risk: the higher_risk cell (40); no spread for daily controls, so one finding only.
    f.define("DA-01", f.drawDates("DA-01", 25, 12, R"({"method":"frequency","frequency":"daily","risk":"higher"})"));
    x = selectionAdequacy(f.e, "DA-01");
    REQUIRE(x.size() == 1);
    CHECK(x[0].required == cell("daily", 3));
    CHECK(x[0].actual == 25);

    // No risk recorded with the selection: judged at lower risk, and the basis says so.
    f.define("DA-01", f.drawDates("DA-01", 19, 13));
    x = selectionAdequacy(f.e, "DA-01");
    REQUIRE(x.size() == 1);
    CHECK(x[0].required == 20);
    CHECK_THAT(x[0].basis, Contains("no risk recorded"));
    f.define("DA-01", f.drawDates("DA-01", 20, 14));
    CHECK(selectionAdequacy(f.e, "DA-01").empty());

    // An automated control is a test of one (the table's automated row).
    f.define("AU-01", f.drawDates("AU-01", 1, 15));
    CHECK(cell("automated", 2) == 1);
    CHECK(selectionAdequacy(f.e, "AU-01").empty());
    // A control without a test has nothing to judge.
    CHECK(selectionAdequacy(f.e, "MO-01").empty());
    CHECK_THROWS_WITH(selectionAdequacy(f.e, "NOPE"), Contains("no control \"NOPE\""));
}

TEST_CASE("an accepted finding stands accepted until the finding changes, and the sign-offs go stale") {
    Adequacy f;
    int q = -1;
    auto sample = f.sameQuarterSelection(q);
    signOff(f.e, f.senior, "test:AR-01", "preparer");

    auto accepted = acceptAdequacy(f.e, f.manager, sample, "Second system's review covers the same quarter's population; agreed with the engagement partner.");
    REQUIRE(accepted.size() == 1);
    auto x = selectionAdequacy(f.e, "AR-01");
    REQUIRE(x.size() == 1);
    CHECK_FALSE(x[0].open());
    CHECK(x[0].accepted->acceptedBy == "Mia Manager");
    CHECK_THAT(x[0].accepted->reason, Contains("Second system"));
    CHECK(f.count("SELECT count(*) FROM adequacy_acceptance WHERE required = 2 AND actual = 1 AND kind = 'not-spread'") == 1);
    auto so = listSignOffs(f.e, std::string("test:AR-01"));
    REQUIRE(so.size() == 1);
    CHECK(so[0].stale);
    CHECK(so[0].changesSince.back().field == "adequacy not-spread");
    CHECK_THROWS_WITH(acceptAdequacy(f.e, f.manager, sample, "again"), Contains("no open frequency adequacy finding"));

    // Extending (3 items) makes the firm's extended size the requirement: 4 (lower_extended), and 3
    // items must fall in 3 quarters. The new item is from another quarter (its quarter had two rows).
    auto ext = extendSample(f.e, f.senior, sample, 1, 99);
    x = selectionAdequacy(f.e, "AR-01");
    REQUIRE(x.size() == 2);
    CHECK(x[0].kind == AdequacyKind::TooSmall);
    CHECK(x[0].required == cell("quarterly", 4));
    CHECK(x[0].actual == 3);
    CHECK(x[0].open());
    CHECK_FALSE(x[0].acceptanceStale);  // never accepted
    CHECK(x[1].kind == AdequacyKind::NotSpread);
    CHECK(x[1].required == 3);
    CHECK(x[1].actual == 2);
    CHECK(x[1].open());
    CHECK(x[1].acceptanceStale);  // accepted as 1 of 2; now 2 of 3: accept again
    CHECK_THROWS_WITH(acceptAdequacy(f.e, f.manager, ext.id, "x"), Contains("accept on " + std::to_string(sample)));
    CHECK(acceptAdequacy(f.e, f.partner, sample, "Fourth quarter not yet occurred at interim.", AdequacyKind::TooSmall).size() == 1);
    x = selectionAdequacy(f.e, "AR-01");
    CHECK_FALSE(x[0].open());
    CHECK(x[1].open());
}

TEST_CASE("only a reviewer or the partner accepts, always with a reason, and a failed write leaves the file unchanged") {
    Adequacy f;
    int q = -1;
    auto sample = f.sameQuarterSelection(q);
    const auto trail = f.count("SELECT count(*) FROM audit_trail");
    CHECK_THROWS_WITH(acceptAdequacy(f.e, f.senior, sample, "Looks fine"), Contains("Sam Senior is neither reviewer nor partner"));
    CHECK_THROWS_WITH(acceptAdequacy(f.e, f.manager, sample, "  "), Contains("needs the reason"));
    CHECK_THROWS_WITH(acceptAdequacy(f.e, f.manager, 999, "x"), Contains("no selection with id 999"));
    CHECK(f.count("SELECT count(*) FROM adequacy_acceptance") == 0);
    CHECK(f.count("SELECT count(*) FROM audit_trail") == trail);

    // The storage refuses the acceptance after its trail entry was appended: both roll back.
    f.e.db().exec("CREATE TEMP TRIGGER refuse AFTER INSERT ON adequacy_acceptance BEGIN SELECT RAISE(ABORT, 'disk says no'); END");
    const auto head = AuditTrail(f.e.db()).head();
    f.e.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    const auto bytes = sha256File(f.d / "e.tickmark");
    CHECK_THROWS_WITH(acceptAdequacy(f.e, f.manager, sample, "Accepted"), Contains("disk says no"));
    f.e.db().exec("PRAGMA wal_checkpoint(TRUNCATE)");
    CHECK(sha256File(f.d / "e.tickmark") == bytes);  // byte for byte, once the log is folded in
    CHECK(f.count("SELECT count(*) FROM adequacy_acceptance") == 0);
    CHECK(f.count("SELECT count(*) FROM audit_trail") == trail);
    CHECK(AuditTrail(f.e.db()).head() == head);
    CHECK(selectionAdequacy(f.e, "AR-01")[0].open());
    f.e.db().exec("DROP TRIGGER temp.refuse");

    // After assembly an acceptance is an addition: recorded, its reason in the trail.
    recordRelease(f.e, f.partner, *parseIsoDate("2026-02-15"));
    lockFile(f.e, f.partner);
    acceptAdequacy(f.e, f.manager, sample, "Accepted at assembly");
    CHECK_FALSE(selectionAdequacy(f.e, "AR-01")[0].open());
    CHECK(verifyTrail(f.e.db()).intact);
}

namespace {

// tickmark-dates/2 as the README states it, written again here: the period's days (Monday to
// Friday when asked), grouped by unit; the non-empty units in order; Fisher-Yates over them for n
// units; then one day of each chosen unit, in the order chosen, from the same generator.
std::vector<std::string> datesV2(char unit, bool business, std::uint64_t n, std::uint64_t seed) {
    using namespace std::chrono;
    const sys_days first = sys_days{2025y / January / 1}, last = sys_days{2025y / December / 31};
    const sys_days firstMonday = first - days{(weekday{first}.c_encoding() + 6) % 7};
    std::map<long, std::vector<sys_days>> units;
    for (sys_days d = first; d <= last; d += days{1}) {
        const unsigned wd = weekday{d}.c_encoding();
        if (business && (wd == 0 || wd == 6)) continue;
        const year_month_day ymd{d};
        const long month = static_cast<long>(static_cast<unsigned>(ymd.month())) - 1;
        long key = unit == 'q' ? month / 3 : unit == 'm' ? month : (d - firstMonday).count() / 7;
        units[key].push_back(d);
    }
    std::vector<std::vector<sys_days>> list;
    for (auto& [k, v] : units) list.push_back(v);
    boost::random::mt19937_64 engine(seed);
    std::vector<std::size_t> order(list.size());
    std::iota(order.begin(), order.end(), 0);
    for (std::uint64_t i = 0; i < n; ++i) {
        boost::random::uniform_int_distribution<std::uint64_t> pick(i, list.size() - 1);
        std::swap(order[i], order[pick(engine)]);
    }
    std::vector<std::string> out;
    for (std::uint64_t i = 0; i < n; ++i) {
        auto& u = list[order[i]];
        boost::random::uniform_int_distribution<std::uint64_t> pick(0, u.size() - 1);
        out.push_back(isoString(year_month_day{u[pick(engine)]}));
    }
    return out;
}

}  // namespace

TEST_CASE("random dates for periodic controls come from distinct quarters, months and weeks, re-performably") {
    Adequacy f;
    struct Case {
        const char* control;
        char unit;
        std::uint64_t units;
    };
    // 2025 has 4 quarters, 12 months, and 53 Monday-to-Sunday weeks touching it (Dec 30, 2024 to Jan 4, 2026).
    for (auto c : {Case{"AR-01", 'q', 4}, Case{"MO-01", 'm', 12}, Case{"WK-01", 'w', 53}}) {
        for (std::uint64_t seed = 1; seed <= 60; ++seed) {
            const std::uint64_t n = 1 + seed % c.units;
            const bool business = seed % 2 == 0;
            DrawRequest r;
            r.control = c.control;
            r.method = "dates";
            r.size = static_cast<std::int64_t>(n);
            r.seed = seed;
            r.businessDaysOnly = business;
            auto s = drawSample(f.e, f.senior, r);
            CHECK(s.algorithm == sampling::kDatesDistinctAlgorithm);
            std::vector<std::string> dates;
            std::set<std::string> unitsHit;
            for (auto& it : s.items) {
                dates.push_back(*it.date);
                unitsHit.insert(*it.stratum);
            }
            CHECK(unitsHit.size() == n);
            CHECK(dates == datesV2(c.unit, business, n, seed));
            if (seed % 15 == 0) CHECK(verifySample(f.e, s.id, std::nullopt).identical);
        }
    }
    // More dates than units: the draw cannot spread them, so it is drawn as version 1 always was.
    auto s = drawSample(f.e, f.senior, [&] {
        DrawRequest r;
        r.control = "AR-01";
        r.method = "dates";
        r.size = 5;
        r.seed = 3;
        return r;
    }());
    CHECK(s.algorithm == sampling::kDatesAlgorithm);
    CHECK(verifySample(f.e, s.id, std::nullopt).identical);
}

TEST_CASE("a quarterly control's dates drawn by version 1 still re-perform") {
    Adequacy f;
    // As an engagement copied its table before the spread column: quarterly not spread.
    {
        UnitOfWork tx(f.e, f.partner);
        copyFrequencyTableIfMissing(f.e, f.partner.name, sourceDir() / "templates" / "frequency-table.csv");
        tx.commit();
    }
    f.e.db().exec("UPDATE frequency_table SET spread = NULL");
    auto old = f.drawDates("AR-01", 2, 42);
    CHECK(loadSample(f.e, old).algorithm == sampling::kDatesAlgorithm);
    f.e.db().exec("UPDATE frequency_table SET spread = 'quarter' WHERE frequency = 'quarterly'");
    auto v = verifySample(f.e, old, std::nullopt);
    CHECK(v.identical);
    CHECK(loadSample(f.e, f.drawDates("AR-01", 2, 42)).algorithm == sampling::kDatesDistinctAlgorithm);
}

TEST_CASE("a version 5 file gains the spread of its table copy and the acceptance table on upgrade") {
    TempDir d;
    const auto file = d / "v5.tickmark";
    {
        db::Database raw(file.string(), db::Database::Mode::Create);
        schema::create(raw, 5);
        raw.exec("INSERT INTO engagement(id, client, system_name, report_type, period_start, period_end, created_at, "
                 "created_with) VALUES (1, 'Old Client', 'S', 2, '2025-01-01', '2025-12-31', 'x', 'Tickmark 0.0')");
        raw.exec("INSERT INTO frequency_table(frequency, per_year, lower_risk, higher_risk, ordinal, source_sha256, copied_at) "
                 "VALUES ('quarterly', 4, 2, 2, 1, 'x', 'x'), ('monthly', 12, 2, 5, 2, 'x', 'x'), ('weekly', 52, 5, 15, 3, 'x', 'x')");
    }
    auto e = Engagement::open(file);
    CHECK(e.db().pragmaInt("user_version") == schema::currentVersion());  // through schema 6 (results by key), 7 and on
    auto t = frequencyTableForReading(e, sourceDir() / "templates" / "frequency-table.csv");
    CHECK(t.find("quarterly").spread == sampling::SpreadUnit::Quarter);
    CHECK(t.find("monthly").spread == sampling::SpreadUnit::Month);
    CHECK(t.find("weekly").spread == sampling::SpreadUnit::None);  // the old copy did not say so
    CHECK(readFrequencyTable(sourceDir() / "templates" / "frequency-table.csv").find("weekly").spread == sampling::SpreadUnit::Week);
}

TEST_CASE("extending a quarterly control's dates reaches the quarters not yet tested, and re-performs") {
    Adequacy f;
    auto root = f.drawDates("AR-01", 2, 2024, R"({"method":"frequency","frequency":"quarterly","risk":"lower"})");
    f.define("AR-01", root);
    CHECK(selectionAdequacy(f.e, "AR-01").empty());
    auto ext = extendSample(f.e, f.senior, root, 2, 77);
    CHECK(ext.algorithm == sampling::kExtensionDistinctAlgorithm);
    std::set<std::string> quarters;
    for (auto id : {root, ext.id})
        for (auto& it : loadSample(f.e, id).items) {
            const int month = std::stoi(it.date->substr(5, 2));
            quarters.insert(kQuarters[(month - 1) / 3]);
        }
    CHECK(quarters.size() == 4);  // 2 + 2 dates, every quarter once
    CHECK(verifySample(f.e, ext.id, std::nullopt).identical);
    CHECK(selectionAdequacy(f.e, "AR-01").empty());  // the firm's extended size, 4, over 4 quarters
    // No quarter left: a further extension draws from the remaining days, as version 1.
    auto more = extendSample(f.e, f.senior, root, 1, 78);
    CHECK(more.algorithm == sampling::kExtensionAlgorithm);
    CHECK(verifySample(f.e, more.id, std::nullopt).identical);
    CHECK(verifySample(f.e, ext.id, std::nullopt).identical);
}

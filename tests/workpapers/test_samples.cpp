#include <catch2/catch.hpp>

#include <set>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"
#include "workpapers/sha256.h"
#include "workpapers/trail.h"
#include "workpapers/unit_of_work.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// 200 tickets: rows 1-3 before the period (2024), rows 198-200 after it (2026), row 100 undated,
// the rest spread over the twelve months of 2025 (row r falls in month ((r-4) % 12) + 1).
std::string tickets() {
    std::string csv = "Ticket,Opened\n";
    for (int r = 1; r <= 200; ++r) {
        std::string date;
        if (r <= 3) date = "2024-12-0" + std::to_string(r);
        else if (r >= 198) date = "2026-01-0" + std::to_string(r - 197);
        else if (r == 100) date = "unknown";
        else {
            char buf[16];
            std::snprintf(buf, sizeof buf, "2025-%02d-%02d", (r - 4) % 12 + 1, (r % 28) + 1);
            date = buf;
        }
        csv += "T" + std::to_string(r) + "," + date + "\n";
    }
    return csv;
}

struct Fixture {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor me = testPartner(e);
    std::int64_t population = 0;
    Fixture() {
        ControlImportRequest c;
        c.file = write(d / "m.csv",
                       "Control ID,Description,Criteria,Frequency,Nature\n"
                       "CM-03,Changes approved,CC8.1,Multiple times a day,Manual\n"
                       "OP-02,Alerts triaged,CC7.2,Daily,Manual\n");
        importControls(e, me, c);
        PopulationImportRequest p;
        p.file = write(d / "t.csv", tickets());
        p.control = "CM-03";
        p.name = "Tickets";
        p.keyColumn = "Ticket";
        p.dateColumn = "Opened";
        population = importPopulation(e, me, p).populationId;
    }
    DrawRequest draw(const char* method, std::int64_t size, std::uint64_t seed) {
        DrawRequest r;
        r.populationId = population;
        r.method = method;
        r.size = size;
        r.seed = seed;
        return r;
    }
};

}  // namespace

TEST_CASE("a random selection draws from the in-period frame and records how") {
    Fixture f;
    auto s = drawSample(f.e, f.me, f.draw("random", 25, 20250701));
    CHECK(s.frameSize == 193);  // 200 - 3 before - 3 after - 1 undated
    CHECK(s.excludedJson == R"({"after_period":3,"bad_dates":1,"before_period":3})");
    CHECK(s.seedSource == "given");
    CHECK(s.createdBy == "Test Partner");
    CHECK(*s.populationRows == 200);
    CHECK(*s.populationSha256 == sha256File(f.d / "t.csv"));
    REQUIRE(s.items.size() == 25);
    std::set<std::int64_t> rows;
    PopulationItems items(f.e, f.population);
    for (auto& it : s.items) {
        CHECK(rows.insert(*it.row).second);
        CHECK(*it.row > 3);
        CHECK(*it.row < 198);
        CHECK(*it.row != 100);
        CHECK(it.key == "T" + std::to_string(*it.row));
        CHECK(it.date == isoString(*items.at(*it.row).date));
    }
    auto again = loadSample(f.e, s.id);
    CHECK(again.items.size() == 25);
    CHECK(again.items[7].row == s.items[7].row);
    CHECK(again.seed == 20250701u);

    auto fromOs = drawSample(f.e, f.me, f.draw("random", 5, 0));
    CHECK(fromOs.seed == 0u);  // zero is a seed like any other when given
    DrawRequest unseeded = f.draw("random", 5, 0);
    unseeded.seed.reset();
    CHECK(drawSample(f.e, f.me, unseeded).seedSource == "os");
}

TEST_CASE("the frame can be widened explicitly to every row") {
    Fixture f;
    DrawRequest r = f.draw("random", 200, 1);
    r.frame = "all";
    auto s = drawSample(f.e, f.me, r);
    CHECK(s.frameSize == 200);
    std::set<std::int64_t> rows;
    for (auto& it : s.items) rows.insert(*it.row);
    CHECK(rows.size() == 200);
}

TEST_CASE("the same population and seed select the same items in another engagement file") {
    Fixture a, b;
    auto x = drawSample(a.e, a.me, a.draw("systematic", 12, 77));
    auto y = drawSample(b.e, b.me, b.draw("systematic", 12, 77));
    REQUIRE(x.items.size() == y.items.size());
    for (std::size_t i = 0; i < x.items.size(); ++i) CHECK(x.items[i].row == y.items[i].row);
}

TEST_CASE("stratified by month represents every month of the period") {
    Fixture f;
    auto s = drawSample(f.e, f.me, f.draw("stratified", 24, 5));
    std::set<std::string> months;
    for (auto& it : s.items) {
        REQUIRE(it.stratum.has_value());
        CHECK(it.date->substr(0, 7) == *it.stratum);
        months.insert(*it.stratum);
    }
    CHECK(months.size() == 12);
    DrawRequest q = f.draw("stratified", 4, 5);
    q.strata = "quarters";
    auto quarters = drawSample(f.e, f.me, q);
    std::set<std::string> qs;
    for (auto& it : quarters.items) qs.insert(*it.stratum);
    CHECK(qs == std::set<std::string>{"2025-01..2025-03", "2025-04..2025-06", "2025-07..2025-09", "2025-10..2025-12"});
    CHECK_THROWS_WITH(drawSample(f.e, f.me, f.draw("stratified", 11, 5)), Contains("cannot represent all 12 non-empty strata"));
}

TEST_CASE("random dates from the period's business days, for a control with no listing") {
    Fixture f;
    DrawRequest r;
    r.control = "OP-02";
    r.method = "dates";
    r.size = 25;
    r.seed = 9;
    r.businessDaysOnly = true;
    auto s = drawSample(f.e, f.me, r);
    CHECK(s.frameSize == 261);  // Monday to Friday in 2025 (counted with Python's datetime)
    CHECK(s.excludedJson == R"({"weekend_days":104})");
    std::set<std::string> days;
    for (auto& it : s.items) {
        CHECK_FALSE(it.row.has_value());
        auto d = *parseIsoDate(it.key);
        auto wd = std::chrono::weekday{std::chrono::sys_days{d}};
        CHECK((wd != std::chrono::Saturday && wd != std::chrono::Sunday));
        CHECK(it.key.substr(0, 4) == "2025");
        days.insert(it.key);
    }
    CHECK(days.size() == 25);
    CHECK(verifySample(f.e, s.id, std::nullopt).identical);
}

TEST_CASE("an extension adds only items not yet selected: the original stays") {
    Fixture f;
    auto base = drawSample(f.e, f.me, f.draw("random", 25, 11));
    auto ext = extendSample(f.e, f.me, base.id, 15, 12);
    CHECK(*ext.extendsSampleId == base.id);
    CHECK(ext.method == "extension");
    std::set<std::int64_t> rows;
    for (auto& it : base.items) rows.insert(*it.row);
    for (auto& it : ext.items) CHECK(rows.insert(*it.row).second);
    auto more = extendSample(f.e, f.me, ext.id, 10, 13);  // extending the extension extends the chain
    CHECK(*more.extendsSampleId == base.id);
    for (auto& it : more.items) CHECK(rows.insert(*it.row).second);
    CHECK(rows.size() == 50);
    CHECK(loadSample(f.e, base.id).items.size() == 25);
    CHECK(verifySample(f.e, base.id, std::nullopt).identical);
    CHECK(verifySample(f.e, ext.id, std::nullopt).identical);
    CHECK(verifySample(f.e, more.id, std::nullopt).identical);
    CHECK_THROWS_WITH(extendSample(f.e, f.me, base.id, 200, 1), Contains("only 143 items are not yet selected"));
}

TEST_CASE("verification re-performs from the record and names the first difference") {
    Fixture f;
    auto s = drawSample(f.e, f.me, f.draw("random", 30, 4242));
    auto v = verifySample(f.e, s.id, f.d / "t.csv");
    CHECK(v.identical);
    CHECK(v.checks.size() == 6);  // algorithm, population, file, frame, the items re-performed, the record as drawn

    SECTION("a different file is not the population as delivered") {
        auto other = verifySample(f.e, s.id, write(f.d / "other.csv", tickets() + "T201,2025-05-05\n"));
        CHECK_FALSE(other.identical);
        CHECK_THAT(other.firstDifference, Contains("is not the file the population was imported from"));
    }
    SECTION("an item edited behind the program's back") {
        f.e.db().exec("UPDATE sample_item SET row_no = row_no + 1, item_key = 'T0' WHERE sample_id = 1 AND position = 3");
        auto bad = verifySample(f.e, s.id, std::nullopt);
        CHECK_FALSE(bad.identical);
        CHECK_THAT(bad.firstDifference, Contains("position 3: recorded row"));
    }
    SECTION("a different seed in the record") {
        f.e.db().exec("UPDATE sample SET seed = '4243' WHERE id = 1");
        CHECK_FALSE(verifySample(f.e, s.id, std::nullopt).identical);
    }
    SECTION("any single changed byte of the stored population is detected") {
        auto st = f.e.db().prepare("SELECT id, length(data) FROM population_block WHERE population_id = ? ORDER BY first_row");
        st.bind(1, f.population);
        std::vector<std::pair<std::int64_t, std::int64_t>> blocks;
        while (st.step()) blocks.emplace_back(st.getInt(0), st.getInt(1));
        REQUIRE_FALSE(blocks.empty());
        int tried = 0;
        for (auto [id, len] : blocks)
            for (std::int64_t pos = 0; pos < len; pos += 97, ++tried) {
                // Flip one byte (XOR 0x01), verify, and put it back.
                auto blob = f.e.db().prepare("SELECT data FROM population_block WHERE id = ?");
                blob.bind(1, id);
                blob.step();
                std::string original(blob.getBlob(0));
                std::string changed = original;
                changed[static_cast<std::size_t>(pos)] = static_cast<char>(changed[static_cast<std::size_t>(pos)] ^ 1);
                auto set = f.e.db().prepare("UPDATE population_block SET data = ? WHERE id = ?");
                set.bindBlob(1, changed.data(), changed.size()).bind(2, id);
                set.exec();
                auto r = verifySample(f.e, s.id, std::nullopt);
                CHECK_FALSE(r.identical);
                CHECK_THAT(r.firstDifference, Contains("stored records changed"));
                set.bindBlob(1, original.data(), original.size()).bind(2, id);
                set.exec();
            }
        CHECK(tried > 20);
        CHECK(verifySample(f.e, s.id, std::nullopt).identical);
    }
}

TEST_CASE("bad selection requests are refused and nothing is recorded") {
    Fixture f;
    CHECK_THROWS_WITH(drawSample(f.e, f.me, f.draw("random", 194, 1)), Contains("larger than the frame of 193 items"));
    auto r = f.draw("random", 5, 1);
    r.populationId = 99;
    CHECK_THROWS_WITH(drawSample(f.e, f.me, r), Contains("no population with id 99"));
    CHECK_THROWS_WITH(drawSample(f.e, f.me, f.draw("haphazard", 5, 1)), Contains("use random, systematic, stratified or dates"));
    DrawRequest dates;
    dates.method = "dates";
    dates.size = 3;
    CHECK_THROWS_WITH(drawSample(f.e, f.me, dates), Contains("name it with --control"));
    CHECK_THROWS_WITH(loadSample(f.e, 42), Contains("no selection with id 42"));
    SECTION("a population with nothing in the period: the control did not operate") {
        PopulationImportRequest p;
        p.file = write(f.d / "old.csv", "Ticket,Opened\nX1,2023-01-01\n");
        p.control = "CM-03";
        p.name = "Old";
        p.keyColumn = "Ticket";
        p.dateColumn = "Opened";
        auto id = importPopulation(f.e, f.me, p).populationId;
        auto req = f.draw("random", 1, 1);
        req.populationId = id;
        CHECK_THROWS_WITH(drawSample(f.e, f.me, req), Contains("the control did not operate"));
    }
    CHECK(listSamples(f.e).empty());
}

TEST_CASE("the engagement keeps its own copy of the firm's frequency table, made in a recorded write") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto tp = testPartner(e);
    auto firm = write(d / "firm.csv",
                      "frequency,per_year,lower_risk,higher_risk,lower_extended,higher_extended\n"
                      "daily,365,25,40,40,60\nannual,1,1,1,,\n");
    CHECK(frequencyTableForReading(e, firm).find("daily").lower == 25);  // no copy yet: the firm's, nothing written
    const auto head = trailHead(e);
    {
        auto n = e.db().prepare("SELECT count(*) FROM frequency_table");
        n.step();
        CHECK(n.getInt(0) == 0);
    }
    {
        UnitOfWork tx(e, tp);
        auto t = copyFrequencyTableIfMissing(e, tp.name, firm);
        REQUIRE(t.rows.size() == 2);
        CHECK(t.find("daily").lower == 25);
        CHECK_FALSE(t.find("annual").lowerExtended.has_value());
        tx.commit();
    }
    CHECK(trailHead(e) == head + 1);  // the copy is in the trail, with the firm file's hash
    forEachTrailEntry(e, {std::nullopt, head, false, std::nullopt}, [&](const TrailEntry& t) {
        CHECK(t.entity == "frequency table");
        CHECK(t.newValue.value_or("") == "2 rows from firm.csv (SHA-256 " + sha256File(firm) + ")");
    });
    write(firm, "frequency,per_year,lower_risk,higher_risk,lower_extended,higher_extended\ndaily,365,30,45,,\n");
    CHECK(frequencyTableForReading(e, firm).find("daily").lower == 25);  // engagements that drew keep their table
    CHECK(readFrequencyTable(firm).find("daily").lower == 30);
    CHECK(readFrequencyTable(sourceDir() / "templates" / "frequency-table.csv").find("multiple-daily").higher == 60);
}

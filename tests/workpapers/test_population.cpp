#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/sha256.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// Period 2025-01-01..2025-12-31. By hand: 9 rows; T2 before, T3 after, T4 unreadable date, row 5 blank
// key, T6 twice, T8 unreadable amount; so 6 in period.
const char* kTickets =
    "Ticket,Opened,Amount,Note\n"
    "T1,2025-01-01,10.00,first day\n"
    "T2,2024-12-31,5,before\n"
    "T3,2026-01-01,7,after\n"
    "T4,not a date,1,bad\n"
    ",2025-06-01,2,blank key\n"
    "T6,2025-06-02,\"1,234.50\",dup a\n"
    "T6,2025-06-03,3,dup b\n"
    "T8,2025-12-31,x,bad amount\n"
    "T9,2025-07-04,4,\"multi\nline\"\n";

void addControl(Engagement& e, const Actor& a, const TempDir& d) {
    ControlImportRequest r;
    r.file = write(d / "controls.csv",
                   "Control ID,Description,Criteria,Frequency,Nature\n"
                   "CM-03,Changes are approved,CC8.1,Multiple times a day,IT-dependent manual\n"
                   "HR-01,Background checks,CC1.4,As needed,Manual\n");
    importControls(e, a, r);
}

PopulationImportRequest request(const fs::path& file, const std::string& name = "Tickets") {
    PopulationImportRequest r;
    r.file = file;
    r.control = "CM-03";
    r.name = name;
    r.keyColumn = "Ticket";
    r.dateColumn = "Opened";
    return r;
}

// The engagement file's bytes once every connection is closed (WAL checkpointed).
std::string fileDigest(const fs::path& f) { return sha256File(f); }

struct CancelAfterFirstUpdate : Progress {
    bool stop = false;
    void update(std::uint64_t, std::uint64_t) override { stop = true; }
    bool cancelled() const override { return stop; }
};

}  // namespace

TEST_CASE("the completeness profile counts what the file holds, and nothing is dropped", "[engines]") {
    TempDir d;
    auto e = newEngagement(engagementAt(d));
    auto me = testPartner(e);
    addControl(e, me, d);
    auto req = request(write(d / "tickets.csv", kTickets));
    req.amountColumn = "Amount";
    auto p = importPopulation(e, me, req);

    CHECK(p.rows == 9);
    CHECK(p.inPeriod == 6);
    CHECK(p.beforePeriod == 1);
    CHECK(p.afterPeriod == 1);
    CHECK(p.badDates == 1);
    CHECK(p.blankKeys == 1);
    CHECK(p.duplicateKeys == 1);
    CHECK(p.duplicateRows == 2);
    CHECK(p.badAmounts == 1);
    CHECK(p.rows == p.inPeriod + p.beforePeriod + p.afterPeriod + p.badDates);
    CHECK(isoString(*p.minDate) == "2024-12-31");
    CHECK(isoString(*p.maxDate) == "2026-01-01");
    CHECK(p.dateFormat == std::string("YYYY-MM-DD"));
    CHECK(p.dateFormatBasis == "detected");
    CHECK(p.source.sha256 == sha256File(d / "tickets.csv"));
    CHECK(p.source.size == std::string(kTickets).size());

    REQUIRE(p.duplicates.size() == 1);
    CHECK(p.duplicates[0].key == "T6");
    CHECK(p.duplicates[0].rows == std::vector<std::int64_t>{6, 7});
    REQUIRE(p.blankKeyRows.size() == 1);
    CHECK(p.blankKeyRows[0].row == 5);
    REQUIRE(p.badDateRows.size() == 1);
    CHECK(p.badDateRows[0].row == 4);
    CHECK(p.badDateRows[0].line == 5);
    CHECK(p.badDateRows[0].value == "not a date");
    REQUIRE(p.badAmountRows.size() == 1);
    CHECK(p.badAmountRows[0].key == "T8");

    SECTION("every record reads back exactly as delivered, with its flags") {
        PopulationItems items(e, p.populationId);
        REQUIRE(items.rows() == 9);
        CHECK(items.columns() == std::vector<std::string>{"Ticket", "Opened", "Amount", "Note"});
        const auto& t9 = items.at(9);
        CHECK(t9.line == 10);
        CHECK(t9.key == "T9");
        CHECK(t9.cells[3] == "multi\nline");
        CHECK(isoString(*t9.date) == "2025-07-04");
        CHECK(t9.flags == 0);
        const auto& t6 = items.at(6);
        CHECK(t6.cells[2] == "1,234.50");
        CHECK(*t6.amount == Approx(1234.5));
        CHECK(t6.flags == kDuplicateKey);
        CHECK(items.at(7).flags == kDuplicateKey);
        CHECK(items.at(2).flags == kBeforePeriod);
        CHECK(items.at(3).flags == kAfterPeriod);
        CHECK(items.at(4).flags == kBadDate);
        CHECK_FALSE(items.at(4).date.has_value());
        CHECK(items.at(5).flags == kBlankKey);
        CHECK(items.at(8).flags == kBadAmount);
        CHECK_FALSE(items.at(8).amount.has_value());
        CHECK_THROWS_AS(items.at(10), InputError);
    }
    SECTION("the stored profile reads back the same") {
        auto again = loadProfile(e, p.populationId);
        CHECK(again.rows == 9);
        CHECK(again.duplicates.size() == 1);
        CHECK(again.control == "CM-03");
        CHECK(again.columns.size() == 4);
    }
}

TEST_CASE("rows across many blocks are fetched directly", "[engines]") {
    TempDir d;
    auto e = newEngagement(engagementAt(d));
    auto me = testPartner(e);
    addControl(e, me, d);
    std::string csv = "Ticket,Opened\n";
    for (int i = 1; i <= 1000; ++i) csv += "K" + std::to_string(i) + ",2025-03-01\n";
    auto p = importPopulation(e, me, request(write(d / "k.csv", csv)));
    PopulationItems items(e, p.populationId);
    CHECK(items.at(1000).key == "K1000");
    CHECK(items.at(1).key == "K1");
    CHECK(items.at(257).key == "K257");  // first record of the second block
    CHECK(items.at(256).key == "K256");
    std::int64_t n = 0;
    items.forEach([&](const PopulationItem& it) { n += it.key == "K" + std::to_string(it.row); });
    CHECK(n == 1000);
}

TEST_CASE("a header-only population is valid and empty: the control did not operate") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    addControl(e, me, d);
    auto p = importPopulation(e, me, request(write(d / "none.csv", "Ticket,Opened\n")));
    CHECK(p.rows == 0);
    CHECK(p.inPeriod == 0);
    CHECK_FALSE(p.minDate.has_value());
    CHECK(p.dateFormatBasis == "none");
}

TEST_CASE("the date format comes from the whole column") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    addControl(e, me, d);
    SECTION("first values fit both readings; a later day above 12 makes it day-first") {
        auto p = importPopulation(e, me, request(write(d / "dmy.csv", "Ticket,Opened\nA,01/02/2025\nB,03/04/2025\nC,25/12/2025\n")));
        CHECK(p.dateFormat == std::string("DD/MM/YYYY"));
        CHECK(p.dateFormatBasis == "detected");
        CHECK(p.badDates == 0);
        PopulationItems items(e, p.populationId);
        CHECK(isoString(*items.at(1).date) == "2025-02-01");
    }
    SECTION("every value fits both readings: the user must say which") {
        auto f = write(d / "amb.csv", "Ticket,Opened\nA,01/02/2025\nB,03/04/2025\n");
        CHECK_THROWS_WITH(importPopulation(e, me, request(f)), Contains("--date-format MM/DD/YYYY or --date-format DD/MM/YYYY"));
        auto req = request(f);
        req.dateFormat = *DatePattern::parse("MM/DD/YYYY");
        auto p = importPopulation(e, me, req);
        CHECK(p.dateFormatBasis == "given");
        PopulationItems items(e, p.populationId);
        CHECK(isoString(*items.at(2).date) == "2025-03-04");
    }
    SECTION("Excel serial numbers in a text file") {
        auto p = importPopulation(e, me, request(write(d / "serial.csv", "Ticket,Opened\nA,45292\nB,45658.25\n")));
        CHECK(p.dateFormat == std::string("excel-serial"));
        PopulationItems items(e, p.populationId);
        CHECK(isoString(*items.at(1).date) == "2024-01-01");
        CHECK(isoString(*items.at(2).date) == "2025-01-01");
        CHECK(p.beforePeriod == 1);
    }
}

TEST_CASE("bad requests are refused before anything is written") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    addControl(e, me, d);
    auto f = write(d / "t.csv", kTickets);
    SECTION("unknown control") {
        auto r = request(f);
        r.control = "XX-99";
        CHECK_THROWS_WITH(importPopulation(e, me, r), Contains("no control \"XX-99\""));
    }
    SECTION("a key column the file does not have lists the columns it has") {
        auto r = request(f);
        r.keyColumn = "Ticket ID";
        CHECK_THROWS_WITH(importPopulation(e, me, r),
                          Contains("no column named \"Ticket ID\" for the key; the header has \"Ticket\", \"Opened\", \"Amount\", \"Note\""));
    }
    SECTION("column names match regardless of case and surrounding spaces") {
        auto r = request(f);
        r.keyColumn = " ticket ";
        CHECK(importPopulation(e, me, r).rows == 9);
    }
    SECTION("the same population name twice for a control") {
        importPopulation(e, me, request(f));
        CHECK_THROWS_WITH(importPopulation(e, me, request(f)), Contains("already has a population named \"Tickets\""));
    }
}

TEST_CASE("a failed or cancelled import leaves the engagement file exactly as it was") {
    TempDir d;
    const auto file = d / "e.tickmark";
    {
        auto e = newEngagement(file);
        auto me = testPartner(e);
        addControl(e, me, d);
        importPopulation(e, me, request(write(d / "first.csv", kTickets), "Earlier"));
    }
    const std::string before = fileDigest(file);

    SECTION("a ragged record at row 999,999 of a million") {
        std::string csv = "Ticket,Opened\n";
        csv.reserve(20'000'000);
        char buf[32];
        for (int i = 1; i <= 1'000'000; ++i) {
            int n = i == 999'999 ? std::snprintf(buf, sizeof buf, "K%07d\n", i)
                                 : std::snprintf(buf, sizeof buf, "K%07d,2025-05-01\n", i);
            csv.append(buf, static_cast<std::size_t>(n));
        }
        auto f = write(d / "million.csv", csv);
        {
            auto e = Engagement::open(file);
            auto me = testPartner(e);
            // Row 999,999 is on line 1,000,000 (the header is line 1).
            CHECK_THROWS_WITH(importPopulation(e, me, request(f, "Million")),
                              Contains("million.csv: line 1000000: 1 fields where the header has 2"));
        }
    }
    SECTION("an unterminated quote at the end") {
        auto e = Engagement::open(file);
        auto me = testPartner(e);
        auto f = write(d / "q.csv", "Ticket,Opened\nA,2025-01-01\nB,\"2025");
        CHECK_THROWS_AS(importPopulation(e, me, request(f, "Q")), InputError);
    }
    SECTION("the user cancels") {
        auto e = Engagement::open(file);
        auto me = testPartner(e);
        CancelAfterFirstUpdate cancel;
        CHECK_THROWS_AS(importPopulation(e, me, request(write(d / "c.csv", kTickets), "Cancelled"), &cancel), Cancelled);
    }
    SECTION("the file vanished between choosing and reading") {
        auto e = Engagement::open(file);
        auto me = testPartner(e);
        CHECK_THROWS_WITH(importPopulation(e, me, request(d / "gone.csv", "Gone")), Contains("gone.csv: cannot be opened"));
    }
    CHECK(fileDigest(file) == before);
    auto e = Engagement::open(file);
    CHECK(listPopulations(e).size() == 1);
}

TEST_CASE("populations from XLSX and ODS carry the sheet and the real dates") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    addControl(e, me, d);
    auto req = request(makeSheet("openpyxl", d / "book.xlsx"));
    req.sheet = "Items";
    auto p = importPopulation(e, me, req);
    CHECK(p.source.format == "xlsx");
    CHECK(p.source.sheet == "Items");
    CHECK(p.rows == 3);
    CHECK(p.inPeriod == 2);  // 2025-03-14 and 2025-12-31; 2024-12-31 is before
    CHECK(p.beforePeriod == 1);

    auto ods = request(makeSheet("ods", d / "b.ods"), "Backups");
    ods.keyColumn = "Job";
    ods.dateColumn = "Run Date";
    auto q = importPopulation(e, me, ods);
    CHECK(q.rows == 2);
    CHECK(q.inPeriod == 1);
    CHECK(q.badDates == 0);
    CHECK(q.blankDates == 1);  // BK-2 has no date: blank, not unreadable
}

TEST_CASE("an import that fails or is cancelled in the middle of its stream leaves the engagement as it was, and the next one is whole", "[engines]") {
    TempDir d;
    const auto at = engagementAt(d);
    auto e = newEngagement(at);
    auto me = testPartner(e);
    addControl(e, me, d);
    // 20,000 rows: every odd one with an unreadable amount, every seventh without a key, so blocks and
    // findings take turns on the way to the store (on a server two COPY streams, switched at each turn).
    auto csv = [](bool ragged) {
        std::string s = "Ticket,Opened,Amount\n";
        for (int i = 1; i <= 20000; ++i) {
            if (ragged && i == 15000) s += "K15000,2025-05-01\n";
            else s += (i % 7 ? "K" + std::to_string(i) : "") + ",2025-05-01," + (i % 2 ? "x" : std::to_string(i)) + "\n";
        }
        return s;
    };
    auto counts = [&] {
        return rawSql(at, "SELECT (SELECT count(*) FROM population) || ' ' || (SELECT count(*) FROM population_block) || ' ' || "
                          "(SELECT count(*) FROM population_finding) || ' ' || (SELECT count(*) FROM audit_trail)").out;
    };
    const std::string before = counts();
    auto req = request(write(d / "ragged.csv", csv(true)), "Ragged");
    req.amountColumn = "Amount";
    CHECK_THROWS_WITH(importPopulation(e, me, req), Contains("ragged.csv: line 15001: 2 fields where the header has 3"));
    CHECK(counts() == before);
    CancelAfterFirstUpdate cancel;
    req.file = write(d / "whole.csv", csv(false));
    CHECK_THROWS_AS(importPopulation(e, me, req, &cancel), Cancelled);
    CHECK(counts() == before);

    // The same connection, whole this time: every flag where the file has it, counted apart here.
    auto p = importPopulation(e, me, req);
    std::int64_t bad = 0, blank = 0;
    for (int i = 1; i <= 20000; ++i) bad += i % 2, blank += i % 7 == 0;
    CHECK(p.rows == 20000);
    CHECK(p.badAmounts == bad);
    CHECK(p.blankKeys == blank);
    CHECK(rawSql(at, "SELECT kind, count(*), min(row_no), max(row_no) FROM population_finding GROUP BY kind ORDER BY kind").out ==
          "bad-amount|" + std::to_string(bad) + "|1|19999\nblank-key|" + std::to_string(blank) + "|7|19999\n");
    CHECK(rawSql(at, "SELECT count(*), sum(row_count), min(first_row), max(first_row) FROM population_block").out ==
          "79|20000|1|19969\n");  // 78 blocks of 256 and one of 32
    PopulationItems items(e, p.populationId);
    CHECK(items.at(19997).flags == kBadAmount);
    CHECK(items.at(19999).flags == (kBadAmount | kBlankKey));
    CHECK(items.at(14).flags == kBlankKey);
    CHECK(items.at(20000).key == "K20000");
}

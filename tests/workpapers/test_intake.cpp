// Client files as they really arrive: title blocks, banners, totals and footnotes, Windows-1252,
// export date formats, time zones. Every file is written here by another program (Python/openpyxl,
// or bytes by hand) and every count below was worked out by hand from the rows written.
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

// Period 2026-01-01..2026-03-31, client in Los Angeles.
Engagement newQ1(const fs::path& file, std::optional<std::string> zone = "America/Los_Angeles") {
    EngagementSetup s;
    s.client = "Northwind";
    s.systemName = "Payroll Cloud";
    s.reportType = ReportType::TypeII;
    s.periodStart = parseIsoDate("2026-01-01");
    s.periodEnd = parseIsoDate("2026-03-31");
    s.timeZone = zone;
    return Engagement::create(file, s, criteriaCsv());
}

void addControls(Engagement& e, const Actor& a, const TempDir& d) {
    ControlImportRequest r;
    r.file = write(d / "controls.csv",
                   "Control ID,Description,Criteria,Frequency,Nature\n"
                   "CM-03,Changes are approved,CC8.1,Multiple times a day,IT-dependent manual\n"
                   "HR-02,Access removed at termination,CC6.2,As needed,Manual\n");
    importControls(e, a, r);
}

PopulationImportRequest request(const fs::path& file, const std::string& control, const std::string& key,
                                const std::string& date, const std::string& name = "P") {
    PopulationImportRequest r;
    r.file = file;
    r.control = control;
    r.name = name;
    r.keyColumn = key;
    r.dateColumn = date;
    return r;
}

std::vector<std::string> column(Engagement& e, std::int64_t id, std::size_t col) {
    std::vector<std::string> out;
    PopulationItems items(e, id);
    items.forEach([&](const PopulationItem& it) { out.emplace_back(it.cells.at(col)); });
    return out;
}

}  // namespace

TEST_CASE("a Workday report: cover sheet passed over, header under a title block, text dates, a Total row") {
    TempDir d;
    auto e = newQ1(d / "e.tickmark");
    auto a = testPartner(e);
    addControls(e, a, d);
    auto file = makeSheet("workday", d / "terminations.xlsx");
    auto p = importPopulation(e, a, request(file, "HR-02", "Worker ID", "Termination Date", "Terminations"));

    CHECK(p.source.sheet == "Terminations");
    REQUIRE(p.source.layout.sheetsPassedOver.size() == 1);
    CHECK_THAT(p.source.layout.sheetsPassedOver[0], Contains("How to use this workbook"));
    CHECK(p.source.layout.headerRow == 4);
    CHECK(p.source.layout.headerBasis == "detected");
    REQUIRE(p.source.layout.aboveHeader.size() == 2);
    CHECK(p.source.layout.aboveHeader[0].row == 1);
    CHECK(p.source.layout.aboveHeader[0].text == "NORTHWIND ◆ PAYROLL CLOUD — Terminations");
    CHECK(p.source.layout.aboveHeader[1].row == 2);
    CHECK_THAT(p.source.layout.aboveHeader[1].text, Contains("Filters: Effective Date"));
    // Rows 5-9 are the five workers; row 10 "Total | 5"; row 11 empty; row 12 the footnote.
    CHECK(p.rows == 5);
    CHECK(p.source.layout.totals == 1);
    CHECK(p.source.layout.footnotes == 1);
    CHECK(p.source.layout.banners == 0);
    REQUIRE(p.source.layout.skipped.size() == 3);
    CHECK(p.source.layout.skipped[0].row == 10);
    CHECK(p.source.layout.skipped[0].kind == "total");
    CHECK(p.source.layout.skipped[0].text == "Total | 5");
    CHECK(p.source.layout.skipped[1].row == 11);
    CHECK(p.source.layout.skipped[1].kind == "blank");
    CHECK(p.source.layout.skipped[2].row == 12);
    CHECK(p.source.layout.skipped[2].kind == "footnote");
    CHECK_THAT(p.source.layout.skipped[2].text, Contains("Report run by HRIS"));
    // Jan 5, Feb 28, Mar 31 in the period; Apr 1 after; Dec 31, 2025 before.
    CHECK(p.dateFormat == std::string("MMM D, YYYY"));
    CHECK(p.inPeriod == 3);
    CHECK(p.afterPeriod == 1);
    CHECK(p.beforePeriod == 1);
    CHECK(p.badDates == 0);
    CHECK(isoString(*p.minDate) == "2025-12-31");
    CHECK(isoString(*p.maxDate) == "2026-04-01");
    CHECK(column(e, p.populationId, 1) ==
          std::vector<std::string>{"José Peña", "Jürgen Müller", "Zoë Ångström", "Chloé Dubois", "Anaïs Nin"});
    // The file as delivered is what the record fingerprints.
    CHECK(p.source.sha256 == sha256File(file));
}

TEST_CASE("a Jira export in Windows-1252: detected, decoded, its dd/MMM/yy dates read") {
    TempDir d;
    auto e = newQ1(d / "e.tickmark");
    auto a = testPartner(e);
    addControls(e, a, d);
    // Windows-1252 bytes by hand: é E9, ñ F1, ü FC, ë EB. Plain ASCII until row 5 (the first é).
    std::string bytes =
        "Jira export: project = CHG\r\n"
        "\r\n"
        "Issue key,Summary,Reporter,Created,Resolved\r\n"
        "CHG-101,Rotate keys,Ann Lee,02/Jan/26 9:05 AM,03/Jan/26 10:00 AM\r\n"
        "CHG-102,Patch DB,Jos\xE9 Pe\xF1" "a,12/Mar/26 8:50 PM,\r\n"
        "CHG-103,Upgrade,J\xFCrgen M\xFCller,31/Mar/26 11:59 PM,01/Apr/26 8:00 AM\r\n"
        "CHG-104,Hotfix,Zo\xEB,01/Apr/26 12:01 AM,\r\n"
        "CHG-105,Backlog,Ann Lee,,\r\n"
        ",,,,\r\n";
    auto file = write(d / "jira.csv", bytes);
    auto p = importPopulation(e, a, request(file, "CM-03", "Issue key", "Created", "Changes"));
    CHECK(p.source.encoding == "Windows-1252 (detected: not UTF-8, no byte order mark)");
    Sha256 h;
    h.update(bytes.data(), bytes.size());
    CHECK(p.source.sha256 == h.hexDigest());
    CHECK(p.source.layout.headerRow == 3);
    REQUIRE(p.source.layout.aboveHeader.size() == 1);
    CHECK(p.source.layout.aboveHeader[0].text == "Jira export: project = CHG");
    CHECK(p.rows == 5);
    CHECK(p.source.layout.blankRows == 1);  // the delimiter-only line 9 is not an item with a blank key
    CHECK(p.blankKeys == 0);
    CHECK(p.dateFormat == std::string("DD/MMM/YY"));
    // Jan 2, Mar 12, Mar 31 (11:59 PM, local) in; Apr 1 after; CHG-105 has no date.
    CHECK(p.inPeriod == 3);
    CHECK(p.afterPeriod == 1);
    CHECK(p.blankDates == 1);
    CHECK(p.badDates == 0);
    CHECK(p.localTimes == 4);
    CHECK(p.convertedTimes == 0);
    CHECK(column(e, p.populationId, 2) ==
          std::vector<std::string>{"Ann Lee", "José Peña", "Jürgen Müller", "Zoë", "Ann Lee"});
}

TEST_CASE("an encoding named with --encoding: what detection cannot know, and a wrong one refused") {
    TempDir d;
    auto e = newQ1(d / "e.tickmark");
    auto a = testPartner(e);
    addControls(e, a, d);
    // ISO-8859-1 "é" as E9 after UTF-8 "ü" (C3 BC) earlier: a file that mixes encodings.
    auto mixed = write(d / "mixed.csv", "Key,Date,Who\nA,2026-01-02,M\xC3\xBCller\nB,2026-01-03,Jos\xE9\n");
    CHECK_THROWS_WITH(importPopulation(e, a, request(mixed, "CM-03", "Key", "Date", "Mixed")),
                      Contains("mixed.csv: line 3: bytes that are not valid UTF-8 after UTF-8 text earlier in the file") &&
                          Contains("--encoding"));
    auto latin = write(d / "latin.csv", "Key,Date,Who\nA,2026-01-02,Jos\xE9\n");
    auto r = request(latin, "CM-03", "Key", "Date", "Latin");
    r.encoding = "iso-8859-1";
    auto p = importPopulation(e, a, r);
    CHECK(p.source.encoding == "ISO-8859-1 (given)");
    CHECK(column(e, p.populationId, 2) == std::vector<std::string>{"José"});
    r.name = "Nope";
    r.encoding = "klingon";
    CHECK_THROWS_WITH(importPopulation(e, a, r), Contains("--encoding klingon: not an encoding"));
    r.encoding = "UTF-8";
    CHECK_THROWS_WITH(importPopulation(e, a, r), Contains("latin.csv: line 2: bytes that are not valid UTF-8"));
}

TEST_CASE("timestamps at the period's edges fall on the client's day") {
    TempDir d;
    auto e = newQ1(d / "e.tickmark");
    auto a = testPartner(e);
    addControls(e, a, d);
    // By hand, Los Angeles: PST (UTC-8) until 2026-03-08 10:00 UTC, PDT (UTC-7) after.
    struct Row {
        const char* key;
        const char* when;
        const char* side;  // in | before | after
    };
    const Row rows[] = {
        {"T1", "2026-04-01T01:30+02:00", "in"},      // 2026-03-31 16:30 PDT
        {"T2", "2026-04-01T03:05Z", "in"},           // 2026-03-31 20:05 PDT
        {"T3", "2026-04-01T06:59:59Z", "in"},        // 23:59:59 PDT, the period's last second
        {"T4", "2026-04-01T07:00:00Z", "after"},     // 2026-04-01 00:00 PDT
        {"T5", "2026-01-01T07:59:59Z", "before"},    // 2025-12-31 23:59:59 PST
        {"T6", "2026-01-01T08:00:00Z", "in"},        // 2026-01-01 00:00 PST
        {"T7", "2025-12-31T23:30:00-08:00", "before"},
        {"T8", "2026-03-31T23:59:00", "in"},         // no offset: already the client's time
        {"T9", "2026-04-01 00:00", "after"},
    };
    std::string csv = "Ticket,Opened\n";
    int in = 0, before = 0, after = 0;
    for (auto& r : rows) {
        csv += std::string(r.key) + "," + r.when + "\n";
        in += std::string(r.side) == "in", before += std::string(r.side) == "before", after += std::string(r.side) == "after";
    }
    auto p = importPopulation(e, a, request(write(d / "iso.csv", csv), "CM-03", "Ticket", "Opened"));
    CHECK(p.inPeriod == in);
    CHECK(p.beforePeriod == before);
    CHECK(p.afterPeriod == after);
    CHECK(p.convertedTimes == 7);
    CHECK(p.localTimes == 2);
    CHECK(p.timeZone == std::string("America/Los_Angeles"));
    CHECK(p.offsets == std::vector<std::pair<std::string, std::int64_t>>{{"+02:00", 1}, {"-08:00", 1}, {"Z", 5}});
    CHECK(p.mixedOffsets());
    // Each item's date as used, beside the value as delivered.
    PopulationItems items(e, p.populationId);
    CHECK(isoString(*items.at(1).date) == "2026-03-31");
    CHECK(isoString(*items.at(4).date) == "2026-04-01");
    CHECK(isoString(*items.at(5).date) == "2025-12-31");

    // Without a zone, offsets are read in UTC: T1 (23:30Z) stays in March; T2-T4 fall on April 1; T5 and
    // T7 (07:30Z) on January 1.
    TempDir d2;
    auto u = newQ1(d2 / "u.tickmark", std::nullopt);
    auto ua = testPartner(u);
    addControls(u, ua, d2);
    auto q = importPopulation(u, ua, request(write(d2 / "iso.csv", csv), "CM-03", "Ticket", "Opened"));
    CHECK(q.inPeriod == 5);  // T1, T5, T6, T7, T8
    CHECK(q.afterPeriod == 4);  // T2, T3, T4, T9
    CHECK(q.beforePeriod == 0);
    CHECK_FALSE(q.timeZone.has_value());
}

TEST_CASE("a control matrix with a logo line, banners, a footnote and criteria as clients write them") {
    TempDir d;
    auto e = newQ1(d / "e.tickmark");
    auto a = testPartner(e);
    ControlImportRequest r;
    r.file = makeSheet("matrix", d / "matrix.xlsx");
    auto result = importControls(e, a, r);
    CHECK(result.added == 3);
    CHECK(result.source.layout.headerRow == 4);
    CHECK(result.source.layout.aboveHeader.size() == 2);
    CHECK(result.source.layout.banners == 2);
    CHECK(result.source.layout.footnotes == 1);
    auto controls = listControls(e);
    REQUIRE(controls.size() == 3);
    CHECK(controls[0].ref == "CE-01");
    CHECK(controls[0].criteria == std::vector<std::string>{"CC1.1"});
    CHECK(controls[1].criteria == std::vector<std::string>{"CC6.2", "CC6.3"});
    CHECK(controls[2].criteria == std::vector<std::string>{"CC6.2", "CC6.3", "CC6.5"});
    CHECK(splitCriteria("CC 6.2, cc6.3 ;A1.2 / C 1.1") == std::vector<std::string>{"CC6.2", "CC6.3", "A1.2", "C1.1"});
    CHECK(splitCriteria("CC6.1 CC6.2") == std::vector<std::string>{"CC6.1", "CC6.2"});

    // A fragment that is not a criterion: the message quotes the whole cell and says "row".
    TempDir d2;
    auto e2 = newQ1(d2 / "e.tickmark");
    auto a2 = testPartner(e2);
    ControlImportRequest bad;
    bad.file = write(d2 / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nX-1,Thing,\"CC 6.2, CC 99\",Annual,Manual\n");
    CHECK_THROWS_WITH(importControls(e2, a2, bad),
                      Contains("m.csv: line 2, column 3 (\"Criteria\") reads \"CC 6.2, CC 99\": \"CC99\" is not a TSC 2017 criterion"));
}

TEST_CASE("a header named with --header-row, and a wrong one refused with nothing changed") {
    TempDir d;
    const auto file = d / "e.tickmark";
    std::string before;
    {
        auto e = newQ1(file);
        auto a = testPartner(e);
        addControls(e, a, d);
    }
    before = sha256File(file);
    auto src = write(d / "p.csv", "Payroll run log\nKey,Date\nK1,2026-01-05\n");
    {
        auto e = Engagement::open(file);
        auto a = testPartner(e);
        auto r = request(src, "CM-03", "Key", "Date");
        r.headerRow = 3;  // the first record, not the header: no "Key" column there
        CHECK_THROWS_WITH(importPopulation(e, a, r), Contains("no column named \"Key\" for the key"));
        r.headerRow = 7;
        CHECK_THROWS_WITH(importPopulation(e, a, r), Contains("p.csv: has no line 7 (named with --header-row)"));
        auto blank = write(d / "b.csv", "Title\n\nKey,Date\nK1,2026-01-05\n");
        r.file = blank;
        r.headerRow = 2;
        CHECK_THROWS_WITH(importPopulation(e, a, r), Contains("b.csv: line 2: the header row named with --header-row is empty"));
    }
    CHECK(sha256File(file) == before);
    {
        auto e = Engagement::open(file);
        auto a = testPartner(e);
        auto r = request(src, "CM-03", "Key", "Date");
        r.headerRow = 2;
        auto p = importPopulation(e, a, r);
        CHECK(p.source.layout.headerBasis == "given");
        CHECK(p.rows == 1);
        CHECK(p.inPeriod == 1);
    }
}

TEST_CASE("a date column that cannot be read is refused, with its first values and a suggested pattern") {
    TempDir d;
    const auto file = d / "e.tickmark";
    {
        auto e = newQ1(file);
        auto a = testPartner(e);
        addControls(e, a, d);
    }
    const std::string before = sha256File(file);
    auto src = write(d / "backup.csv", "Job,Ran\nJ1,13.01.26\nJ2,14.01.26\nJ3,15.01.26\n");
    {
        auto e = Engagement::open(file);
        auto a = testPartner(e);
        CHECK_THROWS_WITH(importPopulation(e, a, request(src, "CM-03", "Job", "Ran")),
                          Contains("backup.csv: column \"Ran\": 3 of 3 dates cannot be read") &&
                              Contains("\"13.01.26\", \"14.01.26\", \"15.01.26\"") &&
                              Contains("--date-format \"DD.MM.YY\"") && Contains("--accept-unreadable-dates"));
    }
    CHECK(sha256File(file) == before);
    auto e = Engagement::open(file);
    auto a = testPartner(e);
    auto r = request(src, "CM-03", "Job", "Ran");
    r.dateFormat = requireDatePattern("DD.MM.YY", "--date-format");
    auto p = importPopulation(e, a, r);
    CHECK(p.inPeriod == 3);
    CHECK(p.dateFormatBasis == "given");
    r.name = "Accepted";
    r.dateFormat.reset();
    r.acceptUnreadableDates = true;
    auto q = importPopulation(e, a, r);
    CHECK(q.badDates == 3);
    CHECK(q.inPeriod == 0);
}

#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/collect.h"
#include "workpapers/errors.h"
#include "workpapers/readers/table_source.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

TEST_CASE("XLSX written by openpyxl: inline strings, dates, numbers, booleans, a chosen sheet") {
    TempDir d;
    auto f = makeSheet("openpyxl", d / "book.xlsx");
    Collected c;
    ReadOptions o;
    o.sheet = "Items";
    auto info = readTable(f, o, c);
    CHECK(info.format == "xlsx");
    CHECK(info.sheet == "Items");
    REQUIRE(c.names == std::vector<std::string>{"Ticket", "Opened", "Amount", "Closed At", "Urgent", "Note", "Total"});
    REQUIRE(c.rows.size() == 3);  // the empty row holds nothing
    CHECK(c.rows[0] == std::vector<std::string>{"T-1", "2025-03-14", "1250.5", "2025-03-15T09:30:00", "TRUE",
                                                "Zażółć gęślą jaźń", "=C2*2"});
    CHECK(c.rows[1][3] == "2026-01-02");  // midnight reads as the date alone
    CHECK(c.rows[1][4] == "FALSE");
    CHECK(c.rows[1][5] == "=not a formula?");  // text that looks like a formula stays text
    CHECK(c.rows[2][5] == "quote \" and, comma");
    CHECK(c.rows[2][3] == "");
    CHECK(c.lines == std::vector<std::int64_t>{2, 3, 5});
}

TEST_CASE("XLSX as Excel writes it: shared strings, custom date format, cached formula results") {
    TempDir d;
    auto f = makeSheet("shared", d / "excel.xlsx");
    Collected c;
    auto info = readTable(f, {}, c);
    CHECK(info.sheet == "Population");
    REQUIRE(c.names == std::vector<std::string>{"Key", "When", "Total"});
    REQUIRE(c.rows.size() == 3);
    CHECK(c.rows[0] == std::vector<std::string>{"Rich text", "2024-01-01", "2"});  // 45292 under dd/mm/yyyy
    CHECK(c.rows[1] == std::vector<std::string>{"東京", "2025-01-01T12:00:00", "ab"});  // no phonetic guide text
    CHECK(c.rows[2] == std::vector<std::string>{"  padded  ", "#N/A", ""});
    CHECK(c.lines == std::vector<std::int64_t>{2, 4, 5});
}

TEST_CASE("ODS: text, dates and numbers") {
    TempDir d;
    auto f = makeSheet("ods", d / "backups.ods");
    Collected c;
    auto info = readTable(f, {}, c);
    CHECK(info.format == "ods");
    CHECK(info.sheet == "Backups");
    REQUIRE(c.names == std::vector<std::string>{"Job", "Run Date", "GB"});
    REQUIRE(c.rows.size() == 2);
    CHECK(c.rows[0] == std::vector<std::string>{"BK-1", "2025-02-03", "412.5"});
    CHECK(c.rows[1] == std::vector<std::string>{"BK-2", "", "7"});
}

TEST_CASE("spreadsheet errors name the file, the sheet, the row and the column") {
    TempDir d;
    Collected c;
    SECTION("an unknown sheet lists the sheets there are") {
        auto f = makeSheet("openpyxl", d / "book.xlsx");
        ReadOptions o;
        o.sheet = "Nope";
        CHECK_THROWS_WITH(readTable(f, o, c), Contains("no sheet named \"Nope\"; the workbook has \"Summary\", \"Items\""));
    }
    SECTION("a value to the right of the header") {
        auto f = makeSheet("beyond", d / "beyond.xlsx");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("sheet \"Data\", row 3, column D: a value outside the header's columns"));
    }
    SECTION("a damaged zip") {
        auto f = write(d / "broken.xlsx", std::string("PK\x03\x04", 4) + "not really a zip");
        CHECK_THROWS_AS(readTable(f, {}, c), InputError);
    }
}

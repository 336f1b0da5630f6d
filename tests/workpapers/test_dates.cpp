#include <catch2/catch.hpp>

#include "workpapers/dates.h"

using namespace tickmark;

namespace {
std::string parsed(std::string_view v, DateFormat f) {
    auto d = parseDate(v, f);
    return d ? isoString(*d) : "-";
}
}  // namespace

TEST_CASE("ISO 8601 dates with and without time") {
    CHECK(parsed("2025-07-01", DateFormat::Iso) == "2025-07-01");
    CHECK(parsed("2025-07-01T23:59:59", DateFormat::Iso) == "2025-07-01");
    CHECK(parsed("2025-07-01 08:05", DateFormat::Iso) == "2025-07-01");
    CHECK(parsed("2025-07-01T08:05:00.123Z", DateFormat::Iso) == "2025-07-01");
    CHECK(parsed("2025-07-01T08:05:00+02:00", DateFormat::Iso) == "2025-07-01");
    CHECK(parsed("2024-02-29", DateFormat::Iso) == "2024-02-29");  // leap year
    CHECK(parsed("2025-02-29", DateFormat::Iso) == "-");           // not a leap year
    CHECK(parsed("2025-13-01", DateFormat::Iso) == "-");
    CHECK(parsed("2025-07-01T25:00", DateFormat::Iso) == "-");
    CHECK(parsed("2025-07-01X", DateFormat::Iso) == "-");
    CHECK(parsed("TBD", DateFormat::Iso) == "-");
}

TEST_CASE("US month-first, day-first and dotted dates") {
    CHECK(parsed("07/04/2025", DateFormat::MonthFirst) == "2025-07-04");
    CHECK(parsed("7/4/2025", DateFormat::MonthFirst) == "2025-07-04");
    CHECK(parsed("12/31/2025 11:59 PM", DateFormat::MonthFirst) == "2025-12-31");
    CHECK(parsed("13/01/2025", DateFormat::MonthFirst) == "-");
    CHECK(parsed("13/01/2025", DateFormat::DayFirst) == "2025-01-13");
    CHECK(parsed("31.12.2025", DateFormat::DayFirstDots) == "2025-12-31");
    CHECK(parsed("1.2.2025 14:30:00", DateFormat::DayFirstDots) == "2025-02-01");
    CHECK(parsed("31.02.2025", DateFormat::DayFirstDots) == "-");
    CHECK(parsed("07/04/25", DateFormat::MonthFirst) == "-");  // two-digit years are refused, not guessed
}

TEST_CASE("Excel serial numbers in the 1900 date system") {
    // Excel shows 44197 as 2021-01-01, 45292 as 2024-01-01; 59 and 61 straddle its fictitious 1900-02-29.
    CHECK(parsed("44197", DateFormat::ExcelSerial) == "2021-01-01");
    CHECK(parsed("45292", DateFormat::ExcelSerial) == "2024-01-01");
    CHECK(parsed("45292.75", DateFormat::ExcelSerial) == "2024-01-01");
    CHECK(parsed("1", DateFormat::ExcelSerial) == "1900-01-01");
    CHECK(parsed("59", DateFormat::ExcelSerial) == "1900-02-28");
    CHECK(parsed("60", DateFormat::ExcelSerial) == "-");
    CHECK(parsed("61", DateFormat::ExcelSerial) == "1900-03-01");
    CHECK(parsed("0", DateFormat::ExcelSerial) == "-");
    CHECK(parsed("abc", DateFormat::ExcelSerial) == "-");
}

TEST_CASE("format names as the user types them") {
    CHECK(parseDateFormatName("MM/DD/YYYY") == DateFormat::MonthFirst);
    CHECK(parseDateFormatName("dd.mm.yyyy") == DateFormat::DayFirstDots);
    CHECK(parseDateFormatName("iso") == DateFormat::Iso);
    CHECK_FALSE(parseDateFormatName("YYYY/DD/MM").has_value());
    for (auto f : kAllDateFormats) CHECK(parseDateFormatName(dateFormatName(f)) == f);
}

TEST_CASE("a column's format is decided from all of its values") {
    SECTION("slashes where every value fits both readings are ambiguous") {
        DateColumnEvidence e;
        for (auto v : {"01/02/2025", "03/04/2025", "12/12/2025"}) e.add(v);
        auto d = e.decide();
        CHECK(d.ambiguous);
        CHECK_FALSE(d.format.has_value());
    }
    SECTION("one value with a day above 12 settles day-first") {
        DateColumnEvidence e;
        for (auto v : {"01/02/2025", "03/04/2025", "25/12/2025"}) e.add(v);
        auto d = e.decide();
        CHECK_FALSE(d.ambiguous);
        CHECK(d.format == DateFormat::DayFirst);
    }
    SECTION("the format most values fit wins; the others are bad dates") {
        DateColumnEvidence e;
        for (auto v : {"2025-01-01", "2025-01-02", "01/03/2025", "TBD", ""}) e.add(v);
        CHECK(e.decide().format == DateFormat::Iso);
        CHECK(e.nonBlank() == 4);
        CHECK(e.fits(DateFormat::Iso) == 2);
    }
    SECTION("nothing that reads as a date decides nothing") {
        DateColumnEvidence e;
        e.add("n/a");
        e.add("");
        CHECK_FALSE(e.decide().format.has_value());
        CHECK_FALSE(e.decide().ambiguous);
    }
}

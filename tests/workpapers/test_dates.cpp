#include <catch2/catch.hpp>

#include "workpapers/dates.h"

using namespace tickmark;

namespace {
std::string parsed(std::string_view v, const DatePattern& f) {
    auto t = f.read(v);
    auto d = t ? std::optional<Date>(t->date) : std::nullopt;
    return d ? isoString(*d) : "-";
}
}  // namespace

TEST_CASE("ISO 8601 dates with and without time") {
    CHECK(parsed("2025-07-01", DatePattern::iso()) == "2025-07-01");
    CHECK(parsed("2025-07-01T23:59:59", DatePattern::iso()) == "2025-07-01");
    CHECK(parsed("2025-07-01 08:05", DatePattern::iso()) == "2025-07-01");
    CHECK(parsed("2025-07-01T08:05:00.123Z", DatePattern::iso()) == "2025-07-01");
    CHECK(parsed("2025-07-01T08:05:00+02:00", DatePattern::iso()) == "2025-07-01");
    CHECK(parsed("2024-02-29", DatePattern::iso()) == "2024-02-29");  // leap year
    CHECK(parsed("2025-02-29", DatePattern::iso()) == "-");           // not a leap year
    CHECK(parsed("2025-13-01", DatePattern::iso()) == "-");
    CHECK(parsed("2025-07-01T25:00", DatePattern::iso()) == "-");
    CHECK(parsed("2025-07-01X", DatePattern::iso()) == "-");
    CHECK(parsed("TBD", DatePattern::iso()) == "-");
}

TEST_CASE("US month-first, day-first and dotted dates") {
    CHECK(parsed("07/04/2025", *DatePattern::parse("MM/DD/YYYY")) == "2025-07-04");
    CHECK(parsed("7/4/2025", *DatePattern::parse("MM/DD/YYYY")) == "2025-07-04");
    CHECK(parsed("12/31/2025 11:59 PM", *DatePattern::parse("MM/DD/YYYY")) == "2025-12-31");
    CHECK(parsed("13/01/2025", *DatePattern::parse("MM/DD/YYYY")) == "-");
    CHECK(parsed("13/01/2025", *DatePattern::parse("DD/MM/YYYY")) == "2025-01-13");
    CHECK(parsed("31.12.2025", *DatePattern::parse("DD.MM.YYYY")) == "2025-12-31");
    CHECK(parsed("1.2.2025 14:30:00", *DatePattern::parse("DD.MM.YYYY")) == "2025-02-01");
    CHECK(parsed("31.02.2025", *DatePattern::parse("DD.MM.YYYY")) == "-");
    CHECK(parsed("07/04/25", *DatePattern::parse("MM/DD/YYYY")) == "-");  // two-digit years are refused, not guessed
}

TEST_CASE("Excel serial numbers in the 1900 date system") {
    // Excel shows 44197 as 2021-01-01, 45292 as 2024-01-01; 59 and 61 straddle its fictitious 1900-02-29.
    CHECK(parsed("44197", DatePattern::excelSerial()) == "2021-01-01");
    CHECK(parsed("45292", DatePattern::excelSerial()) == "2024-01-01");
    CHECK(parsed("45292.75", DatePattern::excelSerial()) == "2024-01-01");
    CHECK(parsed("1", DatePattern::excelSerial()) == "1900-01-01");
    CHECK(parsed("59", DatePattern::excelSerial()) == "1900-02-28");
    CHECK(parsed("60", DatePattern::excelSerial()) == "-");
    CHECK(parsed("61", DatePattern::excelSerial()) == "1900-03-01");
    CHECK(parsed("0", DatePattern::excelSerial()) == "-");
    CHECK(parsed("abc", DatePattern::excelSerial()) == "-");
}

TEST_CASE("patterns as the user types them") {
    CHECK(DatePattern::parse("iso") == DatePattern::iso());
    CHECK(DatePattern::parse("YYYY-MM-DD") == DatePattern::iso());
    CHECK(DatePattern::parse("excel") == DatePattern::excelSerial());
    CHECK(DatePattern::parse("MDY")->name() == "MM/DD/YYYY");
    CHECK(DatePattern::parse("dd.mm.yyyy")->monthFirst() == false);
    CHECK(DatePattern::parse("dd.mm.yyyy")->dayFirst());
    CHECK(DatePattern::parse("MM/DD/YYYY")->monthFirst());
    // Not patterns: no day, two years, an unknown letter, a digit.
    CHECK_FALSE(DatePattern::parse("YYYY/MM").has_value());
    CHECK_FALSE(DatePattern::parse("YYYY/MM/DD YY").has_value());
    CHECK_FALSE(DatePattern::parse("QQ/MM/YYYY").has_value());
    CHECK_FALSE(DatePattern::parse("DD/MM/2025").has_value());
    CHECK_THROWS_WITH(requireDatePattern("DD/MM", "--date-format"), Catch::Contains("--date-format DD/MM: not a date pattern"));
}

TEST_CASE("the export formats clients deliver, read without a flag") {
    // Each value with the date a person reads in it (checked by hand against a calendar).
    struct Case {
        const char* pattern;
        const char* value;
        const char* date;
    };
    const Case cases[] = {
        {"DD/MMM/YY", "12/Mar/25 8:50 PM", "2025-03-12"},      // Jira
        {"DD/MMM/YY", "01/Jan/70 12:00 AM", "1970-01-01"},     // POSIX pivot: 69..99 are 19xx
        {"DD/MMM/YY", "31/dec/68 11:59 PM", "2068-12-31"},
        {"MMM D, YYYY", "Jan 5, 2026", "2026-01-05"},          // Workday
        {"MMM D, YYYY", "September 30, 2025", "2025-09-30"},   // full names read too
        {"MMM D, YYYY", "Sept. 3, 2025", "2025-09-03"},
        {"D-MMM-YYYY", "1-Mar-2025", "2025-03-01"},
        {"D-MMM-YYYY", "29-Feb-2024", "2024-02-29"},
        {"YYYY/MM/DD", "2025/07/04", "2025-07-04"},
        {"D MMM YYYY", "5 Jan 2026", "2026-01-05"},
        {"DDDD, MMMM D, YYYY", "Monday, January 5, 2026", "2026-01-05"},
        {"YYYY-MM-DD", "2026-04-01T01:30+02:00", "2026-04-01"},  // the date as written; the zone moves it later
        {"excel-serial", "46027.35", "2026-01-05"},
    };
    for (auto& c : cases) {
        INFO(c.pattern << " " << c.value);
        auto p = DatePattern::parse(c.pattern);
        REQUIRE(p);
        CHECK(parsed(c.value, *p) == c.date);
        bool common = false;
        for (auto& q : commonDatePatterns()) common |= q == *p;
        CHECK(common);
    }
    // Not dates under their pattern: a day that does not exist, a month name that is not one, a time past 12 PM.
    CHECK(parsed("29-Feb-2025", *DatePattern::parse("D-MMM-YYYY")) == "-");
    CHECK(parsed("12/Foo/25 8:50 PM", *DatePattern::parse("DD/MMM/YY")) == "-");
    CHECK(parsed("12/Mar/25 13:50 PM", *DatePattern::parse("DD/MMM/YY")) == "-");
    CHECK(parsed("12/Mar/2025", *DatePattern::parse("DD/MMM/YY")) == "-");
}

TEST_CASE("a given pattern with its time reads hours, minutes and AM/PM") {
    auto p = requireDatePattern("DD/MMM/YY h:mm AM/PM", "--date-format");
    auto t = p.read("12/Mar/25 8:50 PM");
    REQUIRE(t);
    CHECK(isoString(t->date) == "2025-03-12");
    CHECK(t->seconds == 20 * 3600 + 50 * 60);
    CHECK_FALSE(t->offsetMinutes);
    t = p.read("12/Mar/25 12:05 AM");
    REQUIRE(t);
    CHECK(t->seconds == 5 * 60);
    CHECK_FALSE(p.read("12/Mar/25").has_value());  // the pattern says a time follows
    auto h = requireDatePattern("YYYY.MM.DD HH:mm:ss", "--date-format");
    t = h.read("2025.07.04 23:59:58");
    REQUIRE(t);
    CHECK(t->seconds == 86398);
}

TEST_CASE("timestamps carry their offset, and the client's zone decides the day") {
    const auto iso = DatePattern::iso();
    auto read = [&](const char* v) {
        auto t = iso.read(v);
        REQUIRE(t);
        return *t;
    };
    CHECK(read("2026-04-01T01:30+02:00").offsetMinutes == 120);
    CHECK(read("2026-04-01T03:05Z").offsetMinutes == 0);
    CHECK(read("2026-04-01T03:05:00.123-0700").offsetMinutes == -420);
    CHECK_FALSE(read("2026-04-01 03:05").offsetMinutes);

    const ClientZone la(std::string("America/Los_Angeles")), utc(std::nullopt), berlin(std::string("Europe/Berlin"));
    // Hand calculation: 01:30+02:00 is 23:30 UTC on March 31, which is 16:30 PDT (UTC-7 from March 8, 2026).
    CHECK(isoString(la.localDate(read("2026-04-01T01:30+02:00"))) == "2026-03-31");
    CHECK(isoString(utc.localDate(read("2026-04-01T01:30+02:00"))) == "2026-03-31");
    CHECK(isoString(berlin.localDate(read("2026-04-01T01:30+02:00"))) == "2026-04-01");
    // 03:05Z on April 1 is 20:05 PDT on March 31; 08:05Z is 01:05 PDT on April 1.
    CHECK(isoString(la.localDate(read("2026-04-01T03:05Z"))) == "2026-03-31");
    CHECK(isoString(la.localDate(read("2026-04-01T07:00Z"))) == "2026-04-01");
    CHECK(isoString(la.localDate(read("2026-04-01T06:59:59Z"))) == "2026-03-31");
    // In January Los Angeles is UTC-8: 07:59:59Z is 23:59:59 the day before; 08:00Z is midnight.
    CHECK(isoString(la.localDate(read("2026-01-01T07:59:59Z"))) == "2025-12-31");
    CHECK(isoString(la.localDate(read("2026-01-01T08:00:00Z"))) == "2026-01-01");
    // Without an offset a time is already the client's.
    CHECK(isoString(la.localDate(read("2026-04-01 00:30"))) == "2026-04-01");
    CHECK(requireTimeZone("Europe/Berlin") == "Europe/Berlin");
    CHECK_THROWS_WITH(requireTimeZone("Mars/Olympus"), Catch::Contains("Mars/Olympus") && Catch::Contains("IANA"));
    CHECK(offsetName(-420) == "-07:00");
    CHECK(offsetName(330) == "+05:30");
    CHECK(offsetName(0) == "Z");
}

TEST_CASE("a column's pattern is decided from all of its values") {
    auto index = [](const char* name) {
        const auto& all = commonDatePatterns();
        for (std::size_t i = 0; i < all.size(); ++i)
            if (all[i].name() == name) return i;
        FAIL("no common pattern " << name);
        return std::size_t{0};
    };
    SECTION("slashes where every value fits both readings are ambiguous") {
        DateColumnEvidence e;
        for (auto v : {"01/02/2025", "03/04/2025", "12/12/2025"}) e.add(v);
        auto d = e.decide();
        CHECK(d.ambiguous);
        CHECK_FALSE(d.pattern.has_value());
    }
    SECTION("one value with a day above 12 settles day-first") {
        DateColumnEvidence e;
        for (auto v : {"01/02/2025", "03/04/2025", "25/12/2025"}) e.add(v);
        auto d = e.decide();
        CHECK_FALSE(d.ambiguous);
        CHECK(d.pattern == index("DD/MM/YYYY"));
        CHECK(d.readable == 3);
    }
    SECTION("the pattern most values fit wins; the others are bad dates") {
        DateColumnEvidence e;
        for (auto v : {"2025-01-01", "2025-01-02", "01/03/2025", "TBD", ""}) e.add(v);
        CHECK(e.decide().pattern == index("YYYY-MM-DD"));
        CHECK(e.nonBlank() == 4);
        CHECK(e.fits(index("YYYY-MM-DD")) == 2);
    }
    SECTION("Jira's and Workday's columns") {
        DateColumnEvidence jira, workday;
        for (auto v : {"12/Mar/25 8:50 PM", "01/Apr/25 9:15 AM", "30/Jun/25 11:02 PM"}) jira.add(v);
        CHECK(jira.decide().pattern == index("DD/MMM/YY"));
        CHECK(jira.decide().readable == 3);
        for (auto v : {"Jan 5, 2026", "Feb 28, 2026", " Mar 1, 2026 "}) workday.add(v);
        CHECK(workday.decide().pattern == index("MMM D, YYYY"));
        CHECK(workday.decide().readable == 3);
    }
    SECTION("nothing that reads as a date decides nothing") {
        DateColumnEvidence e;
        e.add("n/a");
        e.add("");
        CHECK_FALSE(e.decide().pattern.has_value());
        CHECK_FALSE(e.decide().ambiguous);
    }
}

TEST_CASE("a refusal suggests the pattern the values were written in") {
    auto suggest = [](std::vector<std::string> v) {
        auto p = suggestDatePattern(v);
        return p ? p->name() : std::string("-");
    };
    CHECK(suggest({"2025.03.12", "2025.13.45"}) == "-");  // 13 and 45 cannot both be days: no pattern reads 9 in 10
    CHECK(suggest({"2025.03.12", "2025.04.30"}) == "YYYY.MM.DD");
    CHECK(suggest({"13.03.25", "01.04.25", "30.06.25"}) == "DD.MM.YY");
    CHECK(suggest({"03-12-25 14:02", "04-01-25 09:15"}) == "MM-DD-YY hh:mm");
    CHECK(suggest({"Mar-12-2025", "Apr-1-2025"}) == "MMM-DD-YYYY");
    CHECK(suggest({"TBD", "n/a"}) == "-");
}

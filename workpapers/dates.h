#pragma once
// Calendar dates as the client's files write them, and the decision of one format per column.
#include <array>
#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace tickmark {

using Date = std::chrono::year_month_day;

std::optional<Date> parseIsoDate(std::string_view s);  // strict YYYY-MM-DD
std::string isoString(Date d);
Date dateFromDays(std::int64_t daysSinceEpoch);
std::int64_t daysSinceEpoch(Date d);

// The formats a population's date column may use. One format is chosen for the whole column.
enum class DateFormat : std::uint8_t { Iso, MonthFirst, DayFirst, DayFirstDots, ExcelSerial };
constexpr std::array<DateFormat, 5> kAllDateFormats{DateFormat::Iso, DateFormat::MonthFirst, DateFormat::DayFirst,
                                                    DateFormat::DayFirstDots, DateFormat::ExcelSerial};

// The name the user types in --date-format and the file records: "YYYY-MM-DD", "MM/DD/YYYY",
// "DD/MM/YYYY", "DD.MM.YYYY", "excel-serial".
std::string_view dateFormatName(DateFormat f);
std::optional<DateFormat> parseDateFormatName(std::string_view name);
// As parseDateFormatName, or InputError "<label> <name>: use ..." listing the names.
DateFormat requireDateFormatName(std::string_view name, std::string_view label);

// Reads a value under one format. ISO accepts a time part ("T" or space, optional zone);
// the others accept a trailing time after a space. Excel serials use the 1900 date system.
std::optional<Date> parseDate(std::string_view value, DateFormat f);
std::optional<Date> excelSerialToDate(double serial);

// Counts, over a whole column, which formats each value fits, and decides the column's format.
class DateColumnEvidence {
public:
    // Returns the bit set of formats this value fits (bit i = kAllDateFormats[i]).
    unsigned add(std::string_view value);
    std::int64_t fits(DateFormat f) const { return fits_[static_cast<int>(f)]; }
    std::int64_t nonBlank() const { return nonBlank_; }

    struct Decision {
        std::optional<DateFormat> format;  // empty: no value fits any format, or ambiguous
        bool ambiguous = false;            // month-first and day-first fit equally well
    };
    Decision decide() const;

private:
    std::array<std::int64_t, 5> fits_{};
    std::int64_t nonBlank_ = 0;
};

}  // namespace tickmark

#pragma once
// Calendar dates and timestamps as the client's files write them, the pattern one column is read
// with, and the client's time zone that decides on which day a timestamp falls.
#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace tickmark {

using Date = std::chrono::year_month_day;

std::optional<Date> parseIsoDate(std::string_view s);  // strict YYYY-MM-DD
std::string isoString(Date d);
Date dateFromDays(std::int64_t daysSinceEpoch);
std::int64_t daysSinceEpoch(Date d);
std::optional<Date> excelSerialToDate(double serial);

// What a value says: a day, perhaps a time of day, perhaps a UTC offset ("Z" = 0).
struct Timestamp {
    Date date{};
    std::optional<std::int32_t> seconds;        // since midnight, as written
    std::optional<std::int32_t> offsetMinutes;  // east of UTC
};

// How one column writes its dates: ISO 8601 (with time and offset), Excel serial numbers, or an
// Excel-style pattern ("DD/MMM/YY h:mm AM/PM", "MMM D, YYYY", "D-MMM-YYYY", "YYYY/MM/DD"). Month
// names are English, full or abbreviated. A pattern without a time accepts a time after the date
// (" 8:50 PM", "T14:02:00Z"), so "MM/DD/YYYY" reads "12/31/2025 11:59 PM".
class DatePattern {
public:
    // A pattern or one of the names: "YYYY-MM-DD"/"ISO"/"ISO 8601", "excel-serial". nullopt when
    // the text is not a pattern (an unknown letter, no year, no month or no day).
    static std::optional<DatePattern> parse(std::string_view text);
    static DatePattern iso();
    static DatePattern excelSerial();

    // As recorded and shown: "YYYY-MM-DD" (ISO 8601), "excel-serial", or the pattern as given.
    const std::string& name() const { return name_; }
    std::optional<Timestamp> read(std::string_view value) const;
    // Reads only the shape (digits, letters and separators where the pattern has them), ignoring
    // whether the numbers make a real date: the cheap test used before read().
    bool shapeFits(std::string_view value) const;
    bool monthFirst() const { return order_ == Order::MonthDay; }
    bool dayFirst() const { return order_ == Order::DayMonth; }
    bool operator==(const DatePattern& o) const { return name_ == o.name_; }

    enum class Token : std::uint8_t {
        Year4, Year2, MonthNum, MonthName, Day, Weekday, Hour24, Hour12, Minute, Second, Fraction, AmPm, Space, Literal
    };

private:
    enum class Kind : std::uint8_t { Iso, Serial, Pattern };
    enum class Order : std::uint8_t { Other, MonthDay, DayMonth };
    struct Part {
        Token token;
        char literal = 0;
    };
    std::optional<Timestamp> match(std::string_view v, bool strict) const;

    Kind kind_ = Kind::Pattern;
    Order order_ = Order::Other;
    std::string name_;
    std::vector<Part> parts_;
    bool hasTime_ = false;
};

// As DatePattern::parse, or InputError "<label> <text>: ..." explaining the pattern letters.
DatePattern requireDatePattern(std::string_view text, std::string_view label);

// The formats read without a flag, in order of preference: ISO 8601, MM/DD/YYYY, DD/MM/YYYY,
// DD.MM.YYYY, excel-serial, Jira's DD/MMM/YY, MMM D, YYYY, D-MMM-YYYY, YYYY/MM/DD and a few more.
const std::vector<DatePattern>& commonDatePatterns();

// A pattern that reads most of the given values, built from their shape, for a refusal to suggest.
std::optional<DatePattern> suggestDatePattern(const std::vector<std::string>& values);

// Counts, over a whole column, which common patterns each value fits, and decides the column's.
class DateColumnEvidence {
public:
    // Returns the bit set of patterns this value fits (bit i = commonDatePatterns()[i]); 0 for blank.
    // With `want`, what pattern `want` read is kept in *read (the caller's reading, without a second parse).
    std::uint32_t add(std::string_view value, std::size_t want = kNone, std::optional<Timestamp>* read = nullptr);
    static constexpr std::size_t kNone = static_cast<std::size_t>(-1);
    std::int64_t fits(std::size_t pattern) const { return fits_[pattern]; }
    std::int64_t nonBlank() const { return nonBlank_; }

    struct Decision {
        std::optional<std::size_t> pattern;  // index into commonDatePatterns(); empty: none fits, or ambiguous
        bool ambiguous = false;              // month-first and day-first fit equally well
        std::int64_t readable = 0;           // values the chosen pattern reads
    };
    Decision decide() const;

private:
    std::vector<std::int64_t> fits_ = std::vector<std::int64_t>(commonDatePatterns().size());
    std::int64_t nonBlank_ = 0;
    std::unordered_map<std::string, std::uint32_t> shapes_;  // shape -> patterns whose shape fits
    std::string shape_;                                       // reused: no allocation per value
};

// The client's time zone (IANA name). A timestamp with an offset is converted to it before its date
// decides in, before or after the period; a timestamp without one is already local to it. Without a
// zone, offsets are converted to UTC.
class ClientZone {
public:
    explicit ClientZone(const std::optional<std::string>& iana);
    ~ClientZone();
    ClientZone(ClientZone&&) noexcept;
    const std::optional<std::string>& name() const { return name_; }
    Date localDate(const Timestamp& t) const;

private:
    std::optional<std::string> name_;
    const void* zone_ = nullptr;  // date::time_zone, kept out of this header
};
// InputError naming the text when it is not an IANA zone this system knows.
std::string requireTimeZone(std::string_view name);

// "+02:00", "-07:00", "Z" for the profile's count of offsets.
std::string offsetName(std::int32_t minutes);

}  // namespace tickmark

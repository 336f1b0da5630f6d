#include "workpapers/dates.h"

#include <date/tz.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstdio>

#include "workpapers/errors.h"

namespace tickmark {
namespace {

using namespace std::chrono;

bool isDigit(char c) { return c >= '0' && c <= '9'; }
bool isAlpha(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\xA0'; }
char lower(char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + 32) : c; }

bool iequal(std::string_view a, std::string_view b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i])) return false;
    return true;
}

std::optional<Date> makeDate(int y, int m, int d) {
    if (y < 1 || y > 9999 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
    Date ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

// 1 to `max` digits at v[i]; advances i.
std::optional<int> digitsAt(std::string_view v, std::size_t& i, std::size_t min, std::size_t max) {
    std::size_t start = i;
    int n = 0;
    while (i < v.size() && i - start < max && isDigit(v[i])) n = n * 10 + (v[i++] - '0');
    if (i - start < min || (i < v.size() && isDigit(v[i]))) return std::nullopt;
    return n;
}

std::string_view lettersAt(std::string_view v, std::size_t& i) {
    std::size_t start = i;
    while (i < v.size() && isAlpha(v[i])) ++i;
    return v.substr(start, i - start);
}

int monthByName(std::string_view s) {
    static constexpr std::array<std::string_view, 12> full{"january", "february", "march",     "april",   "may",      "june",
                                                           "july",    "august",   "september", "october", "november", "december"};
    for (int m = 0; m < 12; ++m)
        if (iequal(s, full[m]) || iequal(s, full[m].substr(0, 3))) return m + 1;
    if (iequal(s, "sept")) return 9;
    return 0;
}

bool isWeekday(std::string_view s) {
    static constexpr std::array<std::string_view, 7> full{"monday", "tuesday", "wednesday", "thursday",
                                                          "friday", "saturday", "sunday"};
    for (auto d : full)
        if (iequal(s, d) || iequal(s, d.substr(0, 3))) return true;
    return false;
}

// "Z", "+02:00", "-0700", "+05", " UTC", " GMT" at v[i..]; advances i.
std::optional<std::int32_t> offsetAt(std::string_view v, std::size_t& i) {
    std::size_t j = i;
    while (j < v.size() && isSpace(v[j])) ++j;
    if (j < v.size() && (v[j] == 'Z' || v[j] == 'z') && j + 1 == v.size()) {
        i = j + 1;
        return 0;
    }
    if (iequal(v.substr(j), "UTC") || iequal(v.substr(j), "GMT")) {
        i = v.size();
        return 0;
    }
    if (j < v.size() && (v[j] == '+' || v[j] == '-')) {
        // +HH, +HHMM or +HH:MM
        auto two = [&](std::size_t k) { return k + 1 < v.size() && isDigit(v[k]) && isDigit(v[k + 1]) ? (v[k] - '0') * 10 + (v[k + 1] - '0') : -1; };
        const int sign = v[j] == '-' ? -1 : 1;
        std::size_t k = j + 1;
        const int hh = two(k);
        if (hh < 0 || hh > 14) return std::nullopt;
        k += 2;
        int mm = 0;
        if (k < v.size()) {
            if (v[k] == ':') ++k;
            mm = two(k);
            if (mm < 0 || mm > 59) return std::nullopt;
            k += 2;
        }
        i = k;
        return sign * (hh * 60 + mm);
    }
    return std::nullopt;
}

struct Clock {
    int h = 0, m = 0, s = 0;
    bool ampm = false, pm = false;
};

// "8:50 PM", "14:02", "14:02:00.123", then an optional offset: a time after a date.
bool clockAt(std::string_view v, std::size_t& i, Clock& c, std::optional<std::int32_t>& offset) {
    auto h = digitsAt(v, i, 1, 2);
    if (!h || i >= v.size() || v[i] != ':') return false;
    ++i;
    auto m = digitsAt(v, i, 2, 2);
    if (!m) return false;
    c.h = *h, c.m = *m;
    if (i < v.size() && v[i] == ':') {
        ++i;
        auto s = digitsAt(v, i, 2, 2);
        if (!s) return false;
        c.s = *s;
        if (i < v.size() && (v[i] == '.' || v[i] == ',')) {
            ++i;
            if (!digitsAt(v, i, 1, 9)) return false;
        }
    }
    std::size_t j = i;
    while (j < v.size() && isSpace(v[j])) ++j;
    std::string_view rest = v.substr(j);
    for (std::string_view mark : {"AM", "PM", "A.M.", "P.M."})
        if (rest.size() >= mark.size() && iequal(rest.substr(0, mark.size()), mark)) {
            c.ampm = true;
            c.pm = lower(mark[0]) == 'p';
            i = j + mark.size();
            break;
        }
    if (i < v.size()) {
        offset = offsetAt(v, i);
        if (!offset) return false;
    }
    return i == v.size();
}

// Hours on the 12-hour clock (with AM/PM) or the 24-hour clock, to seconds since midnight.
std::optional<std::int32_t> secondsOf(const Clock& c) {
    int h = c.h;
    if (c.ampm) {
        if (h < 1 || h > 12) return std::nullopt;
        h = (h % 12) + (c.pm ? 12 : 0);
    }
    if (h > 23 || c.m > 59 || c.s > 60) return std::nullopt;
    return h * 3600 + c.m * 60 + std::min(c.s, 59);
}

}  // namespace

std::optional<Date> parseIsoDate(std::string_view s) {
    if (s.size() != 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    std::size_t i = 0;
    auto y = digitsAt(s, i, 4, 4);
    i = 5;
    auto m = digitsAt(s, i, 2, 2);
    i = 8;
    auto d = digitsAt(s, i, 2, 2);
    if (!y || !m || !d) return std::nullopt;
    return makeDate(*y, *m, *d);
}

std::string isoString(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

Date dateFromDays(std::int64_t days) { return Date{sys_days{std::chrono::days{days}}}; }
std::int64_t daysSinceEpoch(Date d) { return sys_days{d}.time_since_epoch().count(); }

std::optional<Date> excelSerialToDate(double serial) {
    // 1900 date system. Excel counts 1900-02-29, which never was, as serial 60; serial 1 is 1900-01-01.
    if (!(serial >= 1.0) || serial >= 2958466.0) return std::nullopt;
    auto whole = static_cast<std::int64_t>(std::floor(serial));
    if (whole == 60) return std::nullopt;
    const std::int64_t base = daysSinceEpoch(Date{year{1899}, December, day{31}});
    return dateFromDays(base + whole - (whole > 60 ? 1 : 0));
}

std::optional<DatePattern> DatePattern::parse(std::string_view text) {
    while (!text.empty() && isSpace(text.front())) text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back())) text.remove_suffix(1);
    if (iequal(text, "ISO") || iequal(text, "ISO8601") || iequal(text, "ISO 8601") || text == "YYYY-MM-DD") return iso();
    if (iequal(text, "excel-serial") || iequal(text, "excel") || iequal(text, "serial")) return excelSerial();
    if (iequal(text, "MDY") || iequal(text, "US")) return parse("MM/DD/YYYY");
    if (iequal(text, "DMY")) return parse("DD/MM/YYYY");

    DatePattern p;
    p.name_ = std::string(text);
    std::vector<std::pair<Part, std::size_t>> raw;  // M runs resolved below: (part, run length)
    bool ampm = false;
    for (std::size_t i = 0; i < text.size();) {
        std::string_view rest = text.substr(i);
        if (rest.size() >= 5 && iequal(rest.substr(0, 5), "AM/PM")) {
            raw.push_back({{Token::AmPm}, 5}), i += 5, ampm = true;
            continue;
        }
        if (rest.size() >= 3 && iequal(rest.substr(0, 3), "A/P")) {
            raw.push_back({{Token::AmPm}, 3}), i += 3, ampm = true;
            continue;
        }
        char c = text[i];
        if (isSpace(c)) {
            while (i < text.size() && isSpace(text[i])) ++i;
            raw.push_back({{Token::Space}, 1});
            continue;
        }
        if (isDigit(c)) {
            if (c == '0' && !raw.empty() && raw.back().first.token == Token::Literal && raw.back().first.literal == '.') {
                raw.back() = {{Token::Fraction}, 1};
                while (i < text.size() && text[i] == '0') ++i;
                continue;
            }
            return std::nullopt;
        }
        if (!isAlpha(c) || c == 'T') {
            raw.push_back({{Token::Literal, c}, 1});
            ++i;
            continue;
        }
        std::size_t n = 0;
        while (i + n < text.size() && lower(text[i + n]) == lower(c)) ++n;
        i += n;
        switch (lower(c)) {
            case 'y':
                if (n == 4) raw.push_back({{Token::Year4}, n});
                else if (n == 2) raw.push_back({{Token::Year2}, n});
                else return std::nullopt;
                break;
            case 'm':
                if (n > 4) return std::nullopt;
                raw.push_back({{n >= 3 ? Token::MonthName : Token::MonthNum}, n});
                break;
            case 'd':
                if (n > 4) return std::nullopt;
                raw.push_back({{n >= 3 ? Token::Weekday : Token::Day}, n});
                break;
            case 'h':
                if (n > 2) return std::nullopt;
                raw.push_back({{Token::Hour24}, n});
                break;
            case 's':
                if (n > 2) return std::nullopt;
                raw.push_back({{Token::Second}, n});
                break;
            default: return std::nullopt;
        }
    }
    // Excel's rule: m right after an hour, or right before seconds, is minutes.
    auto significant = [&](std::size_t from, int step) -> std::optional<Token> {
        for (auto k = static_cast<std::ptrdiff_t>(from) + step; k >= 0 && k < static_cast<std::ptrdiff_t>(raw.size()); k += step) {
            Token t = raw[static_cast<std::size_t>(k)].first.token;
            if (t != Token::Literal && t != Token::Space) return t;
        }
        return std::nullopt;
    };
    int years = 0, months = 0, days = 0, monthAt = -1, dayAt = -1;
    for (std::size_t k = 0; k < raw.size(); ++k) {
        Part& part = raw[k].first;
        const auto before = significant(k, -1);
        if (part.token == Token::MonthNum &&
            (before == Token::Hour24 || before == Token::Hour12 || significant(k, 1) == Token::Second))
            part.token = Token::Minute;
        if (part.token == Token::Hour24 && ampm) part.token = Token::Hour12;
        if (part.token == Token::Year4 || part.token == Token::Year2) ++years;
        if (part.token == Token::MonthNum || part.token == Token::MonthName) ++months, monthAt = static_cast<int>(k);
        if (part.token == Token::Day) ++days, dayAt = static_cast<int>(k);
        if (part.token == Token::Hour24 || part.token == Token::Hour12) p.hasTime_ = true;
        p.parts_.push_back(part);
    }
    if (years != 1 || months != 1 || days != 1) return std::nullopt;
    if (raw[static_cast<std::size_t>(monthAt)].first.token == Token::MonthNum)
        p.order_ = monthAt < dayAt ? Order::MonthDay : Order::DayMonth;
    return p;
}

DatePattern DatePattern::iso() {
    DatePattern p = *parse("YYYY/MM/DD");
    p.parts_[1].literal = p.parts_[3].literal = '-';
    p.kind_ = Kind::Iso;
    p.name_ = "YYYY-MM-DD";
    return p;
}

DatePattern DatePattern::excelSerial() {
    DatePattern p;
    p.kind_ = Kind::Serial;
    p.name_ = "excel-serial";
    return p;
}

std::optional<Timestamp> DatePattern::match(std::string_view v, bool strict) const {
    if (kind_ == Kind::Serial) {
        if (v.empty() || v.size() > 20) return std::nullopt;
        double serial = 0;
        auto [end, ec] = std::from_chars(v.data(), v.data() + v.size(), serial, std::chars_format::fixed);
        if (ec != std::errc() || end != v.data() + v.size()) return std::nullopt;
        if (!strict) return Timestamp{};
        auto d = excelSerialToDate(serial);
        if (!d) return std::nullopt;
        Timestamp t{*d, std::nullopt, std::nullopt};
        auto secs = static_cast<std::int32_t>(std::lround((serial - std::floor(serial)) * 86400.0));
        if (secs > 0) t.seconds = std::min(secs, 86399);
        return t;
    }
    std::size_t i = 0;
    int y = 0, m = 0, d = 0;
    Clock clock;
    bool timed = false;
    for (const Part& part : parts_) {
        std::optional<int> n;
        switch (part.token) {
            case Token::Year4:
                if (!(n = digitsAt(v, i, 4, 4))) return std::nullopt;
                y = *n;
                break;
            case Token::Year2:
                if (!(n = digitsAt(v, i, 2, 2))) return std::nullopt;
                y = *n < 69 ? 2000 + *n : 1900 + *n;  // POSIX's pivot, as strptime's %y
                break;
            case Token::MonthNum:
                if (!(n = digitsAt(v, i, 1, 2))) return std::nullopt;
                m = *n;
                break;
            case Token::Day:
                if (!(n = digitsAt(v, i, 1, 2))) return std::nullopt;
                d = *n;
                break;
            case Token::MonthName: {
                auto name = lettersAt(v, i);
                if (name.size() < 3) return std::nullopt;
                if (i < v.size() && v[i] == '.') ++i;  // "Sept."
                m = strict ? monthByName(name) : 1;
                if (!m) return std::nullopt;
                break;
            }
            case Token::Weekday: {
                auto name = lettersAt(v, i);
                if (name.size() < 3 || (strict && !isWeekday(name))) return std::nullopt;
                break;
            }
            case Token::Hour24:
            case Token::Hour12:
                if (!(n = digitsAt(v, i, 1, 2))) return std::nullopt;
                clock.h = *n, timed = true;
                break;
            case Token::Minute:
                if (!(n = digitsAt(v, i, 1, 2))) return std::nullopt;
                clock.m = *n;
                break;
            case Token::Second:
                if (!(n = digitsAt(v, i, 1, 2))) return std::nullopt;
                clock.s = *n;
                break;
            case Token::Fraction:
                if (i >= v.size() || v[i] != '.') return std::nullopt;
                ++i;
                if (!digitsAt(v, i, 1, 9)) return std::nullopt;
                break;
            case Token::AmPm: {
                std::string_view rest = v.substr(i);
                bool found = false;
                for (std::string_view mark : {"AM", "PM", "A", "P"})
                    if (rest.size() >= mark.size() && iequal(rest.substr(0, mark.size()), mark)) {
                        clock.ampm = true, clock.pm = lower(mark[0]) == 'p', i += mark.size(), found = true;
                        break;
                    }
                if (!found) return std::nullopt;
                break;
            }
            case Token::Space:
                if (i >= v.size() || !isSpace(v[i])) return std::nullopt;
                while (i < v.size() && isSpace(v[i])) ++i;
                break;
            case Token::Literal:
                if (i >= v.size() || lower(v[i]) != lower(part.literal)) return std::nullopt;
                ++i;
                break;
        }
    }
    std::optional<std::int32_t> offset;
    if (i < v.size()) {
        if (!hasTime_ && (v[i] == 'T' || isSpace(v[i]))) {
            // A time after the date: " 8:50 PM", "T14:02:00Z".
            ++i;
            while (i < v.size() && isSpace(v[i])) ++i;
            if (!clockAt(v, i, clock, offset)) return std::nullopt;
            timed = true;
        } else {
            offset = offsetAt(v, i);
            if (!offset || i != v.size()) return std::nullopt;
        }
    }
    if (!strict) return Timestamp{};
    auto date = makeDate(y, m, d);
    if (!date) return std::nullopt;
    Timestamp t{*date, std::nullopt, offset};
    if (timed) {
        t.seconds = secondsOf(clock);
        if (!t.seconds) return std::nullopt;
    }
    return t;
}

std::optional<Timestamp> DatePattern::read(std::string_view value) const { return match(value, true); }
bool DatePattern::shapeFits(std::string_view value) const { return match(value, false).has_value(); }

DatePattern requireDatePattern(std::string_view text, std::string_view label) {
    if (auto p = DatePattern::parse(text)) return *p;
    throw InputError(std::string(label) + " " + std::string(text) +
                     ": not a date pattern. Write it as Excel does, with YYYY or YY for the year, MM or M for the "
                     "month's number, MMM for its name, DD or D for the day, and h:mm, ss and AM/PM for a time, e.g. "
                     "\"DD/MMM/YY h:mm AM/PM\", \"MMM D, YYYY\", \"YYYY/MM/DD\"; or YYYY-MM-DD (ISO 8601) or excel-serial.");
}

const std::vector<DatePattern>& commonDatePatterns() {
    static const std::vector<DatePattern> patterns = [] {
        std::vector<DatePattern> v{DatePattern::iso()};
        for (auto text : {"MM/DD/YYYY", "DD/MM/YYYY", "DD.MM.YYYY"}) v.push_back(*DatePattern::parse(text));
        v.push_back(DatePattern::excelSerial());
        for (auto text : {"DD/MMM/YY", "DD/MMM/YYYY", "MMM D, YYYY", "MMM D YYYY", "D-MMM-YYYY", "D-MMM-YY", "D MMM YYYY",
                          "YYYY/MM/DD", "DD-MM-YYYY", "MM-DD-YYYY", "YYYY.MM.DD", "DDDD, MMMM D, YYYY"})
            v.push_back(*DatePattern::parse(text));
        return v;
    }();
    return patterns;
}

namespace {
// "12/Mar/25 8:50 PM" -> "9/a/9 9:9 a": digits and letters as runs, the rest as written.
void shapeOf(std::string_view v, std::string& s) {
    s.clear();
    for (std::size_t i = 0; i < v.size();) {
        if (isDigit(v[i])) {
            std::size_t n = 0;
            while (i < v.size() && isDigit(v[i])) ++i, ++n;
            s += n == 4 ? 'Y' : (n <= 2 ? '9' : '#');
        } else if (isAlpha(v[i])) {
            while (i < v.size() && isAlpha(v[i])) ++i;
            s += 'a';
        } else {
            s += v[i++];
        }
    }
}
}  // namespace

std::uint32_t DateColumnEvidence::add(std::string_view value, std::size_t want, std::optional<Timestamp>* read) {
    while (!value.empty() && isSpace(value.front())) value.remove_prefix(1);
    while (!value.empty() && isSpace(value.back())) value.remove_suffix(1);
    if (value.empty()) return 0;
    ++nonBlank_;
    const auto& patterns = commonDatePatterns();
    std::uint32_t candidates = 0;
    shapeOf(value, shape_);
    if (auto it = shapes_.find(shape_); it != shapes_.end()) {
        candidates = it->second;
    } else {
        for (std::size_t i = 0; i < patterns.size(); ++i)
            if (patterns[i].shapeFits(value)) candidates |= 1u << i;
        if (shapes_.size() < 1024) shapes_.emplace(shape_, candidates);
    }
    std::uint32_t bits = 0;
    for (std::size_t i = 0; candidates >> i; ++i) {
        if (!(candidates >> i & 1u)) continue;
        auto t = patterns[i].read(value);
        if (!t) continue;
        bits |= 1u << i;
        ++fits_[i];
        if (i == want && read) *read = t;
    }
    return bits;
}

DateColumnEvidence::Decision DateColumnEvidence::decide() const {
    const auto& patterns = commonDatePatterns();
    Decision d;
    for (std::size_t i = 0; i < fits_.size(); ++i)
        if (fits_[i] > d.readable) d.readable = fits_[i], d.pattern = i;
    if (!d.pattern) return d;
    // Month-first and day-first read the same digits differently; a tie is a guess we refuse.
    for (std::size_t i = 0; i < fits_.size(); ++i)
        if (i != *d.pattern && fits_[i] == d.readable &&
            ((patterns[i].monthFirst() && patterns[*d.pattern].dayFirst()) ||
             (patterns[i].dayFirst() && patterns[*d.pattern].monthFirst())))
            return Decision{std::nullopt, true, d.readable};
    return d;
}

std::optional<DatePattern> suggestDatePattern(const std::vector<std::string>& values) {
    if (values.empty()) return std::nullopt;
    // The first value's runs; numbers by the largest value any value has in that place.
    struct Run {
        char kind;  // 'd' digits, 'a' letters, else the character
        std::size_t len;
        std::string text;
    };
    auto runsOf = [](std::string_view v) {
        std::vector<Run> runs;
        for (std::size_t i = 0; i < v.size();) {
            std::size_t start = i;
            char kind = isDigit(v[i]) ? 'd' : (isAlpha(v[i]) ? 'a' : v[i]);
            if (kind == 'd') while (i < v.size() && isDigit(v[i])) ++i;
            else if (kind == 'a') while (i < v.size() && isAlpha(v[i])) ++i;
            else ++i;
            runs.push_back({kind, i - start, std::string(v.substr(start, i - start))});
        }
        return runs;
    };
    auto first = runsOf(values.front());
    std::vector<int> largest(first.size(), 0);
    for (auto& v : values) {
        auto runs = runsOf(v);
        if (runs.size() != first.size()) continue;
        for (std::size_t k = 0; k < runs.size(); ++k)
            if (runs[k].kind == 'd' && runs[k].len <= 6) largest[k] = std::max(largest[k], std::stoi(runs[k].text));
    }
    std::vector<std::string> out(first.size());
    std::vector<std::size_t> dateNumbers;
    bool monthName = false, hasYear = false;
    int clockPart = 0;
    for (std::size_t k = 0; k < first.size(); ++k) {
        const Run& r = first[k];
        bool afterColon = k > 0 && first[k - 1].kind == ':';
        bool beforeColon = k + 1 < first.size() && first[k + 1].kind == ':';
        if (r.kind == 'd' && (afterColon || beforeColon) && clockPart < 3) {
            out[k] = clockPart == 0 ? (r.len == 1 ? "h" : "hh") : (clockPart == 1 ? "mm" : "ss");
            ++clockPart;
        } else if (r.kind == 'd' && r.len == 4) {
            out[k] = "YYYY", hasYear = true;
        } else if (r.kind == 'd' && r.len <= 2) {
            dateNumbers.push_back(k);
        } else if (r.kind == 'a' && monthByName(r.text)) {
            out[k] = "MMM", monthName = true;
        } else if (r.kind == 'a' && isWeekday(r.text)) {
            out[k] = "DDDD";
        } else if (r.kind == 'a' && (iequal(r.text, "AM") || iequal(r.text, "PM"))) {
            out[k] = "AM/PM";
            for (auto& o : out)
                if (o == "hh") o = "h";
        } else if (r.kind == 'd' || r.kind == 'a') {
            return std::nullopt;
        } else {
            out[k] = r.text;
        }
    }
    auto two = [&](std::size_t k, const char* one, const char* twoLetters) {
        out[k] = first[k].len == 2 ? twoLetters : one;
    };
    if (monthName) {
        if (dateNumbers.size() == 1 && hasYear) two(dateNumbers[0], "D", "DD");
        else if (dateNumbers.size() == 2 && !hasYear) two(dateNumbers[0], "D", "DD"), out[dateNumbers[1]] = "YY";
        else return std::nullopt;
    } else {
        std::vector<std::size_t> dm = dateNumbers;
        if (!hasYear) {
            if (dm.size() != 3) return std::nullopt;
            out[dm.back()] = "YY";
            dm.pop_back();
        }
        if (dm.size() != 2) return std::nullopt;
        bool dayFirst = largest[dm[0]] > 12;
        two(dm[0], dayFirst ? "D" : "M", dayFirst ? "DD" : "MM");
        two(dm[1], dayFirst ? "M" : "D", dayFirst ? "MM" : "DD");
    }
    std::string text;
    for (auto& o : out) text += o;
    auto pattern = DatePattern::parse(text);
    if (!pattern) return std::nullopt;
    std::size_t read = 0;
    for (auto& v : values) read += pattern->read(v).has_value();
    if (read * 10 < values.size() * 9) return std::nullopt;
    return pattern;
}

ClientZone::ClientZone(const std::optional<std::string>& iana) : name_(iana) {
    if (iana) zone_ = date::locate_zone(*iana);
}
ClientZone::~ClientZone() = default;
ClientZone::ClientZone(ClientZone&&) noexcept = default;

Date ClientZone::localDate(const Timestamp& t) const {
    if (!t.offsetMinutes) return t.date;
    const std::int64_t utc = daysSinceEpoch(t.date) * 86400 + t.seconds.value_or(0) - std::int64_t{*t.offsetMinutes} * 60;
    std::int64_t local = utc;
    if (zone_) {
        auto tp = date::sys_seconds{std::chrono::seconds{utc}};
        local = static_cast<const date::time_zone*>(zone_)->to_local(tp).time_since_epoch().count();
    }
    return dateFromDays(local >= 0 ? local / 86400 : -((-local + 86399) / 86400));
}

std::string requireTimeZone(std::string_view name) {
    try {
        return date::locate_zone(std::string(name))->name();
    } catch (const std::exception&) {
        throw InputError("time zone \"" + std::string(name) +
                         "\": not a zone this system knows. Use an IANA name such as America/Los_Angeles, "
                         "America/New_York, America/Chicago, Europe/London, Europe/Berlin or UTC.");
    }
}

std::string offsetName(std::int32_t minutes) {
    if (minutes == 0) return "Z";
    char buf[16];
    int a = std::abs(minutes);
    std::snprintf(buf, sizeof buf, "%c%02d:%02d", minutes < 0 ? '-' : '+', a / 60, a % 60);
    return buf;
}

}  // namespace tickmark

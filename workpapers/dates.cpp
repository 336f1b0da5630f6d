#include "workpapers/dates.h"

#include <charconv>
#include <cmath>
#include <cstdio>

#include "workpapers/errors.h"

namespace tickmark {
namespace {

using namespace std::chrono;

bool digits(std::string_view s) {
    if (s.empty()) return false;
    for (char c : s)
        if (c < '0' || c > '9') return false;
    return true;
}

// Only ever called on short runs already checked to be digits.
int toInt(std::string_view s) {
    int v = 0;
    for (char c : s) v = v * 10 + (c - '0');
    return v;
}

std::optional<Date> makeDate(int y, int m, int d) {
    if (y < 1 || y > 9999) return std::nullopt;
    Date ymd{year{y}, month{static_cast<unsigned>(m)}, day{static_cast<unsigned>(d)}};
    if (!ymd.ok()) return std::nullopt;
    return ymd;
}

// "HH:MM", "HH:MM:SS", "HH:MM:SS.fff", optionally followed by " AM"/" PM".
bool validClock(std::string_view t, bool allowAmPm) {
    if (allowAmPm && t.size() > 3) {
        std::string_view tail = t.substr(t.size() - 2);
        if ((tail == "AM" || tail == "PM" || tail == "am" || tail == "pm")) {
            t = t.substr(0, t.size() - 2);
            if (!t.empty() && t.back() == ' ') t.remove_suffix(1);
        }
    }
    if (t.size() < 4) return false;
    auto c1 = t.find(':');
    if (c1 == std::string_view::npos || c1 == 0 || c1 > 2) return false;
    std::string_view hh = t.substr(0, c1), rest = t.substr(c1 + 1);
    if (!digits(hh) || toInt(hh) > 23) return false;
    if (rest.size() < 2 || !digits(rest.substr(0, 2)) || toInt(rest.substr(0, 2)) > 59) return false;
    rest.remove_prefix(2);
    if (rest.empty()) return true;
    if (rest[0] != ':' || rest.size() < 3 || !digits(rest.substr(1, 2)) || toInt(rest.substr(1, 2)) > 60) return false;
    rest.remove_prefix(3);
    if (rest.empty()) return true;
    if (rest[0] != '.' || !digits(rest.substr(1))) return false;
    return true;
}

// ISO time with optional zone: 14:30, 14:30:00, 14:30:00.123Z, 14:30:00+02:00
bool validIsoTime(std::string_view t) {
    if (!t.empty() && (t.back() == 'Z' || t.back() == 'z')) t.remove_suffix(1);
    else if (t.size() > 6 && (t[t.size() - 6] == '+' || t[t.size() - 6] == '-') && t[t.size() - 3] == ':') {
        std::string_view zone = t.substr(t.size() - 5);
        if (!digits(zone.substr(0, 2)) || !digits(zone.substr(3, 2))) return false;
        t.remove_suffix(6);
    }
    return validClock(t, false);
}

std::optional<Date> parseIso(std::string_view s) {
    if (s.size() < 10 || s[4] != '-' || s[7] != '-') return std::nullopt;
    if (!digits(s.substr(0, 4)) || !digits(s.substr(5, 2)) || !digits(s.substr(8, 2))) return std::nullopt;
    if (s.size() > 10) {
        if (s[10] != 'T' && s[10] != ' ') return std::nullopt;
        if (!validIsoTime(s.substr(11))) return std::nullopt;
    }
    return makeDate(toInt(s.substr(0, 4)), toInt(s.substr(5, 2)), toInt(s.substr(8, 2)));
}

// "A<sep>B<sep>YYYY" with one or two digit A and B, then an optional " time".
bool splitNumeric(std::string_view s, char sep, int& a, int& b, int& y) {
    auto sp = s.find(' ');
    std::string_view datePart = s.substr(0, sp);
    if (sp != std::string_view::npos && !validClock(s.substr(sp + 1), true)) return false;
    auto p1 = datePart.find(sep);
    if (p1 == std::string_view::npos) return false;
    auto p2 = datePart.find(sep, p1 + 1);
    if (p2 == std::string_view::npos) return false;
    std::string_view A = datePart.substr(0, p1), B = datePart.substr(p1 + 1, p2 - p1 - 1), Y = datePart.substr(p2 + 1);
    if (A.empty() || A.size() > 2 || B.empty() || B.size() > 2 || Y.size() != 4) return false;
    if (!digits(A) || !digits(B) || !digits(Y)) return false;
    a = toInt(A);
    b = toInt(B);
    y = toInt(Y);
    return true;
}

std::optional<double> parseSerial(std::string_view s) {
    if (s.empty() || s.size() > 20) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, std::chars_format::fixed);
    if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
    return v;
}

}  // namespace

std::optional<Date> parseIsoDate(std::string_view s) {
    if (s.size() != 10) return std::nullopt;
    return parseIso(s);
}

std::string isoString(Date d) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(d.year()), static_cast<unsigned>(d.month()),
                  static_cast<unsigned>(d.day()));
    return buf;
}

Date dateFromDays(std::int64_t days) { return Date{sys_days{std::chrono::days{days}}}; }
std::int64_t daysSinceEpoch(Date d) { return sys_days{d}.time_since_epoch().count(); }

std::string_view dateFormatName(DateFormat f) {
    switch (f) {
        case DateFormat::Iso: return "YYYY-MM-DD";
        case DateFormat::MonthFirst: return "MM/DD/YYYY";
        case DateFormat::DayFirst: return "DD/MM/YYYY";
        case DateFormat::DayFirstDots: return "DD.MM.YYYY";
        case DateFormat::ExcelSerial: return "excel-serial";
    }
    return "?";
}

std::optional<DateFormat> parseDateFormatName(std::string_view name) {
    std::string n;
    for (char c : name) n += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (n == "YYYY-MM-DD" || n == "ISO" || n == "ISO8601") return DateFormat::Iso;
    if (n == "MM/DD/YYYY" || n == "MDY" || n == "US") return DateFormat::MonthFirst;
    if (n == "DD/MM/YYYY" || n == "DMY") return DateFormat::DayFirst;
    if (n == "DD.MM.YYYY") return DateFormat::DayFirstDots;
    if (n == "EXCEL-SERIAL" || n == "EXCEL" || n == "SERIAL") return DateFormat::ExcelSerial;
    return std::nullopt;
}

DateFormat requireDateFormatName(std::string_view name, std::string_view label) {
    if (auto f = parseDateFormatName(name)) return *f;
    throw InputError(std::string(label) + " " + std::string(name) +
                     ": use YYYY-MM-DD, MM/DD/YYYY, DD/MM/YYYY, DD.MM.YYYY or excel-serial");
}

std::optional<Date> excelSerialToDate(double serial) {
    // 1900 date system. Excel counts 1900-02-29, which never was, as serial 60; serial 1 is 1900-01-01.
    if (!(serial >= 1.0) || serial >= 2958466.0) return std::nullopt;
    auto whole = static_cast<std::int64_t>(std::floor(serial));
    if (whole == 60) return std::nullopt;
    const std::int64_t base = daysSinceEpoch(Date{year{1899}, December, day{31}});
    return dateFromDays(base + whole - (whole > 60 ? 1 : 0));
}

std::optional<Date> parseDate(std::string_view v, DateFormat f) {
    int a = 0, b = 0, y = 0;
    switch (f) {
        case DateFormat::Iso: return parseIso(v);
        case DateFormat::MonthFirst:
            if (!splitNumeric(v, '/', a, b, y)) return std::nullopt;
            return makeDate(y, a, b);
        case DateFormat::DayFirst:
            if (!splitNumeric(v, '/', a, b, y)) return std::nullopt;
            return makeDate(y, b, a);
        case DateFormat::DayFirstDots:
            if (!splitNumeric(v, '.', a, b, y)) return std::nullopt;
            return makeDate(y, b, a);
        case DateFormat::ExcelSerial: {
            auto s = parseSerial(v);
            return s ? excelSerialToDate(*s) : std::nullopt;
        }
    }
    return std::nullopt;
}

namespace {
// A cheap test that a value could be in format f at all; parseDate has the last word.
bool couldBe(std::string_view v, DateFormat f) {
    switch (f) {
        case DateFormat::Iso: return v.size() >= 10 && v[4] == '-' && v[7] == '-';
        case DateFormat::MonthFirst:
        case DateFormat::DayFirst: return v.size() >= 8 && v.find('/') != std::string_view::npos;
        case DateFormat::DayFirstDots: return v.size() >= 8 && v.find('.') != v.rfind('.');
        case DateFormat::ExcelSerial: return v.size() <= 20 && v.find_first_of("/-: T") == std::string_view::npos;
    }
    return false;
}
}  // namespace

unsigned DateColumnEvidence::add(std::string_view value) {
    if (value.empty()) return 0;
    ++nonBlank_;
    unsigned bits = 0;
    for (std::size_t i = 0; i < kAllDateFormats.size(); ++i) {
        if (couldBe(value, kAllDateFormats[i]) && parseDate(value, kAllDateFormats[i])) {
            bits |= 1u << i;
            ++fits_[i];
        }
    }
    return bits;
}

DateColumnEvidence::Decision DateColumnEvidence::decide() const {
    Decision d;
    std::int64_t best = 0;
    for (std::size_t i = 0; i < fits_.size(); ++i) {
        if (fits_[i] > best) {
            best = fits_[i];
            d.format = kAllDateFormats[i];
        }
    }
    if (best == 0) return Decision{};
    // Month-first and day-first read the same slashes differently; a tie is a guess we refuse.
    if (fits(DateFormat::MonthFirst) == best && fits(DateFormat::DayFirst) == best) return Decision{std::nullopt, true};
    return d;
}

}  // namespace tickmark

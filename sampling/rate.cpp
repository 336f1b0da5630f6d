#include "sampling/rate.h"

#include <cstdio>
#include <numeric>
#include <stdexcept>

namespace tickmark::sampling {

Rate Rate::fraction(std::int64_t num, std::int64_t den) {
    if (den <= 0) throw std::invalid_argument("a rate needs a positive denominator");
    std::int64_t g = std::gcd(num < 0 ? -num : num, den);
    if (g == 0) g = 1;
    return Rate{num / g, den / g};
}

Rate Rate::parse(std::string_view text, std::string_view what) {
    auto bad = [&] {
        return std::invalid_argument(std::string(what) + " \"" + std::string(text) +
                                     "\": write a rate as a decimal (0.05), a percentage (5%) or a fraction (1/20)");
    };
    std::string_view s = text;
    while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
    while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
    if (s.empty()) throw bad();
    bool percent = s.back() == '%';
    if (percent) s.remove_suffix(1);
    if (auto slash = s.find('/'); slash != std::string_view::npos && !percent) {
        auto a = s.substr(0, slash), b = s.substr(slash + 1);
        if (a.empty() || b.empty() || a.find_first_not_of("0123456789") != std::string_view::npos ||
            b.find_first_not_of("0123456789") != std::string_view::npos || a.size() > 12 || b.size() > 12)
            throw bad();
        std::int64_t d = std::stoll(std::string(b));
        if (d == 0) throw bad();
        return fraction(std::stoll(std::string(a)), d);
    }
    std::int64_t num = 0, den = 1;
    bool dot = false, digit = false;
    for (char c : s) {
        if (c == '.' && !dot) {
            dot = true;
            continue;
        }
        if (c < '0' || c > '9') throw bad();
        digit = true;
        if (num > 100'000'000'000LL || den > 100'000'000'000LL) throw bad();  // more digits than any rate needs
        num = num * 10 + (c - '0');
        if (dot) den *= 10;
    }
    if (!digit) throw bad();
    if (percent) den *= 100;
    return fraction(num, den);
}

std::int64_t Rate::ceilTimes(std::int64_t n) const {
    Int128 p = static_cast<Int128>(num) * n;
    Int128 q = p / den;
    if (p % den != 0 && p > 0) ++q;
    return static_cast<std::int64_t>(q);
}

std::string Rate::text() const {
    // A terminating decimal has a denominator of 2s and 5s only.
    std::int64_t d = den;
    int twos = 0, fives = 0;
    while (d % 2 == 0) d /= 2, ++twos;
    while (d % 5 == 0) d /= 5, ++fives;
    if (d != 1) return std::to_string(num) + "/" + std::to_string(den);
    int places = std::max(twos, fives);
    Int128 scaled = static_cast<Int128>(num);
    for (int i = 0; i < places; ++i) scaled *= 10;
    scaled /= den;
    std::string digits = std::to_string(static_cast<std::int64_t>(scaled));
    if (places == 0) return digits;
    while (static_cast<int>(digits.size()) <= places) digits.insert(digits.begin(), '0');
    digits.insert(digits.end() - places, '.');
    return digits;
}

Rate oneMinus(const Rate& r) { return Rate::fraction(r.den - r.num, r.den); }

std::string percentText(double rate, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f%%", decimals, rate * 100);
    std::string s = buf;
    if (s[0] == '-' && s.find_first_not_of("-0.%") == std::string::npos) s.erase(0, 1);  // "-0.0%" -> "0.0%"
    return s;
}

}  // namespace tickmark::sampling

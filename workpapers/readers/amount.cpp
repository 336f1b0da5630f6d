#include "workpapers/readers/amount.h"

#include <charconv>
#include <cmath>
#include <string>

namespace tickmark {

std::optional<double> parseAmount(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    bool negative = false;
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
        negative = true;
        s = s.substr(1, s.size() - 2);
    }
    std::string clean;
    bool digit = false;
    for (char c : s) {
        if (c == ',' || c == ' ' || c == '$') continue;
        // Digits, a sign, a decimal point and an exponent: nothing from_chars would also take as
        // "nan", "inf" or "infinity".
        if (c >= '0' && c <= '9') digit = true;
        else if (c != '.' && c != '-' && c != '+' && c != 'e' && c != 'E') return std::nullopt;
        clean += c;
    }
    if (!digit) return std::nullopt;
    if (clean.front() == '+') clean.erase(0, 1);
    if (clean.empty() || clean.front() == 'e' || clean.front() == 'E') return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v, std::chars_format::general);
    if (ec != std::errc() || p != clean.data() + clean.size() || !std::isfinite(v)) return std::nullopt;
    return negative ? -v : v;
}

}  // namespace tickmark

#pragma once
// Rates as exact fractions. Sample sizes hinge on ceil(rate * n), and 0.035 * 400 is 14 only in
// exact arithmetic (binary floating point gives 14.000000000000002, so ceil says 15).
#include <cstdint>
#include <string>
#include <string_view>

namespace tickmark::sampling {

// Products of two 64-bit counts need 128 bits; GCC and Clang provide them.
__extension__ typedef __int128 Int128;
__extension__ typedef unsigned __int128 UInt128;

struct Rate {
    std::int64_t num = 0;
    std::int64_t den = 1;

    // "0.035", "3.5%", "7/200". Throws std::invalid_argument naming `what` on anything else.
    static Rate parse(std::string_view text, std::string_view what);
    static Rate fraction(std::int64_t num, std::int64_t den);

    double value() const { return static_cast<double>(num) / static_cast<double>(den); }
    // ceil(rate * n), exactly.
    std::int64_t ceilTimes(std::int64_t n) const;
    std::string text() const;  // shortest decimal when there is one, else num/den
    friend bool operator<(const Rate& a, const Rate& b) {
        return static_cast<Int128>(a.num) * b.den < static_cast<Int128>(b.num) * a.den;
    }
    friend bool operator<=(const Rate& a, const Rate& b) { return !(b < a); }
    friend bool operator==(const Rate& a, const Rate& b) {
        return static_cast<Int128>(a.num) * b.den == static_cast<Int128>(b.num) * a.den;
    }
};

Rate oneMinus(const Rate& r);

// A rate as a percentage with `decimals` places ("7.7%"). Never "-0.0%": a value that rounds to zero
// prints as zero, whatever its sign.
std::string percentText(double rate, int decimals = 1);

}  // namespace tickmark::sampling

#include "sampling/tail.h"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/poisson.hpp>
#include <boost/multiprecision/cpp_bin_float.hpp>
#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>

namespace tickmark::sampling {
namespace {

namespace mp = boost::multiprecision;
using BigInt = mp::cpp_int;

// Outside this relative distance from alpha the double decides; Boost.Math's cdfs are good to a few ulps.
constexpr double kBand = 1e-6;

bool clearlyDecided(double approx, const Rate& alpha, Order& out) {
    const double a = alpha.value();
    if (approx < a * (1 - kBand)) return out = Order::Below, true;
    if (approx > a * (1 + kBand)) return out = Order::Above, true;
    return false;
}

// Order of num/den against alpha, both exact.
Order orderOf(const BigInt& num, const BigInt& den, const Rate& alpha) {
    BigInt l = num * alpha.den, r = BigInt(alpha.num) * den;
    return l < r ? Order::Below : l == r ? Order::Equal : Order::Above;
}

Order orderOfConstant(int p01, const Rate& alpha) { return orderOf(BigInt(p01), BigInt(1), alpha); }

BigInt choose(std::int64_t n, std::int64_t k) {
    if (k < 0 || k > n) return 0;
    k = std::min(k, n - k);
    BigInt r = 1;
    for (std::int64_t i = 1; i <= k; ++i) r = r * (n - k + i) / i;  // exact: r is C(n-k+i, i) after each step
    return r;
}

// P(X <= x | n, a/b) = sum_{k<=x} C(n,k) a^k c^(n-k) / b^n with c = b - a. Horner in k gives
// h = sum_k C(n,k) a^k c^(x-k); the numerator is h * c^(n-x).
Order binomialExact(std::int64_t x, std::int64_t n, const Rate& p, const Rate& alpha) {
    const BigInt a = p.num, c = p.den - p.num;
    BigInt h = 0, binom = 1, apow = 1;
    for (std::int64_t k = 0; k <= x; ++k) {
        h = h * c + binom * apow;
        binom = binom * (n - k) / (k + 1);
        apow *= a;
    }
    return orderOf(h * mp::pow(c, static_cast<unsigned>(n - x)), mp::pow(BigInt(p.den), static_cast<unsigned>(n)), alpha);
}

// P(X <= x) = sum_k C(K,k) C(N-K,n-k) / C(N,n), from the smallest possible k up.
Order hypergeometricExact(std::int64_t x, std::int64_t n, std::int64_t N, std::int64_t K, const Rate& alpha) {
    std::int64_t k = std::max<std::int64_t>(0, n - (N - K));
    BigInt cK = choose(K, k), cRest = choose(N - K, n - k), sum = 0;
    for (; k <= std::min(x, K); ++k) {
        sum += cK * cRest;
        cK = cK * (K - k) / (k + 1);                   // C(K, k+1)
        cRest = cRest * (n - k) / (N - K - n + k + 1);  // C(N-K, n-k-1); the divisor is >= 1 here
    }
    return orderOf(sum, choose(N, n), alpha);
}

template <class Float>
Float poissonCdf(std::int64_t x, std::int64_t n, const Rate& p) {
    const Float mu = Float(n) * Float(p.num) / Float(p.den);
    Float term = exp(-mu), sum = term;
    for (std::int64_t k = 1; k <= x; ++k) {
        term *= mu / Float(k);
        sum += term;
    }
    return sum;
}

template <class Float>
Order poissonOrder(std::int64_t x, std::int64_t n, const Rate& p, const Rate& alpha, const Float& closeness, bool& close) {
    const Float P = poissonCdf<Float>(x, n, p), a = Float(alpha.num) / Float(alpha.den);
    close = abs(P - a) < closeness * a;
    return P < a ? Order::Below : P > a ? Order::Above : Order::Equal;
}

}  // namespace

Tail binomialAtMost(std::int64_t x, std::int64_t n, const Rate& p, const Rate& alpha) {
    if (x >= n || p.num == 0) return {1.0, orderOfConstant(1, alpha)};
    if (p.num == p.den) return {0.0, orderOfConstant(0, alpha)};
    Tail t;
    t.approx = boost::math::cdf(boost::math::binomial_distribution<double>(static_cast<double>(n), p.value()),
                                static_cast<double>(x));
    if (!clearlyDecided(t.approx, alpha, t.order)) t.order = binomialExact(x, n, p, alpha);
    return t;
}

Tail poissonAtMost(std::int64_t x, std::int64_t n, const Rate& p, const Rate& alpha) {
    if (p.num == 0) return {1.0, orderOfConstant(1, alpha)};  // mean 0: no deviations at all
    Tail t;
    t.approx = boost::math::cdf(boost::math::poisson_distribution<double>(static_cast<double>(n) * p.value()),
                                static_cast<double>(x));
    if (clearlyDecided(t.approx, alpha, t.order)) return t;
    bool close = false;
    t.order = poissonOrder(x, n, p, alpha, mp::cpp_bin_float_100("1e-80"), close);
    if (close) {
        using Float1000 = mp::number<mp::cpp_bin_float<1000>>;
        t.order = poissonOrder(x, n, p, alpha, Float1000(0), close);
    }
    return t;
}

Tail hypergeometricAtMost(std::int64_t x, std::int64_t n, std::int64_t N, std::int64_t K, const Rate& alpha) {
    if (x >= n || x >= K) return {1.0, orderOfConstant(1, alpha)};
    if (K > N - (n - x)) return {0.0, orderOfConstant(0, alpha)};  // at least n - (N - K) > x deviations are drawn
    Tail t;
    boost::math::hypergeometric_distribution<double> h(static_cast<unsigned>(K), static_cast<unsigned>(n),
                                                       static_cast<unsigned>(N));
    t.approx = boost::math::cdf(h, static_cast<unsigned>(x));
    if (!clearlyDecided(t.approx, alpha, t.order)) t.order = hypergeometricExact(x, n, N, K, alpha);
    return t;
}

}  // namespace tickmark::sampling

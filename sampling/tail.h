#pragma once
// The one comparison every attribute-sampling decision rests on: P(X <= x) against the risk of
// overreliance alpha = 1 - confidence. Planning takes the smallest n with P < alpha; the upper
// limits are where P falls to alpha; reliance is supported when P at the tolerable rate is < alpha.
// A double cannot decide a tie (N = 100, n = 95, K = 1: P(X = 0) is exactly 1/20, and 1.0 - 0.95
// is not), so the order is decided exactly:
// - binomial and hypergeometric probabilities are ratios of integers (p is a Rate): compared as
//   integers with boost::multiprecision::cpp_int, so P == alpha is seen as a tie;
// - Poisson's e^-mu * (a rational) is irrational for rational mu > 0 and never equals alpha: it is
//   compared in 100-digit binary floating point (1000 digits when closer than 1e-80).
// The double from Boost.Math decides alone only when it is more than a relative 1e-6 away from
// alpha, far outside its error (a few ulps); anything nearer goes to the exact comparison.
#include <cstdint>

#include "sampling/rate.h"

namespace tickmark::sampling {

enum class Order { Below, Equal, Above };  // P < alpha, P == alpha, P > alpha

struct Tail {
    double approx = 0;  // P(X <= x) as a double, for display
    Order order = Order::Above;
};

// X ~ Binomial(n, p), p in [0, 1].
Tail binomialAtMost(std::int64_t x, std::int64_t n, const Rate& p, const Rate& alpha);
// X ~ Poisson(n * p), p > 0.
Tail poissonAtMost(std::int64_t x, std::int64_t n, const Rate& p, const Rate& alpha);
// X = deviations among n drawn without replacement from N items of which K deviate.
Tail hypergeometricAtMost(std::int64_t x, std::int64_t n, std::int64_t N, std::int64_t K, const Rate& alpha);

}  // namespace tickmark::sampling

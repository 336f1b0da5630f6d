#include "sampling/attribute.h"

#include "sampling/tail.h"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/poisson.hpp>

#include <cmath>
#include <cstdlib>
#include <stdexcept>

namespace tickmark::sampling {
namespace {

std::string percent(double v) { return percentText(v, 1); }

void requireConfidence(const Rate& c) {
    if (!(Rate::fraction(1, 2) < c) || !(c < Rate::fraction(1, 1)))
        throw std::invalid_argument("confidence " + c.text() +
                                    ": give a level strictly between 0.5 and 1 (0.95 is a 5% risk of overreliance)");
}

void requireRate(const Rate& r, const char* what, bool zeroAllowed) {
    if (r.num < 0 || (!zeroAllowed && r.num == 0) || !(r < Rate::fraction(1, 1)))
        throw std::invalid_argument(std::string(what) + " " + r.text() + ": give a rate " +
                                    (zeroAllowed ? "from 0 up to (not including) 1" : "strictly between 0 and 1"));
}

// P(X <= x) at the tolerable rate (K = ceil(TDR * N) of N for hypergeometric), ordered against alpha exactly.
Tail tailAtMost(Likelihood l, std::int64_t x, std::int64_t n, const Rate& tdr, std::optional<std::int64_t> N,
                const Rate& alpha) {
    switch (l) {
        case Likelihood::Binomial: return binomialAtMost(x, n, tdr, alpha);
        case Likelihood::Poisson: return poissonAtMost(x, n, tdr, alpha);
        case Likelihood::Hypergeometric: return hypergeometricAtMost(x, n, *N, tdr.ceilTimes(*N), alpha);
    }
    return {};
}

// The hypergeometric bound: the largest count of deviating items K in a population of N that
// "x or fewer in n" does not reject, i.e. with P(X <= x | K) >= alpha (the same strict "<" rejects).
std::int64_t hypergeometricUpperCount(std::int64_t x, std::int64_t n, std::int64_t N, const Rate& alpha) {
    std::int64_t lo = x, hi = N - (n - x);  // K below x or above N-(n-x) could not have produced x of n
    // P(X <= x | K) falls as K grows: find the last K with P >= alpha.
    while (lo < hi) {
        std::int64_t mid = lo + (hi - lo + 1) / 2;
        if (hypergeometricAtMost(x, n, N, mid, alpha).order != Order::Below) lo = mid;
        else hi = mid - 1;
    }
    return lo;
}

// The limit rounded up to 0.1%, as the tables print it: the smallest m/1000 at or above the limit,
// i.e. with P(X <= x | m/1000) <= alpha (P falls as the rate grows). 1 when even 100% is not.
double roundedUpperLimit(Likelihood l, std::int64_t x, std::int64_t n, const Rate& alpha) {
    std::int64_t lo = 0, hi = 1000;
    while (lo < hi) {
        std::int64_t m = lo + (hi - lo) / 2;
        if (tailAtMost(l, x, n, Rate::fraction(m, 1000), std::nullopt, alpha).order != Order::Above) hi = m;
        else lo = m + 1;
    }
    return static_cast<double>(lo) / 1000.0;
}

}  // namespace

std::string likelihoodName(Likelihood l) {
    switch (l) {
        case Likelihood::Binomial: return "binomial";
        case Likelihood::Poisson: return "poisson";
        case Likelihood::Hypergeometric: return "hypergeometric";
    }
    return "?";
}

Likelihood parseLikelihood(std::string_view name) {
    if (name == "binomial") return Likelihood::Binomial;
    if (name == "poisson") return Likelihood::Poisson;
    if (name == "hypergeometric") return Likelihood::Hypergeometric;
    throw std::invalid_argument("likelihood \"" + std::string(name) + "\": use binomial, poisson or hypergeometric");
}

double probabilityAtMost(Likelihood l, std::int64_t x, std::int64_t n, const Rate& tdr,
                         std::optional<std::int64_t> N) {
    if (x >= n) return 1.0;
    switch (l) {
        case Likelihood::Binomial:
            return boost::math::cdf(boost::math::binomial_distribution<double>(static_cast<double>(n), tdr.value()),
                                    static_cast<double>(x));
        case Likelihood::Poisson:
            return boost::math::cdf(boost::math::poisson_distribution<double>(static_cast<double>(n) * tdr.value()),
                                    static_cast<double>(x));
        case Likelihood::Hypergeometric: {
            std::int64_t K = tdr.ceilTimes(*N);
            if (K > *N - (n - x)) return 0.0;  // so many deviations that x or fewer of n is impossible
            boost::math::hypergeometric_distribution<double> h(static_cast<unsigned>(K), static_cast<unsigned>(n),
                                                               static_cast<unsigned>(*N));
            return boost::math::cdf(h, static_cast<unsigned>(x));
        }
    }
    return 1.0;
}

AttributePlan planAttributeSample(const AttributePlanInput& in) {
    requireConfidence(in.confidence);
    requireRate(in.tolerable, "tolerable deviation rate", false);
    if (in.expectedRate && in.expectedCount)
        throw std::invalid_argument("give the expected deviations as a rate or as a count, not both");
    if (in.expectedRate) requireRate(*in.expectedRate, "expected deviation rate", true);
    if (in.expectedCount && *in.expectedCount < 0)
        throw std::invalid_argument("expected deviations " + std::to_string(*in.expectedCount) + ": give a count of 0 or more");
    if (in.likelihood == Likelihood::Hypergeometric && (!in.populationSize || *in.populationSize < 1))
        throw std::invalid_argument("the hypergeometric likelihood needs the population size (--population-size N)");
    if (in.populationSize && *in.populationSize < 1)
        throw std::invalid_argument("population size " + std::to_string(*in.populationSize) + ": give at least 1");
    if (in.populationSize && *in.populationSize > 4'000'000'000LL)
        throw std::invalid_argument("population size: at most 4,000,000,000 for the exact hypergeometric");

    const Rate edr = in.expectedRate.value_or(Rate{0, 1});
    const Rate alpha = oneMinus(in.confidence);
    const bool hyper = in.likelihood == Likelihood::Hypergeometric;
    AttributePlan plan;
    if (in.expectedRate && !(edr < in.tolerable)) {
        plan.whyNot = "the expected deviation rate (" + edr.text() + ") is not below the tolerable rate (" +
                      in.tolerable.text() +
                      "): no sample can support reliance. Plan not to rely on the control, or revisit the rates.";
        return plan;
    }
    if (hyper) {
        // Allowing as many deviations as the tolerable count K leaves nothing to reject, even testing all N.
        const std::int64_t N = *in.populationSize, K = in.tolerable.ceilTimes(N);
        const std::int64_t xN = in.expectedCount ? *in.expectedCount : edr.ceilTimes(N);
        if (xN >= K) {
            plan.whyNot = "the expected deviations in the population (" +
                          (in.expectedCount ? std::to_string(xN) + ", given as a count"
                                            : "ceil(" + edr.text() + " x " + std::to_string(N) + ") = " + std::to_string(xN)) +
                          ") reach the tolerable count K = ceil(" + in.tolerable.text() + " x " + std::to_string(N) +
                          ") = " + std::to_string(K) +
                          ": no sample, not even all " + std::to_string(N) +
                          " items, can support reliance. Plan not to rely on the control, or revisit the rates.";
            return plan;
        }
    }
    std::int64_t limit = in.maxSampleSize;
    if (hyper) limit = std::min(limit, *in.populationSize);
    for (std::int64_t n = 1; n <= limit; ++n) {
        std::int64_t x = in.expectedCount ? *in.expectedCount : edr.ceilTimes(n);
        if (x >= n) continue;
        // The README's strict "<": a probability exactly equal to the risk does not qualify.
        Tail t = tailAtMost(in.likelihood, x, n, in.tolerable, in.populationSize, alpha);
        if (t.order != Order::Below) continue;
        plan.possible = true;
        plan.sampleSize = n;
        plan.allowableDeviations = x;
        plan.riskAtSize = t.approx;
        plan.wholePopulation = hyper && n == *in.populationSize;
        char prob[32];
        std::snprintf(prob, sizeof prob, "%.6f", t.approx);
        // Just below alpha, six places would print alpha itself: show the digits that tell them apart.
        if (std::strtod(prob, nullptr) >= alpha.value()) std::snprintf(prob, sizeof prob, "%.15g", t.approx);
        plan.basis = "smallest n with P(X <= " + std::to_string(x) + " | n = " + std::to_string(n) + ", " +
                     (hyper ? "N = " + std::to_string(*in.populationSize) + ", K = " +
                                  std::to_string(in.tolerable.ceilTimes(*in.populationSize))
                            : "TDR = " + in.tolerable.text()) +
                     ") = " + prob + " below the risk of overreliance " + alpha.text() + " (" +
                     likelihoodName(in.likelihood) + ")" + (plan.wholePopulation ? ": test all " + std::to_string(n) + " items" : "");
        if (!hyper && in.populationSize && n > *in.populationSize)
            plan.warning = "the " + likelihoodName(in.likelihood) + " plan's " + std::to_string(n) +
                           " items are more than the population of " + std::to_string(*in.populationSize) +
                           ": a sample without replacement cannot be that large. Plan with the hypergeometric likelihood "
                           "(it uses the population size), or test all " + std::to_string(*in.populationSize) + " items.";
        return plan;
    }
    plan.whyNot = "no sample of at most " + std::to_string(limit) +
                  " items supports reliance at these rates; the expected rate is too close to the tolerable rate.";
    return plan;
}

AttributeEvaluation evaluateAttributeSample(const AttributeEvaluationInput& in) {
    requireConfidence(in.confidence);
    if (in.tolerable) requireRate(*in.tolerable, "tolerable deviation rate", false);
    if (in.sampleSize < 1) throw std::invalid_argument("sample size " + std::to_string(in.sampleSize) + ": give at least 1");
    if (in.deviations < 0 || in.deviations > in.sampleSize)
        throw std::invalid_argument("deviations " + std::to_string(in.deviations) + ": give a count from 0 to the sample size");
    if (in.likelihood == Likelihood::Hypergeometric) {
        if (!in.populationSize) throw std::invalid_argument("the hypergeometric likelihood needs the population size");
        if (*in.populationSize < in.sampleSize)
            throw std::invalid_argument("population size " + std::to_string(*in.populationSize) +
                                        " is smaller than the sample size " + std::to_string(in.sampleSize));
        if (*in.populationSize > 4'000'000'000LL)
            throw std::invalid_argument("population size: at most 4,000,000,000 for the exact hypergeometric");
    }
    const Rate alpha = oneMinus(in.confidence);
    const auto n = in.sampleSize, x = in.deviations;
    AttributeEvaluation ev;
    ev.sampleRate = static_cast<double>(x) / static_cast<double>(n);
    if (x == n) {
        ev.upperLimitExact = ev.upperLimit = 1.0;
        if (in.tolerable) ev.supportsReliance = false;
    } else if (in.likelihood == Likelihood::Hypergeometric) {
        // The limit is K_U / N exactly; rounding up to 0.1% and the comparison are done in integers.
        const std::int64_t N = *in.populationSize, KU = hypergeometricUpperCount(x, n, N, alpha);
        ev.upperLimitExact = static_cast<double>(KU) / static_cast<double>(N);
        ev.upperLimit = static_cast<double>((static_cast<Int128>(KU) * 1000 + N - 1) / N) / 1000.0;
        if (in.tolerable) ev.supportsReliance = Rate::fraction(KU, N) < *in.tolerable;
    } else {
        // The limit p_U solves P(X <= x | p_U) = alpha; P falls as p grows, so p_U < TDR exactly when
        // P(X <= x | TDR) < alpha, the planning comparison itself.
        const double a = alpha.value();
        if (in.likelihood == Likelihood::Binomial) {
            ev.upperLimitExact = boost::math::binomial_distribution<double>::find_upper_bound_on_p(
                static_cast<double>(n), static_cast<double>(x), a,
                boost::math::binomial_distribution<double>::clopper_pearson_exact_interval);
        } else {
            boost::math::chi_squared_distribution<double> chi(2.0 * static_cast<double>(x + 1));
            ev.upperLimitExact = std::min(1.0, boost::math::quantile(chi, 1.0 - a) / 2.0 / static_cast<double>(n));
        }
        ev.upperLimit = roundedUpperLimit(in.likelihood, x, n, alpha);
        if (in.tolerable)
            ev.supportsReliance = tailAtMost(in.likelihood, x, n, *in.tolerable, std::nullopt, alpha).order == Order::Below;
    }
    // Never negative: a hypergeometric K_U / N can sit a hair below x / n when nearly all of N was tested.
    ev.allowanceForSamplingRisk = std::max(0.0, ev.upperLimit - ev.sampleRate);
    std::string limits = "upper deviation limit " + percent(ev.upperLimit) + " at " + percent(in.confidence.value()) +
                         " confidence (" + std::to_string(x) + " of " + std::to_string(n) + " deviated)";
    if (in.tolerable) {
        ev.conclusion = *ev.supportsReliance
                            ? "supports the planned reliance: " + limits + " is below the tolerable rate " +
                                  percent(in.tolerable->value())
                            : "does not support the planned reliance: " + limits + " is not below the tolerable rate " +
                                  percent(in.tolerable->value());
    } else {
        ev.conclusion = limits;
    }
    return ev;
}

}  // namespace tickmark::sampling

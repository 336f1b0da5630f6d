#include "sampling/attribute.h"

#include <boost/math/distributions/binomial.hpp>
#include <boost/math/distributions/chi_squared.hpp>
#include <boost/math/distributions/hypergeometric.hpp>
#include <boost/math/distributions/poisson.hpp>

#include <cmath>
#include <stdexcept>

namespace tickmark::sampling {
namespace {

std::string percent(double v) {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%.1f%%", v * 100);
    return buf;
}

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

// The exact hypergeometric bound: the largest count of deviating items K in a population of N that
// still makes "x or fewer in n" at least as likely as alpha.
std::int64_t hypergeometricUpperCount(std::int64_t x, std::int64_t n, std::int64_t N, double alpha) {
    std::int64_t lo = x, hi = N - (n - x);  // K below x or above N-(n-x) could not have produced x of n
    // P(X <= x | K) falls as K grows: find the last K with P >= alpha.
    while (lo < hi) {
        std::int64_t mid = lo + (hi - lo + 1) / 2;
        boost::math::hypergeometric_distribution<double> h(static_cast<unsigned>(mid), static_cast<unsigned>(n),
                                                           static_cast<unsigned>(N));
        if (boost::math::cdf(h, static_cast<unsigned>(x)) >= alpha) lo = mid;
        else hi = mid - 1;
    }
    return lo;
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
    const double alpha = 1.0 - in.confidence.value();
    AttributePlan plan;
    if (in.expectedRate && !(edr < in.tolerable)) {
        plan.whyNot = "the expected deviation rate (" + edr.text() + ") is not below the tolerable rate (" +
                      in.tolerable.text() +
                      "): no sample can support reliance. Plan not to rely on the control, or revisit the rates.";
        return plan;
    }
    std::int64_t limit = in.maxSampleSize;
    if (in.likelihood == Likelihood::Hypergeometric) limit = std::min(limit, *in.populationSize);
    for (std::int64_t n = 1; n <= limit; ++n) {
        std::int64_t x = in.expectedCount ? *in.expectedCount : edr.ceilTimes(n);
        if (x >= n) continue;
        double p = probabilityAtMost(in.likelihood, x, n, in.tolerable, in.populationSize);
        if (p < alpha) {
            plan.possible = true;
            plan.sampleSize = n;
            plan.allowableDeviations = x;
            plan.riskAtSize = p;
            char prob[32];
            std::snprintf(prob, sizeof prob, "%.6f", p);
            plan.basis = "smallest n with P(X <= " + std::to_string(x) + " | n = " + std::to_string(n) + ", " +
                         (in.likelihood == Likelihood::Hypergeometric
                              ? "N = " + std::to_string(*in.populationSize) + ", K = " +
                                    std::to_string(in.tolerable.ceilTimes(*in.populationSize))
                              : "TDR = " + in.tolerable.text()) +
                         ") = " + prob + " below the risk of overreliance " + oneMinus(in.confidence).text() + " (" +
                         likelihoodName(in.likelihood) + ")";
            return plan;
        }
    }
    if (in.likelihood == Likelihood::Hypergeometric && limit == *in.populationSize && in.maxSampleSize >= limit) {
        plan.possible = true;
        plan.wholePopulation = true;
        plan.sampleSize = *in.populationSize;
        plan.allowableDeviations = in.expectedCount ? *in.expectedCount : edr.ceilTimes(plan.sampleSize);
        plan.basis = "no sample smaller than the population supports reliance: test all " +
                     std::to_string(plan.sampleSize) + " items";
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
    }
    const double alpha = 1.0 - in.confidence.value();
    const auto n = in.sampleSize, x = in.deviations;
    AttributeEvaluation ev;
    ev.sampleRate = static_cast<double>(x) / static_cast<double>(n);
    if (x == n) {
        ev.upperLimitExact = 1.0;
    } else {
        switch (in.likelihood) {
            case Likelihood::Binomial:
                ev.upperLimitExact = boost::math::binomial_distribution<double>::find_upper_bound_on_p(
                    static_cast<double>(n), static_cast<double>(x), alpha,
                    boost::math::binomial_distribution<double>::clopper_pearson_exact_interval);
                break;
            case Likelihood::Poisson: {
                boost::math::chi_squared_distribution<double> chi(2.0 * static_cast<double>(x + 1));
                ev.upperLimitExact = std::min(1.0, boost::math::quantile(chi, 1.0 - alpha) / 2.0 / static_cast<double>(n));
                break;
            }
            case Likelihood::Hypergeometric:
                ev.upperLimitExact = static_cast<double>(hypergeometricUpperCount(x, n, *in.populationSize, alpha)) /
                                     static_cast<double>(*in.populationSize);
                break;
        }
    }
    // Round up to 0.1% as the tables do; the small guard keeps 0.113 from becoming 0.114 by representation.
    ev.upperLimit = std::min(1.0, std::ceil(ev.upperLimitExact * 1000.0 - 1e-9) / 1000.0);
    ev.allowanceForSamplingRisk = ev.upperLimit - ev.sampleRate;
    std::string limits = "upper deviation limit " + percent(ev.upperLimit) + " at " + percent(in.confidence.value()) +
                         " confidence (" + std::to_string(x) + " of " + std::to_string(n) + " deviated)";
    if (in.tolerable) {
        ev.supportsReliance = ev.upperLimitExact < in.tolerable->value();
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

#pragma once
// Statistical attribute sampling for tests of controls, by the method behind the AICPA Audit
// Sampling Guide's tables: the smallest n for which, allowing x = ceil(EDR * n) deviations, the
// one-sided upper bound on the deviation rate at the chosen confidence is below the tolerable rate,
// i.e. P(X <= x | n, TDR) < 1 - confidence. Binomial is the tables' basis; Poisson is the usual
// approximation; hypergeometric uses the population size N with K = ceil(TDR * N) deviations.
// Every comparison with 1 - confidence is exact (sampling/tail.h): a tie is not "<".
#include <cstdint>
#include <optional>
#include <string>

#include "sampling/rate.h"

namespace tickmark::sampling {

enum class Likelihood { Binomial, Poisson, Hypergeometric };
std::string likelihoodName(Likelihood l);
Likelihood parseLikelihood(std::string_view name);  // throws std::invalid_argument

struct AttributePlanInput {
    Rate confidence;                        // 1 - risk of overreliance, in (0.5, 1)
    Rate tolerable;                         // TDR, in (0, 1)
    std::optional<Rate> expectedRate;       // EDR, in [0, 1); or:
    std::optional<std::int64_t> expectedCount;  // a fixed number of deviations allowed
    Likelihood likelihood = Likelihood::Binomial;
    std::optional<std::int64_t> populationSize;  // required for hypergeometric
    std::int64_t maxSampleSize = 10'000;
};

struct AttributePlan {
    bool possible = false;
    std::int64_t sampleSize = 0;
    std::int64_t allowableDeviations = 0;
    bool wholePopulation = false;  // hypergeometric: the size is N, no smaller sample supports reliance
    double riskAtSize = 0;         // P(X <= x | n, TDR) at the chosen n
    std::string basis;             // one sentence a reviewer can check
    std::string whyNot;            // when !possible
    std::string warning;           // binomial/Poisson with a population size: the size is larger than it
};

// Throws std::invalid_argument for inputs outside their ranges.
AttributePlan planAttributeSample(const AttributePlanInput& in);

struct AttributeEvaluationInput {
    Rate confidence;
    std::int64_t sampleSize = 0;
    std::int64_t deviations = 0;
    std::optional<Rate> tolerable;  // to conclude; without it only the limit is given
    Likelihood likelihood = Likelihood::Binomial;
    std::optional<std::int64_t> populationSize;
};

struct AttributeEvaluation {
    double sampleRate = 0;
    double upperLimitExact = 0;    // the bound itself, as a double (for display)
    double upperLimit = 0;         // rounded up to 0.1%, as the AICPA evaluation tables print it
    double allowanceForSamplingRisk = 0;  // upperLimit - sampleRate, never below 0
    std::optional<bool> supportsReliance;  // the limit < tolerable, decided exactly (P(X <= x | TDR) < alpha)
    std::string conclusion;
};

AttributeEvaluation evaluateAttributeSample(const AttributeEvaluationInput& in);

// P(X <= x) for n draws at deviation rate p (binomial/Poisson) or K of N (hypergeometric).
double probabilityAtMost(Likelihood l, std::int64_t x, std::int64_t n, const Rate& tolerable,
                         std::optional<std::int64_t> populationSize);

}  // namespace tickmark::sampling

#pragma once
// The plan a selection's size came from, typed. A selection stores it as JSON; `toJson` is the one
// writer of that stored form and `fromJson` its one reader, so no caller reads the plan by key name.
//
// The stored form (a JSON object; keys absent when they do not apply):
//   method            "frequency" | "attribute" | "given" | "extension"   (older files: absent = given,
//                     or extension when extend_by is present)
//   sample_size       the size the plan gives (integer)
//   basis             one sentence a reviewer can check
//   frequency plans:  frequency, risk ("lower" | "higher"), population_size (occurrences in the period,
//                     or null), period_months (from the engagement's period), test_all, table_row,
//                     extend_to (the firm's extension after one isolated deviation, or null)
//   attribute plans:  confidence, tolerable, expected (rates as exact decimals, "0.05"), expected_count,
//                     likelihood ("binomial" | "poisson" | "hypergeometric"), population_size,
//                     allowable_deviations, test_all, warning
//   extension:        extend_by
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "sampling/attribute.h"
#include "sampling/frequency.h"
#include "workpapers/engagement.h"

namespace tickmark {

struct SamplingPlan {
    enum class Method { Given, Frequency, Attribute, Extension };
    Method method = Method::Given;
    std::int64_t sampleSize = 0;
    std::string basis;

    // Frequency.
    std::string frequency;
    sampling::Risk risk = sampling::Risk::Lower;
    std::optional<std::int64_t> populationSize;
    int periodMonths = 12;
    bool testAll = false;
    std::string tableRow;
    std::optional<std::int64_t> extendTo;

    // Attribute.
    std::optional<sampling::Rate> confidence, tolerable, expected;
    std::optional<std::int64_t> expectedCount;
    sampling::Likelihood likelihood = sampling::Likelihood::Binomial;
    std::int64_t allowableDeviations = 0;
    std::string warning;

    // Extension.
    std::int64_t extendBy = 0;

    std::string toJson() const;
    // Throws InputError naming `where` and the field that is missing or malformed.
    static SamplingPlan fromJson(std::string_view text, const std::string& where);

    sampling::FrequencyPlanInput frequencyInput() const;
};
std::string methodName(SamplingPlan::Method m);

// Months in the engagement's period, rounded up (a Type II year is 12); 12 for Type I.
int periodMonths(Engagement& e);

// The typed plan of a frequency-table plan made from `in` (for a plan made outside an engagement).
SamplingPlan frequencyPlan(const sampling::FrequencyPlanInput& in, const sampling::FrequencyPlan& made);

// The typed plan of an attribute plan made from `in`, as computed (no cap at the population).
SamplingPlan attributePlan(const sampling::AttributePlanInput& in, const sampling::AttributePlan& made);

// Plans as the engagement makes them: the period from the engagement, the table its own copy.
SamplingPlan planByFrequency(Engagement& e, const std::string& frequency, sampling::Risk risk,
                             std::optional<std::int64_t> populationSize);
// To draw from a population: a plan larger than the population tests the whole population
// (test_all), with the reason in its basis. Throws InputError when no sample size can support reliance.
SamplingPlan planByAttributes(const sampling::AttributePlanInput& in);

}  // namespace tickmark

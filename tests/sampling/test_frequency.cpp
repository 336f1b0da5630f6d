#include <catch2/catch.hpp>

#include "sampling/frequency.h"

using namespace tickmark::sampling;
using Catch::Matchers::Contains;

namespace {
// The firm table shipped in templates/frequency-table.csv, as the reference describes it.
FrequencyTable firmTable() {
    return FrequencyTable{{
        {"annual", 1, 1, 1, std::nullopt, std::nullopt},
        {"quarterly", 4, 2, 2, 4, 4},
        {"monthly", 12, 2, 5, 4, 8},
        {"weekly", 52, 5, 15, 10, 25},
        {"daily", 365, 20, 40, 40, 60},
        {"multiple-daily", 366, 25, 60, 40, 100},
        {"automated", 0, 1, 1, std::nullopt, std::nullopt},
    }};
}
FrequencyPlan planned(const char* f, Risk r, std::optional<std::int64_t> n = std::nullopt, int months = 12) {
    return planByFrequency(firmTable(), {f, r, n, months});
}
}  // namespace

TEST_CASE("the firm table: frequency x risk") {
    CHECK(planned("annual", Risk::Lower).sampleSize == 1);
    CHECK(planned("quarterly", Risk::Higher).sampleSize == 2);
    CHECK(planned("monthly", Risk::Lower).sampleSize == 2);
    CHECK(planned("monthly", Risk::Higher).sampleSize == 5);
    CHECK(planned("weekly", Risk::Higher).sampleSize == 15);
    CHECK(planned("daily", Risk::Lower).sampleSize == 20);
    CHECK(planned("daily", Risk::Higher).sampleSize == 40);
    CHECK(planned("multiple-daily", Risk::Lower).sampleSize == 25);
    CHECK(planned("multiple-daily", Risk::Higher).sampleSize == 60);
    CHECK(planned("automated", Risk::Higher).sampleSize == 1);
    CHECK(*planned("multiple-daily", Risk::Lower).extendTo == 40);
}

TEST_CASE("a small population is tested in full: a short period scales the rare frequencies") {
    auto p = planned("daily", Risk::Lower, 12);
    CHECK(p.sampleSize == 12);
    CHECK(p.testAll);
    CHECK_FALSE(p.extendTo.has_value());
    CHECK(planned("monthly", Risk::Higher, std::nullopt, 3).sampleSize == 3);  // a quarter holds 3 months
    CHECK(planned("quarterly", Risk::Lower, std::nullopt, 6).sampleSize == 2);
    CHECK_FALSE(planned("quarterly", Risk::Lower, std::nullopt, 6).extendTo.has_value());  // both quarters tested
    CHECK(planned("annual", Risk::Lower, std::nullopt, 6).sampleSize == 1);
    CHECK(planned("daily", Risk::Higher, std::nullopt, 6).sampleSize == 40);  // frequent controls are not scaled
}

TEST_CASE("as-needed controls are sized by their occurrences") {
    CHECK(planned("as-needed", Risk::Lower, 30).row == "weekly");          // 30 a year: up to weekly
    CHECK(planned("as-needed", Risk::Higher, 30).sampleSize == 15);
    CHECK(planned("as-needed", Risk::Lower, 300, 6).row == "multiple-daily");  // 600 a year
    CHECK(planned("as-needed", Risk::Lower, 300, 6).sampleSize == 25);
    CHECK(planned("as-needed", Risk::Lower, 1).sampleSize == 1);
    CHECK_THROWS_WITH(planned("as-needed", Risk::Lower), Contains("give the population size"));
}

TEST_CASE("an empty population means the control did not operate") {
    CHECK_THROWS_WITH(planned("daily", Risk::Lower, 0), Contains("did not operate"));
    CHECK_THROWS_WITH(planned("hourly", Risk::Lower), Contains("not in the firm's table"));
}

TEST_CASE("deviations in a frequency sample: extend once, then conclude") {
    auto plan = planned("multiple-daily", Risk::Lower, 2400);
    auto ok = evaluateFrequencySample(plan, 25, 0);
    CHECK(ok.outcome == FrequencyOutcome::OperatingEffectively);
    auto one = evaluateFrequencySample(plan, 25, 1);
    CHECK(one.outcome == FrequencyOutcome::ExtendSample);
    CHECK(one.extendBy == 15);
    CHECK_THAT(one.conclusion, Contains("extend the sample to 40"));
    CHECK(evaluateFrequencySample(plan, 25, 1, 0).outcome == FrequencyOutcome::ExceptionIsolated);
    CHECK(evaluateFrequencySample(plan, 25, 1, 1).outcome == FrequencyOutcome::NotOperatingEffectively);
    CHECK(evaluateFrequencySample(plan, 25, 2).outcome == FrequencyOutcome::NotOperatingEffectively);
    auto annual = planned("annual", Risk::Lower, 1);
    CHECK(evaluateFrequencySample(annual, 1, 1).outcome == FrequencyOutcome::NotOperatingEffectively);
}

#pragma once
// Frequency-based sample sizes: the firm's table of frequency x risk, as data. The table comes from
// templates/frequency-table.csv and is copied into each engagement when sampling starts.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace tickmark::sampling {

enum class Risk { Lower, Higher };
Risk parseRisk(std::string_view text);  // "lower" | "higher"; throws std::invalid_argument

// The period unit a periodic control's sampled occurrences must each come from a different one of
// (two dates of a quarterly control from one quarter are one occurrence tested twice).
enum class SpreadUnit { None, Quarter, Month, Week };
std::string spreadUnitName(SpreadUnit u);                  // "", "quarter", "month", "week"
SpreadUnit parseSpreadUnit(std::string_view text);          // the names above; throws std::invalid_argument
// A firm table written before the spread column: quarterly by quarter, monthly by month, else none.
SpreadUnit defaultSpread(std::string_view frequency);

struct FrequencyRow {
    std::string frequency;        // annual, quarterly, monthly, weekly, daily, multiple-daily, automated
    std::int64_t perYear = 0;     // occurrences in a year; 0 = not counted (automated)
    std::int64_t lower = 0, higher = 0;
    std::optional<std::int64_t> lowerExtended, higherExtended;  // size to extend to after one isolated deviation
    SpreadUnit spread = SpreadUnit::None;  // the table's spread requirement for this frequency
};

struct FrequencyTable {
    std::vector<FrequencyRow> rows;
    const FrequencyRow& find(std::string_view frequency) const;  // throws std::invalid_argument
};

struct FrequencyPlanInput {
    std::string frequency;  // as-needed is planned by its number of occurrences
    Risk risk = Risk::Lower;
    std::optional<std::int64_t> populationSize;  // occurrences in the period, when known
    int periodMonths = 12;
};

struct FrequencyPlan {
    std::int64_t sampleSize = 0;
    bool testAll = false;                 // the population is no larger than the table's size
    std::string row;                      // the table row used
    std::optional<std::int64_t> extendTo;  // the firm's extension after one isolated deviation
    std::string basis;
};

FrequencyPlan planByFrequency(const FrequencyTable& table, const FrequencyPlanInput& in);

// After testing: what the deviations mean for a frequency-based sample.
enum class FrequencyOutcome { OperatingEffectively, ExtendSample, ExceptionIsolated, NotOperatingEffectively };
std::string outcomeName(FrequencyOutcome o);

struct FrequencyEvaluation {
    FrequencyOutcome outcome;
    std::int64_t extendBy = 0;  // with ExtendSample: how many more items
    std::string conclusion;
};

// deviations: in the original sample; extensionDeviations: in the added items, once extended.
FrequencyEvaluation evaluateFrequencySample(const FrequencyPlan& plan, std::int64_t tested, std::int64_t deviations,
                                            std::optional<std::int64_t> extensionDeviations = std::nullopt);

}  // namespace tickmark::sampling

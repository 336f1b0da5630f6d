#pragma once
// The analytics an auditor runs on every population, computed on read from the stored records (one
// pass, never the whole population in memory) and the population's control:
// - period_gaps: the units of the period, by the control's frequency, with no in-period item: days
//   (business days, Monday to Friday, for a population so marked: holidays are listed, for the auditor
//   to judge), ISO weeks, months, quarters (from the period's first month), the period for an annual
//   control; none for as-needed and automated controls.
// - key_gaps: gaps in numbered keys (a common prefix and a number, CHG0001234): the missing ranges
//   (the first 100 listed) and how many numbers are missing.
// - duplicates, as the completeness profile has them; the reconciliation to the client's stated total.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/population_life.h"

namespace tickmark {

struct PeriodGaps {
    std::string control, frequency;
    std::string unit;                 // day, business day, ISO week, month, quarter, period; "" when not applicable
    std::int64_t units = 0, covered = 0;
    std::vector<std::string> missing;  // every unit with no in-period item, in order
    std::string note;                 // why there is no unit, or how units are counted
    bool applicable() const { return !unit.empty(); }
};

struct KeyGaps {
    bool numbered = false;
    std::string why;                   // when not numbered
    std::string prefix;
    int width = 0;                     // digits when every number is zero-padded to the same width; 0 otherwise
    std::uint64_t first = 0, last = 0;
    std::string firstKey, lastKey;     // as the keys write them ("CHG0001234")
    std::int64_t numberedKeys = 0;     // distinct numbers with the prefix
    std::int64_t otherKeys = 0;        // non-blank keys of another shape
    std::int64_t missing = 0;          // numbers between first and last with no key
    std::int64_t rangeCount = 0;
    std::vector<std::string> ranges;   // "CHG0001235..CHG0001239" or "CHG0001240"; the first kMaxRanges
    static constexpr std::size_t kMaxRanges = 100;
};

// Feeds keys one at a time; finish() decides the dominant prefix and the gaps.
class KeyGapCounter {
public:
    void add(std::string_view key);
    KeyGaps finish();

private:
    std::unordered_map<std::string, std::uint32_t> prefixes_;
    std::vector<std::string> prefixNames_;
    std::vector<std::int64_t> prefixCounts_;
    std::vector<std::pair<std::uint32_t, std::uint64_t>> numbers_;  // prefix index, number
    std::vector<int> widths_;                                        // per prefix: -1 mixed, 0 unset, else digits
    std::int64_t nonBlank_ = 0;
};

// `days`: the days (since 1970-01-01) that have an in-period item, any order, repeats allowed.
PeriodGaps periodGapsOf(const std::string& frequency, bool businessDays, Period period, std::vector<std::int64_t> days);

struct PopulationAnalytics {
    std::int64_t populationId = 0;
    PeriodGaps periodGaps;
    KeyGaps keyGaps;
    std::int64_t duplicateKeys = 0, duplicateRows = 0;
    std::optional<ReconciliationView> reconciliation;
};
PopulationAnalytics analysePopulation(Engagement& e, std::int64_t populationId);

}  // namespace tickmark

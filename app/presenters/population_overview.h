#pragma once
// What an auditor reads about a population beside its records: its life (superseded, superseding, the
// controls it serves) and the analytics run on every population (gaps in the period by the control's
// frequency, gaps in numbered keys, the reconciliation to the client's stated total). One wording for
// both front ends: the CLI prints these lines under the completeness profile (`population show`), the
// desktop app lists them above the population grid, attention lines marked.
#include <cstdint>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark::desk {

struct OverviewLine {
    std::string label;       // "Period gaps", "Key gaps", ...; empty for a detail line under the one before
    std::string text;        // client text as delivered: a terminal front end writes out its control characters
    bool attention = false;  // for the auditor to look into: a gap, a superseded version, an unexplained difference
};

// At most this many missing units and key ranges are listed (the JSON has every one).
constexpr std::size_t kListedGaps = 40, kListedKeyRanges = 20;

std::vector<OverviewLine> populationOverview(Engagement& e, std::int64_t populationId);

}  // namespace tickmark::desk

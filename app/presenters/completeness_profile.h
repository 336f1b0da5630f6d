#pragma once
// The completeness profile of a population import, line by line, in one wording for both front ends:
// the CLI prints the lines (client text escaped for the terminal), the desktop app shows them under the
// import wizard's preview. Client text (names, keys, unreadable values) is given as delivered.
#include <string>
#include <vector>

#include "workpapers/population.h"

namespace tickmark::desk {

// Where the header was, what lay above it, the sheets passed over, the rows that were not records.
std::vector<std::string> layoutLines(const SourceInfo& s);
// The profile: source, layout, columns, times, period, counts, then each finding.
std::vector<std::string> profileLines(const CompletenessProfile& p);

}  // namespace tickmark::desk

#pragma once
// Items the auditor adds to a selection by judgement (boundary items, items chosen for what they are),
// recorded apart from the selection's statistical record: tested like the others (they follow the
// statistical items and their extensions in the test), but outside the statistical evaluation (the
// conclusion's sampling evaluation counts only the drawn items, workpapers/rules/conclusion.cpp), and
// re-performing the selection (verifySample) reproduces the drawn items alone, listing these apart.
// Nor do they count toward the size and spread the frequency table requires (rules/frequency_adequacy.h
// judges the drawn items and their extensions).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark {

struct JudgmentalItem {
    std::int64_t seq = 0;  // 1-based, in the order added
    std::optional<std::int64_t> row;
    std::string key;
    std::optional<std::string> date;
    std::string reason, addedBy, addedAt;
};

// Adds the population item with key `key` (the first row with that key not in the selection yet; for
// a selection of dates, the day YYYY-MM-DD of the period) to selection `sampleId` (not an extension).
// The reason is required. Refused, naming why, for a key the population does not have or one already
// selected. Trailed on the test of every control the selection serves.
JudgmentalItem addJudgmentalItem(Engagement& e, const Actor& a, std::int64_t sampleId, const std::string& key,
                                 const std::string& reason);
std::vector<JudgmentalItem> judgmentalItems(Engagement& e, std::int64_t sampleId);

}  // namespace tickmark

#pragma once
// Find (Ctrl+F) across the engagement: controls (reference, description), the keys of every
// population's records (ticket, employee, change numbers), the items of every selection, review
// notes and exceptions. Case-insensitive, "contains". Populations are read record by record, so a
// million-row population is searched without holding it; cancellable through the Progress.
#include <cstdint>
#include <string>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/progress.h"

namespace tickmark::desk {

struct Found {
    enum class Kind { Control, PopulationRecord, SelectionItem, Note, Exception } kind;
    std::string label;      // what to show: "CM-03  Changes are approved...", "CHG100042 (population 1, row 42)"
    std::string workpaper;  // where activating it goes: "test:CM-03", "population:1", "sample:4", "notes"
    std::int64_t row = 0;   // population record: its 1-based row
};

struct FindResult {
    std::vector<Found> found;
    bool truncated = false;  // more than `limit` matches: the first ones are listed
};

FindResult findInEngagement(Engagement& e, const std::string& text, std::size_t limit = 500, Progress* progress = nullptr);

}  // namespace tickmark::desk

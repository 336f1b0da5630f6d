#pragma once
// Shared by the fieldwork sources (fieldwork.cpp, evidence.cpp, rules/): not for the front ends.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/fieldwork.h"

namespace tickmark {

// Trail entries of one write, appended in its transaction.
struct Changes {
    Engagement& e;
    const Actor& a;
    std::string workpaper, reason;
    void log(const std::string& action, const std::string& entity, const std::string& field,
             std::optional<std::string> oldValue, std::optional<std::string> newValue) {
        if (oldValue == newValue && action == "change") return;
        AuditTrail(e.db()).append({0, "", a.name, action, workpaper, entity, field, std::move(oldValue),
                                   std::move(newValue), reason, "", ""});
    }
};

std::int64_t testId(Engagement& e, const std::string& control);
void requireRole(const Actor& a, const std::string& role, const std::string& what);
void requireWorkpaper(Engagement& e, const std::string& wp);

// The items of a selection with its extensions, in test order, each with its key's occurrence.
std::vector<TestItem> itemsOfSample(Engagement& e, std::int64_t sampleId);

// Every result stored for a test, each placed on its item in `items` by (key, occurrence);
// position 0 for a result whose item is not there. Ordered by position, then letter.
using StoredResult = ResultView;
std::vector<StoredResult> storedResults(Engagement& e, std::int64_t testId, const std::vector<TestItem>& items);

}  // namespace tickmark

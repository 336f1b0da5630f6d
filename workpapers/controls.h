#pragma once
// The client's control matrix: control id, description, the criteria it addresses, frequency,
// nature and owner. Columns are found by their header names, or named with --map.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/progress.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {

// The canonical values stored and shown: annual, quarterly, monthly, weekly, daily,
// multiple-daily, as-needed; and manual, automated, it-dependent-manual.
std::optional<std::string> normalizeFrequency(std::string_view text);
std::optional<std::string> normalizeNature(std::string_view text);

struct ControlImportRequest {
    std::filesystem::path file;
    std::optional<std::string> sheet;
    // field -> header, for fields id, description, criteria, frequency, nature, owner
    std::map<std::string, std::string> columnMap;
    std::string reason;  // required after assembly
    std::optional<std::int64_t> headerRow;  // 1-based; found when not given
    std::optional<std::string> encoding;    // text files; detected when not given
};

// A control the re-import changed: each field, old and new. The change is in the audit trail of the
// control's test workpaper, so the sign-offs made before it go stale.
struct ControlChange {
    std::string control, field, oldValue, newValue;
};

struct ControlImportResult {
    SourceInfo source;
    std::int64_t added = 0, updated = 0;
    std::vector<std::string> warnings;  // e.g. criteria outside the categories in scope
    std::vector<ControlChange> changes;
};

// By a signed-in team member, who is recorded in the audit trail.
ControlImportResult importControls(Engagement& e, const Actor& a, const ControlImportRequest& req,
                                   Progress* progress = nullptr);

struct Control {
    std::int64_t id;
    std::string ref, description, frequency, nature, owner;
    std::vector<std::string> criteria;
};
std::vector<Control> listControls(Engagement& e);

// The control's row id; InputError naming the control when it is not in the matrix.
std::int64_t requireControl(Engagement& e, const std::string& ref);

}  // namespace tickmark

#pragma once
// The demo engagement: Lumen Ledger, Inc. (fictional), SOC 2 Type II for 2025-07-01..2026-06-30,
// built from the client files in demo/data through the library API, as a senior would build it.
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace tickmark {

struct DemoPerson {
    const char* name;
    const char* initials;
    const char* roles;
    const char* password;  // demo only: printed so the demo can be explored
};
// The demo team, as `tickmark demo` prints it and the README lists it.
const std::vector<DemoPerson>& demoTeam();

struct DemoResult {
    std::filesystem::path engagementFile;
};

// Writes <dir>/lumen-ledger-fy26.tickmark (replacing an earlier demo file there), or builds it at
// `location` when given (a new file, or a new database on a server), and, when `log` is given,
// narrates each step to it.
DemoResult buildDemo(const std::filesystem::path& dir, const std::filesystem::path& demoData,
                     const std::filesystem::path& templates, std::FILE* log, const std::string& location = {});

}  // namespace tickmark

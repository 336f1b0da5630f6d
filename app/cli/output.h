#pragma once
// How the CLI shows library results: JSON for scripts, plain text for people, a progress line on
// a terminal.
#include <chrono>
#include <cstdio>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "workpapers/controls.h"
#include "workpapers/engagement.h"
#include "workpapers/population.h"
#include "workpapers/progress.h"
#include "workpapers/rules/frequency_adequacy.h"
#include "workpapers/rules/gates.h"
#include "workpapers/trail.h"

namespace tickmark::cli {

nlohmann::json toJson(const CompletenessProfile& p);
nlohmann::json engagementJson(Engagement& e);
nlohmann::json toJson(const ControlImportResult& r);
nlohmann::json adequacyJson(const AdequacyFinding& f);
nlohmann::json entryJson(const TrailEntry& t);
nlohmann::json gatesJson(const std::vector<Gate>& gates);  // each gate with met, detail and its failing list

// `--final` with gates open: exit 2, the open gates listed on stderr (and, with --json, the gates on
// stdout), nothing written. Returns true when it refused. `what`: "report", "SOC 3 report".
bool refuseDraftAsFinal(const std::vector<Gate>& gates, const std::string& what, bool asJson, int& exitCode);

// Text that came from a client file (cells, keys, sheet and column names, messages quoting them) as
// a terminal may show it: control characters are written out, never sent (ESC as \x1b, a line break
// as \n, DEL as \x7f, U+0085 as \u0085), so a cell cannot move the cursor, erase a warning or
// start a new line of output. keepLineBreaks: LF stays a line break (messages of several lines).
std::string terminalText(std::string_view s, bool keepLineBreaks = false);

// "a, b,c" -> {"a","b","c"}: the CLI's comma lists (categories, roles, test types).
std::vector<std::string> splitList(const std::string& s);

void printProfile(const CompletenessProfile& p, std::FILE* out);
// Where the header was, what lay above it, the rows that were not records.
void printLayout(const SourceInfo& s, std::FILE* out);
nlohmann::json layoutJson(const SourceInfo& s);
void printEngagement(Engagement& e, std::FILE* out);

// A one-line progress display on stderr, only when stderr is a terminal and output is not JSON.
class TerminalProgress : public Progress {
public:
    TerminalProgress(std::string label, bool enabled);
    ~TerminalProgress() override;
    void update(std::uint64_t done, std::uint64_t total) override;

private:
    std::string label_;
    bool enabled_;
    bool drawn_ = false;
    std::chrono::steady_clock::time_point last_{};
};

}  // namespace tickmark::cli

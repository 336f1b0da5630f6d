#pragma once
// The issuance gates: what must hold before the report is issued as final, each naming what fails.
// And the currency of the partner's decisions: the opinion choice and the report sign-off rest on
// the whole engagement, so they go stale when anything the report follows changes after them.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/rules/opinion.h"
#include "workpapers/trail.h"

namespace tickmark {

// Whether a trail entry changes what the report follows: a workpaper's content (tests, results,
// exceptions, conclusions, selections, the control matrix), the scope (CUECs, CSOCs, criteria
// marked), the description, the particulars, the opinion choice. Sign-offs, review notes, the team,
// the release date, the lock and the evidence limit do not.
bool changesReportBasis(const TrailEntry& t);
// Such entries after trail position `seq`, oldest first.
std::vector<TrailEntry> reportBasisChangesAfter(Engagement& e, std::int64_t seq);

struct Gate {
    std::string name;
    bool met = false;
    std::string detail;
    std::vector<std::string> failing;  // the workpapers, criteria or decisions that keep it open
    // Where to go to close it: the workpapers ("test:CM-03", "report", "engagement") the failing entries are
    // on, each once, in the order they fail; empty when met.
    std::vector<std::string> workpapers;
};

std::vector<Gate> issuanceGates(Engagement& e, const OpinionProposal& proposal);
bool allMet(const std::vector<Gate>& gates);

}  // namespace tickmark

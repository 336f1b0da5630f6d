#pragma once
// The engagement's home in the desktop app: where the fieldwork stands and what stands between it and
// the report. Progress by control (its status, items and results recorded, deviations, open notes,
// its sign-offs) and by team member (results recorded, workpapers prepared and reviewed, notes raised
// and still open); the open review notes, the exceptions awaiting a conclusion, the stale sign-offs;
// the issuance gates with the workpapers that keep each open (the view opens them); the opinion the
// workpapers propose and the one the partner chose. GUI-free: the view only lays it out.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/fieldwork.h"
#include "workpapers/rules/status.h"

namespace tickmark::desk {

struct ControlProgress {
    std::string control, description;
    WorkpaperStatus status = WorkpaperStatus::NotStarted;
    bool planned = false;                              // a test plan exists
    std::int64_t items = 0, itemsDone = 0;             // selection items; those with every attribute recorded
    std::int64_t expected = 0, recorded = 0, deviations = 0;  // results: items x attributes
    std::int64_t openNotes = 0;
    std::string preparedBy, reviewedBy;                // sign-offs that still hold; empty when none
    bool staleSignOff = false;
};

struct MemberProgress {
    std::string name, initials;
    std::vector<std::string> roles;
    std::int64_t resultsRecorded = 0;   // results now standing that this member recorded last
    std::int64_t prepared = 0, reviewed = 0;  // workpapers whose preparer / reviewer sign-off by them holds
    std::int64_t notesRaisedOpen = 0;   // review notes they raised that are not cleared
};

struct GateLine {
    std::string name, detail;
    bool met = false;
    std::vector<std::string> failing;    // as the gate names them
    std::vector<std::string> workpapers;  // where to go to close it ("test:CM-03", "report"): the view opens them
};

struct Dashboard {
    std::vector<ControlProgress> controls;
    std::vector<MemberProgress> team;
    std::vector<NoteView> openNotes;
    std::vector<ExceptionView> awaitingConclusion;
    std::vector<SignOffView> staleSignOffs;
    std::vector<GateLine> gates;
    std::int64_t gatesOpen = 0;
    std::string proposedOpinion, proposalBasis;
    std::optional<std::string> chosenOpinion, chosenBy;
    bool choiceStale = false;
    // Totals over the controls, for the headline.
    std::int64_t tested() const;       // controls whose test is prepared and reviewed (with or without exceptions)
    std::int64_t notStarted() const;
};

Dashboard dashboardOf(Engagement& e);

}  // namespace tickmark::desk

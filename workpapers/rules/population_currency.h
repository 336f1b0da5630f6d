#pragma once
// Is what was tested drawn from the population in force? The one home of the rule on superseded
// populations and on the client's stated totals: `sample list/show` and `test show` print its findings,
// a reviewer accepts them (`tickmark sample accept-population`), the issuance gates call
// populationGateFailures.
//
// - A selection (not an extension) drawn from a version of a population that was since superseded
//   (population replace) is flagged: it names the version in force, the items (drawn, extended and
//   judgmental) whose key that version does not have, and a selection for the same control drawn from
//   the version in force when there is one. It stays open until a reviewer or the partner accepts it
//   with a reason. An acceptance holds for the version in force when it was given: replaced again, the
//   selection is open again (acceptanceStale). A selection the tests no longer point at (re-drawn from
//   the new version and the test re-pointed) does not keep the report from issuing.
// - A population in force whose in-period count differs from the total the client states for the period
//   (population reconcile) is open until a reviewer or the partner explains the difference.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark {

struct PopulationAcceptance {
    std::int64_t id = 0, populationId = 0;  // the version in force when accepted
    std::string acceptedBy, reason, acceptedAt;
};

struct SupersededSelection {
    std::int64_t sampleId = 0;
    std::string control;                   // the control it was drawn for
    std::vector<std::string> testedBy;     // the controls whose test points at it
    std::int64_t drawnFrom = 0, current = 0;
    std::string currentName;
    std::int64_t items = 0;                // drawn, extended and judgmental
    std::vector<std::string> missingKeys;  // item keys the version in force does not have
    std::optional<std::int64_t> redrawnAs; // the latest selection for the control drawn from the version in force
    std::optional<PopulationAcceptance> accepted;
    bool acceptanceStale = false;          // accepted against an older version in force
    bool open() const { return !accepted.has_value(); }
    std::string text() const;
};

// Every selection drawn from a superseded version, by selection id.
std::vector<SupersededSelection> supersededSelections(Engagement& e);
// The finding on one selection (an extension: its root's); nullopt when its population is in force or
// it was drawn from the calendar.
std::optional<SupersededSelection> supersededSelection(Engagement& e, std::int64_t sampleId);

// A reviewer or the partner accepts the selection although its population was superseded: one row and
// one trail entry on the test of every control the selection serves. Refused (InputError) for someone
// neither reviewer nor partner, a blank reason, an extension, a selection whose population is in force,
// and one already accepted against the version in force.
SupersededSelection acceptSupersededSelection(Engagement& e, const Actor& reviewer, std::int64_t sampleId,
                                              const std::string& reason);

// What keeps the report from issuing: tested selections drawn from a superseded version and not
// accepted, and populations in force with an unexplained reconciling difference. Each names itself.
std::vector<std::string> populationGateFailures(Engagement& e);

}  // namespace tickmark

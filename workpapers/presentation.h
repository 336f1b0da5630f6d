#pragma once
// How the report presents what the engagement holds, where the auditor's internal words are not the
// client's: a population's client-facing description (the import name stays internal), the controls
// an inclusive subservice organization performs, and who signs that organization's assertion.
// Written like every workpaper: signed-in actor, audit trail, one transaction, lock honoured.
#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "workpapers/people.h"

namespace tickmark {

// "terminated employees", "changes to production": plural, lower case, as Section IV words it
// ("For 2 of 20 terminated employees sampled"). Empty text clears it.
void describePopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& text,
                        const std::string& reason = "");
// The population's client-facing description; nullopt when none was given.
std::optional<std::string> populationDescription(Engagement& e, std::int64_t populationId);

// The control is performed by the inclusive subservice organization `org` (empty: by the service
// organization itself). Refused for a carved-out organization: its controls are not in the description.
void assignControlToSubservice(Engagement& e, const Actor& a, const std::string& controlRef, const std::string& org,
                               const std::string& reason = "");
// control ref -> the inclusive subservice organization performing it.
std::map<std::string, std::string> controlsPerformedBySubservice(Engagement& e);

// Who signs the inclusive subservice organization's assertion (Section II).
void setSubserviceSignatory(Engagement& e, const Actor& a, const std::string& org, const std::string& name,
                            const std::string& title, const std::string& reason = "");

}  // namespace tickmark

#pragma once
// Segregation of duties, by person (not by role row). One home for the rule; signOff asks it.
//
// - One person signs a workpaper in one role only: who signed it as preparer never signs it as
//   reviewer or partner, and so on, whatever roles their account holds.
// - Whoever recorded results or evidence on a workpaper does not review it (reviewer or partner).
// - A person is every identity of theirs: a second identity a partner added (with the reason
//   recorded, see addPerson) counts as the member it stands for.
#include <cstdint>
#include <string>

#include "workpapers/people.h"

namespace tickmark {

// The person behind a team member's identity: itself, or the member a second identity stands for.
std::int64_t naturalPerson(Engagement& e, std::int64_t personId);

// InputError naming the rule and what breaks it when `a` may not sign `workpaper` as `role`.
void requireSeparateDuties(Engagement& e, const Actor& a, const std::string& workpaper, const std::string& role);

}  // namespace tickmark

#pragma once
// Criteria in scope that the report treats apart: not applicable to the system (Section III says
// why), or not examined because sufficient appropriate evidence could not be obtained (a scope
// limitation, which alone can lead to a disclaimer). Each is recorded with its reason by a reviewer
// or the partner, in the audit trail, and can be undone.
#include <map>
#include <string>

#include "workpapers/people.h"

namespace tickmark {

struct CriterionStatus {
    enum Kind { NotApplicable, NotExamined } status = NotApplicable;
    std::string reason, setBy, setAt;
};
std::map<std::string, CriterionStatus> criterionStatuses(Engagement& e);

// Marks (or, with `undo`, unmarks) an in-scope criterion. Refused for a criterion out of scope, an
// empty reason, a person who is neither reviewer nor partner, or a criterion already marked otherwise.
void markCriterion(Engagement& e, const Actor& a, const std::string& criterion, CriterionStatus::Kind status,
                   const std::string& reason, bool undo = false);

}  // namespace tickmark

#pragma once
// The opinion the workpapers propose, from every input, each criterion with what it rests on. One
// home for the rule: the report renders it, the partner's choice is checked against it, and the
// gates ask it whether the choice is still current.
//
// Each in-scope criterion stands as one of:
// - not applicable: marked so with the reason (Section III lists it); left out of everything else;
// - not examined: the auditor recorded that sufficient appropriate evidence could not be obtained
//   (a scope limitation);
// - not met: an exception with deviations was concluded "criteria not met" for it;
// - not addressed: no control in the matrix maps to it and no CSOC of a carved-out subservice
//   organization covers it (a description and design deficiency);
// - addressed.
// Exceptions alone do not modify the opinion. Pervasive: a quarter or more of the applicable
// criteria (rounded up, at least one). The proposal: a disclaimer when the criteria not examined are
// pervasive; else adverse when the criteria not met or not addressed are pervasive; else qualified
// when any criterion is not examined, not met or not addressed; else unmodified.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark {

enum class Opinion { Unmodified, Qualified, Adverse, Disclaimer };
std::string toString(Opinion o);  // unmodified | qualified | adverse | disclaimer
std::optional<Opinion> parseOpinion(std::string_view text);

enum class Standing { Addressed, NotAddressed, NotMet, NotExamined, NotApplicable };
std::string toString(Standing s);  // addressed | not-addressed | not-met | not-examined | not-applicable

struct ExceptionBasis {
    std::int64_t id = 0;
    std::string control, letter;
    std::int64_t deviations = 0, tested = 0;
};

struct CriterionAssessment {
    std::string id, name;
    Standing standing = Standing::Addressed;
    std::vector<std::string> controls;      // controls of the matrix mapped to it
    std::vector<std::string> csocs;         // "Org: CSOC text" of carved-out subservice organizations
    std::vector<ExceptionBasis> exceptions; // concluded "criteria not met" for it
    std::string reason;                     // not applicable / not examined: the reason recorded
};

struct OpinionProposal {
    Opinion opinion = Opinion::Unmodified;
    std::string basis;                          // one sentence: why
    std::vector<CriterionAssessment> criteria;  // every in-scope criterion, in TSC order
    std::int64_t applicable = 0;                // in scope, less those not applicable
    std::int64_t pervasiveAt = 1;               // this many or more is pervasive
    std::vector<const CriterionAssessment*> with(Standing s) const;
    // A canonical text of everything the proposal rests on: equal texts, equal proposals.
    std::string fingerprint() const;
};

OpinionProposal proposeOpinion(Engagement& e);

}  // namespace tickmark

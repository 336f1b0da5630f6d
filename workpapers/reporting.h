#pragma once
// What the report needs from the engagement beyond the fieldwork: the firm's particulars, the
// system description (Section III, by description-criteria heading), and the partner's choice of
// opinion. Written like every workpaper: signed-in actor, audit trail, one transaction, lock honoured.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/people.h"
#include "workpapers/trail.h"

namespace tickmark {

struct DescriptionHeading {
    const char* key;
    const char* title;
};
// DC 200 headings the user writes; subservice organizations, CSOCs and CUECs come from the engagement.
// All of them, as a Type II description has them:
const std::vector<DescriptionHeading>& descriptionHeadings();
// As the report type has them: a Type I description (as of a date) has no significant changes during
// a period, and its incidents heading is not "during the period".
std::vector<DescriptionHeading> descriptionHeadings(ReportType type);

// keys: firm_name, firm_city, report_date (YYYY-MM-DD), signatory_name, signatory_title
void setReportSetting(Engagement& e, const Actor& a, const std::string& key, const std::string& value, const std::string& reason = "");
std::map<std::string, std::string> reportSettings(Engagement& e);

// seen: the trail head when the member read the heading's text; ConflictError, nothing saved, when
// another member changed that heading since (other headings never conflict).
void setDescription(Engagement& e, const Actor& a, const std::string& heading, const std::string& text, const std::string& reason = "",
                    std::optional<std::int64_t> seen = std::nullopt);
std::map<std::string, std::string> descriptionTexts(Engagement& e);

// The DC 200 headings the gate requires written. "criteria-not-applicable" is not among them: the
// report lists the criteria marked not applicable itself, and the text there only adds to it.
// Type I: incidents and changes are Type II matters, not required.
bool descriptionHeadingRequired(const std::string& key, ReportType type = ReportType::TypeII);

struct OpinionChoice {
    std::string opinion, proposed, rationale, chosenBy, chosenAt;
    std::int64_t trailSeq = 0;  // the entry that recorded the choice; 0 for a choice older than that record
    // Stale: what the choice rests on changed after it (see rules/gates.h), or the workpapers now
    // propose something else than when it was made.
    bool stale = false;
    std::vector<TrailEntry> changesSince;
    std::string staleReason;
};
// The partner chooses. The proposal is computed here from the workpapers, in the same transaction;
// choosing other than the proposal needs the rationale.
void chooseOpinion(Engagement& e, const Actor& partner, const std::string& opinion, const std::string& rationale);
std::optional<OpinionChoice> opinionChoice(Engagement& e);

}  // namespace tickmark

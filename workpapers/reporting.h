#pragma once
// What the report needs from the engagement beyond the fieldwork: the firm's particulars, the
// system description (Section III, by description-criteria heading), and the partner's choice of
// opinion. Written like every workpaper: signed-in actor, audit trail, one transaction, lock honoured.
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/people.h"

namespace tickmark {

struct DescriptionHeading {
    const char* key;
    const char* title;
};
// DC 200 headings the user writes; subservice organizations, CSOCs and CUECs come from the engagement.
const std::vector<DescriptionHeading>& descriptionHeadings();

// keys: firm_name, firm_city, report_date (YYYY-MM-DD), signatory_name, signatory_title
void setReportSetting(Engagement& e, const Actor& a, const std::string& key, const std::string& value, const std::string& reason = "");
std::map<std::string, std::string> reportSettings(Engagement& e);

void setDescription(Engagement& e, const Actor& a, const std::string& heading, const std::string& text, const std::string& reason = "");
std::map<std::string, std::string> descriptionTexts(Engagement& e);

struct OpinionChoice {
    std::string opinion, proposed, rationale, chosenBy, chosenAt;
};
// The partner chooses; choosing other than the proposal needs the rationale.
void chooseOpinion(Engagement& e, const Actor& partner, const std::string& opinion, const std::string& proposed,
                   const std::string& rationale);
std::optional<OpinionChoice> opinionChoice(Engagement& e);

}  // namespace tickmark

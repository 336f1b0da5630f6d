#pragma once
// Section III, heading by heading, and the firm's particulars the report prints. Saves only what
// changed, each change trailed under the signed-in member.
#include <wx/wx.h>

#include <cstdint>
#include <map>
#include <string>
#include <utility>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class DescriptionDialog : public wxDialog {
public:
    DescriptionDialog(wxWindow* parent, Engagement& e, const Actor& a);

private:
    void switchTo(int i);
    void save();
    Engagement& e_;
    Actor a_;
    std::int64_t seen_;  // the trail head when the texts were read: a heading another member saved since is not overwritten
    std::map<std::string, std::string> texts_, settings_, edited_;
    wxListBox* headings_;
    wxTextCtrl* text_;
    int current_ = -1;
    std::vector<std::pair<std::string, wxTextCtrl*>> fields_;
};

}  // namespace tickmark::desk

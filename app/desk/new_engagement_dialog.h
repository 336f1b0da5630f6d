#pragma once
// File > New engagement: the client, the system, the report type and period, the categories in
// scope, and the engagement partner, who creates the file and chooses their password.
#include <wx/wx.h>

#include <cstdlib>
#include <string>
#include <utility>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark::desk {

class NewEngagementDialog : public wxDialog {
public:
    explicit NewEngagementDialog(wxWindow* parent);
    // InputError for a date that does not read.
    EngagementSetup setup() const;
    std::string partnerName() const;
    std::string partnerInitials() const;
    std::vector<std::string> partnerRoles() const;  // partner, and reviewer when ticked
    std::string partnerPassword() const;            // InputError when the two entries differ

private:
    wxTextCtrl *client_, *system_, *start_, *end_, *partner_, *initials_, *password_, *again_;
    wxChoice* type_;
    wxCheckBox *reviewer_, *encrypt_;
    wxComboBox* zone_;
    std::vector<std::pair<std::string, wxCheckBox*>> boxes_;
};

}  // namespace tickmark::desk

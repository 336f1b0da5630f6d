#pragma once
// The engagement team: who is on it, with their roles, and adding a member (name, initials, roles,
// password). The first member is the engagement partner, who is signed in by choosing the password;
// after that only a partner adds members.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <functional>
#include <optional>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class TeamDialog : public wxDialog {
public:
    TeamDialog(wxWindow* parent, Engagement& e, const std::optional<Actor>& actor, std::function<void(const Actor&)> partnerCreated);

private:
    void fill();
    void add();
    Engagement& e_;
    const std::optional<Actor>& actor_;
    std::function<void(const Actor&)> partnerCreated_;
    wxListCtrl* list_;
    wxTextCtrl *name_, *initials_, *password_, *again_;
    wxCheckBox *preparer_, *reviewer_, *partner_;
};

}  // namespace tickmark::desk

#pragma once
// The engagement's home: the dashboard presenter (app/presenters/dashboard.h) laid out. A headline of
// where the fieldwork stands, the proposed and the chosen opinion, the issuance gates (an open gate,
// activated, opens the workpaper that keeps it open), progress by control and by team member.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <functional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark::desk {

class DashboardPage : public wxPanel {
public:
    // openWorkpaper: "test:CM-03", "report" or "engagement", when the user activates an open gate.
    DashboardPage(wxWindow* parent, std::function<void(const std::string&)> openWorkpaper);
    void show(Engagement& e);

private:
    void fit();  // wraps the texts and widens the gates' detail to the page's width
    wxStaticText *engagement_, *headline_, *opinion_;
    wxString headlineText_, opinionText_;
    wxListCtrl *gates_, *controls_, *team_;
    std::vector<std::vector<std::string>> gateTargets_;  // per row of gates_
    std::function<void(const std::string&)> open_;
};

}  // namespace tickmark::desk

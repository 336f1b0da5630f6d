#pragma once
// The exception form a deviation opens: what happened, cause, isolated or systemic, management's
// response, the related criteria, the auditor's conclusion and whether the criteria are still met.
// The fields scroll above buttons that always stay in view; focus starts in "What happened". Each
// changed field goes through updateException (trailed under the signed-in member).
#include <wx/wx.h>

#include "workpapers/fieldwork.h"

namespace tickmark::desk {

class ExceptionDialog : public wxDialog {
public:
    ExceptionDialog(wxWindow* parent, Engagement& e, const Actor& a, std::int64_t id);

private:
    void save();
    Engagement& e_;
    Actor a_;
    std::int64_t id_;
    std::int64_t seen_;  // the trail head when the form was filled
    ExceptionView x_;
    wxTextCtrl *description_, *cause_, *response_, *criteria_, *conclusion_;
    wxChoice *nature_, *met_;
};

}  // namespace tickmark::desk

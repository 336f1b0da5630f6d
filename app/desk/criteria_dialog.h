#pragma once
// The criteria in scope, each with how the report treats it: examined, not applicable (Section III
// says why) or not examined (a scope limitation). Mark or unmark with the reason; a reviewer or the
// partner may (the library refuses others).
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class CriteriaDialog : public wxDialog {
public:
    CriteriaDialog(wxWindow* parent, Engagement& e, const Actor& a);

private:
    void fill();
    void mark(int kind, bool undo);  // CriterionStatus::Kind
    Engagement& e_;
    Actor a_;
    wxListCtrl* list_;
    std::vector<Criterion> criteria_;
};

}  // namespace tickmark::desk

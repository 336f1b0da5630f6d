#pragma once
// A control's test plan: the types of test, the procedure as Section IV will print it, the attributes
// (a letter and a yes/no question each) and the selection tested. Creates the plan or changes it;
// the presenter (app/presenters/test_plan_editor.h) validates and saves.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <memory>
#include <string>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class TestPlanEditor;

class TestPlanDialog : public wxDialog {
public:
    TestPlanDialog(wxWindow* parent, Engagement& e, const std::string& control, const Actor& a);
    ~TestPlanDialog() override;

private:
    void fillAttributes();
    void takeFromForm();
    void save();
    std::unique_ptr<TestPlanEditor> editor_;
    Actor a_;
    std::vector<wxCheckBox*> types_;
    wxTextCtrl *procedure_, *question_;
    wxListCtrl* attributes_;
    wxChoice* selection_;
};

}  // namespace tickmark::desk

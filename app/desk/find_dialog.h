#pragma once
// Ctrl+F: find a key, ticket, control or note anywhere in the engagement (app/presenters/finder.h),
// off the GUI thread with Cancel; activating a match opens where it is.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <functional>

#include "app/presenters/finder.h"
#include "workpapers/engagement.h"

namespace tickmark::desk {

class FindDialog : public wxDialog {
public:
    FindDialog(wxWindow* parent, Engagement& e, std::function<void(const Found&, const std::string& text)> open);
    void search(const wxString& text);  // also for the smoke tour
    int matches() const { return list_->GetItemCount(); }

private:
    Engagement& e_;
    std::function<void(const Found&, const std::string&)> open_;
    wxTextCtrl* text_;
    wxListCtrl* list_;
    wxStaticText* summary_;
    FindResult result_;
    bool busy_ = false;
};

}  // namespace tickmark::desk

#pragma once
// The audit trail, newest first, and Verify: walks the whole hash chain and every sign-off's anchor.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include "app/desk/workbench.h"

namespace tickmark::desk {

class AuditPage : public wxPanel {
public:
    AuditPage(wxWindow* parent, Workbench& bench);
    void show();
    void reload() { show(); }
    void verify();

private:
    Workbench& bench_;
    wxListCtrl* list_;
    wxStaticText* result_;
};

}  // namespace tickmark::desk

#pragma once
// A selection: how it was drawn (method, size of frame, seed and its source, by whom), its items,
// "Re-perform and compare" (draws it again from the record and compares item for item) and Extend.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include "app/desk/workbench.h"

namespace tickmark::desk {

class SamplePage : public wxPanel {
public:
    SamplePage(wxWindow* parent, Workbench& bench);
    void show(std::int64_t sampleId);
    void reload() { if (current_) show(current_); }
    std::int64_t current() const { return current_; }

private:
    Workbench& bench_;
    wxStaticText *info_, *verifyResult_;
    wxListCtrl* items_;
    std::int64_t current_ = 0;
};

}  // namespace tickmark::desk

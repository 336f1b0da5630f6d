#include "app/desk/audit_page.h"

#include "app/desk/ui.h"
#include "workpapers/trail.h"

namespace tickmark::desk {

namespace {
constexpr int kShown = 2000;
}

AuditPage::AuditPage(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    for (auto* h : {"#", "When", "Who", "Action", "Workpaper", "What", "Old", "New"}) list_->AppendColumn(h);
    result_ = new wxStaticText(this, wxID_ANY, "");
    auto* verifyButton = new wxButton(this, wxID_ANY, "Verify the chain");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(verifyButton, 0, wxRIGHT, 8);
    row->Add(result_, 1, wxALIGN_CENTER_VERTICAL);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(row, 0, wxEXPAND | wxALL, 6);
    s->Add(list_, 1, wxEXPAND);
    SetSizer(s);
    verifyButton->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { verify(); });
}

void AuditPage::verify() {
    guarded(this, [&] {
        wxBusyCursor busy;
        auto v = verifyTrail(bench_.engagement());
        result_->SetLabel(W(v.intact ? "Intact: all " + thousands(v.entries) + " entries chain."
                                     : "BROKEN at entry " + std::to_string(*v.firstBroken) + ": " + v.problem));
        result_->SetForegroundColour(v.intact ? wxColour(30, 130, 50) : *wxRED);
        Layout();
    });
}

void AuditPage::show() {
    guarded(this, [&] {
        list_->Freeze();
        list_->DeleteAllItems();
        TrailQuery q;
        q.newestFirst = true;
        q.limit = kShown;
        forEachTrailEntry(bench_.engagement(), q, [&](const TrailEntry& t) {
            long i = list_->InsertItem(list_->GetItemCount(), std::to_string(t.seq));
            const std::string cells[] = {t.at, t.actor, t.action, t.workpaper, t.entity + " " + t.field, t.oldValue.value_or(""),
                                         t.newValue.value_or("")};
            for (int c = 1; c < 8; ++c) list_->SetItem(i, c, W(cells[c - 1]));
        });
        fitColumns(list_, 320);
        list_->Thaw();
        result_->SetLabel("The newest 2,000 entries, newest first. Verify checks every entry.");
        result_->SetForegroundColour(GetForegroundColour());
    });
}

}  // namespace tickmark::desk

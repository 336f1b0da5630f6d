#include "app/desk/criteria_dialog.h"

#include "app/desk/ui.h"
#include "workpapers/errors.h"
#include "workpapers/rules/scope.h"

namespace tickmark::desk {

CriteriaDialog::CriteriaDialog(wxWindow* parent, Engagement& e, const Actor& a)
    : wxDialog(parent, wxID_ANY, "Criteria in scope"), e_(e), a_(a) {
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(760, 420), wxLC_REPORT | wxLC_SINGLE_SEL);
    for (auto* h : {"Criterion", "Short name", "Treated as", "Why", "By"}) list_->AppendColumn(h);
    auto* na = new wxButton(this, wxID_ANY, "Not &applicable...");
    auto* ne = new wxButton(this, wxID_ANY, "Not &examined...");
    auto* undo = new wxButton(this, wxID_ANY, "&Unmark...");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(na, 0, wxRIGHT, 6), row->Add(ne, 0, wxRIGHT, 6), row->Add(undo);
    row->AddStretchSpacer();
    row->Add(new wxButton(this, wxID_CANCEL, "Close"));
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(list_, 1, wxEXPAND | wxALL, 8);
    s->Add(row, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 8);
    SetSizer(s);
    fill();
    settleDialog(this, list_, wxSize(600, 360));
    na->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { mark(CriterionStatus::NotApplicable, false); });
    ne->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { mark(CriterionStatus::NotExamined, false); });
    undo->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { mark(-1, true); });
}

void CriteriaDialog::fill() {
    criteria_ = e_.criteriaInScope();
    auto marks = criterionStatuses(e_);
    const long keep = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    list_->Freeze();
    list_->DeleteAllItems();
    for (auto& c : criteria_) {
        long i = list_->InsertItem(list_->GetItemCount(), W(c.id));
        list_->SetItem(i, 1, W(c.shortName));
        auto m = marks.find(c.id);
        list_->SetItem(i, 2, m == marks.end() ? "examined" : m->second.status == CriterionStatus::NotApplicable ? "not applicable" : "not examined");
        if (m != marks.end()) {
            list_->SetItem(i, 3, W(m->second.reason));
            list_->SetItem(i, 4, W(m->second.setBy));
            list_->SetItemTextColour(i, wxColour(160, 80, 0));
        }
    }
    fitColumns(list_, 360);
    list_->Thaw();
    if (keep >= 0 && keep < list_->GetItemCount()) list_->SetItemState(keep, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
}

void CriteriaDialog::mark(int kind, bool undo) {
    guarded(this, [&] {
        long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
        if (i < 0) throw InputError("choose a criterion first");
        const auto& c = criteria_.at(static_cast<std::size_t>(i));
        auto marks = criterionStatuses(e_);
        auto m = marks.find(c.id);
        if (undo && m == marks.end()) throw InputError(c.id + " is not marked");
        const auto k = undo ? m->second.status : static_cast<CriterionStatus::Kind>(kind);
        wxTextEntryDialog why(this, W((undo ? "Why is " + c.id + " examined after all?" : "Why? (the report states it for " + c.id + ")")), "Reason");
        if (why.ShowModal() != wxID_OK) return;
        markCriterion(e_, a_, c.id, k, U(why.GetValue()), undo);
        fill();
    });
}

}  // namespace tickmark::desk

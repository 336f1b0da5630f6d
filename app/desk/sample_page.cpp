#include "app/desk/sample_page.h"

#include <wx/numdlg.h>

#include "app/desk/ui.h"
#include "sampling/selection.h"
#include "workpapers/samples.h"

namespace tickmark::desk {

SamplePage::SamplePage(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    info_ = new wxStaticText(this, wxID_ANY, "");
    auto* verify = new wxButton(this, wxID_ANY, "Re-perform and compare");
    auto* extend = new wxButton(this, wxID_ANY, "Extend...");
    verifyResult_ = new wxStaticText(this, wxID_ANY, "");
    items_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
    for (auto* h : {"#", "Row", "Key", "Date", "Stratum"}) items_->AppendColumn(h);
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(verify, 0, wxRIGHT, 8);
    row->Add(extend, 0, wxRIGHT, 8);
    row->Add(verifyResult_, 1, wxALIGN_CENTER_VERTICAL);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(info_, 0, wxALL, 6);
    s->Add(row, 0, wxALL, 6);
    s->Add(items_, 1, wxEXPAND);
    SetSizer(s);
    extend->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        guarded(this, [&] {
            const Actor& a = bench_.signedIn();
            long by = wxGetNumberFromUser("How many more items, drawn only from those not yet selected?", "Items", "Extend the selection", 15, 1,
                                          100000, this);
            if (by < 1) return;
            wxTextEntryDialog seed(this, "Seed (shown, editable)", "Extend the selection", std::to_string(sampling::osSeed()));
            if (seed.ShowModal() != wxID_OK) return;
            auto r = extendSample(bench_.engagement(), a, current_, by, parseSeed(U(seed.GetValue())));
            bench_.changed();
            bench_.openWorkpaper("sample:" + std::to_string(r.id));
        });
    });
    verify->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        guarded(this, [&] {
            wxBusyCursor busy;
            auto v = verifySample(bench_.engagement(), current_, std::nullopt);
            verifyResult_->SetLabel(W(v.identical ? "Identical: the record re-performs item for item." : "DIFFERS: " + v.firstDifference));
            verifyResult_->SetForegroundColour(v.identical ? wxColour(30, 130, 50) : *wxRED);
            Layout();
        });
    });
}

void SamplePage::show(std::int64_t id) {
    guarded(this, [&] {
        auto r = loadSample(bench_.engagement(), id);
        current_ = id;
        info_->SetLabel(W("Selection " + std::to_string(r.id) + " for " + r.control + ": " + r.method + ", " + thousands(r.size) + " of " +
                          thousands(r.frameSize) + "\nSeed " + std::to_string(r.seed) + " (" + r.seedSource + "), " + r.algorithm +
                          "\nDrawn " + r.createdAt + " by " + r.createdBy));
        verifyResult_->SetLabel("");
        items_->Freeze();
        items_->DeleteAllItems();
        for (auto& it : r.items) {
            long i = items_->InsertItem(items_->GetItemCount(), std::to_string(it.position));
            items_->SetItem(i, 1, it.row ? thousands(*it.row) : "");
            items_->SetItem(i, 2, W(it.key));
            items_->SetItem(i, 3, W(it.date.value_or("")));
            items_->SetItem(i, 4, W(it.stratum.value_or("")));
        }
        fitColumns(items_);
        items_->Thaw();
        Layout();
    });
}

}  // namespace tickmark::desk

#include "app/desk/find_dialog.h"

#include <memory>

#include "app/desk/background_runner.h"
#include "app/desk/ui.h"

namespace tickmark::desk {

FindDialog::FindDialog(wxWindow* parent, Engagement& e, std::function<void(const Found&, const std::string&)> open)
    : wxDialog(parent, wxID_ANY, "Find in the engagement"), e_(e), open_(std::move(open)) {
    text_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    text_->SetHint("key, ticket, control, note text...");
    auto* go = new wxButton(this, wxID_ANY, "&Find");
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(720, 360), wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->AppendColumn("Where");
    list_->AppendColumn("Match");
    summary_ = new wxStaticText(this, wxID_ANY, "Enter searches; double-click a match to open it.");
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    top->Add(text_, 1, wxRIGHT, 6);
    top->Add(go);
    auto* bottom = new wxBoxSizer(wxHORIZONTAL);
    bottom->Add(summary_, 1, wxALIGN_CENTER_VERTICAL);
    bottom->Add(new wxButton(this, wxID_CANCEL, "Close"));
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(top, 0, wxEXPAND | wxALL, 8);
    s->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
    s->Add(bottom, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    settleDialog(this, text_, wxSize(560, 360));
    text_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { search(text_->GetValue()); });
    go->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { search(text_->GetValue()); });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& ev) {
        const auto i = static_cast<std::size_t>(ev.GetIndex());
        if (i < result_.found.size()) open_(result_.found[i], U(text_->GetValue()));
    });
}

void FindDialog::search(const wxString& text) {
    if (busy_ || wxString(text).Trim().IsEmpty()) return;
    text_->SetValue(text);
    auto found = std::make_shared<FindResult>();
    const std::filesystem::path path = e_.location();  // the URI as given, on a server
    const std::string needle = U(text);
    busy_ = true;
    runInBackground(this, "Finding " + text,
                    [=](Progress& p) {
                        auto own = Engagement::open(path);
                        *found = findInEngagement(own, needle, 500, &p);
                    },
                    [this, found](const JobEnd& end) {
                        busy_ = false;
                        if (end.kind == JobEnd::Cancelled) return summary_->SetLabel("Cancelled.");
                        if (!guarded(this, [&] { end.rethrow(); })) return;
                        result_ = std::move(*found);
                        static const char* kinds[] = {"control", "population", "selection", "review note", "exception"};
                        list_->Freeze();
                        list_->DeleteAllItems();
                        for (auto& f : result_.found) {
                            long i = list_->InsertItem(list_->GetItemCount(), kinds[static_cast<int>(f.kind)]);
                            list_->SetItem(i, 1, W(f.label));
                        }
                        fitColumns(list_, 900);
                        list_->Thaw();
                        summary_->SetLabel(W(thousands(static_cast<long long>(result_.found.size())) + " match" +
                                             (result_.found.size() == 1 ? "" : "es") + (result_.truncated ? " (the first 500)" : "")));
                    });
}

}  // namespace tickmark::desk

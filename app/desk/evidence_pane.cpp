#include "app/desk/evidence_pane.h"

#include <wx/filename.h>
#include <wx/stdpaths.h>

#include <algorithm>

#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

EvidencePane::EvidencePane(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    target_ = new wxStaticText(this, wxID_ANY, "");
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    for (auto* h : {"Result", "File", "Size", "Added by"}) list_->AppendColumn(h);
    auto* attach = new wxButton(this, wxID_ANY, "Attach...");
    auto* open = new wxButton(this, wxID_ANY, "Open");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(attach, 0, wxRIGHT, 4), row->Add(open);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(target_, 0, wxBOTTOM, 4);
    s->Add(list_, 1, wxEXPAND);
    s->Add(row, 0, wxTOP, 4);
    SetSizer(s);
    attach->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        auto& self = *this;
        wxFileDialog d(this, "Evidence for " + target_->GetLabel(), "", "", "All files|*", wxFD_OPEN | wxFD_FILE_MUST_EXIST | wxFD_MULTIPLE);
        if (d.ShowModal() != wxID_OK) return;
        wxArrayString paths;
        d.GetPaths(paths);
        std::vector<std::string> files;
        for (auto& p : paths) files.push_back(U(p));
        self.attach(files);
    });
    auto openSelected = [this] {
        guarded(this, [&] {
            long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
            if (i < 0) throw InputError("choose the evidence to open");
            // A folder of our own per session: the viewer gets a copy, the engagement keeps the original.
            const auto folder = std::filesystem::path(U(wxStandardPaths::Get().GetTempDir())) /
                                ("tickmark-evidence-" + std::to_string(wxGetProcessId()));
            std::filesystem::create_directories(folder);
            auto written = exportEvidence(bench_.engagement(), evidence_.at(static_cast<std::size_t>(i)).id, folder);
            if (!wxLaunchDefaultApplication(W(written.string()))) bench_.status(W("Written to " + written.string() + " (no viewer for it)"));
        });
    };
    open->Bind(wxEVT_BUTTON, [openSelected](wxCommandEvent&) { openSelected(); });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [openSelected](wxListEvent&) { openSelected(); });
}

void EvidencePane::show(const std::string& workpaper, std::optional<std::int64_t> position, std::optional<std::string> letter) {
    workpaper_ = workpaper, position_ = position, letter_ = letter;
    target_->SetLabel(W(position ? "Item " + std::to_string(*position) + ", attribute " + *letter : workpaper + " (the workpaper)"));
    evidence_ = listEvidence(bench_.engagement(), workpaper);
    // The chosen result's evidence first, then the rest of the workpaper's.
    std::stable_partition(evidence_.begin(), evidence_.end(), [&](auto& v) { return v.position == position && v.letter == letter; });
    list_->Freeze();
    list_->DeleteAllItems();
    for (auto& v : evidence_) {
        long i = list_->InsertItem(list_->GetItemCount(), W(v.position ? std::to_string(*v.position) + *v.letter : "workpaper"));
        list_->SetItem(i, 1, W(v.originalName));
        list_->SetItem(i, 2, W(thousands(v.size) + " B"));
        list_->SetItem(i, 3, W(v.addedBy));
        if (v.position == position && v.letter == letter) list_->SetItemFont(i, list_->GetFont().Bold());
    }
    fitColumns(list_, 240);
    list_->Thaw();
}

void EvidencePane::attach(const std::vector<std::string>& files) {
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        EvidenceTarget t{workpaper_, position_, letter_};
        for (auto& f : files) attachEvidence(bench_.engagement(), a, t, f);
        bench_.status(W(std::to_string(files.size()) + " evidence file" + (files.size() == 1 ? "" : "s") + " attached to " +
                        (position_ ? "item " + std::to_string(*position_) + ", attribute " + *letter_ : workpaper_)));
        bench_.changed();
    });
}

}  // namespace tickmark::desk

#include "app/desk/notes_pane.h"

#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

NotesPane::NotesPane(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    list_->AppendColumn("#", wxLIST_FORMAT_RIGHT, 36);
    list_->AppendColumn("Status", wxLIST_FORMAT_LEFT, 64);
    list_->AppendColumn("Note", wxLIST_FORMAT_LEFT, 260);
    detail_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(-1, 110), wxTE_MULTILINE | wxTE_READONLY);
    auto* raise = new wxButton(this, wxID_ANY, "Raise...");
    auto* respond = new wxButton(this, wxID_ANY, "Respond...");
    auto* clear = new wxButton(this, wxID_ANY, "Clear");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(raise, 0, wxRIGHT, 4), row->Add(respond, 0, wxRIGHT, 4), row->Add(clear);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(list_, 1, wxEXPAND);
    s->Add(detail_, 0, wxEXPAND | wxTOP, 4);
    s->Add(row, 0, wxTOP, 4);
    SetSizer(s);
    list_->Bind(wxEVT_LIST_ITEM_SELECTED, [this](wxListEvent&) { showDetail(); });
    raise->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        auto& self = *this;
        guarded(this, [&] {
            bench_.signedIn();
            wxTextEntryDialog text(this, W("Note on " + workpaper_ + (subject_.empty() ? "" : ", " + subject_)), "Raise a review note", "",
                                   wxOK | wxCANCEL | wxTE_MULTILINE);
            if (text.ShowModal() != wxID_OK || text.GetValue().Trim().IsEmpty()) return;
            self.raise(U(text.GetValue()));
        });
    });
    respond->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { respondToChosenNote(this, bench_, [this] { return selected(); }); });
    clear->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { clearChosenNote(this, bench_, [this] { return selected(); }); });
}

void respondToChosenNote(wxWindow* parent, Workbench& bench, const std::function<NoteView()>& chosen) {
    guarded(parent, [&] {
        const Actor& a = bench.signedIn();
        const NoteView note = chosen();
        wxTextEntryDialog text(parent, "Your response", "Respond to the note", "", wxOK | wxCANCEL | wxTE_MULTILINE);
        if (text.ShowModal() != wxID_OK) return;
        respondToNote(bench.engagement(), a, note.id, U(text.GetValue()), note.version);
        bench.changed();
    });
}

void clearChosenNote(wxWindow* parent, Workbench& bench, const std::function<NoteView()>& chosen) {
    guarded(parent, [&] {
        const Actor& a = bench.signedIn();
        const NoteView note = chosen();
        clearNote(bench.engagement(), a, note.id, note.version);
        bench.changed();
    });
}

std::int64_t NotesPane::raise(const std::string& text) {
    auto id = raiseNote(bench_.engagement(), bench_.signedIn(), workpaper_, subject_, text);
    bench_.changed();
    return id;
}

void NotesPane::show(const std::string& workpaper) {
    workpaper_ = workpaper;
    const long keep = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    notes_ = listNotes(bench_.engagement(), workpaper);
    open_ = 0;
    list_->Freeze();
    list_->DeleteAllItems();
    for (auto& n : notes_) {
        long i = list_->InsertItem(list_->GetItemCount(), std::to_string(n.id));
        list_->SetItem(i, 1, n.open() ? "open" : "cleared");
        list_->SetItem(i, 2, W((n.subject.empty() ? "" : "[" + n.subject + "] ") + n.text));
        list_->SetItemTextColour(i, n.open() ? wxColour(190, 30, 30) : wxColour(100, 100, 100));
        open_ += n.open();
    }
    list_->Thaw();
    if (keep >= 0 && keep < list_->GetItemCount()) list_->SetItemState(keep, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    else if (!notes_.empty()) list_->SetItemState(0, wxLIST_STATE_SELECTED, wxLIST_STATE_SELECTED);
    showDetail();
}

const NoteView& NotesPane::selected() const {
    long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0) throw InputError("choose a review note first");
    return notes_.at(static_cast<std::size_t>(i));
}

void NotesPane::showDetail() {
    long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0) {
        detail_->SetValue(notes_.empty() ? "No review notes on this workpaper." : "");
        return;
    }
    auto& n = notes_.at(static_cast<std::size_t>(i));
    std::string t = "Raised by " + n.raisedBy + " " + n.raisedAt.substr(0, 16) + (n.subject.empty() ? "" : " on " + n.subject) + ":\n" + n.text;
    if (n.response) t += "\n\nResponse by " + n.respondedBy.value_or("") + ":\n" + *n.response;
    if (n.clearedAt) t += "\n\nCleared by " + n.clearedBy.value_or("") + " " + n.clearedAt->substr(0, 16);
    detail_->SetValue(W(t));
}

}  // namespace tickmark::desk

#include "app/desk/notes_page.h"

#include <algorithm>

#include "app/desk/notes_pane.h"
#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

NotesPage::NotesPage(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    for (auto* h : {"#", "Workpaper", "Status", "Note", "Raised by", "Response"}) list_->AppendColumn(h);
    auto* open = new wxButton(this, wxID_ANY, "Open the workpaper");
    auto* respond = new wxButton(this, wxID_ANY, "Respond...");
    auto* clear = new wxButton(this, wxID_ANY, "Clear");
    auto* row = new wxBoxSizer(wxHORIZONTAL);
    row->Add(open, 0, wxRIGHT, 6), row->Add(respond, 0, wxRIGHT, 6), row->Add(clear);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY, "Raise a note beside the workpaper it is about (its Review notes tab)."), 0, wxALL, 6);
    s->Add(list_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
    s->Add(row, 0, wxALL, 6);
    SetSizer(s);
    auto openIt = [this] {
        guarded(this, [&] { bench_.openWorkpaper(selected().workpaper); });
    };
    open->Bind(wxEVT_BUTTON, [openIt](wxCommandEvent&) { openIt(); });
    list_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [openIt](wxListEvent&) { openIt(); });
    respond->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { respondToChosenNote(this, bench_, [this] { return selected(); }); });
    clear->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { clearChosenNote(this, bench_, [this] { return selected(); }); });
}

const NoteView& NotesPage::selected() const {
    long i = list_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
    if (i < 0) throw InputError("choose a review note first");
    return notes_.at(static_cast<std::size_t>(i));
}

void NotesPage::show() {
    guarded(this, [&] {
        notes_ = listNotes(bench_.engagement());
        std::stable_partition(notes_.begin(), notes_.end(), [](auto& n) { return n.open(); });
        list_->Freeze();
        list_->DeleteAllItems();
        for (auto& n : notes_) {
            long i = list_->InsertItem(list_->GetItemCount(), std::to_string(n.id));
            list_->SetItem(i, 1, W(n.workpaper));
            list_->SetItem(i, 2, n.open() ? "open" : "cleared");
            list_->SetItem(i, 3, W((n.subject.empty() ? "" : "[" + n.subject + "] ") + n.text));
            list_->SetItem(i, 4, W(n.raisedBy));
            list_->SetItem(i, 5, W(n.response.value_or("")));
            list_->SetItemTextColour(i, n.open() ? wxColour(190, 30, 30) : wxColour(90, 90, 90));
        }
        fitColumns(list_, 420);
        list_->Thaw();
    });
}

}  // namespace tickmark::desk

#pragma once
// The review notes of one workpaper, beside it: each note (open ones in red) with its detail and the
// response, and Raise / Respond / Clear in place. The reviewer raises and clears; the preparer
// responds (the library enforces who may).
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <functional>
#include <string>
#include <vector>

#include "app/desk/workbench.h"
#include "workpapers/fieldwork.h"

namespace tickmark::desk {

// Respond and Clear, asked and recorded the same way wherever a note is chosen (beside the workpaper,
// the list of every note). `chosen` gives the note as shown, or throws InputError when none is chosen;
// what is recorded is refused (ConflictError) when another member changed the note since it was shown.
void respondToChosenNote(wxWindow* parent, Workbench& bench, const std::function<NoteView()>& chosen);
void clearChosenNote(wxWindow* parent, Workbench& bench, const std::function<NoteView()>& chosen);

class NotesPane : public wxPanel {
public:
    NotesPane(wxWindow* parent, Workbench& bench);
    // The workpaper whose notes are shown; `subject` is what a new note is about (e.g. "item 4, A").
    void show(const std::string& workpaper);
    void setSubject(const std::string& subject) { subject_ = subject; }
    int openCount() const { return open_; }
    // Raise without asking (the smoke tour and the scenario): returns the note's id.
    std::int64_t raise(const std::string& text);

private:
    const NoteView& selected() const;
    void showDetail();
    Workbench& bench_;
    std::string workpaper_, subject_;
    wxListCtrl* list_;
    wxTextCtrl* detail_;
    std::vector<NoteView> notes_;
    int open_ = 0;
};

}  // namespace tickmark::desk

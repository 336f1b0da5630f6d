#pragma once
// Every review note of the engagement: open ones first in red, with the workpaper each is on.
// Activating a note opens its workpaper with the notes beside it; Respond and Clear work here too.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <vector>

#include "app/desk/workbench.h"
#include "workpapers/fieldwork.h"

namespace tickmark::desk {

class NotesPage : public wxPanel {
public:
    NotesPage(wxWindow* parent, Workbench& bench);
    void show();
    void reload() { show(); }

private:
    const NoteView& selected() const;
    Workbench& bench_;
    wxListCtrl* list_;
    std::vector<NoteView> notes_;
};

}  // namespace tickmark::desk

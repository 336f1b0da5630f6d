#pragma once
// A control's test workpaper: the plan (procedure, attributes) with its editor, progress and the
// conclusion, every sign-off, and the grid of sampled items x attributes where results are keyed:
// P, D, N fill every selected cell and the cursor moves on; Delete withdraws; Ctrl+Z undoes the last
// entry (as a new trail entry); C comments; the tick mark palette marks the selected results. The
// workpaper's review notes and evidence sit beside the grid.
#include <wx/grid.h>
#include <wx/listctrl.h>
#include <wx/notebook.h>
#include <wx/wx.h>

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "app/desk/workbench.h"
#include "app/presenters/test_grid.h"

namespace tickmark::desk {

class NotesPane;
class WrapText;
class EvidencePane;

class TestPage : public wxPanel {
public:
    TestPage(wxWindow* parent, Workbench& bench);
    void show(const std::string& control);
    void reload() { if (!control_.empty()) show(control_); }
    const std::string& control() const { return control_; }
    // The smoke tour's handles.
    NotesPane* notes() { return notes_; }
    void showNotesTab();
    void showEvidenceTab();
    void editPlan();

private:
    void keyed(int key);
    std::vector<std::pair<int, int>> selectedCells() const;
    void afterEntry();
    void comment();
    void applyMark(const std::string& mark);
    void selectionMoved();
    void signAs(const std::string& role);
    void overrideConclusion();
    void openException();
    void buildPalette();

    Workbench& bench_;
    std::string control_;
    std::unique_ptr<TestGrid> model_;
    WrapText *info_, *conclusion_, *signoffs_, *noPlan_;
    wxGrid* grid_;
    wxPanel* palette_;
    wxSizer* paletteSizer_;
    wxNotebook* side_;
    wxListCtrl* legend_;
    NotesPane* notes_;
    EvidencePane* evidence_;
};

}  // namespace tickmark::desk

#pragma once
// A population: the life and analytics lines above a virtual grid of its records (wxGrid asks only
// for the cells it paints), the flag filter, a value filter on any column, sorting by a column header
// with its direction shown. Sorting and filtering a large population run off the GUI thread.
#include <wx/grid.h>
#include <wx/wx.h>

#include <functional>
#include <memory>

#include "app/desk/workbench.h"
#include "app/presenters/population_grid.h"

namespace tickmark::desk {

class PopulationOverviewPanel;

class PopulationPage : public wxPanel {
public:
    PopulationPage(wxWindow* parent, Workbench& bench);
    void show(std::int64_t populationId);
    void reload();  // after a change: the same population, its order kept when it still exists
    std::int64_t current() const { return current_; }
    wxGrid* grid() { return grid_; }
    // Find a value in this population (Ctrl+F with the population shown): narrows to the matches.
    void findValue(const wxString& text);
    // For the timing run: sort by the first delivered column, as a click on its header does.
    void sortFirstColumn(std::function<void()> done);
    std::function<void()> onPainted;

private:
    void reorder(std::function<void(PopulationGrid&, Progress&)> how, std::function<void()> done = {});
    void resetGrid();
    void describe();
    Workbench& bench_;
    wxGrid* grid_;
    PopulationOverviewPanel* overview_;
    wxStaticText* info_;
    wxChoice *filter_, *valueColumn_;
    wxTextCtrl* value_;
    std::unique_ptr<PopulationGrid> model_;
    std::int64_t current_ = 0;
    int sortColumn_ = -1;
    bool sortAscending_ = true;
};

}  // namespace tickmark::desk

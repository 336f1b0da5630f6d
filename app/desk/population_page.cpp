#include "app/desk/population_page.h"

#include <wx/wrapsizer.h>

#include <algorithm>

#include "app/desk/background_runner.h"
#include "app/desk/plan_dialog.h"
#include "app/desk/population_overview_panel.h"
#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

namespace {
// The grid's virtual table: wxGrid asks only for the cells it paints.
class PopulationTable : public wxGridTableBase {
public:
    explicit PopulationTable(PopulationGrid& m) : m_(m) {}
    int GetNumberRows() override { return static_cast<int>(m_.rowCount()); }
    int GetNumberCols() override { return m_.columnCount(); }
    wxString GetValue(int row, int col) override { return W(m_.cell(row, col)); }
    void SetValue(int, int, const wxString&) override {}
    bool IsEmptyCell(int, int) override { return false; }
    wxString GetColLabelValue(int col) override { return W(m_.columnLabel(col)); }
    wxGridCellAttr* GetAttr(int row, int col, wxGridCellAttr::wxAttrKind) override {
        if (row < 0 || row >= GetNumberRows()) return nullptr;
        const bool flagged = m_.flags(row) != 0;
        if (!flagged && col > 1) return nullptr;
        auto* a = new wxGridCellAttr;
        if (flagged) a->SetBackgroundColour(wxColour(255, 236, 220));  // out of period, duplicate, unreadable
        if (col <= 1) a->SetAlignment(wxALIGN_RIGHT, wxALIGN_CENTRE);
        return a;
    }

private:
    PopulationGrid& m_;
};
}  // namespace

PopulationPage::PopulationPage(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    auto* top = new wxWrapSizer(wxHORIZONTAL);  // at the minimum width the bar wraps instead of clipping
    info_ = new wxStaticText(this, wxID_ANY, "");
    filter_ = new wxChoice(this, wxID_ANY);
    for (auto* f : {"All rows", "Out of period", "Duplicate keys", "Any flag"}) filter_->Append(f);
    filter_->SetSelection(0);
    valueColumn_ = new wxChoice(this, wxID_ANY);
    value_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(160, -1), wxTE_PROCESS_ENTER);
    value_->SetHint("value contains...");
    auto* plan = new wxButton(this, wxID_ANY, "Plan and draw a selection...");
    top->Add(new wxStaticText(this, wxID_ANY, "Show:"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    top->Add(filter_, 0, wxRIGHT | wxBOTTOM, 12);
    top->Add(new wxStaticText(this, wxID_ANY, "where"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
    top->Add(valueColumn_, 0, wxRIGHT | wxBOTTOM, 4);
    top->Add(value_, 0, wxRIGHT | wxBOTTOM, 12);
    top->Add(info_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 12);
    top->Add(plan, 0, wxBOTTOM, 2);
    grid_ = new wxGrid(this, wxID_ANY);
    grid_->EnableEditing(false);
    grid_->SetDefaultRowSize(20);
    grid_->UseNativeColHeader(true);  // draws the sort arrow
    overview_ = new PopulationOverviewPanel(this);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(top, 0, wxEXPAND | wxALL, 6);
    s->Add(overview_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    s->Add(grid_, 1, wxEXPAND);
    SetSizer(s);

    plan->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        guarded(this, [&] {
            PlanDialog d(this, bench_.engagement(), current_, bench_.signedIn());
            if (d.ShowModal() == wxID_OK && d.drawn) {
                bench_.changed();
                bench_.openWorkpaper("sample:" + std::to_string(d.drawn->id));
            }
        });
    });
    // The flag filter and the value filter both start from every row: one then the other.
    auto refilter = [this] {
        if (!model_) return;
        guarded(this, [&] {
            const auto f = static_cast<PopulationGrid::Filter>(filter_->GetSelection());
            const int col = valueColumn_->GetSelection() - 1;  // 0: any column
            const std::string text = U(value_->GetValue());
            sortColumn_ = -1;
            reorder([f, col, text](PopulationGrid& g, Progress& p) {
                g.setFilter(f, &p);
                if (!text.empty()) g.narrow(col, text, &p);
            });
        });
    };
    filter_->Bind(wxEVT_CHOICE, [refilter](wxCommandEvent&) { refilter(); });
    valueColumn_->Bind(wxEVT_CHOICE, [this, refilter](wxCommandEvent&) {
        if (!value_->IsEmpty()) refilter();
    });
    value_->Bind(wxEVT_TEXT_ENTER, [refilter](wxCommandEvent&) { refilter(); });
    grid_->Bind(wxEVT_GRID_LABEL_LEFT_CLICK, [this](wxGridEvent& ev) {
        if (!model_ || ev.GetCol() < 3) return;
        guarded(this, [&] {
            const bool asc = sortColumn_ == ev.GetCol() ? !sortAscending_ : true;
            const int col = ev.GetCol();
            auto current = model_->order();
            reorder(
                [col, asc, current](PopulationGrid& g, Progress& p) {
                    g.adopt(current);
                    g.sortBy(col - 3, asc, &p);
                },
                [this, col, asc] {
                    sortColumn_ = col, sortAscending_ = asc;
                    grid_->SetSortingColumn(col, asc);
                });
        });
    });
    grid_->GetGridWindow()->Bind(wxEVT_PAINT, [this](wxPaintEvent& ev) {
        ev.Skip();
        if (onPainted) CallAfter([this] {
            if (onPainted) onPainted();
        });
    });
}

void PopulationPage::reorder(std::function<void(PopulationGrid&, Progress&)> how, std::function<void()> done) {
    const std::filesystem::path path = bench_.engagement().location();  // the URI as given, on a server
    const auto id = current_;
    auto order = std::make_shared<PopulationGrid::Order>();
    // Sorting or filtering reads every record: a worker does it on its own connection, and the view
    // takes over the resulting order; Cancel keeps the order shown.
    runInBackground(this, "Sorting and filtering",
                    [=](Progress& p) {
                        auto own = Engagement::open(path);
                        PopulationGrid g(own, id);
                        how(g, p);
                        *order = g.order();
                    },
                    [this, order, id, done](const JobEnd& end) {
                        if (end.kind == JobEnd::Cancelled || id != current_ || !model_) return;
                        if (!guarded(this, [&] { end.rethrow(); })) return;
                        model_->adopt(std::move(*order));
                        resetGrid();
                        if (done) done();
                    });
}

void PopulationPage::sortFirstColumn(std::function<void()> done) {
    auto current = model_->order();
    reorder(
        [current](PopulationGrid& g, Progress& p) {
            g.adopt(current);
            g.sortBy(0, true, &p);
        },
        std::move(done));
}

void PopulationPage::findValue(const wxString& text) {
    value_->SetValue(text);
    valueColumn_->SetSelection(0);
    filter_->SetSelection(0);
    wxCommandEvent enter(wxEVT_TEXT_ENTER, value_->GetId());
    enter.SetEventObject(value_);
    value_->GetEventHandler()->ProcessEvent(enter);
}

void PopulationPage::resetGrid() {
    grid_->SetTable(new PopulationTable(*model_), true);
    grid_->SetRowLabelSize(0);
    // Widths that fit the content: the widest of the header and the first rows shown, capped.
    wxClientDC dc(grid_);
    dc.SetFont(grid_->GetDefaultCellFont());
    const int rows = std::min(grid_->GetNumberRows(), 60);
    for (int c = 0; c < grid_->GetNumberCols(); ++c) {
        int w = dc.GetTextExtent(grid_->GetColLabelValue(c)).x + 28;
        for (int r = 0; r < rows; ++r) w = std::max(w, dc.GetTextExtent(grid_->GetCellValue(r, c)).x + 14);
        grid_->SetColSize(c, std::min(w, 360));
    }
    if (sortColumn_ >= 0) grid_->SetSortingColumn(sortColumn_, sortAscending_);
    else grid_->UnsetSortingColumn();
    grid_->ForceRefresh();
    describe();
}

void PopulationPage::describe() {
    const auto shown = model_->rowCount();
    info_->SetLabel(W(thousands(shown) + (shown == 1 ? " row" : " rows") + " shown"));
    info_->SetToolTip("Sorting and filtering change what is shown, never the order stored");
    Layout();
}

void PopulationPage::show(std::int64_t id) {
    guarded(this, [&] {
        model_ = std::make_unique<PopulationGrid>(bench_.engagement(), id);
        current_ = id;
        overview_->showLater(bench_.engagement().location(), id);
        filter_->SetSelection(0);
        value_->Clear();
        valueColumn_->Clear();
        valueColumn_->Append("any column");
        for (int c = 3; c < model_->columnCount(); ++c) valueColumn_->Append(W(model_->columnLabel(c)));
        valueColumn_->SetSelection(0);
        sortColumn_ = -1;
        resetGrid();
    });
}

void PopulationPage::reload() {
    if (!current_) return;
    guarded(this, [&] {
        auto order = model_ ? model_->order() : PopulationGrid::Order{};
        model_ = std::make_unique<PopulationGrid>(bench_.engagement(), current_);
        model_->adopt(std::move(order));
        overview_->showLater(bench_.engagement().location(), current_);
        resetGrid();
    });
}

}  // namespace tickmark::desk

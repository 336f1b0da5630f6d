#include "app/desk/test_page.h"

#include <wx/dnd.h>
#include <wx/wrapsizer.h>
#include <wx/splitter.h>

#include <set>

#include "app/desk/evidence_pane.h"
#include "app/desk/exception_dialog.h"
#include "app/desk/notes_pane.h"
#include "app/desk/test_plan_dialog.h"
#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

namespace {

class TestTable : public wxGridTableBase {
public:
    explicit TestTable(TestGrid& m) : m_(m) {}
    int GetNumberRows() override { return m_.rows(); }
    int GetNumberCols() override { return m_.columns(); }
    wxString GetValue(int row, int col) override { return W(m_.cell(row, col)); }
    void SetValue(int, int, const wxString&) override {}
    wxString GetColLabelValue(int col) override { return W(m_.columnLabel(col)); }
    wxGridCellAttr* GetAttr(int row, int col, wxGridCellAttr::wxAttrKind) override {
        if (row < 0 || row >= GetNumberRows() || col < 1) return nullptr;
        auto* a = new wxGridCellAttr;
        a->SetFont(markFont());
        if (m_.openNotes(row, col)) a->SetTextColour(wxColour(190, 30, 30));  // a review note is open on it
        switch (m_.outcome(row, col)) {
            case TestGrid::Outcome::Pass: a->SetBackgroundColour(wxColour(226, 244, 228)); break;
            case TestGrid::Outcome::Deviation: a->SetBackgroundColour(wxColour(252, 222, 222)); break;
            case TestGrid::Outcome::NotApplicable: a->SetBackgroundColour(wxColour(236, 236, 236)); break;
            default: break;
        }
        return a;
    }

private:
    TestGrid& m_;
};

// Files dropped on a result of the grid become its evidence.
class EvidenceDrop : public wxFileDropTarget {
public:
    explicit EvidenceDrop(std::function<void(int, int, const wxArrayString&)> onDrop) : onDrop_(std::move(onDrop)) {}
    bool OnDropFiles(wxCoord x, wxCoord y, const wxArrayString& files) override {
        onDrop_(x, y, files);
        return true;
    }

private:
    std::function<void(int, int, const wxArrayString&)> onDrop_;
};

}  // namespace

TestPage::TestPage(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    auto* split = new wxSplitterWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxSP_LIVE_UPDATE | wxSP_3DSASH);
    auto* left = new wxPanel(split);
    info_ = new WrapText(left);
    info_->SetFont(info_->GetFont().Bold());
    conclusion_ = new WrapText(left);
    signoffs_ = new WrapText(left);
    noPlan_ = new WrapText(left);
    auto* plan = new wxButton(left, wxID_ANY, "Test plan...");
    auto* sign = new wxButton(left, wxID_ANY, "Sign off...");
    auto* over = new wxButton(left, wxID_ANY, "Override conclusion...");
    auto* exception = new wxButton(left, wxID_ANY, "Exception...");
    auto* undo = new wxButton(left, wxID_ANY, "Undo (Ctrl+Z)");
    auto* bar = new wxWrapSizer(wxHORIZONTAL);
    for (auto* b : {plan, sign, over, exception, undo}) bar->Add(b, 0, wxRIGHT | wxBOTTOM, 4);
    palette_ = new wxPanel(left);
    paletteSizer_ = new wxWrapSizer(wxHORIZONTAL);
    palette_->SetSizer(paletteSizer_);
    grid_ = new wxGrid(left, wxID_ANY);
    grid_->EnableEditing(false);
    grid_->SetDefaultRowSize(22);
    grid_->SetRowLabelSize(0);  // the item column says the position
    grid_->SetSelectionMode(wxGrid::wxGridSelectCells);
    // What the test is and where it stands on the left, who signed on the right.
    auto* text = new wxBoxSizer(wxVERTICAL);
    text->Add(info_, 0, wxEXPAND);
    text->Add(conclusion_, 0, wxEXPAND | wxTOP, 4);
    text->Add(noPlan_, 0, wxEXPAND | wxTOP, 4);
    auto* head = new wxBoxSizer(wxHORIZONTAL);
    head->Add(text, 3, wxEXPAND | wxRIGHT, 12);
    head->Add(signoffs_, 2, wxEXPAND);
    auto* l = new wxBoxSizer(wxVERTICAL);
    l->Add(head, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 6);
    l->Add(bar, 0, wxEXPAND | wxLEFT | wxRIGHT | wxTOP, 6);
    l->Add(palette_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
    l->Add(grid_, 1, wxEXPAND);
    left->SetSizer(l);

    side_ = new wxNotebook(split, wxID_ANY);
    notes_ = new NotesPane(side_, bench_);
    evidence_ = new EvidencePane(side_, bench_);
    side_->AddPage(notes_, "Review notes");
    side_->AddPage(evidence_, "Evidence");
    legend_ = new wxListCtrl(side_, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_NO_HEADER | wxLC_SINGLE_SEL);
    legend_->SetFont(markFont(11));
    legend_->AppendColumn("Mark");
    legend_->AppendColumn("Meaning");
    side_->AddPage(legend_, "Legend");
    split->SplitVertically(left, side_, -300);
    split->SetSashGravity(1.0);
    split->SetMinimumPaneSize(240);
    // The side pane starts 320 px wide once the page has its real width (at creation it has none).
    split->Bind(wxEVT_SIZE, [split](wxSizeEvent& ev) {
        ev.Skip();
        static const int kSide = 320;
        if (!split->GetClientData() && ev.GetSize().x > 700) {
            split->SetClientData(split);  // once
            split->CallAfter([split] { split->SetSashPosition(split->GetClientSize().x - kSide); });
        }
    });
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(split, 1, wxEXPAND);
    SetSizer(s);

    plan->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { editPlan(); });
    sign->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        wxArrayString roles;
        for (auto* r : {"preparer", "reviewer", "partner"}) roles.Add(r);
        wxSingleChoiceDialog d(this, W("Sign " + testWorkpaper(control_) + " as"), "Sign off", roles);
        if (d.ShowModal() == wxID_OK) signAs(U(d.GetStringSelection()));
    });
    over->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { overrideConclusion(); });
    exception->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { openException(); });
    undo->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { keyed(WXK_CONTROL_Z); });
    grid_->Bind(wxEVT_CHAR, [this](wxKeyEvent& ev) {
        const int k = ev.GetUnicodeKey();
        if (!model_ || (k != 'p' && k != 'P' && k != 'd' && k != 'D' && k != 'n' && k != 'N' && k != 'c' && k != 'C')) return ev.Skip();
        keyed(k);
    });
    grid_->Bind(wxEVT_KEY_DOWN, [this](wxKeyEvent& ev) {
        if (model_ && (ev.GetKeyCode() == WXK_DELETE || ev.GetKeyCode() == WXK_BACK)) return keyed(WXK_DELETE);
        if (model_ && ev.GetKeyCode() == 'Z' && ev.GetModifiers() == wxMOD_CONTROL) return keyed(WXK_CONTROL_Z);
        ev.Skip();
    });
    grid_->Bind(wxEVT_GRID_SELECT_CELL, [this](wxGridEvent& ev) {
        ev.Skip();
        CallAfter([this] { selectionMoved(); });
    });
    grid_->GetGridWindow()->SetDropTarget(new EvidenceDrop([this](int x, int y, const wxArrayString& files) {
        int ux, uy;
        grid_->CalcUnscrolledPosition(x, y, &ux, &uy);
        const int row = grid_->YToRow(uy), col = grid_->XToCol(ux);
        if (row >= 0 && col >= 0) grid_->SetGridCursor(row, col);
        selectionMoved();
        std::vector<std::string> paths;
        for (auto& f : files) paths.push_back(U(f));
        evidence_->attach(paths);
    }));
}

void TestPage::showNotesTab() { side_->SetSelection(0); }
void TestPage::showEvidenceTab() { side_->SetSelection(1); }

void TestPage::editPlan() {
    guarded(this, [&] {
        TestPlanDialog d(this, bench_.engagement(), control_, bench_.signedIn());
        if (d.ShowModal() == wxID_OK) bench_.changed();
    });
}

std::vector<std::pair<int, int>> TestPage::selectedCells() const {
    std::set<std::pair<int, int>> cells;
    for (const auto& block : grid_->GetSelectedBlocks())
        for (int r = block.GetTopRow(); r <= block.GetBottomRow(); ++r)
            for (int c = std::max(1, block.GetLeftCol()); c <= block.GetRightCol(); ++c) cells.emplace(r, c);
    if (cells.empty() && grid_->GetGridCursorCol() >= 1 && grid_->GetGridCursorRow() >= 0)
        cells.emplace(grid_->GetGridCursorRow(), grid_->GetGridCursorCol());
    // Column by column, top to bottom: the order a senior works a range in.
    std::vector<std::pair<int, int>> out(cells.begin(), cells.end());
    std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.second != b.second ? a.second < b.second : a.first < b.first; });
    return out;
}

void TestPage::keyed(int key) {
    if (!model_) return;
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        if (key == WXK_CONTROL_Z) {
            bench_.status(W(model_->undo(a)));
            afterEntry();
            return;
        }
        if (key == 'c' || key == 'C') return comment();
        auto cells = selectedCells();
        if (cells.empty()) throw InputError("choose a result cell (an attribute column) first");
        if (key == WXK_DELETE) {
            model_->clear(a, cells);
            bench_.status(W(std::to_string(cells.size()) + " result" + (cells.size() == 1 ? "" : "s") + " withdrawn (Ctrl+Z puts them back)"));
            afterEntry();
            return;
        }
        const char k = static_cast<char>(std::tolower(key));
        std::string reason;
        if (k == 'n') {
            wxTextEntryDialog d(this, "Why does the attribute not apply?", "Not applicable");
            if (d.ShowModal() != wxID_OK || d.GetValue().Trim().IsEmpty()) return;
            reason = U(d.GetValue());
        }
        const auto outcome = k == 'p' ? TestGrid::Outcome::Pass : k == 'd' ? TestGrid::Outcome::Deviation : TestGrid::Outcome::NotApplicable;
        const int recorded = model_->fill(a, cells, outcome, reason);
        // One cell keyed: the cursor moves on down the column, as a senior works through the items.
        if (cells.size() == 1) {
            auto [row, col] = model_->nextCell(cells.front().first, cells.front().second);
            grid_->ClearSelection();
            grid_->SetGridCursor(row, col);
            grid_->MakeCellVisible(row, col);
        }
        bench_.status(W(std::to_string(recorded) + " result" + (recorded == 1 ? "" : "s") + " recorded"));
        const auto exception = outcome == TestGrid::Outcome::Deviation && recorded ? model_->lastException() : std::nullopt;
        afterEntry();
        if (exception) {
            ExceptionDialog d(this, bench_.engagement(), a, *exception);
            d.ShowModal();
            bench_.changed();
            grid_->SetFocus();
        }
    });
}

void TestPage::afterEntry() {
    model_->reload();
    grid_->ForceRefresh();
    bench_.changed();
    grid_->SetFocus();  // the tree, rebuilt, must not take the keys that follow
}

void TestPage::comment() {
    const Actor& a = bench_.signedIn();
    const int row = grid_->GetGridCursorRow(), col = grid_->GetGridCursorCol();
    wxTextEntryDialog text(this, "Comment on this result (Enter saves)", "Comment", W(model_->comment(row, col)));
    if (text.ShowModal() != wxID_OK) return;
    model_->annotate(a, row, col, U(text.GetValue()), model_->mark(row, col));
    afterEntry();
}

void TestPage::applyMark(const std::string& mark) {
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        auto cells = selectedCells();
        if (cells.empty()) throw InputError("choose the results to mark first");
        model_->markCells(a, cells, mark);
        afterEntry();
    });
}

void TestPage::buildPalette() {
    // The palette: one button per mark (its meaning on hover); the legend, mark by mark, is the side
    // pane's third tab, both in a font that has the glyphs.
    palette_->DestroyChildren();
    paletteSizer_->Clear();
    paletteSizer_->Add(new wxStaticText(palette_, wxID_ANY, "Mark the selected results:"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    legend_->DeleteAllItems();
    for (auto& m : model_->legend()) {
        auto* b = new wxButton(palette_, wxID_ANY, W(m.symbol), wxDefaultPosition, wxSize(m.symbol.size() > 3 ? -1 : 34, -1), wxBU_EXACTFIT);
        b->SetFont(markFont(11));
        b->SetToolTip(W(m.symbol + "  " + m.meaning));
        b->Bind(wxEVT_BUTTON, [this, mark = m.symbol](wxCommandEvent&) { applyMark(mark); });
        paletteSizer_->Add(b, 0, wxRIGHT | wxBOTTOM, 2);
        long i = legend_->InsertItem(legend_->GetItemCount(), W(m.symbol));
        legend_->SetItem(i, 1, W(m.meaning));
    }
    fitColumns(legend_, 400);
    palette_->Layout();
}

void TestPage::selectionMoved() {
    if (!model_) return;
    const int row = grid_->GetGridCursorRow(), col = grid_->GetGridCursorCol();
    std::optional<std::int64_t> position;
    std::optional<std::string> letter;
    if (row >= 0 && col >= 1 && row < model_->rows()) {
        position = model_->test().items.at(static_cast<std::size_t>(row)).position;
        letter = model_->test().attributes.at(static_cast<std::size_t>(col - 1)).first;
        notes_->setSubject(model_->subject(row, col));
    } else {
        notes_->setSubject("");
    }
    guarded(this, [&] { evidence_->show(testWorkpaper(control_), position, letter); });
}

void TestPage::signAs(const std::string& role) {
    guarded(this, [&] {
        signOff(bench_.engagement(), bench_.signedIn(), testWorkpaper(control_), role);
        bench_.changed();
    });
}

void TestPage::overrideConclusion() {
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        auto c = controlConclusion(bench_.engagement(), control_);
        wxArrayString kinds;
        for (auto& k : conclusionChoices(bench_.engagement(), control_)) kinds.Add(W(k));
        wxSingleChoiceDialog d(this, W("Computed: " + c.computed + " (" + c.basis + ")"), "Your judgement", kinds);
        if (d.ShowModal() != wxID_OK) return;
        wxTextEntryDialog why(this, "Why? (recorded with the judgement)", "Reason", "", wxOK | wxCANCEL | wxTE_MULTILINE);
        if (why.ShowModal() != wxID_OK) return;
        // Judged on the test as this page shows it: refused if a result or an exception changed since.
        tickmark::overrideConclusion(bench_.engagement(), a, control_, U(d.GetStringSelection()), U(why.GetValue()),
                                     model_ ? std::optional<std::int64_t>(model_->seen()) : std::nullopt);
        bench_.changed();
    });
}

void TestPage::openException() {
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        auto all = listExceptions(bench_.engagement(), control_);
        if (all.empty()) throw InputError("no exception on " + control_ + ": a deviation (D) opens one");
        const int col = grid_->GetGridCursorCol();
        const std::string letter = col >= 1 ? model_->test().attributes.at(static_cast<std::size_t>(col - 1)).first : "";
        auto chosen = all.front();
        for (auto& x : all)
            if (x.letter == letter) chosen = x;
        ExceptionDialog d(this, bench_.engagement(), a, chosen.id);
        if (d.ShowModal() == wxID_OK) bench_.changed();
    });
}

void TestPage::show(const std::string& control) {
    guarded(this, [&] {
        const bool same = control == control_ && model_;
        const int row = grid_->GetGridCursorRow(), col = grid_->GetGridCursorCol();
        control_ = control;
        auto& e = bench_.engagement();
        bool planned = false;
        for (auto& t : listTests(e)) planned = planned || t.control == control;
        notes_->show(testWorkpaper(control));
        side_->SetPageText(0, W("Notes (" + std::to_string(notes_->openCount()) + " open)"));
        if (!planned) {
            // No plan yet: say so and offer to make one (the library's loadTest would refuse).
            model_.reset();
            grid_->SetTable(new wxGridStringTable(0, 0), true);
            info_->SetText(W("Test of " + control));
            noPlan_->SetText("No test plan yet. Test plan... defines the types of test, the procedure, the attributes and the selection tested.");
            noPlan_->Show();
            conclusion_->SetText("");
            signoffs_->SetText("");
            palette_->Hide();
            evidence_->show(testWorkpaper(control), std::nullopt, std::nullopt);
            Layout();
            return;
        }
        noPlan_->Hide();
        palette_->Show();
        // The same workpaper redrawn after a change keeps its model: the undo history and the exception
        // just opened live there.
        if (same) model_->reload();
        else model_ = std::make_unique<TestGrid>(e, control);
        const auto& t = model_->test();
        grid_->SetTable(new TestTable(*model_), true);
        // Columns as wide as their header (the attribute's question), within reason.
        wxClientDC dc(grid_);
        dc.SetFont(grid_->GetLabelFont());
        grid_->SetColSize(0, 170);
        for (int c = 1; c < model_->columns(); ++c)
            grid_->SetColSize(c, std::clamp(dc.GetTextExtent(grid_->GetColLabelValue(c)).x + 16, 170, 340));
        info_->SetText(W("Test of " + control + ": " + t.procedure));
        auto c = controlConclusion(e, control);
        conclusion_->SetText(W(model_->progressText() + "\nConclusion: " + c.effective() + " (" + c.basis + ")" +
                                (c.overridden ? "; overridden from " + c.computed + ": " + c.overrideReason : "")));
        std::string bar;
        bool anyStale = false;
        for (auto& so : listSignOffs(e, testWorkpaper(control))) {
            std::string at = so.signedAt.substr(0, 16);
            if (at.size() > 10) at[10] = ' ';
            bar += "\n" + so.role + " " + so.person + " (" + so.initials + ") " + at + (so.stale ? "  STALE" : "");
            if (so.stale && !so.changesSince.empty()) {
                anyStale = true;
                auto& ch = so.changesSince.back();
                bar += ": since then " + std::to_string(so.changesSince.size()) + " change" + (so.changesSince.size() == 1 ? "" : "s") +
                       ", the last " + ch.entity + " " + ch.field + " by " + ch.actor;
            } else if (so.stale) {
                anyStale = true;
                bar += ": changed outside Tickmark";
            }
        }
        signoffs_->SetText(W(bar.empty() ? "Not signed yet." : "Signed:" + bar));
        signoffs_->SetForegroundColour(anyStale ? wxColour(200, 90, 0) : wxColour(40, 40, 40));
        buildPalette();
        if (same && row >= 0 && row < grid_->GetNumberRows() && col < grid_->GetNumberCols()) grid_->SetGridCursor(row, col);
        else if (grid_->GetNumberRows() > 0 && grid_->GetNumberCols() > 1) grid_->SetGridCursor(0, 1);
        selectionMoved();
        side_->SetPageText(1, W("Evidence (" + std::to_string(evidence_->count()) + ")"));
        Layout();
    });
}

}  // namespace tickmark::desk

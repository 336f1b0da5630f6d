// tickmark-desk: the desktop front end. Thin: every panel draws a presenter (app/presenters) or
// calls the same library API as the CLI. Errors from the library become a message with details.
#include <wx/wx.h>
#include <wx/cmdline.h>
#include <wx/config.h>
#include <wx/filehistory.h>
#include <wx/grid.h>
#include <wx/listctrl.h>
#include <wx/simplebook.h>
#include <wx/splitter.h>
#include <wx/treectrl.h>

#include <chrono>
#include <map>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>

#include <boost/algorithm/string/join.hpp>
#include <wx/dnd.h>
#include <wx/filepicker.h>
#include <wx/numdlg.h>
#include <wx/progdlg.h>

#include "app/cli/output.h"
#include "app/desk/dashboard_page.h"
#include "app/desk/new_engagement_dialog.h"
#include "app/desk/population_overview_panel.h"
#include "app/desk/sharing_smoke.h"
#include "app/presenters/background_job.h"
#include "app/presenters/import_wizard.h"
#include "app/presenters/sample_planner.h"
#include "sampling/selection.h"
#include "workpapers/controls.h"
#include "workpapers/db.h"
#include "workpapers/population.h"
#include "app/presenters/navigator.h"
#include "app/presenters/population_grid.h"
#include "app/presenters/test_grid.h"
#include "report/report.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/paths.h"
#include "workpapers/reporting.h"
#include "workpapers/samples.h"

using namespace tickmark;
using Clock = std::chrono::steady_clock;

namespace {

wxString W(const std::string& s) { return wxString::FromUTF8(s); }
std::string U(const wxString& s) { return std::string(s.utf8_str()); }

// Encrypted engagements: who opens each one, asked once (initials and password) on the first opening and
// kept in memory for this session's other connections to the same file (the background jobs open their
// own). Never asked from a background thread.
std::mutex unlockMutex;
std::map<std::string, Credentials> unlocked;

Credentials askToUnlock(const std::filesystem::path& file) {
    const std::string key = std::filesystem::absolute(file).lexically_normal().string();
    {
        std::lock_guard<std::mutex> lock(unlockMutex);
        if (auto it = unlocked.find(key); it != unlocked.end()) return it->second;
    }
    if (!wxIsMainThread()) throw InputError(file.string() + " is encrypted and nobody has signed in to open it");
    wxTextEntryDialog who(nullptr, W(file.filename().string() + " is encrypted: only the team opens it.\n\nYour initials"),
                          "Open an encrypted engagement");
    if (who.ShowModal() != wxID_OK) throw Cancelled();
    wxPasswordEntryDialog pw(nullptr, "Password for " + who.GetValue(), "Open an encrypted engagement");
    if (pw.ShowModal() != wxID_OK) throw Cancelled();
    Credentials c{U(who.GetValue()), U(pw.GetValue())};
    std::lock_guard<std::mutex> lock(unlockMutex);
    unlocked[key] = c;
    return c;
}

void rememberUnlock(const std::filesystem::path& file, const Credentials& c) {
    std::lock_guard<std::mutex> lock(unlockMutex);
    unlocked[std::filesystem::absolute(file).lexically_normal().string()] = c;
}

void forgetUnlock(const std::filesystem::path& file) {
    std::lock_guard<std::mutex> lock(unlockMutex);
    unlocked.erase(std::filesystem::absolute(file).lexically_normal().string());
}

// Inside the handler of an action's exception: the message a user understands, details on demand.
void showFailure(wxWindow* parent) {
    try {
        throw;
    } catch (const BusyError& e) {  // another program kept the file locked: nothing was changed, try again
        wxMessageDialog d(parent, W(e.what()), "Tickmark: the engagement file is busy", wxOK | wxICON_WARNING);
        d.ShowModal();
    } catch (const InputError& e) {
        wxMessageDialog d(parent, W(e.what()), "Tickmark", wxOK | wxICON_WARNING);
        d.ShowModal();
    } catch (const Cancelled& e) {
        wxMessageDialog d(parent, W(std::string("Cancelled: ") + e.what()), "Tickmark", wxOK | wxICON_INFORMATION);
        d.ShowModal();
    } catch (const std::invalid_argument& e) {  // the sampling library's word for bad input
        wxMessageDialog d(parent, W(e.what()), "Tickmark", wxOK | wxICON_WARNING);
        d.ShowModal();
    } catch (const std::exception& e) {
        wxMessageDialog d(parent, "Something went wrong; the engagement file was not changed by this action.", "Tickmark",
                          wxOK | wxICON_ERROR);
        d.SetExtendedMessage(W(e.what()));
        d.ShowModal();
    }
}

// Runs an action; a library error becomes a message a user understands, with the details on demand.
// A write the action committed stays done: a failure after it (showing the result) says so.
bool guarded(wxWindow* parent, const std::function<void()>& f) {
    const long commitsBefore = db::committedWrites();
    try {
        f();
        return true;
    } catch (const std::exception& e) {
        if (db::committedWrites() != commitsBefore && db::lastWriteOutcome() == db::WriteOutcome::Committed) {
            wxMessageDialog d(parent, "Your change was saved; showing the result afterwards failed.", "Tickmark", wxOK | wxICON_WARNING);
            d.SetExtendedMessage(W(e.what()));
            d.ShowModal();
            return true;
        }
        showFailure(parent);
    }
    return false;
}

wxColour statusColour(desk::Status s) {
    switch (s) {
        case desk::Status::NotStarted: return wxColour(170, 170, 170);
        case desk::Status::InProgress: return wxColour(230, 180, 30);
        case desk::Status::Prepared: return wxColour(60, 120, 220);
        case desk::Status::Reviewed: return wxColour(40, 160, 70);
        case desk::Status::Stale: return wxColour(240, 120, 20);
        case desk::Status::OpenNotes: return wxColour(210, 40, 40);
        case desk::Status::Exceptions: return wxColour(140, 60, 180);
        default: return wxColour(255, 255, 255);
    }
}

// The population grid's virtual table: wxGrid asks only for the cells it paints.
class PopulationTable : public wxGridTableBase {
public:
    explicit PopulationTable(desk::PopulationGrid& m) : m_(m) {}
    int GetNumberRows() override { return static_cast<int>(m_.rowCount()); }
    int GetNumberCols() override { return m_.columnCount(); }
    wxString GetValue(int row, int col) override { return W(m_.cell(row, col)); }
    void SetValue(int, int, const wxString&) override {}
    bool IsEmptyCell(int, int) override { return false; }
    wxString GetColLabelValue(int col) override { return W(m_.columnLabel(col)); }
    wxGridCellAttr* GetAttr(int row, int, wxGridCellAttr::wxAttrKind) override {
        if (row < 0 || row >= GetNumberRows() || m_.flags(row) == 0) return nullptr;
        auto* a = new wxGridCellAttr;
        a->SetBackgroundColour(wxColour(255, 236, 220));  // flagged: out of period, duplicate, unreadable
        return a;
    }

private:
    desk::PopulationGrid& m_;
};

class TestTable : public wxGridTableBase {
public:
    explicit TestTable(desk::TestGrid& m) : m_(m) {}
    int GetNumberRows() override { return m_.rows(); }
    int GetNumberCols() override { return m_.columns(); }
    wxString GetValue(int row, int col) override { return W(m_.cell(row, col)); }
    void SetValue(int, int, const wxString&) override {}
    wxString GetColLabelValue(int col) override { return W(m_.columnLabel(col)); }

private:
    desk::TestGrid& m_;
};

}  // namespace

// The first rows of a file, as delivered, in a grid.
void showTablePreview(wxGrid* grid, const TablePreview& p) {
    if (grid->GetNumberRows()) grid->DeleteRows(0, grid->GetNumberRows());
    if (grid->GetNumberCols()) grid->DeleteCols(0, grid->GetNumberCols());
    grid->AppendCols(static_cast<int>(p.header.size()));
    grid->AppendRows(static_cast<int>(p.rows.size()));
    for (std::size_t c = 0; c < p.header.size(); ++c) grid->SetColLabelValue(static_cast<int>(c), W(p.header[c]));
    for (std::size_t r = 0; r < p.rows.size(); ++r)
        for (std::size_t c = 0; c < p.rows[r].size(); ++c) grid->SetCellValue(static_cast<int>(r), static_cast<int>(c), W(p.rows[r][c]));
}

// Runs long work off the GUI thread behind a progress dialog with Cancel; the rest of the app is
// held modal meanwhile, so nothing else touches the engagement while the work runs.
void runWithProgress(wxWindow* parent, const wxString& title, const std::function<void(Progress&)>& work) {
    wxProgressDialog dlg(title, "Working...", 1000, parent, wxPD_APP_MODAL | wxPD_CAN_ABORT | wxPD_ELAPSED_TIME);
    desk::BackgroundJob job(work);
    while (!job.finished()) {
        double f = job.fraction();
        bool go = f < 0 ? dlg.Pulse() : dlg.Update(static_cast<int>(f * 999));
        if (!go) job.cancel();
        wxMilliSleep(40);
    }
    job.wait();
    job.rethrow();
}

std::string profileText(const CompletenessProfile& p) {
    char* buf = nullptr;
    std::size_t len = 0;
    FILE* mem = open_memstream(&buf, &len);
    cli::printProfile(p, mem);
    std::fclose(mem);
    std::string s(buf, len);
    std::free(buf);
    return s;
}

// The population import wizard: file and sheet, a preview, the column mapping, the completeness
// profile from a dry run, then the import itself; both off the GUI thread with Cancel.
class ImportPopulationDialog : public wxDialog {
public:
    // Without a sign-in (actor empty) the wizard only checks completeness, which writes nothing.
    ImportPopulationDialog(wxWindow* parent, Engagement& e, std::optional<Actor> actor)
        : wxDialog(parent, wxID_ANY, "Import population", wxDefaultPosition, wxSize(1000, 720), wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
          e_(e), actor_(std::move(actor)) {
        picker_ = new wxFilePickerCtrl(this, wxID_ANY, "", "Population file", "CSV, text, XLSX, ODS|*.csv;*.txt;*.tsv;*.xlsx;*.ods|All files|*");
        sheet_ = new wxChoice(this, wxID_ANY);
        control_ = new wxChoice(this, wxID_ANY);
        for (auto& c : listControls(e)) control_->Append(W(c.ref));
        name_ = new wxTextCtrl(this, wxID_ANY, "");
        key_ = new wxChoice(this, wxID_ANY);
        date_ = new wxChoice(this, wxID_ANY);
        amount_ = new wxChoice(this, wxID_ANY);
        format_ = new wxChoice(this, wxID_ANY);
        format_->Append("detect from the column");
        for (auto& f : commonDatePatterns()) format_->Append(W(f.name()));
        format_->SetSelection(0);
        preview_ = new wxGrid(this, wxID_ANY);
        preview_->CreateGrid(0, 0);
        preview_->EnableEditing(false);
        profile_ = new wxTextCtrl(this, wxID_ANY, "Choose the file, map the columns, then Check completeness.", wxDefaultPosition,
                                  wxSize(-1, 170), wxTE_MULTILINE | wxTE_READONLY);
        profile_->SetFont(wxFontInfo(9).Family(wxFONTFAMILY_TELETYPE));
        auto* check = new wxButton(this, wxID_ANY, "Check completeness");
        import_ = new wxButton(this, wxID_OK, "Import");
        import_->Disable();
        auto* grid = new wxFlexGridSizer(4, 6, 10);
        auto label = [&](const char* t) { return new wxStaticText(this, wxID_ANY, t); };
        grid->Add(label("File")), grid->Add(picker_, 1, wxEXPAND), grid->Add(label("Sheet")), grid->Add(sheet_, 1, wxEXPAND);
        grid->Add(label("Control")), grid->Add(control_, 1, wxEXPAND), grid->Add(label("Name")), grid->Add(name_, 1, wxEXPAND);
        grid->Add(label("Key column")), grid->Add(key_, 1, wxEXPAND), grid->Add(label("Date column")), grid->Add(date_, 1, wxEXPAND);
        grid->Add(label("Amount column")), grid->Add(amount_, 1, wxEXPAND), grid->Add(label("Date format")), grid->Add(format_, 1, wxEXPAND);
        grid->AddGrowableCol(1);
        grid->AddGrowableCol(3);
        auto* buttons = new wxBoxSizer(wxHORIZONTAL);
        buttons->Add(check, 0, wxRIGHT, 8);
        buttons->AddStretchSpacer();
        buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
        buttons->Add(import_);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(grid, 0, wxEXPAND | wxALL, 8);
        s->Add(new wxStaticText(this, wxID_ANY, "Preview (first 20 rows, as delivered)"), 0, wxLEFT, 8);
        s->Add(preview_, 1, wxEXPAND | wxALL, 8);
        s->Add(profile_, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
        s->Add(buttons, 0, wxEXPAND | wxALL, 8);
        SetSizer(s);
        picker_->Bind(wxEVT_FILEPICKER_CHANGED, [this](wxFileDirPickerEvent&) { guarded(this, [&] { loadFile(); }); });
        sheet_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
            guarded(this, [&] {
                wizard_.chooseSheet(U(sheet_->GetStringSelection()));
                showPreview();
            });
        });
        check->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { run(true); });
        import_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { run(false); });
    }
    std::optional<CompletenessProfile> imported;

    // The smoke test drives the wizard as a user would: a file, a control, Check completeness.
    void smoke(const wxString& file, const std::string& control) {
        picker_->SetPath(file);
        loadFile();
        control_->SetStringSelection(W(control));
        run(true);
    }
    wxString profileShown() const { return profile_->GetValue(); }
    bool importEnabled() const { return import_->IsEnabled(); }

private:
    void loadFile() {
        wxBusyCursor busy;
        wizard_.chooseFile(U(picker_->GetPath()));
        sheet_->Clear();
        for (auto& sh : wizard_.sheets()) sheet_->Append(W(sh));
        if (!wizard_.sheets().empty()) sheet_->SetSelection(0);
        if (name_->IsEmpty()) name_->SetValue(W(wizard_.file().stem().string()));
        showPreview();
    }
    void showPreview() {
        auto& p = wizard_.preview();
        showTablePreview(preview_, p);
        for (auto* ch : {key_, date_, amount_}) ch->Clear();
        amount_->Append("(none)");
        for (auto& h : p.header) key_->Append(W(h)), date_->Append(W(h)), amount_->Append(W(h));
        key_->SetStringSelection(W(wizard_.guessKey()));
        date_->SetStringSelection(W(wizard_.guessDate()));
        amount_->SetSelection(0);
        import_->Disable();
        profile_->SetValue("Check completeness to see the profile before importing.");
    }
    PopulationImportRequest request() {
        auto req = wizard_.request(U(control_->GetStringSelection()), U(name_->GetValue()), U(key_->GetStringSelection()),
                                   U(date_->GetStringSelection()), amount_->GetSelection() > 0 ? U(amount_->GetStringSelection()) : "",
                                   format_->GetSelection() > 0 ? U(format_->GetStringSelection()) : "");
        if (req.control.empty()) throw InputError("choose the control the population belongs to");
        return req;
    }
    void run(bool dryRun) {
        guarded(this, [&] {
            auto req = request();
            if (!dryRun && !actor_) throw InputError("sign in first (Engagement > Sign in): the import is recorded under your name");
            CompletenessProfile p;
            try {
                // The worker gets its own connection: the window may repaint (and read) while it runs.
                const auto path = e_.file();
                runWithProgress(this, dryRun ? "Checking completeness" : "Importing", [&, by = actor_](Progress& pr) {
                    auto own = Engagement::open(path);
                    p = dryRun ? checkPopulation(own, req, &pr) : importPopulation(own, *by, req, &pr);
                });
            } catch (const Cancelled&) {
                profile_->SetValue("Cancelled: the engagement file is unchanged.");
                return;
            }
            profile_->SetValue(W((dryRun ? "Completeness profile (nothing imported yet):\n" : "Imported:\n") + profileText(p)));
            import_->Enable(dryRun);
            if (!dryRun) {
                imported = p;
                EndModal(wxID_OK);
            }
        });
    }

    Engagement& e_;
    std::optional<Actor> actor_;
    desk::PopulationImportWizard wizard_;
    wxFilePickerCtrl* picker_;
    wxChoice *sheet_, *control_, *key_, *date_, *amount_, *format_;
    wxTextCtrl *name_, *profile_;
    wxGrid* preview_;
    wxButton* import_;
};

// The sample planner: frequency or statistical, the computed size with its basis, the seed (shown and
// editable), and Draw.
class PlanDialog : public wxDialog {
public:
    // Without a sign-in (actor empty) it plans but does not draw.
    PlanDialog(wxWindow* parent, Engagement& e, std::int64_t populationId, std::optional<Actor> actor)
        : wxDialog(parent, wxID_ANY, "Plan and draw a selection", wxDefaultPosition, wxSize(620, 460)), planner_(e, populationId),
          actor_(std::move(actor)) {
        method_ = new wxRadioBox(this, wxID_ANY, "Sample size", wxDefaultPosition, wxDefaultSize,
                                 wxArrayString(2, std::array<wxString, 2>{"Firm's frequency table", "Statistical (attribute)"}.data()));
        risk_ = new wxChoice(this, wxID_ANY);
        risk_->Append("lower"), risk_->Append("higher"), risk_->SetSelection(0);
        confidence_ = new wxTextCtrl(this, wxID_ANY, "0.95");
        tolerable_ = new wxTextCtrl(this, wxID_ANY, "0.05");
        expected_ = new wxTextCtrl(this, wxID_ANY, "0");
        selection_ = new wxChoice(this, wxID_ANY);
        for (auto* m : {"random", "systematic", "stratified"}) selection_->Append(m);
        selection_->SetSelection(0);
        seed_ = new wxTextCtrl(this, wxID_ANY, std::to_string(sampling::osSeed()));
        result_ = new wxStaticText(this, wxID_ANY, "");
        auto* g = new wxFlexGridSizer(2, 6, 10);
        auto row = [&](const char* l, wxWindow* w) { g->Add(new wxStaticText(this, wxID_ANY, l), 0, wxALIGN_CENTER_VERTICAL), g->Add(w, 1, wxEXPAND); };
        row("Risk (frequency)", risk_);
        row("Confidence", confidence_);
        row("Tolerable rate", tolerable_);
        row("Expected rate", expected_);
        row("Selection method", selection_);
        row("Seed (shown, editable)", seed_);
        g->AddGrowableCol(1);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(new wxStaticText(this, wxID_ANY, W("Control " + planner_.control() + ", " + std::to_string(planner_.frameSize()) +
                                                  " items in the period")), 0, wxALL, 8);
        s->Add(method_, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
        s->Add(g, 0, wxEXPAND | wxALL, 8);
        s->Add(result_, 1, wxEXPAND | wxALL, 8);
        auto* b = new wxBoxSizer(wxHORIZONTAL);
        auto* compute = new wxButton(this, wxID_ANY, "Compute size");
        b->Add(compute), b->AddStretchSpacer(), b->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
        auto* draw = new wxButton(this, wxID_OK, "Draw");
        b->Add(draw);
        s->Add(b, 0, wxEXPAND | wxALL, 8);
        SetSizer(s);
        compute->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { guarded(this, [&] { computeSize(); }); });
        draw->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                computeSize();
                if (!actor_) throw InputError("sign in first (Engagement > Sign in): the selection is recorded under your name");
                drawn = planner_.draw(*actor_, plan_, U(selection_->GetStringSelection()), U(seed_->GetValue()));
                EndModal(wxID_OK);
            });
        });
        guarded(this, [&] { computeSize(); });
    }
    std::optional<SampleRecord> drawn;
    wxString shown() const { return result_->GetLabel(); }

private:
    void computeSize() {
        plan_ = method_->GetSelection() == 0 ? planner_.byFrequency("", U(risk_->GetStringSelection()))
                                             : planner_.byAttributes(U(confidence_->GetValue()), U(tolerable_->GetValue()), U(expected_->GetValue()));
        result_->SetLabel(W("Sample size " + std::to_string(plan_.size) + "\nBasis: " + plan_.basis));
        result_->Wrap(560);
    }
    desk::SamplePlanner planner_;
    desk::PlannedSize plan_;
    std::optional<Actor> actor_;
    wxRadioBox* method_;
    wxChoice *risk_, *selection_;
    wxTextCtrl *confidence_, *tolerable_, *expected_, *seed_;
    wxStaticText* result_;
};

// The exception form a deviation opens: what happened, cause, isolated or systemic, management's
// response, the related criteria. Each field goes through updateException (trailed).
class ExceptionDialog : public wxDialog {
public:
    ExceptionDialog(wxWindow* parent, Engagement& e, const Actor& a, std::int64_t id)
        : wxDialog(parent, wxID_ANY, "Exception", wxDefaultPosition, wxSize(620, 520)), e_(e), a_(a), id_(id) {
        for (auto& x : listExceptions(e))
            if (x.id == id) x_ = x;
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(new wxStaticText(this, wxID_ANY, W(x_.control + ", attribute " + x_.letter + " (" + x_.question + "): " +
                                                  std::to_string(x_.deviations) + " of " + std::to_string(x_.tested) + " deviated")),
               0, wxALL, 8);
        auto field = [&](const char* label, const std::string& value, bool multi) {
            s->Add(new wxStaticText(this, wxID_ANY, label), 0, wxLEFT | wxTOP, 8);
            auto* t = new wxTextCtrl(this, wxID_ANY, W(value), wxDefaultPosition, wxSize(-1, multi ? 60 : -1), multi ? wxTE_MULTILINE : 0);
            s->Add(t, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
            return t;
        };
        description_ = field("What happened", x_.description, true);
        cause_ = field("Cause", x_.cause, false);
        nature_ = new wxChoice(this, wxID_ANY);
        for (auto* n : {"undetermined", "isolated", "systemic"}) nature_->Append(n);
        nature_->SetStringSelection(W(x_.nature));
        s->Add(new wxStaticText(this, wxID_ANY, "Isolated or systemic"), 0, wxLEFT | wxTOP, 8);
        s->Add(nature_, 0, wxLEFT, 8);
        response_ = field("Management's response", x_.managementResponse, true);
        const std::string crit = boost::algorithm::join(x_.criteria, ", ");
        criteria_ = field("Related criteria (e.g. CC8.1)", crit, false);
        conclusion_ = field("Auditor's conclusion", x_.auditorConclusion, true);
        met_ = new wxChoice(this, wxID_ANY);
        for (auto* m : {"not concluded", "criteria still met", "criteria not met"}) met_->Append(m);
        met_->SetSelection(x_.criteriaMet ? (*x_.criteriaMet ? 1 : 2) : 0);
        s->Add(new wxStaticText(this, wxID_ANY, "Are the related criteria still met?"), 0, wxLEFT | wxTOP, 8);
        s->Add(met_, 0, wxLEFT, 8);
        s->AddStretchSpacer();
        s->Add(CreateButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 8);
        SetSizer(s);
        Bind(wxEVT_BUTTON, [this](wxCommandEvent& ev) {
            if (guarded(this, [&] { save(); })) ev.Skip();
        }, wxID_OK);
    }

private:
    void save() {
        auto put = [&](const char* field, const std::string& now, const std::string& before) {
            if (now != before) updateException(e_, a_, id_, field, now);
        };
        put("description", U(description_->GetValue()), x_.description);
        put("cause", U(cause_->GetValue()), x_.cause);
        put("nature", U(nature_->GetStringSelection()), x_.nature);
        put("management-response", U(response_->GetValue()), x_.managementResponse);
        const std::string crit = boost::algorithm::join(x_.criteria, ", ");
        if (!U(criteria_->GetValue()).empty()) put("criteria", U(criteria_->GetValue()), crit);
        put("conclusion", U(conclusion_->GetValue()), x_.auditorConclusion);
        if (met_->GetSelection() > 0)
            put("criteria-met", met_->GetSelection() == 1 ? "yes" : "no", x_.criteriaMet ? (*x_.criteriaMet ? "yes" : "no") : "");
    }
    Engagement& e_;
    const Actor& a_;
    std::int64_t id_;
    ExceptionView x_;
    wxTextCtrl *description_, *cause_, *response_, *criteria_, *conclusion_;
    wxChoice *nature_, *met_;
};

// Files dropped on a result of the testing grid become its evidence.
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

// Section III, heading by heading, and the firm's particulars the report prints. Saves only what
// changed, each change trailed under the signed-in member.
class DescriptionDialog : public wxDialog {
public:
    DescriptionDialog(wxWindow* parent, Engagement& e, const Actor& a)
        : wxDialog(parent, wxID_ANY, "Description of the system and report particulars", wxDefaultPosition, wxSize(900, 620),
                   wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
          e_(e), a_(a), texts_(descriptionTexts(e)), settings_(reportSettings(e)) {
        headings_ = new wxListBox(this, wxID_ANY);
        for (auto& h : descriptionHeadings()) headings_->Append(W(std::string(h.title) + (texts_[h.key].empty() ? "  (empty)" : "")));
        text_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_MULTILINE);
        auto* top = new wxBoxSizer(wxHORIZONTAL);
        top->Add(headings_, 0, wxEXPAND | wxRIGHT, 8);
        top->Add(text_, 1, wxEXPAND);
        auto* g = new wxFlexGridSizer(4, 6, 10);
        const std::pair<const char*, const char*> fields[] = {{"firm_name", "Firm"}, {"firm_city", "City"}, {"report_date", "Report date"},
                                                              {"signatory_name", "Management signatory"}, {"signatory_title", "Title"}};
        for (auto& [key, label] : fields) {
            auto* t = new wxTextCtrl(this, wxID_ANY, W(settings_[key]));
            g->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL), g->Add(t, 1, wxEXPAND);
            fields_.emplace_back(key, t);
        }
        g->AddGrowableCol(1), g->AddGrowableCol(3);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(top, 1, wxEXPAND | wxALL, 8);
        s->Add(g, 0, wxEXPAND | wxALL, 8);
        s->Add(CreateButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 8);
        SetSizer(s);
        headings_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { switchTo(headings_->GetSelection()); });
        headings_->SetSelection(0);
        switchTo(0);
        Bind(wxEVT_BUTTON, [this](wxCommandEvent& ev) {
            if (guarded(this, [&] { save(); })) ev.Skip();
        }, wxID_OK);
    }

private:
    void switchTo(int i) {
        if (current_ >= 0) edited_[descriptionHeadings()[static_cast<std::size_t>(current_)].key] = U(text_->GetValue());
        current_ = i;
        const char* key = descriptionHeadings()[static_cast<std::size_t>(i)].key;
        text_->SetValue(W(edited_.count(key) ? edited_[key] : texts_[key]));
    }
    void save() {
        switchTo(current_);
        for (auto& [key, value] : edited_)
            if (value != texts_[key] && !value.empty()) setDescription(e_, a_, key, value);
        for (auto& [key, ctrl] : fields_)
            if (U(ctrl->GetValue()) != settings_[key] && !ctrl->IsEmpty()) setReportSetting(e_, a_, key, U(ctrl->GetValue()));
    }
    Engagement& e_;
    const Actor& a_;
    std::map<std::string, std::string> texts_, settings_, edited_;
    wxListBox* headings_;
    wxTextCtrl* text_;
    int current_ = -1;
    std::vector<std::pair<std::string, wxTextCtrl*>> fields_;
};

// The control matrix import: file and sheet, a preview of the first rows, then the import (off the
// GUI thread). Columns are found by their usual names (the CLI's --map names others).
class ImportControlsDialog : public wxDialog {
public:
    ImportControlsDialog(wxWindow* parent, const std::filesystem::path& engagement, const Actor& actor)
        : wxDialog(parent, wxID_ANY, "Import the control matrix", wxDefaultPosition, wxSize(980, 560), wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
          engagement_(engagement), actor_(actor) {
        picker_ = new wxFilePickerCtrl(this, wxID_ANY, "", "Control matrix", "CSV, XLSX, ODS|*.csv;*.xlsx;*.ods|All files|*");
        sheet_ = new wxChoice(this, wxID_ANY);
        preview_ = new wxGrid(this, wxID_ANY);
        preview_->CreateGrid(0, 0);
        preview_->EnableEditing(false);
        auto* top = new wxBoxSizer(wxHORIZONTAL);
        top->Add(new wxStaticText(this, wxID_ANY, "File"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
        top->Add(picker_, 1, wxRIGHT, 12);
        top->Add(new wxStaticText(this, wxID_ANY, "Sheet"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
        top->Add(sheet_, 0);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(top, 0, wxEXPAND | wxALL, 8);
        s->Add(preview_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
        s->Add(CreateButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 8);
        SetSizer(s);
        picker_->Bind(wxEVT_FILEPICKER_CHANGED, [this](wxFileDirPickerEvent&) {
            guarded(this, [&] {
                sheet_->Clear();
                for (auto& n : tableSheets(U(picker_->GetPath()))) sheet_->Append(W(n));
                if (sheet_->GetCount()) sheet_->SetSelection(0);
                showPreview();
            });
        });
        sheet_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { guarded(this, [&] { showPreview(); }); });
        Bind(wxEVT_BUTTON, [this](wxCommandEvent& ev) {
            if (guarded(this, [&] { run(); })) ev.Skip();
        }, wxID_OK);
    }
    std::optional<ControlImportResult> result;

private:
    void showPreview() {
        ReadOptions o;
        if (sheet_->GetSelection() >= 0) o.sheet = U(sheet_->GetStringSelection());
        showTablePreview(preview_, previewTable(U(picker_->GetPath()), o, 20));
    }
    void run() {
        if (picker_->GetPath().empty()) throw InputError("choose the control matrix file");
        ControlImportRequest req;
        req.file = U(picker_->GetPath());
        if (sheet_->GetSelection() >= 0) req.sheet = U(sheet_->GetStringSelection());
        ControlImportResult r;
        runWithProgress(this, "Importing the control matrix", [&, by = actor_](Progress& p) {
            auto own = Engagement::open(engagement_);
            r = importControls(own, by, req, &p);
        });
        result = r;
    }
    std::filesystem::path engagement_;
    const Actor actor_;  // the import, on its own thread, is recorded under this sign-in
    wxFilePickerCtrl* picker_;
    wxChoice* sheet_;
    wxGrid* preview_;
};

class MainFrame : public wxFrame {
public:
    MainFrame() : wxFrame(nullptr, wxID_ANY, "Tickmark", wxDefaultPosition, wxSize(1280, 800)) {
        auto* file = new wxMenu;
        file->Append(wxID_NEW, "&New engagement...\tCtrl+N");
        file->Append(wxID_OPEN, "&Open engagement...\tCtrl+O");
        file->Append(kImportControls, "Import &control matrix...");
        file->Append(kImportPopulation, "Import &population...\tCtrl+P");
        recent_.UseMenu(file);
        recent_.Load(*wxConfig::Get());
        file->AppendSeparator();
        file->Append(wxID_EXIT, "&Quit\tCtrl+Q");
        auto* eng = new wxMenu;
        eng->Append(kSignIn, "&Sign in...\tCtrl+I");
        eng->Append(kDescription, "&Description and report particulars...");
        eng->Append(kTeam, "&Team...");
        eng->AppendSeparator();
        eng->Append(kAudit, "&Audit trail");
        eng->Append(kRelease, "Record the report &release date...");
        eng->Append(kLock, "&Lock the final file (assemble)...");
        auto* bar = new wxMenuBar;
        bar->Append(file, "&File");
        bar->Append(eng, "&Engagement");
        SetMenuBar(bar);
        CreateStatusBar(2);

        auto* split = new wxSplitterWindow(this, wxID_ANY);
        tree_ = new wxTreeCtrl(split, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTR_DEFAULT_STYLE | wxTR_HIDE_ROOT);
        images_ = std::make_unique<wxImageList>(12, 12);
        for (int s = 0; s <= static_cast<int>(desk::Status::Exceptions); ++s) {
            wxBitmap bmp(12, 12);
            wxMemoryDC dc(bmp);
            dc.SetBackground(*wxWHITE_BRUSH);
            dc.Clear();
            dc.SetBrush(wxBrush(statusColour(static_cast<desk::Status>(s))));
            dc.SetPen(s == 0 ? *wxWHITE_PEN : *wxGREY_PEN);
            dc.DrawCircle(6, 6, 5);
            dc.SelectObject(wxNullBitmap);
            images_->Add(bmp);
        }
        tree_->SetImageList(images_.get());
        book_ = new wxSimplebook(split);
        dashboard_ = new desk::DashboardPage(book_, [this](const std::string& workpaper) { openWorkpaper(workpaper); });
        book_->AddPage(dashboard_, "dashboard");
        buildPopulationPage();
        buildSamplePage();
        buildTestPage();
        buildReportPage();
        buildNotesPage();
        buildAuditPage();
        split->SplitVertically(tree_, book_, 380);
        split->SetMinimumPaneSize(200);

        tree_->Bind(wxEVT_TREE_SEL_CHANGED, &MainFrame::onSelect, this);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { chooseFile(); }, wxID_OPEN);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { newEngagement(); }, wxID_NEW);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { signIn(); }, kSignIn);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                DescriptionDialog d(this, *engagement_, *actor_);
                d.ShowModal();
            });
        }, kDescription);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { manageTeam(); }, kTeam);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { showAudit(); }, kAudit);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                wxTextEntryDialog d(this, "Report release date (YYYY-MM-DD): the 60-day assembly window starts", "Release", isoString(today()));
                if (d.ShowModal() != wxID_OK) return;
                auto date = parseIsoDate(U(d.GetValue()));
                if (!date) throw InputError("\"" + U(d.GetValue()) + "\": write the date as YYYY-MM-DD");
                recordRelease(*engagement_, *actor_, *date);
                auto st = assemblyStatus(*engagement_, today());
                wxMessageBox(W("Assemble the final file by " + isoString(*st.assemblyDeadline) + " (" + std::to_string(*st.daysLeft) + " days left)."),
                             "Release recorded", wxOK, this);
                showSummary();
            });
        }, kRelease);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                if (wxMessageBox("After assembly nothing in this file can be changed or deleted, and every addition needs a reason. Lock it now?",
                                 "Assemble the final file", wxYES_NO | wxNO_DEFAULT | wxICON_WARNING, this) != wxYES)
                    return;
                lockFile(*engagement_, *actor_);
                showSummary();
            });
        }, kLock);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { importPopulationWizard(); }, kImportPopulation);
        Bind(wxEVT_MENU, [this](wxCommandEvent&) { importControlMatrix(); }, kImportControls);
        Bind(wxEVT_MENU, [this](wxCommandEvent& ev) { open(recent_.GetHistoryFile(ev.GetId() - wxID_FILE1)); }, wxID_FILE1, wxID_FILE9);
        Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& ev) {
            recent_.Save(*wxConfig::Get());
            ev.Skip();
        });
    }

    bool open(const wxString& path) {
        return guarded(this, [&] {
            std::unique_ptr<Engagement> e;
            try {
                e = std::make_unique<Engagement>(Engagement::open(U(path)));
            } catch (...) {
                forgetUnlock(U(path));  // a wrong password is asked again next time
                throw;
            }
            engagement_ = std::move(e);
            actor_.reset();
            recent_.AddFileToHistory(path);
            refresh();
        });
    }

    void refresh() {
        tree_->DeleteAllItems();
        auto root = desk::buildNavigator(*engagement_);
        nodes_.clear();
        auto rootId = tree_->AddRoot(W(root.label));
        addChildren(rootId, root);
        wxTreeItemIdValue cookie;
        for (auto c = tree_->GetFirstChild(rootId, cookie); c.IsOk(); c = tree_->GetNextChild(rootId, cookie)) tree_->Expand(c);
        updateTitle();
        showSummary();
    }

    // Selects the first node of a kind (the smoke test and the timing use it).
    bool selectFirst(desk::NavNode::Kind kind, const std::string& control = "") {
        for (auto& [id, node] : nodes_)
            if (node.kind == kind && (control.empty() || node.control == control)) {
                tree_->EnsureVisible(id);
                tree_->SelectItem(id);
                return true;
            }
        return false;
    }
    void selectSample(std::int64_t id) {
        for (auto& [item, node] : nodes_)
            if (node.kind == desk::NavNode::Kind::Sample && node.id == id) tree_->SelectItem(item);
    }
    void selectPopulation(std::int64_t id) {
        for (auto& [item, node] : nodes_)
            if (node.kind == desk::NavNode::Kind::Population && node.id == id) tree_->SelectItem(item);
    }
    wxGrid* populationGrid() { return popGrid_; }
    Engagement& engagement() { return *engagement_; }
    // For the timing run: sort by the first delivered column, as a click on its header does.
    void sortFirstColumn() {
        reorderPopulation([](desk::PopulationGrid& g, Progress& p) { g.sortBy(0, true, &p); });
    }
    std::int64_t currentPopulation() const { return currentPopulation_; }
    const std::optional<Actor>& actor() const { return actor_; }
    void signInAs(const std::string& who, const std::string& password) {
        actor_.emplace(authenticate(*engagement_, who, password));
        updateTitle();
    }
    std::function<void()> onPopulationPainted;

private:
    enum { kSignIn = wxID_HIGHEST + 1, kVerify, kExportPdf, kExportXlsx, kFilter, kImportPopulation, kImportControls, kDescription, kTeam, kAudit, kRelease, kLock };

    // The signed-in member a write is recorded under: when nobody is, asks them to sign in first.
    const Actor& signedIn() {
        if (!engagement_) throw InputError("open an engagement first (File > Open)");
        if (team(*engagement_).empty())
            throw InputError("This engagement has no team yet, so nothing can be recorded. Add the engagement partner first (Engagement > Team).");
        if (!actor_) signIn();
        if (!actor_) throw InputError("sign in first (Engagement > Sign in): every change is recorded under a team member's name");
        return *actor_;
    }

public:
    void importPopulationWizard() {
        guarded(this, [&] {
            ImportPopulationDialog d(this, *engagement_, signedIn());
            if (d.ShowModal() == wxID_OK && d.imported) {
                refresh();
                selectPopulation(d.imported->populationId);
            }
        });
    }
    void importControlMatrix() {
        guarded(this, [&] {
            ImportControlsDialog d(this, engagement_->file(), signedIn());
            if (d.ShowModal() != wxID_OK || !d.result) return;
            std::string warnings;
            for (auto& w : d.result->warnings) warnings += "\n" + w;
            wxMessageBox(W(std::to_string(d.result->added) + " controls added, " + std::to_string(d.result->updated) + " updated." + warnings),
                         "Control matrix", wxOK, this);
            refresh();
        });
    }

private:

    void addChildren(const wxTreeItemId& parent, const desk::NavNode& n) {
        for (auto& c : n.children) {
            std::string label = c.label + (c.status == desk::Status::None ? "" : std::string("   [") + desk::statusLabel(c.status) + "]");
            auto id = tree_->AppendItem(parent, W(label), static_cast<int>(c.status));
            nodes_.emplace_back(id, c);
            nodes_.back().second.children.clear();
            addChildren(id, c);
        }
    }

    void updateTitle() {
        auto s = engagement_->setup();
        SetTitle(W(engagement_->file().filename().string() + " — " + s.client + " — " + (actor_ ? actor_->name : std::string("not signed in"))));
        SetStatusText(W(actor_ ? "Signed in as " + actor_->name : std::string("Not signed in: Engagement > Sign in to record")), 1);
    }

    void newEngagement() {
        desk::NewEngagementDialog d(this);
        while (d.ShowModal() == wxID_OK) {
            wxFileDialog f(this, "Save the engagement file", "", "engagement.tickmark", "Tickmark engagements (*.tickmark)|*.tickmark",
                           wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
            if (f.ShowModal() != wxID_OK) return;
            std::optional<Actor> partner;  // the engagement partner creates the file and is signed in
            if (guarded(this, [&] {
                    auto setup = d.setup();
                    // The firm's default, as for `tickmark new` (the dialog has no switch of its own yet).
                    const char* encryptNew = std::getenv("TICKMARK_ENCRYPT_NEW");
                    setup.encrypted = encryptNew && std::string(encryptNew) == "1";
                    auto c = createEngagement(U(f.GetPath()), setup, templatesDir() / "tsc-2017.csv", d.partnerName(),
                                              d.partnerInitials(), d.partnerRoles(), d.partnerPassword());
                    partner.emplace(c.partner);
                    if (setup.encrypted) rememberUnlock(U(f.GetPath()), {d.partnerInitials(), d.partnerPassword()});
                })) {
                if (open(f.GetPath())) actor_.emplace(*partner), updateTitle();
                return;
            }
        }
    }

    void chooseFile() {
        // In the open engagement's folder: the next engagement is usually beside it.
        const wxString folder = engagement_ ? W(std::filesystem::absolute(engagement_->file()).parent_path().string()) : wxString();
        wxFileDialog d(this, "Open engagement", folder, "", "Tickmark engagements (*.tickmark)|*.tickmark", wxFD_OPEN | wxFD_FILE_MUST_EXIST);
        if (d.ShowModal() == wxID_OK) open(d.GetPath());
    }

    void signIn() {
        if (!engagement_) return;
        guarded(this, [&] {
            auto people = team(*engagement_);
            if (people.empty()) throw InputError("This engagement has no team yet: add the engagement partner first (Engagement > Team).");
            wxArrayString names;
            for (auto& p : people) names.Add(W(p.name + " (" + p.initials + ")"));
            wxSingleChoiceDialog who(this, "Who are you?", "Sign in", names);
            if (who.ShowModal() != wxID_OK) return;
            wxPasswordEntryDialog pw(this, "Password for " + names[who.GetSelection()], "Sign in");
            if (pw.ShowModal() != wxID_OK) return;
            actor_.emplace(authenticate(*engagement_, people[static_cast<std::size_t>(who.GetSelection())].initials, U(pw.GetValue())));
            updateTitle();
        });
    }

    // The engagement's home: the dashboard.
    void showSummary() {
        guarded(this, [&] {
            dashboard_->show(*engagement_);
            book_->SetSelection(0);
        });
    }

    // A gate's workpaper, from the dashboard: a control's test workpaper, or the report.
    void openWorkpaper(const std::string& workpaper) {
        if (workpaper.rfind("test:", 0) == 0) selectFirst(desk::NavNode::Kind::Test, workpaper.substr(5));
        else if (workpaper == "report") selectFirst(desk::NavNode::Kind::Report);
    }

    void buildPopulationPage() {
        auto* p = new wxPanel(book_);
        auto* top = new wxBoxSizer(wxHORIZONTAL);
        popInfo_ = new wxStaticText(p, wxID_ANY, "");
        filter_ = new wxChoice(p, kFilter);
        for (auto* f : {"All rows", "Out of period", "Duplicate keys", "Any flag"}) filter_->Append(f);
        filter_->SetSelection(0);
        top->Add(new wxStaticText(p, wxID_ANY, "Show:"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 4);
        top->Add(filter_, 0, wxRIGHT, 12);
        top->Add(popInfo_, 1, wxALIGN_CENTER_VERTICAL);
        auto* plan = new wxButton(p, wxID_ANY, "Plan and draw a selection...");
        top->Add(plan, 0);
        plan->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                PlanDialog d(this, *engagement_, currentPopulation_, signedIn());
                if (d.ShowModal() == wxID_OK && d.drawn) {
                    auto id = d.drawn->id;
                    refresh();
                    selectSample(id);
                }
            });
        });
        popGrid_ = new wxGrid(p, wxID_ANY);
        popGrid_->EnableEditing(false);
        popGrid_->SetDefaultRowSize(20);
        popOverview_ = new desk::PopulationOverviewPanel(p);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(top, 0, wxEXPAND | wxALL, 6);
        s->Add(popOverview_, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
        s->Add(popGrid_, 1, wxEXPAND);
        p->SetSizer(s);
        book_->AddPage(p, "population");
        filter_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
            if (!popModel_) return;
            guarded(this, [&] {
                auto f = static_cast<desk::PopulationGrid::Filter>(filter_->GetSelection());
                reorderPopulation([f](desk::PopulationGrid& g, Progress& p) { g.setFilter(f, &p); });
            });
        });
        popGrid_->Bind(wxEVT_GRID_LABEL_LEFT_CLICK, [this](wxGridEvent& ev) {
            if (!popModel_ || ev.GetCol() < 3) return;
            guarded(this, [&] {
                sortAscending_ = sortColumn_ == ev.GetCol() ? !sortAscending_ : true;
                sortColumn_ = ev.GetCol();
                int col = ev.GetCol() - 3;
                bool asc = sortAscending_;
                auto current = popModel_->order();
                reorderPopulation([col, asc, current](desk::PopulationGrid& g, Progress& p) {
                    g.adopt(current);
                    g.sortBy(col, asc, &p);
                });
            });
        });
        popGrid_->GetGridWindow()->Bind(wxEVT_PAINT, [this](wxPaintEvent& ev) {
            ev.Skip();
            if (onPopulationPainted) CallAfter([this] {
                if (onPopulationPainted) onPopulationPainted();
            });
        });
    }

    // Sorting or filtering a large population reads every record: a worker does it on its own
    // connection, behind a progress bar with Cancel, and the view takes over the resulting order.
    void reorderPopulation(const std::function<void(desk::PopulationGrid&, Progress&)>& how) {
        const auto path = engagement_->file();
        const auto id = currentPopulation_;
        desk::PopulationGrid::Order order;
        try {
            runWithProgress(this, "Sorting and filtering", [&](Progress& p) {
                auto own = Engagement::open(path);
                desk::PopulationGrid g(own, id);
                how(g, p);
                order = g.order();
            });
        } catch (const Cancelled&) {
            return;  // the view keeps the order it had
        }
        popModel_->adopt(std::move(order));
        resetPopulationGrid();
    }

    void resetPopulationGrid() {
        popGrid_->SetTable(new PopulationTable(*popModel_), true);
        popGrid_->SetColSize(2, 150);
        popGrid_->ForceRefresh();
        popInfo_->SetLabel(W(std::to_string(popModel_->rowCount()) + " rows shown; the stored order is never changed"));
    }

    void showPopulation(std::int64_t id) {
        guarded(this, [&] {
            popModel_ = std::make_unique<desk::PopulationGrid>(*engagement_, id);
            currentPopulation_ = id;
            popOverview_->show(*engagement_, id);
            filter_->SetSelection(0);
            sortColumn_ = -1;
            resetPopulationGrid();
            book_->SetSelection(1);
        });
    }

    void buildSamplePage() {
        auto* p = new wxPanel(book_);
        sampleInfo_ = new wxStaticText(p, wxID_ANY, "");
        auto* verify = new wxButton(p, kVerify, "Re-perform and compare");
        verifyResult_ = new wxStaticText(p, wxID_ANY, "");
        sampleItems_ = new wxListCtrl(p, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
        for (auto* h : {"#", "Row", "Key", "Date", "Stratum"}) sampleItems_->AppendColumn(h);
        sampleItems_->SetColumnWidth(2, 220);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(sampleInfo_, 0, wxALL, 6);
        auto* extend = new wxButton(p, wxID_ANY, "Extend...");
        auto* row = new wxBoxSizer(wxHORIZONTAL);
        row->Add(verify, 0, wxRIGHT, 8);
        row->Add(extend, 0, wxRIGHT, 8);
        row->Add(verifyResult_, 1, wxALIGN_CENTER_VERTICAL);
        extend->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                const Actor& a = signedIn();
                long by = wxGetNumberFromUser("How many more items, drawn only from those not yet selected?", "Items", "Extend the selection", 15, 1, 100000, this);
                if (by < 1) return;
                wxTextEntryDialog seed(this, "Seed (shown, editable)", "Extend the selection", std::to_string(sampling::osSeed()));
                if (seed.ShowModal() != wxID_OK) return;
                auto r = extendSample(*engagement_, a, currentSample_, by, parseSeed(U(seed.GetValue())));
                refresh();
                selectSample(r.id);
            });
        });
        s->Add(row, 0, wxALL, 6);
        s->Add(sampleItems_, 1, wxEXPAND);
        p->SetSizer(s);
        book_->AddPage(p, "sample");
        verify->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                wxBusyCursor busy;
                auto v = verifySample(*engagement_, currentSample_, std::nullopt);
                verifyResult_->SetLabel(W(v.identical ? "Identical: the record re-performs item for item." : "DIFFERS: " + v.firstDifference));
                verifyResult_->SetForegroundColour(v.identical ? wxColour(30, 130, 50) : *wxRED);
            });
        });
    }

    void showSample(std::int64_t id) {
        guarded(this, [&] {
            auto r = loadSample(*engagement_, id);
            currentSample_ = id;
            sampleInfo_->SetLabel(W("Selection " + std::to_string(r.id) + " for " + r.control + ": " + r.method + ", " +
                                    std::to_string(r.size) + " of " + std::to_string(r.frameSize) + "\nSeed " + std::to_string(r.seed) +
                                    " (" + r.seedSource + "), " + r.algorithm + "\nDrawn " + r.createdAt + " by " + r.createdBy));
            verifyResult_->SetLabel("");
            sampleItems_->DeleteAllItems();
            for (auto& it : r.items) {
                long i = sampleItems_->InsertItem(sampleItems_->GetItemCount(), std::to_string(it.position));
                sampleItems_->SetItem(i, 1, it.row ? std::to_string(*it.row) : "");
                sampleItems_->SetItem(i, 2, W(it.key));
                sampleItems_->SetItem(i, 3, W(it.date.value_or("")));
                sampleItems_->SetItem(i, 4, W(it.stratum.value_or("")));
            }
            book_->GetPage(2)->Layout();
            book_->SetSelection(2);
        });
    }

    void buildTestPage() {
        auto* p = new wxPanel(book_);
        testInfo_ = new wxStaticText(p, wxID_ANY, "");
        testGrid_ = new wxGrid(p, wxID_ANY);
        testGrid_->EnableEditing(false);
        signoffs_ = new wxStaticText(p, wxID_ANY, "");
        auto* signBar = new wxBoxSizer(wxHORIZONTAL);
        signBar->Add(signoffs_, 1, wxALIGN_CENTER_VERTICAL);
        for (auto* role : {"preparer", "reviewer", "partner"}) {
            auto* b = new wxButton(p, wxID_ANY, wxString("Sign as ") + role);
            signBar->Add(b, 0, wxLEFT, 6);
            std::string r = role;
            b->Bind(wxEVT_BUTTON, [this, r](wxCommandEvent&) {
                guarded(this, [&] {
                    signedIn();
                    signOff(*engagement_, *actor_, testWorkpaper(currentControl_), r);
                    showTest(currentControl_);
                });
            });
        }
        auto* override = new wxButton(p, wxID_ANY, "Override conclusion...");
        signBar->Add(override, 0, wxLEFT, 18);
        override->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                auto c = controlConclusion(*engagement_, currentControl_);
                wxArrayString kinds;
                for (auto& k : conclusionChoices(*engagement_, currentControl_)) kinds.Add(W(k));
                wxSingleChoiceDialog d(this, W("Computed: " + c.computed + " (" + c.basis + ")"), "Your judgement", kinds);
                if (d.ShowModal() != wxID_OK) return;
                wxTextEntryDialog why(this, "Why? (recorded with the judgement)", "Reason", "", wxOK | wxCANCEL | wxTE_MULTILINE);
                if (why.ShowModal() != wxID_OK) return;
                overrideConclusion(*engagement_, *actor_, currentControl_, U(d.GetStringSelection()), U(why.GetValue()));
                showTest(currentControl_);
            });
        });
        auto* attach = new wxButton(p, wxID_ANY, "Attach evidence...");
        signBar->Add(attach, 0, wxLEFT, 18);
        attach->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            wxFileDialog d(this, "Evidence for the selected result", "", "", "All files|*", wxFD_OPEN | wxFD_FILE_MUST_EXIST | wxFD_MULTIPLE);
            if (d.ShowModal() != wxID_OK) return;
            wxArrayString files;
            d.GetPaths(files);
            attachTo(testGrid_->GetGridCursorRow(), testGrid_->GetGridCursorCol(), files);
        });
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(testInfo_, 0, wxALL, 6);
        s->Add(signBar, 0, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 6);
        s->Add(new wxStaticText(p, wxID_ANY, "Keys: P pass, D deviation, N not applicable, C comment and tick mark (signed in as a preparer); drop files on a result to attach evidence"), 0, wxLEFT | wxBOTTOM, 6);
        s->Add(testGrid_, 1, wxEXPAND);
        p->SetSizer(s);
        book_->AddPage(p, "test");
        testGrid_->GetGridWindow()->SetDropTarget(new EvidenceDrop([this](int x, int y, const wxArrayString& files) {
            int ux, uy;
            testGrid_->CalcUnscrolledPosition(x, y, &ux, &uy);
            attachTo(testGrid_->YToRow(uy), testGrid_->XToCol(ux), files);
        }));
        testGrid_->Bind(wxEVT_CHAR, [this](wxKeyEvent& ev) {
            int k = ev.GetUnicodeKey();
            if (testModel_ && (k == 'c' || k == 'C')) {
                guarded(this, [&] {
                    signedIn();
                    wxTextEntryDialog text(this, "Comment on this result", "Comment", "", wxOK | wxCANCEL | wxTE_MULTILINE);
                    if (text.ShowModal() != wxID_OK) return;
                    wxArrayString marks;
                    marks.Add("(none)");
                    for (auto& m : testModel_->tickMarks()) marks.Add(W(m));
                    wxSingleChoiceDialog tick(this, "Tick mark", "Comment", marks);
                    if (tick.ShowModal() != wxID_OK) return;
                    std::string mark = tick.GetSelection() == 0 ? "" : U(marks[tick.GetSelection()]);
                    mark = mark.substr(0, mark.find("  "));
                    testModel_->annotate(*actor_, testGrid_->GetGridCursorRow(), testGrid_->GetGridCursorCol(), U(text.GetValue()), mark);
                    testGrid_->ForceRefresh();
                });
                return;
            }
            if (!testModel_ || (k != 'p' && k != 'P' && k != 'd' && k != 'D' && k != 'n' && k != 'N')) return ev.Skip();
            guarded(this, [&] {
                signedIn();
                int row = testGrid_->GetGridCursorRow(), col = testGrid_->GetGridCursorCol();
                std::string reason;
                if (k == 'n' || k == 'N') {
                    wxTextEntryDialog d(this, "Why does the attribute not apply?", "Not applicable");
                    if (d.ShowModal() != wxID_OK) return;
                    reason = U(d.GetValue());
                }
                testModel_->key(*actor_, row, col, static_cast<char>(k), reason);
                if (testModel_->lastException()) {
                    ExceptionDialog d(this, *engagement_, *actor_, *testModel_->lastException());
                    d.ShowModal();
                }
                testGrid_->ForceRefresh();
                testInfo_->SetLabel(W(testModel_->test().procedure + "\n" + testModel_->progressText()));
                if (row + 1 < testModel_->rows()) testGrid_->SetGridCursor(row + 1, col);
            });
        });
    }

    // Evidence for one result (an attribute column) or, on the item column, for the test workpaper.
    void attachTo(int row, int col, const wxArrayString& files) {
        guarded(this, [&] {
            signedIn();
            if (!testModel_ || row < 0) throw InputError("drop the file on a result of the testing grid");
            EvidenceTarget t{testWorkpaper(currentControl_), std::nullopt, std::nullopt};
            if (col >= 1) {
                t.position = testModel_->test().items.at(static_cast<std::size_t>(row)).position;
                t.letter = testModel_->test().attributes.at(static_cast<std::size_t>(col - 1)).first;
            }
            for (auto& f : files) attachEvidence(*engagement_, *actor_, t, U(f));
            SetStatusText(W(std::to_string(files.size()) + " evidence file" + (files.size() == 1 ? "" : "s") + " attached to " +
                            (t.position ? "item " + std::to_string(*t.position) + ", attribute " + *t.letter : t.workpaper)));
        });
    }

    void showTest(const std::string& control) {
        guarded(this, [&] {
            testModel_ = std::make_unique<desk::TestGrid>(*engagement_, control);
            testGrid_->SetTable(new TestTable(*testModel_), true);
            testGrid_->SetColSize(0, 200);
            for (int c = 1; c < testModel_->columns(); ++c) testGrid_->SetColSize(c, 230);
            auto c = controlConclusion(*engagement_, control);
            currentControl_ = control;
            testInfo_->SetLabel(W("Test of " + control + ": " + testModel_->test().procedure + "\n" + testModel_->progressText() +
                                  "\nConclusion: " + c.effective() + " (" + c.basis + ")"));
            std::string bar;
            bool anyStale = false;
            for (auto& so : listSignOffs(*engagement_, testWorkpaper(control))) {
                bar += (bar.empty() ? "" : "   ") + so.role + " " + so.initials + " " + so.signedAt.substr(0, 10) + (so.stale ? " (STALE)" : "");
                if (so.stale && !anyStale) {
                    anyStale = true;
                    auto& t = so.changesSince.front();
                    bar += " — changed since: " + t.entity + " " + t.field + " by " + t.actor;
                }
            }
            signoffs_->SetLabel(W(bar.empty() ? "Not signed yet." : "Signed: " + bar));
            signoffs_->SetForegroundColour(anyStale ? wxColour(200, 90, 0) : wxColour(40, 40, 40));
            book_->GetPage(3)->Layout();
            book_->SetSelection(3);
        });
    }

    void buildReportPage() {
        auto* p = new wxPanel(book_);
        gates_ = new wxListCtrl(p, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
        gates_->AppendColumn("Gate", wxLIST_FORMAT_LEFT, 380);
        gates_->AppendColumn("", wxLIST_FORMAT_LEFT, 60);
        gates_->AppendColumn("Detail", wxLIST_FORMAT_LEFT, 520);
        opinion_ = new wxStaticText(p, wxID_ANY, "");
        auto* choose = new wxButton(p, wxID_ANY, "Choose the opinion...");
        auto* pdf = new wxButton(p, kExportPdf, "Export PDF...");
        auto* xlsx = new wxButton(p, kExportXlsx, "Export XLSX...");
        auto* row = new wxBoxSizer(wxHORIZONTAL);
        row->Add(choose, 0, wxRIGHT, 24);
        row->Add(pdf, 0, wxRIGHT, 8);
        row->Add(xlsx);
        choose->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                auto r = report::assemble(*engagement_, templatesDir());
                wxArrayString kinds;
                for (auto* k : {"unmodified", "qualified", "adverse", "disclaimer"}) kinds.Add(k);
                wxSingleChoiceDialog d(this, W("The workpapers propose: " + r.opinionProposed + " (" + r.proposalBasis + ")"), "Opinion", kinds);
                d.SetSelection(static_cast<int>(kinds.Index(W(r.opinionProposed))));
                if (d.ShowModal() != wxID_OK) return;
                std::string chosen = U(d.GetStringSelection()), rationale;
                if (chosen != r.opinionProposed) {
                    wxTextEntryDialog why(this, "Why differ from the proposal? (recorded with your choice)", "Rationale", "", wxOK | wxCANCEL | wxTE_MULTILINE);
                    if (why.ShowModal() != wxID_OK) return;
                    rationale = U(why.GetValue());
                }
                chooseOpinion(*engagement_, *actor_, chosen, rationale);
                showReport();
            });
        });
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(opinion_, 0, wxALL, 6);
        s->Add(gates_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
        s->Add(row, 0, wxALL, 6);
        p->SetSizer(s);
        book_->AddPage(p, "report");
        auto exportTo = [this](bool asPdf) {
            wxFileDialog d(this, asPdf ? "Export PDF" : "Export XLSX", "", asPdf ? "report.pdf" : "report.xlsx",
                           asPdf ? "PDF (*.pdf)|*.pdf" : "Excel workbook (*.xlsx)|*.xlsx", wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
            if (d.ShowModal() != wxID_OK) return;
            guarded(this, [&] {
                const auto path = engagement_->file();
                const std::string out = U(d.GetPath());
                try {
                    runWithProgress(this, asPdf ? "Writing the PDF" : "Writing the workbook", [&](Progress& p) {
                        auto own = Engagement::open(path);
                        auto r = report::assemble(own, templatesDir());
                        if (asPdf) report::writePdf(r, out, report::Output{}, &p);
                        else report::writeReportXlsx(r, out, &p);
                    });
                } catch (const Cancelled&) {
                    return;
                }
                if (wxMessageBox("Written. Open it?", "Report", wxYES_NO | wxICON_QUESTION, this) == wxYES)
                    wxLaunchDefaultApplication(d.GetPath());
            });
        };
        pdf->Bind(wxEVT_BUTTON, [exportTo](wxCommandEvent&) { exportTo(true); });
        xlsx->Bind(wxEVT_BUTTON, [exportTo](wxCommandEvent&) { exportTo(false); });
    }

    void buildNotesPage() {
        auto* p = new wxPanel(book_);
        notes_ = new wxListCtrl(p, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
        for (auto [h, w] : std::initializer_list<std::pair<const char*, int>>{{"#", 40}, {"Workpaper", 110}, {"Status", 70}, {"Note", 380},
                                                                              {"Raised by", 120}, {"Response", 300}})
            notes_->AppendColumn(h, wxLIST_FORMAT_LEFT, w);
        auto* raise = new wxButton(p, wxID_ANY, "Raise...");
        auto* respond = new wxButton(p, wxID_ANY, "Respond...");
        auto* clear = new wxButton(p, wxID_ANY, "Clear");
        auto* row = new wxBoxSizer(wxHORIZONTAL);
        row->Add(raise, 0, wxRIGHT, 6), row->Add(respond, 0, wxRIGHT, 6), row->Add(clear);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(notes_, 1, wxEXPAND | wxALL, 6);
        s->Add(row, 0, wxALL, 6);
        p->SetSizer(s);
        book_->AddPage(p, "notes");
        auto selected = [this]() -> std::int64_t {
            long i = notes_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED);
            if (i < 0) throw InputError("choose a review note first");
            return noteIds_.at(static_cast<std::size_t>(i));
        };
        raise->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                wxTextEntryDialog wp(this, "Workpaper (e.g. test:CM-03 or population:1)", "Raise a review note", "test:" + W(currentControl_));
                if (wp.ShowModal() != wxID_OK) return;
                wxTextEntryDialog text(this, "The note", "Raise a review note", "", wxOK | wxCANCEL | wxTE_MULTILINE);
                if (text.ShowModal() != wxID_OK) return;
                raiseNote(*engagement_, *actor_, U(wp.GetValue()), "", U(text.GetValue()));
                showNotes();
            });
        });
        respond->Bind(wxEVT_BUTTON, [this, selected](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                auto id = selected();
                wxTextEntryDialog text(this, "Your response", "Respond", "", wxOK | wxCANCEL | wxTE_MULTILINE);
                if (text.ShowModal() != wxID_OK) return;
                respondToNote(*engagement_, *actor_, id, U(text.GetValue()));
                showNotes();
            });
        });
        clear->Bind(wxEVT_BUTTON, [this, selected](wxCommandEvent&) {
            guarded(this, [&] {
                signedIn();
                clearNote(*engagement_, *actor_, selected());
                showNotes();
            });
        });
    }

    void buildAuditPage() {
        auto* p = new wxPanel(book_);
        audit_ = new wxListCtrl(p, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT);
        for (auto [h, w] : std::initializer_list<std::pair<const char*, int>>{{"#", 55}, {"When", 150}, {"Who", 120}, {"Action", 60},
                                                                              {"Workpaper", 100}, {"What", 160}, {"Old", 170}, {"New", 260}})
            audit_->AppendColumn(h, wxLIST_FORMAT_LEFT, w);
        auditResult_ = new wxStaticText(p, wxID_ANY, "");
        auto* verify = new wxButton(p, wxID_ANY, "Verify the chain");
        auto* row = new wxBoxSizer(wxHORIZONTAL);
        row->Add(verify, 0, wxRIGHT, 8);
        row->Add(auditResult_, 1, wxALIGN_CENTER_VERTICAL);
        auto* s = new wxBoxSizer(wxVERTICAL);
        s->Add(row, 0, wxALL, 6);
        s->Add(audit_, 1, wxEXPAND);
        p->SetSizer(s);
        book_->AddPage(p, "audit");
        verify->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
            guarded(this, [&] {
                auto v = verifyTrail(*engagement_);
                auditResult_->SetLabel(W(v.intact ? "Intact: all " + std::to_string(v.entries) + " entries chain."
                                                  : "BROKEN at entry " + std::to_string(*v.firstBroken) + ": " + v.problem));
                auditResult_->SetForegroundColour(v.intact ? wxColour(30, 130, 50) : *wxRED);
            });
        });
    }

public:
    void showAudit() {
        guarded(this, [&] {
            if (!engagement_) throw InputError("open an engagement first (File > Open)");
            audit_->DeleteAllItems();
            TrailQuery q;
            q.newestFirst = true;
            q.limit = 2000;
            forEachTrailEntry(*engagement_, q, [&](const TrailEntry& t) {
                long i = audit_->InsertItem(audit_->GetItemCount(), std::to_string(t.seq));
                const std::string cells[] = {t.at, t.actor, t.action, t.workpaper, t.entity + " " + t.field,
                                             t.oldValue.value_or(""), t.newValue.value_or("")};
                for (int c = 1; c < 8; ++c) audit_->SetItem(i, c, W(cells[c - 1]));
            });
            auditResult_->SetLabel("The newest 2,000 entries, newest first. Verify checks every entry.");
            book_->SetSelection(6);
        });
    }

private:
    void manageTeam() {
        guarded(this, [&] {
            if (!engagement_) throw InputError("open an engagement first (File > Open)");
            std::string list;
            for (auto& p : team(*engagement_)) {
                list += p.initials + "  " + p.name + " (" + boost::algorithm::join(p.roles, ", ") + ")\n";
            }
            const bool first = list.empty();
            if (wxMessageBox(W(first ? std::string("No team yet. The first member is the engagement partner; add them?") : list + "\nAdd a member?"),
                             "Team", wxYES_NO, this) != wxYES)
                return;
            if (!first && !signedIn().has("partner")) throw InputError(actor_->name + " is not a partner; only a partner adds team members");
            wxTextEntryDialog name(this, "Name", "Add a team member");
            if (name.ShowModal() != wxID_OK) return;
            wxTextEntryDialog initials(this, "Initials", "Add a team member");
            if (initials.ShowModal() != wxID_OK) return;
            wxArrayString roles;
            for (auto* r : {"preparer", "reviewer", "partner"}) roles.Add(r);
            wxMultiChoiceDialog which(this, "Roles", "Add a team member", roles);
            if (which.ShowModal() != wxID_OK) return;
            std::vector<std::string> chosen;
            for (auto i : which.GetSelections()) chosen.push_back(U(roles[i]));
            wxPasswordEntryDialog pw(this, "Their password (at least 8 characters)", "Add a team member");
            if (pw.ShowModal() != wxID_OK) return;
            if (first) {  // the engagement partner proves who they are by choosing the password: signed in
                actor_.emplace(addEngagementPartner(*engagement_, U(name.GetValue()), U(initials.GetValue()), chosen, U(pw.GetValue())));
                updateTitle();
            } else {
                addPerson(*engagement_, signedIn(), U(name.GetValue()), U(initials.GetValue()), chosen, U(pw.GetValue()));
            }
            showSummary();
        });
    }

    void showNotes() {
        guarded(this, [&] {
            notes_->DeleteAllItems();
            noteIds_.clear();
            for (auto& n : listNotes(*engagement_)) {
                long i = notes_->InsertItem(notes_->GetItemCount(), std::to_string(n.id));
                notes_->SetItem(i, 1, W(n.workpaper));
                notes_->SetItem(i, 2, n.open() ? "open" : "cleared");
                notes_->SetItem(i, 3, W(n.text));
                notes_->SetItem(i, 4, W(n.raisedBy));
                notes_->SetItem(i, 5, W(n.response.value_or("")));
                notes_->SetItemTextColour(i, n.open() ? wxColour(190, 30, 30) : wxColour(90, 90, 90));
                noteIds_.push_back(n.id);
            }
            book_->SetSelection(5);
        });
    }

    void showReport() {
        guarded(this, [&] {
            auto r = report::assemble(*engagement_, templatesDir());
            opinion_->SetLabel(W("Opinion proposed from the workpapers: " + r.opinionProposed + " (" + r.proposalBasis + ")\n" +
                                 (r.issuable() ? "Every gate is met: the report can be issued as final." : "Draft: the open gates below must be met first.")));
            gates_->DeleteAllItems();
            for (auto& g : r.gates) {
                long i = gates_->InsertItem(gates_->GetItemCount(), W(g.name));
                gates_->SetItem(i, 1, g.met ? "met" : "OPEN");
                gates_->SetItem(i, 2, W(g.detail));
                gates_->SetItemTextColour(i, g.met ? wxColour(30, 130, 50) : wxColour(190, 30, 30));
            }
            book_->SetSelection(4);
        });
    }

    void onSelect(wxTreeEvent& ev) {
        for (auto& [id, node] : nodes_) {
            if (id != ev.GetItem()) continue;
            switch (node.kind) {
                case desk::NavNode::Kind::Population: showPopulation(*node.id); break;
                case desk::NavNode::Kind::Sample: showSample(*node.id); break;
                case desk::NavNode::Kind::Test:
                case desk::NavNode::Kind::Control: showTest(node.control); break;
                case desk::NavNode::Kind::Report: showReport(); break;
                case desk::NavNode::Kind::Notes: showNotes(); break;
                default: showSummary(); break;
            }
            return;
        }
    }

    std::unique_ptr<Engagement> engagement_;
    std::optional<Actor> actor_;
    wxFileHistory recent_;
    wxTreeCtrl* tree_ = nullptr;
    std::unique_ptr<wxImageList> images_;
    std::vector<std::pair<wxTreeItemId, desk::NavNode>> nodes_;
    wxSimplebook* book_ = nullptr;
    desk::DashboardPage* dashboard_ = nullptr;
    wxGrid* popGrid_ = nullptr;
    desk::PopulationOverviewPanel* popOverview_ = nullptr;
    wxStaticText* popInfo_ = nullptr;
    wxChoice* filter_ = nullptr;
    std::unique_ptr<desk::PopulationGrid> popModel_;
    std::int64_t currentPopulation_ = 0;
    int sortColumn_ = -1;
    bool sortAscending_ = true;
    wxStaticText *sampleInfo_ = nullptr, *verifyResult_ = nullptr;
    wxListCtrl* sampleItems_ = nullptr;
    std::int64_t currentSample_ = 0;
    wxStaticText* testInfo_ = nullptr;
    wxGrid* testGrid_ = nullptr;
    std::unique_ptr<desk::TestGrid> testModel_;
    wxStaticText* signoffs_ = nullptr;
    std::string currentControl_;
    wxListCtrl* notes_ = nullptr;
    wxListCtrl* audit_ = nullptr;
    wxStaticText* auditResult_ = nullptr;
    std::vector<std::int64_t> noteIds_;
    wxListCtrl* gates_ = nullptr;
    wxStaticText* opinion_ = nullptr;
};

class DeskApp : public wxApp {
public:
    void OnInitCmdLine(wxCmdLineParser& p) override {
        wxApp::OnInitCmdLine(p);
        p.AddParam("engagement file", wxCMD_LINE_VAL_STRING, wxCMD_LINE_PARAM_OPTIONAL);
        p.AddSwitch("", "smoke", "open the file, visit a population, a selection, a test workpaper and the report, then exit");
        p.AddOption("", "time-population", "time the first paint of population ID after choosing it, then exit", wxCMD_LINE_VAL_NUMBER);
        p.AddOption("", "screenshots", "with --smoke: save a PNG of each view into this folder", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "smoke-import", "with --smoke: also check this population file in the import wizard", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "smoke-user", "with --smoke: sign in as this member (password from TICKMARK_PASSWORD) to open the forms", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "smoke-sharing", "with --smoke-user instead of --smoke: write, wait for this file to appear (while a script opens "
                    "File > Open and runs the CLI), write again, then exit (tests/app/desk_sharing.sh)", wxCMD_LINE_VAL_STRING);
    }
    bool OnCmdLineParsed(wxCmdLineParser& p) override {
        if (p.GetParamCount() > 0) file_ = p.GetParam(0);
        smoke_ = p.Found("smoke");
        long id = 0;
        if (p.Found("time-population", &id)) timePopulation_ = id;
        p.Found("screenshots", &shots_);
        p.Found("smoke-import", &importFile_);
        p.Found("smoke-user", &smokeUser_);
        p.Found("smoke-sharing", &sharingGo_);
        return wxApp::OnCmdLineParsed(p);
    }
    bool OnInit() override {
        if (!wxApp::OnInit()) return false;
        SetAppName("tickmark-desk");
        Engagement::setUnlockProvider(askToUnlock);
        frame_ = new MainFrame;
        frame_->Show();
        if (!file_.empty() && !frame_->open(file_)) {
            if (smoke_ || timePopulation_) exitCode_ = 1, frame_->Destroy();
            return !(smoke_ || timePopulation_) || false;
        }
        if ((smoke_ || !sharingGo_.empty()) && !smokeUser_.empty()) {
            const char* pw = std::getenv("TICKMARK_PASSWORD");
            try {
                frame_->signInAs(U(smokeUser_), pw ? pw : "");
            } catch (const std::exception& e) {
                std::fprintf(stderr, "smoke: cannot sign in as %s: %s\n", U(smokeUser_).c_str(), e.what());
                exitCode_ = 1;
                frame_->Destroy();
                return false;
            }
        }
        if (smoke_) CallAfter([this] { smokeStep(0); });
        if (!sharingGo_.empty() && frame_->actor())
            CallAfter([this] {
                desk::runSharingSmoke(frame_->engagement(), *frame_->actor(), sharingGo_, [this](int rc) {
                    exitCode_ = rc;
                    frame_->Close(true);
                });
            });
        if (timePopulation_) CallAfter([this] { timePopulation(); });
        return true;
    }
    int OnExit() override { return exitCode_; }
    // wxWidgets ignores OnExit's value: the process's exit code is OnRun's.
    int OnRun() override {
        const int rc = wxApp::OnRun();
        return exitCode_ ? exitCode_ : rc;
    }

private:
    void shot(const char* name) { shotOf(frame_, name); }
    void shotOf(wxWindow* w, const char* name) {
        if (shots_.empty()) return;
        w->Update();
        wxYield();
        wxClientDC dc(w);
        wxSize sz = w->GetClientSize();
        wxBitmap bmp(sz);
        wxMemoryDC mem(bmp);
        mem.Blit(0, 0, sz.x, sz.y, &dc, 0, 0);
        mem.SelectObject(wxNullBitmap);
        bmp.SaveFile(shots_ + "/" + name + ".png", wxBITMAP_TYPE_PNG);
    }

    // Visits the views one event-loop turn apart, so each really paints, then closes cleanly.
    void smokeStep(int step) {
        using K = desk::NavNode::Kind;
        bool ok = true;
        switch (step) {
            case 0: shot("0-dashboard"); break;
            case 1: ok = frame_->selectFirst(K::Population); break;
            case 2: {
                shot("1-population");
                auto* d = new PlanDialog(frame_, frame_->engagement(), frame_->currentPopulation(), frame_->actor());
                d->Show();
                shotOf(d, "1b-plan");
                ok = d->shown().Contains("Sample size");
                d->Destroy();
                ok = ok && frame_->selectFirst(K::Sample);
                break;
            }
            case 3: shot("2-sample"); ok = frame_->selectFirst(K::Test, "CM-03") || frame_->selectFirst(K::Test); break;
            case 4: {
                shot("3-test");
                auto x = listExceptions(frame_->engagement(), std::string("CM-03"));
                if (!x.empty() && frame_->actor()) {
                    auto* d = new ExceptionDialog(frame_, frame_->engagement(), *frame_->actor(), x.front().id);
                    d->Show();
                    shotOf(d, "3b-exception");
                    d->Destroy();
                }
                ok = frame_->selectFirst(K::Notes);
                break;
            }
            case 5:
                shot("4-notes");
                frame_->showAudit();
                shot("4b-audit");
                ok = frame_->selectFirst(K::Report);
                break;
            case 6: {
                shot("5-report");
                if (frame_->actor()) {
                    auto* d = new DescriptionDialog(frame_, frame_->engagement(), *frame_->actor());
                    d->Show();
                    shotOf(d, "5b-description");
                    d->Destroy();
                }
            }
                if (!importFile_.empty()) {
                    auto* d = new ImportPopulationDialog(frame_, frame_->engagement(), frame_->actor());
                    d->Show();
                    d->smoke(importFile_, "CM-03");
                    shotOf(d, "6-import");
                    ok = d->profileShown().Contains("Completeness profile") && d->importEnabled();
                    std::printf("smoke: import wizard checked %s\n", U(importFile_).c_str());
                    d->Destroy();
                }
                break;
            default:
                std::printf("smoke: opened %s, visited a population, a selection, a test workpaper, the review notes and the report\n", U(file_).c_str());
                frame_->Close(true);
                return;
        }
        if (!ok) {
            std::fprintf(stderr, "smoke: step %d found nothing to select\n", step);
            exitCode_ = 1;
            frame_->Close(true);
            return;
        }
        CallAfter([this, step] { smokeStep(step + 1); });
    }

    void timePopulation() {
        auto* grid = frame_->populationGrid();
        start_ = Clock::now();
        frame_->onPopulationPainted = [this, grid] {
            double first = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
            frame_->onPopulationPainted = nullptr;
            int rows = grid->GetNumberRows();
            auto t = Clock::now();
            grid->GoToCell(rows - 1, 3);
            grid->Update();
            wxYield();
            double last = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
            std::printf("population grid: %d rows; first paint %.1f ms after choosing it (target < 1000 ms): %s; "
                        "scroll to the last row and paint %.1f ms\n",
                        rows, first, first < 1000 ? "MET" : "NOT MET", last);
            auto s = Clock::now();
            frame_->sortFirstColumn();
            std::printf("sorting all %d rows by the first column, off the GUI thread with progress: %.2f s; first row now %s\n", rows,
                        std::chrono::duration<double>(Clock::now() - s).count(), U(grid->GetCellValue(0, 3)).c_str());
            std::fflush(stdout);
            frame_->Close(true);
        };
        frame_->selectPopulation(timePopulation_);
    }

    MainFrame* frame_ = nullptr;
    wxString file_, shots_, importFile_, smokeUser_, sharingGo_;
    bool smoke_ = false;
    long timePopulation_ = 0;
    int exitCode_ = 0;
    Clock::time_point start_;
};

wxIMPLEMENT_APP(DeskApp);

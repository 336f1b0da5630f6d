#include "app/desk/import_population_dialog.h"

#include <boost/algorithm/string/join.hpp>

#include "app/desk/background_runner.h"
#include "app/desk/ui.h"
#include "app/presenters/completeness_profile.h"
#include "workpapers/controls.h"
#include "workpapers/dates.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

namespace {
// The encodings client exports come in; "detect" reads the BOM, then UTF-8, else Windows-1252.
const char* const kEncodings[] = {"detect", "UTF-8", "Windows-1252", "ISO-8859-1", "UTF-16LE", "UTF-16BE", "Shift_JIS", "GB18030"};
}  // namespace

ImportPopulationDialog::ImportPopulationDialog(wxWindow* parent, Engagement& e, std::optional<Actor> actor, const std::string& control)
    : wxDialog(parent, wxID_ANY, "Import population", wxDefaultPosition, wxDefaultSize, wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER),
      e_(e), actor_(std::move(actor)) {
    picker_ = new wxFilePickerCtrl(this, wxID_ANY, "", "Population file", "CSV, text, XLSX, ODS|*.csv;*.txt;*.tsv;*.xlsx;*.ods|All files|*",
                                   wxDefaultPosition, wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    sheet_ = new wxChoice(this, wxID_ANY);
    control_ = new wxChoice(this, wxID_ANY);
    for (auto& c : listControls(e)) control_->Append(W(c.ref));
    if (!control.empty()) control_->SetStringSelection(W(control));
    name_ = new wxTextCtrl(this, wxID_ANY, "");
    key_ = new wxChoice(this, wxID_ANY);
    date_ = new wxChoice(this, wxID_ANY);
    amount_ = new wxChoice(this, wxID_ANY);
    format_ = new wxChoice(this, wxID_ANY);
    format_->Append("detect from the whole column");
    for (auto& f : commonDatePatterns()) format_->Append(W(f.name()));
    format_->SetSelection(0);
    encoding_ = new wxChoice(this, wxID_ANY);
    for (auto* enc : kEncodings) encoding_->Append(enc);
    encoding_->SetSelection(0);
    headerGiven_ = new wxCheckBox(this, wxID_ANY, "Header on row");
    headerRow_ = new wxSpinCtrl(this, wxID_ANY, "1", wxDefaultPosition, wxDefaultSize, wxSP_ARROW_KEYS, 1, 1048576, 1);
    headerRow_->Disable();
    layout_ = new wxStaticText(this, wxID_ANY, "");
    preview_ = new wxGrid(this, wxID_ANY);
    preview_->CreateGrid(0, 0);
    preview_->EnableEditing(false);
    preview_->SetMinSize(wxSize(-1, 180));
    profile_ = new wxTextCtrl(this, wxID_ANY, "Choose the file, map the columns, then Check completeness.", wxDefaultPosition,
                              wxSize(-1, 160), wxTE_MULTILINE | wxTE_READONLY);
    profile_->SetFont(wxFontInfo(9).Family(wxFONTFAMILY_TELETYPE));
    auto* check = new wxButton(this, wxID_ANY, "&Check completeness");
    import_ = new wxButton(this, wxID_OK, "&Import");
    import_->Disable();

    auto* grid = new wxFlexGridSizer(4, 6, 10);
    auto add = [&](const char* l, wxWindow* w) {
        grid->Add(new wxStaticText(this, wxID_ANY, l), 0, wxALIGN_CENTER_VERTICAL);
        grid->Add(w, 1, wxEXPAND);
    };
    add("File", picker_), add("Sheet", sheet_);
    add("Control", control_), add("Name", name_);
    auto* header = new wxBoxSizer(wxHORIZONTAL);
    header->Add(headerGiven_, 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    header->Add(headerRow_, 0);
    grid->Add(new wxStaticText(this, wxID_ANY, "Reading"), 0, wxALIGN_CENTER_VERTICAL), grid->Add(header, 1, wxEXPAND);
    add("Encoding (text files)", encoding_);
    add("Key column", key_), add("Date column", date_);
    add("Amount column", amount_), add("Date pattern", format_);
    grid->AddGrowableCol(1);
    grid->AddGrowableCol(3);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->Add(check, 0, wxRIGHT, 8);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    buttons->Add(import_);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(grid, 0, wxEXPAND | wxALL, 8);
    s->Add(layout_, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
    s->Add(new wxStaticText(this, wxID_ANY, "Preview (first 20 records, as delivered)"), 0, wxLEFT | wxTOP, 8);
    s->Add(preview_, 1, wxEXPAND | wxALL, 8);
    s->Add(profile_, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    settleDialog(this, picker_->GetTextCtrl() ? static_cast<wxWindow*>(picker_->GetTextCtrl()) : picker_, wxSize(900, 640));

    picker_->Bind(wxEVT_FILEPICKER_CHANGED, [this](wxFileDirPickerEvent&) { guarded(this, [&] { loadFile(); }); });
    sheet_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) {
        guarded(this, [&] {
            wizard_.chooseSheet(U(sheet_->GetStringSelection()));
            showPreview();
        });
    });
    headerGiven_->Bind(wxEVT_CHECKBOX, [this](wxCommandEvent&) {
        headerRow_->Enable(headerGiven_->GetValue());
        guarded(this, [&] { reread(); });
    });
    headerRow_->Bind(wxEVT_SPINCTRL, [this](wxSpinEvent&) { guarded(this, [&] { reread(); }); });
    encoding_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { guarded(this, [&] { reread(); }); });
    for (auto* c : {control_, key_, date_, amount_, format_}) c->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { import_->Disable(); });
    check->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { run(true); });
    import_->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { run(false); });
}

void ImportPopulationDialog::smoke(const wxString& file, const std::string& control) {
    picker_->SetPath(file);
    loadFile();
    control_->SetStringSelection(W(control));
    run(true);
}

void ImportPopulationDialog::loadFile() {
    wxBusyCursor busy;
    wizard_.chooseFile(U(picker_->GetPath()));
    sheet_->Clear();
    for (auto& sh : wizard_.sheets()) sheet_->Append(W(sh));
    if (!wizard_.sheets().empty()) sheet_->SetSelection(0);
    sheet_->Enable(!wizard_.sheets().empty());
    encoding_->Enable(wizard_.sheets().empty());
    if (name_->IsEmpty()) name_->SetValue(W(wizard_.file().stem().string()));
    showPreview();
}

void ImportPopulationDialog::reread() {
    if (picker_->GetPath().empty()) return;
    std::optional<std::int64_t> row;
    if (headerGiven_->GetValue()) row = headerRow_->GetValue();
    std::optional<std::string> enc;
    if (encoding_->GetSelection() > 0) enc = U(encoding_->GetStringSelection());
    wxBusyCursor busy;
    wizard_.chooseReading(row, enc);
    showPreview();
}

void ImportPopulationDialog::showPreview() {
    auto& p = wizard_.preview();
    showTablePreview(preview_, p);
    auto lines = wizard_.layout();
    std::vector<std::string> how;
    for (auto* part : {&p.source.format, &p.source.encoding})
        if (!part->empty()) how.push_back(*part);
    if (lines.empty()) how.push_back("the header on the first row");
    layout_->SetLabel(W(boost::algorithm::join(how, ", ") + (lines.empty() ? "" : "\n" + boost::algorithm::join(lines, "\n"))));
    layout_->Wrap(GetClientSize().x - 24);
    for (auto* ch : {key_, date_, amount_}) ch->Clear();
    amount_->Append("(none)");
    for (auto& h : p.header) key_->Append(W(h)), date_->Append(W(h)), amount_->Append(W(h));
    key_->SetStringSelection(W(wizard_.guessKey()));
    date_->SetStringSelection(W(wizard_.guessDate()));
    amount_->SetSelection(0);
    import_->Disable();
    profile_->SetValue("Check completeness to see the profile before importing.");
    Layout();
}

PopulationImportRequest ImportPopulationDialog::request() {
    auto req = wizard_.request(U(control_->GetStringSelection()), U(name_->GetValue()), U(key_->GetStringSelection()),
                               U(date_->GetStringSelection()), amount_->GetSelection() > 0 ? U(amount_->GetStringSelection()) : "",
                               format_->GetSelection() > 0 ? U(format_->GetStringSelection()) : "");
    if (req.control.empty()) throw InputError("choose the control the population belongs to");
    return req;
}

void ImportPopulationDialog::run(bool dryRun) {
    if (busy_) return;
    guarded(this, [&] {
        auto req = request();
        if (!dryRun && !actor_) throw InputError("sign in first (Engagement > Sign in): the import is recorded under your name");
        auto profile = std::make_shared<CompletenessProfile>();
        const std::filesystem::path path = e_.location();  // the URI as given, on a server
        busy_ = true;
        // The worker gets its own connection: the window may repaint (and read) while it runs.
        runInBackground(this, dryRun ? "Checking completeness" : "Importing",
                        [=, by = actor_](Progress& pr) {
                            auto own = Engagement::open(path);
                            *profile = dryRun ? checkPopulation(own, req, &pr) : importPopulation(own, *by, req, &pr);
                        },
                        [this, dryRun, profile](const JobEnd& end) {
                            busy_ = false;
                            if (end.kind == JobEnd::Cancelled) {
                                profile_->SetValue("Cancelled: the engagement file is unchanged.");
                                return;
                            }
                            if (!guarded(this, [&] { end.rethrow(); })) return;
                            std::string text = dryRun ? "Completeness profile (nothing imported yet):\n" : "Imported:\n";
                            for (auto& l : profileLines(*profile)) text += l + "\n";
                            profile_->SetValue(W(text));
                            import_->Enable(dryRun);
                            if (!dryRun) {
                                imported = *profile;
                                EndModal(wxID_OK);
                            }
                        });
    });
}

}  // namespace tickmark::desk

#include "app/desk/import_controls_dialog.h"

#include <memory>

#include "app/desk/background_runner.h"
#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

ImportControlsDialog::ImportControlsDialog(wxWindow* parent, const std::filesystem::path& engagement, const Actor& actor)
    : wxDialog(parent, wxID_ANY, "Import the control matrix"), engagement_(engagement), actor_(actor) {
    picker_ = new wxFilePickerCtrl(this, wxID_ANY, "", "Control matrix", "CSV, XLSX, ODS|*.csv;*.xlsx;*.ods|All files|*", wxDefaultPosition,
                                   wxDefaultSize, wxFLP_OPEN | wxFLP_FILE_MUST_EXIST | wxFLP_USE_TEXTCTRL);
    sheet_ = new wxChoice(this, wxID_ANY);
    preview_ = new wxGrid(this, wxID_ANY);
    preview_->CreateGrid(0, 0);
    preview_->EnableEditing(false);
    preview_->SetMinSize(wxSize(-1, 260));
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    top->Add(new wxStaticText(this, wxID_ANY, "File"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    top->Add(picker_, 1, wxRIGHT, 12);
    top->Add(new wxStaticText(this, wxID_ANY, "Sheet"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    top->Add(sheet_, 0);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(top, 0, wxEXPAND | wxALL, 8);
    s->Add(preview_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* ok = new wxButton(this, wxID_OK, "&Import");
    buttons->Add(ok);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    settleDialog(this, picker_->GetTextCtrl() ? static_cast<wxWindow*>(picker_->GetTextCtrl()) : picker_, wxSize(820, 480));
    picker_->Bind(wxEVT_FILEPICKER_CHANGED, [this](wxFileDirPickerEvent&) {
        guarded(this, [&] {
            sheet_->Clear();
            for (auto& n : tableSheets(U(picker_->GetPath()))) sheet_->Append(W(n));
            if (sheet_->GetCount()) sheet_->SetSelection(0);
            showPreview();
        });
    });
    sheet_->Bind(wxEVT_CHOICE, [this](wxCommandEvent&) { guarded(this, [&] { showPreview(); }); });
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { guarded(this, [&] { run(); }); });
}

void ImportControlsDialog::showPreview() {
    ReadOptions o;
    if (sheet_->GetSelection() >= 0) o.sheet = U(sheet_->GetStringSelection());
    showTablePreview(preview_, previewTable(U(picker_->GetPath()), o, 20));
}

void ImportControlsDialog::run() {
    if (busy_) return;
    if (picker_->GetPath().empty()) throw InputError("choose the control matrix file");
    ControlImportRequest req;
    req.file = U(picker_->GetPath());
    if (sheet_->GetSelection() >= 0) req.sheet = U(sheet_->GetStringSelection());
    auto r = std::make_shared<ControlImportResult>();
    busy_ = true;
    runInBackground(this, "Importing the control matrix",
                    [r, req, path = engagement_, by = actor_](Progress& p) {
                        auto own = Engagement::open(path);
                        *r = importControls(own, by, req, &p);
                    },
                    [this, r](const JobEnd& end) {
                        busy_ = false;
                        if (end.kind == JobEnd::Cancelled) return;
                        if (!guarded(this, [&] { end.rethrow(); })) return;
                        result = *r;
                        EndModal(wxID_OK);
                    });
}

}  // namespace tickmark::desk

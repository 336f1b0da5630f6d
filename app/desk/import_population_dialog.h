#pragma once
// The population import wizard: file and sheet, how to read it (header row, encoding, date pattern), a
// preview of the first rows as delivered, the column mapping, the completeness profile from a dry run,
// then the import itself; both off the GUI thread with Cancel. The work is the presenter's
// (app/presenters/import_wizard.h); this is the window around it.
#include <wx/filepicker.h>
#include <wx/grid.h>
#include <wx/spinctrl.h>
#include <wx/wx.h>

#include <optional>

#include "app/presenters/import_wizard.h"
#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class ImportPopulationDialog : public wxDialog {
public:
    // Without a sign-in (actor empty) the wizard only checks completeness, which writes nothing.
    ImportPopulationDialog(wxWindow* parent, Engagement& e, std::optional<Actor> actor, const std::string& control = "");
    std::optional<CompletenessProfile> imported;

    // The smoke tour drives it as a user would: a file, a control, Check completeness (then waits for busy()).
    void smoke(const wxString& file, const std::string& control);
    bool busy() const { return busy_; }
    wxString profileShown() const { return profile_->GetValue(); }
    bool importEnabled() const { return import_->IsEnabled(); }

private:
    void loadFile();
    void reread();
    void showPreview();
    PopulationImportRequest request();
    void run(bool dryRun);

    Engagement& e_;
    std::optional<Actor> actor_;
    PopulationImportWizard wizard_;
    wxFilePickerCtrl* picker_;
    wxChoice *sheet_, *control_, *key_, *date_, *amount_, *format_, *encoding_;
    wxSpinCtrl* headerRow_;
    wxCheckBox* headerGiven_;
    wxTextCtrl *name_, *profile_;
    wxStaticText* layout_;
    wxGrid* preview_;
    wxButton* import_;
    bool busy_ = false;
};

}  // namespace tickmark::desk

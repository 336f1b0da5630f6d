#pragma once
// The control matrix import: file and sheet, a preview of the first rows, then the import (off the
// GUI thread, with Cancel). Columns are found by their usual names (the CLI's --map names others).
#include <wx/filepicker.h>
#include <wx/grid.h>
#include <wx/wx.h>

#include <filesystem>
#include <optional>

#include "workpapers/controls.h"
#include "workpapers/people.h"

namespace tickmark::desk {

class ImportControlsDialog : public wxDialog {
public:
    ImportControlsDialog(wxWindow* parent, const std::filesystem::path& engagement, const Actor& actor);
    std::optional<ControlImportResult> result;

private:
    void showPreview();
    void run();
    std::filesystem::path engagement_;
    const Actor actor_;  // the import, on its own thread, is recorded under this sign-in
    wxFilePickerCtrl* picker_;
    wxChoice* sheet_;
    wxGrid* preview_;
    bool busy_ = false;
};

}  // namespace tickmark::desk

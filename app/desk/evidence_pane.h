#pragma once
// The evidence of a test workpaper beside it: every file attached, the selected result's first, with
// Attach (also by dropping files on a result) and Open (written out under its safe name, checked
// against its SHA-256, then opened with the system's viewer).
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <optional>
#include <string>
#include <vector>

#include "app/desk/workbench.h"
#include "workpapers/fieldwork.h"

namespace tickmark::desk {

class EvidencePane : public wxPanel {
public:
    EvidencePane(wxWindow* parent, Workbench& bench);
    // The workpaper and the result chosen in the grid (none: the workpaper itself).
    void show(const std::string& workpaper, std::optional<std::int64_t> position, std::optional<std::string> letter);
    void attach(const std::vector<std::string>& files);
    int count() const { return static_cast<int>(evidence_.size()); }

private:
    Workbench& bench_;
    std::string workpaper_;
    std::optional<std::int64_t> position_;
    std::optional<std::string> letter_;
    wxStaticText* target_;
    wxListCtrl* list_;
    std::vector<EvidenceView> evidence_;
};

}  // namespace tickmark::desk

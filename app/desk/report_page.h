#pragma once
// The report: the opinion the workpapers propose and the one the partner chose, every issuance gate
// (activate an open one: its workpaper opens), and the partner's work: choose the opinion, sign the
// report, criteria not applicable or not examined, the description and particulars, and the exports
// (report PDF, DOCX and workbook, SOC 3, the workpapers workbook), each off the GUI thread with Cancel.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <array>
#include <functional>
#include <string>
#include <vector>

#include "app/desk/workbench.h"

namespace tickmark::desk {

class WrapText;

class ReportPage : public wxPanel {
public:
    ReportPage(wxWindow* parent, Workbench& bench);
    void show();
    void reload() { show(); }
    enum class Export { Pdf, Docx, Xlsx, Soc3Pdf, Workpapers };
    // Writes beside `out` first and renames when done: Cancel leaves nothing behind. `after` gets
    // whether the file was written.
    void exportTo(Export what, const std::string& out, std::function<void(bool)> after = {});

private:
    void chooseOpinion();
    void signReport();
    void askExport(Export what);
    void shareColumns();
    std::array<int, 3> fitted_{};
    Workbench& bench_;
    WrapText *opinion_, *signoffs_;
    wxListCtrl* gates_;
    std::vector<std::string> gateTargets_;
};

}  // namespace tickmark::desk

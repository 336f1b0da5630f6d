#include "app/desk/report_page.h"

#include <wx/wrapsizer.h>

#include <filesystem>
#include <memory>

#include "app/desk/background_runner.h"
#include "app/desk/criteria_dialog.h"
#include "app/desk/description_dialog.h"
#include "app/desk/ui.h"
#include "report/report.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/paths.h"
#include "workpapers/reporting.h"

namespace tickmark::desk {

ReportPage::ReportPage(wxWindow* parent, Workbench& bench) : wxPanel(parent), bench_(bench) {
    opinion_ = new WrapText(this);
    opinion_->SetFont(opinion_->GetFont().Bold());
    signoffs_ = new WrapText(this);
    gates_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    gates_->AppendColumn("Gate");
    gates_->AppendColumn("");
    gates_->AppendColumn("Detail");
    auto button = [this](wxSizer* row, const char* label, std::function<void()> f) {
        auto* b = new wxButton(this, wxID_ANY, label);
        b->Bind(wxEVT_BUTTON, [f](wxCommandEvent&) { f(); });
        row->Add(b, 0, wxRIGHT | wxBOTTOM, 6);
    };
    auto* decide = new wxWrapSizer(wxHORIZONTAL);
    button(decide, "Choose the opinion...", [this] { chooseOpinion(); });
    button(decide, "Sign the report (partner)...", [this] { signReport(); });
    button(decide, "Criteria...", [this] {
        guarded(this, [&] {
            CriteriaDialog d(this, bench_.engagement(), bench_.signedIn());
            d.ShowModal();
            bench_.changed();
        });
    });
    button(decide, "Description and particulars...", [this] {
        guarded(this, [&] {
            DescriptionDialog d(this, bench_.engagement(), bench_.signedIn());
            if (d.ShowModal() == wxID_OK) bench_.changed();
        });
    });
    auto* exports = new wxWrapSizer(wxHORIZONTAL);
    exports->Add(new wxStaticText(this, wxID_ANY, "Export:"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 6);
    button(exports, "Report PDF...", [this] { askExport(Export::Pdf); });
    button(exports, "Report DOCX...", [this] { askExport(Export::Docx); });
    button(exports, "Report workbook...", [this] { askExport(Export::Xlsx); });
    button(exports, "SOC 3 PDF...", [this] { askExport(Export::Soc3Pdf); });
    button(exports, "Workpapers workbook...", [this] { askExport(Export::Workpapers); });
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(opinion_, 0, wxEXPAND | wxALL, 6);
    s->Add(signoffs_, 0, wxEXPAND | wxLEFT | wxRIGHT, 6);
    s->Add(decide, 0, wxEXPAND | wxALL, 6);
    s->Add(gates_, 1, wxEXPAND | wxLEFT | wxRIGHT, 6);
    s->Add(exports, 0, wxEXPAND | wxALL, 6);
    SetSizer(s);
    gates_->Bind(wxEVT_SIZE, [this](wxSizeEvent& ev) {
        ev.Skip();
        CallAfter([this] { shareColumns(); });
    });
    gates_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& ev) {
        const auto i = static_cast<std::size_t>(ev.GetIndex());
        if (i < gateTargets_.size() && !gateTargets_[i].empty()) bench_.openWorkpaper(gateTargets_[i]);
    });
}

void ReportPage::show() {
    guarded(this, [&] {
        auto& e = bench_.engagement();
        auto r = report::assemble(e, templatesDir());
        auto choice = opinionChoice(e);
        std::string text = "The workpapers propose: " + r.opinionProposed + " (" + r.proposalBasis + ")\n";
        text += choice ? "Chosen by " + choice->chosenBy + ": " + choice->opinion + (choice->stale ? "  STALE: " + choice->staleReason : "")
                       : std::string("No opinion chosen yet (the partner chooses it)");
        text += std::string("\n") + (r.issuable() ? "Every gate is met: the report can be issued as final."
                                                  : "Draft: the open gates below must be met first (double-click one to open its workpaper).");
        opinion_->SetText(W(text));
        std::string signs;
        for (auto& so : listSignOffs(e, std::string("report")))
            signs += (signs.empty() ? "" : "; ") + so.role + " " + so.person + " " + so.signedAt.substr(0, 10) + (so.stale ? " (STALE: sign again)" : "");
        signoffs_->SetText(W(signs.empty() ? "The report is not signed yet." : "Report signed: " + signs));
        gates_->Freeze();
        gates_->DeleteAllItems();
        gateTargets_.clear();
        for (auto& g : r.gates) {
            long i = gates_->InsertItem(gates_->GetItemCount(), W(g.name));
            gates_->SetItem(i, 1, g.met ? "met" : "OPEN");
            gates_->SetItem(i, 2, W(g.detail));
            gates_->SetItemTextColour(i, g.met ? wxColour(30, 130, 50) : wxColour(190, 30, 30));
            gateTargets_.push_back(g.workpapers.empty() ? "" : g.workpapers.front());
        }
        fitColumns(gates_, 700);
        fitted_ = {gates_->GetColumnWidth(0), gates_->GetColumnWidth(1), gates_->GetColumnWidth(2)};
        shareColumns();
        gates_->Thaw();
        Layout();
    });
}

// The gate's name and its detail share the width: neither pushes the other off.
void ReportPage::shareColumns() {
    const int width = gates_->GetClientSize().x - 8;
    if (width < 300 || fitted_[0] == 0) return;
    int name = fitted_[0], detail = fitted_[2];
    if (name + fitted_[1] + detail > width) {
        name = std::min(name, width * 45 / 100);
        detail = std::max(200, width - name - fitted_[1]);
    }
    gates_->SetColumnWidth(0, name);
    gates_->SetColumnWidth(2, detail);
}

void ReportPage::chooseOpinion() {
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        auto r = report::assemble(bench_.engagement(), templatesDir());
        wxArrayString kinds;
        for (auto* k : {"unmodified", "qualified", "adverse", "disclaimer"}) kinds.Add(k);
        wxSingleChoiceDialog d(this, W("The workpapers propose: " + r.opinionProposed + " (" + r.proposalBasis + ")"), "Opinion", kinds);
        d.SetSelection(std::max(0, kinds.Index(W(r.opinionProposed))));
        if (d.ShowModal() != wxID_OK) return;
        std::string chosen = U(d.GetStringSelection()), rationale;
        if (chosen != r.opinionProposed) {
            wxTextEntryDialog why(this, "Why differ from the proposal? (recorded with your choice)", "Rationale", "", wxOK | wxCANCEL | wxTE_MULTILINE);
            if (why.ShowModal() != wxID_OK) return;
            rationale = U(why.GetValue());
        }
        tickmark::chooseOpinion(bench_.engagement(), a, chosen, rationale);
        bench_.changed();
    });
}

void ReportPage::signReport() {
    guarded(this, [&] {
        const Actor& a = bench_.signedIn();
        auto r = report::assemble(bench_.engagement(), templatesDir());
        if (wxMessageBox(W("Sign the report as engagement partner?\n\nOpinion: " + r.opinionUsed + "\n" +
                           (r.issuable() ? "Every gate is met." : "Some gates are still open: the report stays a draft until they are met.")),
                         "Sign the report", wxYES_NO | wxNO_DEFAULT | wxICON_QUESTION, this) != wxYES)
            return;
        signOff(bench_.engagement(), a, "report", "partner");
        bench_.changed();
    });
}

void ReportPage::askExport(Export what) {
    const char* names[] = {"report.pdf", "report.docx", "report.xlsx", "soc3.pdf", "workpapers.xlsx"};
    const char* filters[] = {"PDF (*.pdf)|*.pdf", "Word document (*.docx)|*.docx", "Excel workbook (*.xlsx)|*.xlsx", "PDF (*.pdf)|*.pdf",
                             "Excel workbook (*.xlsx)|*.xlsx"};
    const auto i = static_cast<int>(what);
    wxFileDialog d(this, "Export", "", names[i], filters[i], wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
    if (d.ShowModal() != wxID_OK) return;
    exportTo(what, U(d.GetPath()), [this, path = d.GetPath()](bool written) {
        if (written && wxMessageBox("Written. Open it?", "Export", wxYES_NO | wxICON_QUESTION, this) == wxYES) wxLaunchDefaultApplication(path);
    });
}

void ReportPage::exportTo(Export what, const std::string& out, std::function<void(bool)> after) {
    guarded(this, [&] {
        const std::filesystem::path path = bench_.engagement().location();  // the URI as given, on a server
        const std::filesystem::path target = out;
        const std::filesystem::path partial = target.parent_path() / ("." + target.filename().string() + ".partial");
        runInBackground(this, "Writing " + W(target.filename().string()),
                        [=](Progress& p) {
                            auto own = Engagement::open(path);
                            const auto tpl = templatesDir();
                            const auto word = tpl / "firm" / "word-template.docx";
                            switch (what) {
                                case Export::Pdf: report::writePdf(report::assemble(own, tpl), partial, report::Output{}, &p); break;
                                case Export::Docx: report::writeDocx(report::assemble(own, tpl), partial, word, &p); break;
                                case Export::Xlsx: report::writeReportXlsx(report::assemble(own, tpl), partial, &p); break;
                                case Export::Soc3Pdf: report::writePdf(report::assembleSoc3(own, tpl), partial, report::Output{}, &p); break;
                                case Export::Workpapers: report::writeWorkpapersXlsx(own, partial, &p); break;
                            }
                        },
                        [this, partial, target, after](const JobEnd& end) {
                            std::error_code ec;
                            // Cancel is honoured even when the writer finished before it looked: nothing is left.
                            if (end.kind != JobEnd::Done || end.cancelRequested) {
                                std::filesystem::remove(partial, ec);
                                if (end.kind == JobEnd::Failed) guarded(this, [&] { end.rethrow(); });
                                else bench_.status("Export cancelled: nothing was written");
                                if (after) after(false);
                                return;
                            }
                            std::filesystem::rename(partial, target, ec);
                            if (ec) {
                                const std::string why = ec.message();
                                std::filesystem::remove(partial, ec);
                                wxMessageBox(W("Could not write " + target.string() + ": " + why), "Export", wxOK | wxICON_ERROR, this);
                                if (after) after(false);
                                return;
                            }
                            bench_.status(W("Written: " + target.string()));
                            if (after) after(true);
                        });
    });
}

}  // namespace tickmark::desk

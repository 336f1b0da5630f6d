#include "app/desk/ui.h"

#include <algorithm>
#include <cstdlib>

#include "report/wording.h"
#include "workpapers/db.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

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

wxColour statusColour(Status s) {
    switch (s) {
        case Status::NotStarted: return wxColour(170, 170, 170);
        case Status::InProgress: return wxColour(230, 180, 30);
        case Status::Prepared: return wxColour(60, 120, 220);
        case Status::Reviewed: return wxColour(40, 160, 70);
        case Status::Stale: return wxColour(240, 120, 20);
        case Status::OpenNotes: return wxColour(210, 40, 40);
        case Status::Exceptions: return wxColour(140, 60, 180);
        default: return wxColour(255, 255, 255);
    }
}

wxFont markFont(int pointSize) {
    // DejaVu Sans has ✓ and ⊗; the circled letters (Ⓘ Ⓡ Ⓞ) come from the shipped Noto Sans Symbols,
    // which Pango falls back to glyph by glyph once the app has registered it (DeskApp::OnInit).
    wxFont f = wxSystemSettings::GetFont(wxSYS_DEFAULT_GUI_FONT);
    if (pointSize > 0) f.SetPointSize(pointSize);
    wxFont dejavu(wxFontInfo(f.GetPointSize()).FaceName("DejaVu Sans"));
    return dejavu.IsOk() ? dejavu : f;
}

void showTablePreview(wxGrid* grid, const TablePreview& p) {
    if (grid->GetNumberRows()) grid->DeleteRows(0, grid->GetNumberRows());
    if (grid->GetNumberCols()) grid->DeleteCols(0, grid->GetNumberCols());
    grid->AppendCols(static_cast<int>(p.header.size()));
    grid->AppendRows(static_cast<int>(p.rows.size()));
    for (std::size_t c = 0; c < p.header.size(); ++c) grid->SetColLabelValue(static_cast<int>(c), W(p.header[c]));
    for (std::size_t r = 0; r < p.rows.size(); ++r)
        for (std::size_t c = 0; c < p.rows[r].size(); ++c) grid->SetCellValue(static_cast<int>(r), static_cast<int>(c), W(p.rows[r][c]));
    grid->AutoSizeColumns(false);
}

void fitColumns(wxListCtrl* list, int cap) {
    for (int c = 0; c < list->GetColumnCount(); ++c) {
        list->SetColumnWidth(c, wxLIST_AUTOSIZE_USEHEADER);
        const int header = list->GetColumnWidth(c);
        list->SetColumnWidth(c, wxLIST_AUTOSIZE);
        list->SetColumnWidth(c, std::min(cap, std::max(header, list->GetColumnWidth(c)) + 8));
    }
}

// wxST_NO_AUTORESIZE: Wrap() must not resize the label itself, or the size event it raises wraps again.
WrapText::WrapText(wxWindow* parent, const wxString& text)
    : wxStaticText(parent, wxID_ANY, text, wxDefaultPosition, wxDefaultSize, wxST_NO_AUTORESIZE), text_(text) {
    SetMinSize(wxSize(200, -1));
    Bind(wxEVT_SIZE, [this](wxSizeEvent& ev) {
        ev.Skip();
        const int w = ev.GetSize().x;
        if (w <= 0 || std::abs(w - wrappedAt_) < 8) return;
        wrappedAt_ = w;
        SetLabel(text_);
        Wrap(w);
        // The new line count changes the height the sizer gives it: lay the parent out once more.
        CallAfter([this] {
            InvalidateBestSize();
            GetParent()->Layout();
        });
    });
}

void WrapText::SetText(const wxString& text) {
    text_ = text;
    SetLabel(text);
    const int w = GetSize().x;
    if (w > 0) Wrap(w), wrappedAt_ = w;
    InvalidateBestSize();
}

std::string thousands(long long n) { return report::wording::withThousands(n); }

void settleDialog(wxDialog* d, wxWindow* first, wxSize minimum) {
    d->SetWindowStyleFlag(d->GetWindowStyleFlag() | wxRESIZE_BORDER);
    d->SetEscapeId(wxID_CANCEL);
    d->Layout();
    wxSize best = d->GetSizer() ? d->GetSizer()->ComputeFittingWindowSize(d) : d->GetBestSize();
    best.IncTo(minimum);
    const wxRect screen = wxGetClientDisplayRect();
    best.DecTo(wxSize(screen.width - 40, screen.height - 40));
    d->SetMinSize(minimum);
    d->SetSize(best);
    d->CentreOnParent();
    if (!first) return;
    first->SetFocus();
    // GTK gives the focus to the default button when the window maps: take it back once shown.
    d->Bind(wxEVT_SHOW, [d, first](wxShowEvent& ev) {
        ev.Skip();
        if (ev.IsShown()) d->CallAfter([first] { first->SetFocus(); });
    });
}

}  // namespace tickmark::desk

#pragma once
// What every view of the desktop app shares: text between wx and the library (UTF-8 both ways), the
// one place a library error becomes a message, the status colours, a font that has the tick mark
// glyphs, and a few layout helpers.
#include <wx/grid.h>
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <functional>
#include <string>

#include "app/presenters/navigator.h"
#include "workpapers/readers/table_source.h"

namespace tickmark::desk {

inline wxString W(const std::string& s) { return wxString::FromUTF8(s); }
inline std::string U(const wxString& s) { return std::string(s.utf8_str()); }

// Inside the handler of an action's exception: the message a user understands, details on demand.
void showFailure(wxWindow* parent);

// Runs an action; a library error becomes a message a user understands, with the details on demand.
// A write the action committed stays done: a failure after it (showing the result) says so.
bool guarded(wxWindow* parent, const std::function<void()>& f);

wxColour statusColour(Status s);

// A font with the tick mark glyphs (✓ ⊗ ✗ † ‡ ^ ...): the shipped DejaVu Sans when fontconfig has it,
// otherwise the system's default GUI font. `pointSize` 0 keeps the default size.
wxFont markFont(int pointSize = 0);

// The first rows of a file, as delivered, in a grid.
void showTablePreview(wxGrid* grid, const TablePreview& p);

// Each column as wide as its widest cell or its header, whichever is wider, capped at `cap` pixels.
void fitColumns(wxListCtrl* list, int cap = 480);

// A label that wraps its text to the width it is given, again whenever that width changes (a plain
// wxStaticText wraps once, at whatever width it had then, and is clipped after a resize).
class WrapText : public wxStaticText {
public:
    WrapText(wxWindow* parent, const wxString& text = "");
    void SetText(const wxString& text);

private:
    wxString text_;
    int wrappedAt_ = -1;
};

// An integer written with thousands separators: 1000005 -> "1,000,005".
std::string thousands(long long n);

// A dialog that behaves: resizable, sized to its content but not below `minimum`, focus on `first`,
// Escape cancels; the OK button is not the default one a typed space could press while focus is in a
// text field (Enter in a single-line field confirms through wxTE_PROCESS_ENTER handlers instead).
void settleDialog(wxDialog* d, wxWindow* first, wxSize minimum = wxSize(480, 320));

}  // namespace tickmark::desk

#pragma once
// File > Open on server: an engagement on the team's PostgreSQL server, by its connection URI
// (postgresql://you@host/database). A password typed here is handed to the server client for this
// program's connections (PGPASSWORD) and never written down; the URI, without it, joins the recent files.
#include <wx/wx.h>

#include <string>

namespace tickmark::desk {

class OpenServerDialog : public wxDialog {
public:
    OpenServerDialog(wxWindow* parent, const wxString& last);
    // The URI to open; call after ShowModal returned wxID_OK.
    std::string location() const;

private:
    void accept();
    wxTextCtrl* uri_;
    wxTextCtrl* password_;
};

}  // namespace tickmark::desk

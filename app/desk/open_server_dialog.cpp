#include "app/desk/open_server_dialog.h"

#include <cstdlib>

#include "app/desk/ui.h"
#include "workpapers/db.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

OpenServerDialog::OpenServerDialog(wxWindow* parent, const wxString& last)
    : wxDialog(parent, wxID_ANY, "Open an engagement on the server", wxDefaultPosition, wxDefaultSize,
               wxDEFAULT_DIALOG_STYLE | wxRESIZE_BORDER) {
    uri_ = new wxTextCtrl(this, wxID_ANY, last, wxDefaultPosition, wxSize(460, -1), wxTE_PROCESS_ENTER);
    uri_->SetHint("postgresql://you@db.firm.example/acme_fy26");
    password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    password_->SetHint("leave empty to use ~/.pgpass");
    auto* g = new wxFlexGridSizer(2, 6, 10);
    g->Add(new wxStaticText(this, wxID_ANY, "Engagement"), 0, wxALIGN_CENTER_VERTICAL), g->Add(uri_, 1, wxEXPAND);
    g->Add(new wxStaticText(this, wxID_ANY, "Server password"), 0, wxALIGN_CENTER_VERTICAL), g->Add(password_, 1, wxEXPAND);
    g->AddGrowableCol(1);
    auto* s = new wxBoxSizer(wxVERTICAL);
    auto* about = new wxStaticText(this, wxID_ANY, "One database per engagement, on the firm's PostgreSQL server. You sign in to the "
                                                   "server as your own role; then to the engagement as a team member, as with a file.");
    about->Wrap(520);
    s->Add(about, 0, wxEXPAND | wxALL, 8);
    s->Add(g, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* ok = new wxButton(this, wxID_OK, "Open");
    buttons->Add(ok);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    settleDialog(this, uri_, wxSize(560, 220));
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { accept(); });
    uri_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { accept(); });
    password_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { accept(); });
}

void OpenServerDialog::accept() {
    if (!guarded(this, [&] {
            if (!db::isServerLocation(location()))
                throw InputError("an engagement on a server is a postgresql:// URI, e.g. postgresql://you@db.firm.example/acme_fy26");
            // For this program's connections only (the background work opens its own): libpq reads it.
            if (!password_->IsEmpty()) ::setenv("PGPASSWORD", U(password_->GetValue()).c_str(), 1);
        }))
        return;
    EndModal(wxID_OK);
}

std::string OpenServerDialog::location() const { return U(uri_->GetValue().Trim().Trim(false)); }

}  // namespace tickmark::desk

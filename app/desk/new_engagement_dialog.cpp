#include "app/desk/new_engagement_dialog.h"

#include "workpapers/errors.h"

namespace tickmark::desk {
namespace {
wxString W(const std::string& s) { return wxString::FromUTF8(s); }
std::string U(const wxString& s) { return std::string(s.utf8_str()); }
}  // namespace

NewEngagementDialog::NewEngagementDialog(wxWindow* parent)
    : wxDialog(parent, wxID_ANY, "New engagement", wxDefaultPosition, wxSize(560, 640)) {
    client_ = new wxTextCtrl(this, wxID_ANY, "");
    system_ = new wxTextCtrl(this, wxID_ANY, "");
    type_ = new wxChoice(this, wxID_ANY);
    type_->Append("Type II: operating effectiveness over a period"), type_->Append("Type I: design as of a date");
    type_->SetSelection(0);
    start_ = new wxTextCtrl(this, wxID_ANY, "2025-07-01");
    end_ = new wxTextCtrl(this, wxID_ANY, "2026-06-30");
    partner_ = new wxTextCtrl(this, wxID_ANY, "");
    initials_ = new wxTextCtrl(this, wxID_ANY, "");
    password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    again_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    reviewer_ = new wxCheckBox(this, wxID_ANY, "The partner also reviews workpapers");
    reviewer_->SetValue(true);
    auto* g = new wxFlexGridSizer(2, 6, 10);
    auto row = [&](const char* l, wxWindow* w) { g->Add(new wxStaticText(this, wxID_ANY, l), 0, wxALIGN_CENTER_VERTICAL), g->Add(w, 1, wxEXPAND); };
    row("Client (service organization)", client_);
    row("System", system_);
    row("Report", type_);
    row("Period start (Type I: the date)", start_);
    row("Period end", end_);
    row("Engagement partner", partner_);
    row("Partner's initials", initials_);
    row("Partner's password (8+ characters)", password_);
    row("The password again", again_);
    g->AddGrowableCol(1);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(g, 0, wxEXPAND | wxALL, 10);
    s->Add(reviewer_, 0, wxLEFT, 10);
    s->Add(new wxStaticText(this, wxID_ANY, "Categories in scope (Security always):"), 0, wxLEFT | wxTOP, 10);
    for (auto& c : allCategories()) {
        auto* box = new wxCheckBox(this, wxID_ANY, W(c.name));
        if (std::string(c.code) == "security") box->SetValue(true), box->Disable();
        boxes_.emplace_back(c.code, box);
        s->Add(box, 0, wxLEFT | wxTOP, 6);
    }
    s->AddStretchSpacer();
    s->Add(CreateButtonSizer(wxOK | wxCANCEL), 0, wxEXPAND | wxALL, 10);
    SetSizer(s);
}

EngagementSetup NewEngagementDialog::setup() const {
    EngagementSetup st;
    st.client = U(client_->GetValue());
    st.systemName = U(system_->GetValue());
    st.reportType = type_->GetSelection() == 0 ? ReportType::TypeII : ReportType::TypeI;
    auto a = parseIsoDate(U(start_->GetValue())), b = parseIsoDate(U(end_->GetValue()));
    if (!a) throw InputError("the start date \"" + U(start_->GetValue()) + "\": write it as YYYY-MM-DD");
    if (st.reportType == ReportType::TypeII) {
        if (!b) throw InputError("the end date \"" + U(end_->GetValue()) + "\": write it as YYYY-MM-DD");
        st.periodStart = a, st.periodEnd = b;
    } else {
        st.asOf = a;
    }
    for (auto& [code, box] : boxes_)
        if (box->GetValue()) st.categories.push_back(code);
    return st;
}

std::string NewEngagementDialog::partnerName() const { return U(partner_->GetValue()); }
std::string NewEngagementDialog::partnerInitials() const { return U(initials_->GetValue()); }
std::vector<std::string> NewEngagementDialog::partnerRoles() const {
    if (reviewer_->GetValue()) return {"partner", "reviewer"};
    return {"partner"};
}
std::string NewEngagementDialog::partnerPassword() const {
    if (password_->GetValue() != again_->GetValue()) throw InputError("the two password entries differ");
    return U(password_->GetValue());
}

}  // namespace tickmark::desk

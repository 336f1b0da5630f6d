#include "app/desk/new_engagement_dialog.h"

#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {
namespace {
// The zones most clients report in; any IANA name can be typed.
const char* const kZones[] = {"America/New_York", "America/Chicago", "America/Denver", "America/Los_Angeles", "America/Phoenix",
                              "America/Toronto", "Europe/London", "Europe/Dublin", "Europe/Berlin", "Asia/Kolkata", "Asia/Singapore",
                              "Australia/Sydney", "UTC"};
}  // namespace

NewEngagementDialog::NewEngagementDialog(wxWindow* parent)
    : wxDialog(parent, wxID_ANY, "New engagement") {
    client_ = new wxTextCtrl(this, wxID_ANY, "");
    system_ = new wxTextCtrl(this, wxID_ANY, "");
    type_ = new wxChoice(this, wxID_ANY);
    type_->Append("Type II: operating effectiveness over a period"), type_->Append("Type I: design as of a date");
    type_->SetSelection(0);
    start_ = new wxTextCtrl(this, wxID_ANY, "2025-07-01");
    end_ = new wxTextCtrl(this, wxID_ANY, "2026-06-30");
    zone_ = new wxComboBox(this, wxID_ANY, "");
    for (auto* z : kZones) zone_->Append(z);
    zone_->SetHint("e.g. America/New_York (blank: UTC)");
    partner_ = new wxTextCtrl(this, wxID_ANY, "");
    initials_ = new wxTextCtrl(this, wxID_ANY, "");
    password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    again_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    reviewer_ = new wxCheckBox(this, wxID_ANY, "The partner also reviews workpapers");
    reviewer_->SetValue(true);
    encrypt_ = new wxCheckBox(this, wxID_ANY, "Encrypt the file (only the team opens it)");
    const char* encryptNew = std::getenv("TICKMARK_ENCRYPT_NEW");  // the firm's default, as for `tickmark new`
    encrypt_->SetValue(encryptNew && std::string(encryptNew) == "1");
    auto* g = new wxFlexGridSizer(2, 6, 10);
    auto row = [&](const char* l, wxWindow* w) { g->Add(new wxStaticText(this, wxID_ANY, l), 0, wxALIGN_CENTER_VERTICAL), g->Add(w, 1, wxEXPAND); };
    row("Client (service organization)", client_);
    row("System", system_);
    row("Report", type_);
    row("Period start (Type I: the date)", start_);
    row("Period end", end_);
    row("Client's time zone", zone_);
    row("Engagement partner", partner_);
    row("Partner's initials", initials_);
    row("Partner's password (8+ characters)", password_);
    row("The password again", again_);
    g->AddGrowableCol(1);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(g, 0, wxEXPAND | wxALL, 10);
    s->Add(reviewer_, 0, wxLEFT, 10);
    s->Add(encrypt_, 0, wxLEFT | wxTOP, 10);
    s->Add(new wxStaticText(this, wxID_ANY, "Categories in scope (Security always):"), 0, wxLEFT | wxTOP, 10);
    for (auto& c : allCategories()) {
        auto* box = new wxCheckBox(this, wxID_ANY, W(c.name));
        if (std::string(c.code) == "security") box->SetValue(true), box->Disable();
        boxes_.emplace_back(c.code, box);
        s->Add(box, 0, wxLEFT | wxTOP, 6);
    }
    s->AddStretchSpacer();
    // No default button: a space typed while the focus is still on a button would create the file.
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->Add(new wxStaticText(this, wxID_ANY, "Add the rest of the team next (Engagement > Team)."), 1, wxALIGN_CENTER_VERTICAL);
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    buttons->Add(new wxButton(this, wxID_OK, "&Create..."));
    s->Add(buttons, 0, wxEXPAND | wxALL, 10);
    SetSizer(s);
    settleDialog(this, client_, wxSize(520, 560));
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
    const std::string zone = U(zone_->GetValue().Trim().Trim(false));
    if (!zone.empty()) st.timeZone = zone;
    st.encrypted = encrypt_->GetValue();
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

#include "app/desk/team_dialog.h"

#include <boost/algorithm/string/join.hpp>

#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

TeamDialog::TeamDialog(wxWindow* parent, Engagement& e, const std::optional<Actor>& actor, std::function<void(const Actor&)> partnerCreated)
    : wxDialog(parent, wxID_ANY, "Engagement team"), e_(e), actor_(actor), partnerCreated_(std::move(partnerCreated)) {
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(520, 160), wxLC_REPORT | wxLC_SINGLE_SEL);
    for (auto* h : {"Initials", "Name", "Roles"}) list_->AppendColumn(h);
    name_ = new wxTextCtrl(this, wxID_ANY, "");
    initials_ = new wxTextCtrl(this, wxID_ANY, "");
    password_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD);
    again_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PASSWORD | wxTE_PROCESS_ENTER);
    preparer_ = new wxCheckBox(this, wxID_ANY, "preparer");
    reviewer_ = new wxCheckBox(this, wxID_ANY, "reviewer");
    partner_ = new wxCheckBox(this, wxID_ANY, "partner");
    auto* g = new wxFlexGridSizer(2, 6, 10);
    auto row = [&](const char* l, wxWindow* w) { g->Add(new wxStaticText(this, wxID_ANY, l), 0, wxALIGN_CENTER_VERTICAL), g->Add(w, 1, wxEXPAND); };
    row("Name", name_);
    row("Initials", initials_);
    auto* roles = new wxBoxSizer(wxHORIZONTAL);
    for (auto* b : {preparer_, reviewer_, partner_}) roles->Add(b, 0, wxRIGHT, 10);
    g->Add(new wxStaticText(this, wxID_ANY, "Roles"), 0, wxALIGN_CENTER_VERTICAL), g->Add(roles);
    row("Password (8+ characters)", password_);
    row("The password again", again_);
    g->AddGrowableCol(1);
    auto* addButton = new wxButton(this, wxID_ANY, "&Add the member");
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->Add(addButton);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Close"));
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(list_, 1, wxEXPAND | wxALL, 8);
    s->Add(new wxStaticText(this, wxID_ANY, "Add a member"), 0, wxLEFT | wxRIGHT, 8);
    s->Add(g, 0, wxEXPAND | wxALL, 8);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    fill();
    settleDialog(this, name_, wxSize(520, 460));
    addButton->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) { add(); });
    again_->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) { add(); });
}

void TeamDialog::fill() {
    list_->DeleteAllItems();
    for (auto& p : team(e_)) {
        long i = list_->InsertItem(list_->GetItemCount(), W(p.initials));
        list_->SetItem(i, 1, W(p.name));
        list_->SetItem(i, 2, W(boost::algorithm::join(p.roles, ", ")));
    }
    fitColumns(list_, 300);
    if (list_->GetItemCount() == 0) partner_->SetValue(true), reviewer_->SetValue(true);
}

void TeamDialog::add() {
    guarded(this, [&] {
        std::vector<std::string> roles;
        for (auto* b : {preparer_, reviewer_, partner_})
            if (b->GetValue()) roles.push_back(U(b->GetLabel()));
        if (U(name_->GetValue()).empty() || U(initials_->GetValue()).empty()) throw InputError("give the member's name and initials");
        if (roles.empty()) throw InputError("tick at least one role");
        if (password_->GetValue() != again_->GetValue()) throw InputError("the two password entries differ");
        if (team(e_).empty()) {
            auto partner = addEngagementPartner(e_, U(name_->GetValue()), U(initials_->GetValue()), roles, U(password_->GetValue()));
            if (partnerCreated_) partnerCreated_(partner);
        } else {
            if (!actor_) throw InputError("sign in as a partner first (Engagement > Sign in): only a partner adds team members");
            addPerson(e_, *actor_, U(name_->GetValue()), U(initials_->GetValue()), roles, U(password_->GetValue()));
        }
        for (auto* t : {name_, initials_, password_, again_}) t->Clear();
        for (auto* b : {preparer_, reviewer_, partner_}) b->SetValue(false);
        fill();
        name_->SetFocus();
    });
}

}  // namespace tickmark::desk

#include "app/desk/exception_dialog.h"

#include <wx/scrolwin.h>

#include <boost/algorithm/string/join.hpp>

#include "app/desk/ui.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

ExceptionDialog::ExceptionDialog(wxWindow* parent, Engagement& e, const Actor& a, std::int64_t id)
    : wxDialog(parent, wxID_ANY, "Exception"), e_(e), a_(a), id_(id), seen_(trailHead(e)) {
    bool found = false;
    for (auto& x : listExceptions(e))
        if (x.id == id) x_ = x, found = true;
    if (!found) throw InputError("exception " + std::to_string(id) + " is not in this engagement");
    SetTitle(W("Exception: " + x_.control + ", attribute " + x_.letter));

    auto* fields = new wxScrolledWindow(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxVSCROLL | wxTAB_TRAVERSAL);
    fields->SetScrollRate(0, 12);
    auto* f = new wxBoxSizer(wxVERTICAL);
    auto* head = new wxStaticText(fields, wxID_ANY, W(x_.control + ", attribute " + x_.letter + " (" + x_.question + "): " +
                                                      std::to_string(x_.deviations) + " of " + std::to_string(x_.tested) + " deviated"));
    head->SetFont(head->GetFont().Bold());
    f->Add(head, 0, wxALL, 8);
    auto field = [&](const char* label, const std::string& value, bool multi) {
        f->Add(new wxStaticText(fields, wxID_ANY, label), 0, wxLEFT | wxRIGHT | wxTOP, 8);
        // A single-line field confirms the form with Enter; a multi-line one takes line breaks.
        auto* t = new wxTextCtrl(fields, wxID_ANY, W(value), wxDefaultPosition, wxSize(-1, multi ? 64 : -1),
                                 multi ? wxTE_MULTILINE : wxTE_PROCESS_ENTER);
        f->Add(t, multi ? 1 : 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
        if (!multi) t->Bind(wxEVT_TEXT_ENTER, [this](wxCommandEvent&) {
            if (guarded(this, [&] { save(); })) EndModal(wxID_OK);
        });
        return t;
    };
    description_ = field("What happened", x_.description, true);
    cause_ = field("Cause", x_.cause, false);
    nature_ = new wxChoice(fields, wxID_ANY);
    for (auto* n : {"undetermined", "isolated", "systemic"}) nature_->Append(n);
    if (!nature_->SetStringSelection(W(x_.nature))) nature_->SetSelection(0);
    f->Add(new wxStaticText(fields, wxID_ANY, "Isolated or systemic"), 0, wxLEFT | wxTOP, 8);
    f->Add(nature_, 0, wxLEFT, 8);
    response_ = field("Management's response", x_.managementResponse, true);
    criteria_ = field("Related criteria (e.g. CC8.1, CC7.2)", boost::algorithm::join(x_.criteria, ", "), false);
    conclusion_ = field("Auditor's conclusion", x_.auditorConclusion, true);
    met_ = new wxChoice(fields, wxID_ANY);
    for (auto* m : {"not concluded", "criteria still met", "criteria not met"}) met_->Append(m);
    met_->SetSelection(x_.criteriaMet ? (*x_.criteriaMet ? 1 : 2) : 0);
    f->Add(new wxStaticText(fields, wxID_ANY, "Are the related criteria still met?"), 0, wxLEFT | wxTOP, 8);
    f->Add(met_, 0, wxLEFT | wxBOTTOM, 8);
    fields->SetSizer(f);
    fields->FitInside();

    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* ok = new wxButton(this, wxID_OK, "Save");
    buttons->Add(ok);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(fields, 1, wxEXPAND);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    fields->SetMinSize(wxSize(560, 420));
    settleDialog(this, description_, wxSize(520, 360));
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (guarded(this, [&] { save(); })) EndModal(wxID_OK);
    });
}

void ExceptionDialog::save() {
    std::vector<std::pair<std::string, std::string>> changed;
    auto put = [&](const char* field, const std::string& now, const std::string& before) {
        if (now != before) changed.emplace_back(field, now);
    };
    put("description", U(description_->GetValue()), x_.description);
    put("cause", U(cause_->GetValue()), x_.cause);
    put("nature", U(nature_->GetStringSelection()), x_.nature);
    put("management-response", U(response_->GetValue()), x_.managementResponse);
    const std::string crit = boost::algorithm::join(x_.criteria, ", ");
    if (!U(criteria_->GetValue()).empty()) put("criteria", U(criteria_->GetValue()), crit);
    put("conclusion", U(conclusion_->GetValue()), x_.auditorConclusion);
    if (met_->GetSelection() > 0)
        put("criteria-met", met_->GetSelection() == 1 ? "yes" : "no", x_.criteriaMet ? (*x_.criteriaMet ? "yes" : "no") : "");
    if (changed.empty()) return;
    // One transaction: a refused field leaves the others unsaved too; refused whole when another member
    // changed this exception after the form was filled (ConflictError names them).
    updateException(e_, a_, id_, changed, "", seen_);
    // What was saved is the new "before": a second Save writes nothing again.
    for (auto& x : listExceptions(e_))
        if (x.id == id_) x_ = x;
}

}  // namespace tickmark::desk

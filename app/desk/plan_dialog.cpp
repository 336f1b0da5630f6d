#include "app/desk/plan_dialog.h"

#include <array>

#include "app/desk/ui.h"
#include "sampling/selection.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

PlanDialog::PlanDialog(wxWindow* parent, Engagement& e, std::int64_t populationId, std::optional<Actor> actor)
    : wxDialog(parent, wxID_ANY, "Plan and draw a selection"), planner_(e, populationId), actor_(std::move(actor)) {
    method_ = new wxRadioBox(this, wxID_ANY, "Sample size", wxDefaultPosition, wxDefaultSize,
                             wxArrayString(2, std::array<wxString, 2>{"Firm's frequency table", "Statistical (attribute)"}.data()));
    risk_ = new wxChoice(this, wxID_ANY);
    risk_->Append("lower"), risk_->Append("higher"), risk_->SetSelection(0);
    confidence_ = new wxTextCtrl(this, wxID_ANY, "0.95", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    tolerable_ = new wxTextCtrl(this, wxID_ANY, "0.05", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    expected_ = new wxTextCtrl(this, wxID_ANY, "0", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    selection_ = new wxChoice(this, wxID_ANY);
    for (auto* m : {"random", "systematic", "stratified"}) selection_->Append(m);
    selection_->SetSelection(0);
    seed_ = new wxTextCtrl(this, wxID_ANY, std::to_string(sampling::osSeed()));
    result_ = new wxStaticText(this, wxID_ANY, "\n\n");
    auto* g = new wxFlexGridSizer(2, 6, 10);
    auto row = [&](const char* l, wxWindow* w) { g->Add(new wxStaticText(this, wxID_ANY, l), 0, wxALIGN_CENTER_VERTICAL), g->Add(w, 1, wxEXPAND); };
    row("Risk (frequency table)", risk_);
    row("Confidence", confidence_);
    row("Tolerable rate", tolerable_);
    row("Expected rate", expected_);
    row("Selection method", selection_);
    row("Seed (shown, editable)", seed_);
    g->AddGrowableCol(1);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(new wxStaticText(this, wxID_ANY, W("Control " + planner_.control() + ", " + thousands(planner_.frameSize()) + " items in the period")), 0,
           wxALL, 8);
    s->Add(method_, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
    s->Add(g, 0, wxEXPAND | wxALL, 8);
    s->Add(result_, 1, wxEXPAND | wxALL, 8);
    auto* b = new wxBoxSizer(wxHORIZONTAL);
    auto* compute = new wxButton(this, wxID_ANY, "&Compute size");
    b->Add(compute), b->AddStretchSpacer(), b->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* draw = new wxButton(this, wxID_OK, "&Draw");
    b->Add(draw);
    s->Add(b, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    settleDialog(this, method_, wxSize(560, 460));
    auto recompute = [this](wxCommandEvent&) { guarded(this, [&] { computeSize(); }); };
    compute->Bind(wxEVT_BUTTON, recompute);
    method_->Bind(wxEVT_RADIOBOX, recompute);
    risk_->Bind(wxEVT_CHOICE, recompute);
    for (auto* t : {confidence_, tolerable_, expected_}) t->Bind(wxEVT_TEXT_ENTER, recompute);
    draw->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        guarded(this, [&] {
            computeSize();
            if (!actor_) throw InputError("sign in first (Engagement > Sign in): the selection is recorded under your name");
            drawn = planner_.draw(*actor_, plan_, U(selection_->GetStringSelection()), U(seed_->GetValue()));
            EndModal(wxID_OK);
        });
    });
    guarded(this, [&] { computeSize(); });
}

void PlanDialog::computeSize() {
    const bool byTable = method_->GetSelection() == 0;
    risk_->Enable(byTable);
    for (auto* t : {confidence_, tolerable_, expected_}) t->Enable(!byTable);
    plan_ = byTable ? planner_.byFrequency("", U(risk_->GetStringSelection()))
                    : planner_.byAttributes(U(confidence_->GetValue()), U(tolerable_->GetValue()), U(expected_->GetValue()));
    result_->SetLabel(W("Sample size " + thousands(plan_.size) + "\nBasis: " + plan_.basis));
    result_->Wrap(std::max(300, GetClientSize().x - 24));
    Layout();
}

}  // namespace tickmark::desk

#include "app/desk/dashboard_page.h"

#include <boost/algorithm/string/join.hpp>

#include "app/desk/ui.h"
#include "app/presenters/dashboard.h"
#include "workpapers/dates.h"

namespace tickmark::desk {

namespace {
wxListCtrl* table(wxWindow* parent, const std::vector<std::pair<const char*, int>>& columns) {
    auto* l = new wxListCtrl(parent, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL);
    for (auto& [name, chars] : columns) l->AppendColumn(name, wxLIST_FORMAT_LEFT, chars * parent->GetCharWidth());
    return l;
}

const wxColour kOpen(180, 30, 30), kMet(30, 130, 50);
}  // namespace

DashboardPage::DashboardPage(wxWindow* parent, std::function<void(const std::string&)> openWorkpaper)
    : wxPanel(parent), open_(std::move(openWorkpaper)) {
    engagement_ = new wxStaticText(this, wxID_ANY, "");
    headline_ = new wxStaticText(this, wxID_ANY, "");
    headline_->SetFont(headline_->GetFont().Bold());
    opinion_ = new wxStaticText(this, wxID_ANY, "");
    gates_ = table(this, {{"Gate", 52}, {"", 6}, {"Detail", 70}});
    controls_ = table(this, {{"Control", 8}, {"Status", 11}, {"Results", 9}, {"Dev.", 5}, {"Notes", 6}, {"Prepared", 12}, {"Reviewed", 12}});
    team_ = table(this, {{"Member", 17}, {"Roles", 13}, {"Results", 7}, {"Prep.", 5}, {"Rev.", 5}, {"Notes", 6}});

    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(engagement_, 0, wxLEFT | wxRIGHT | wxTOP, 8);
    s->Add(headline_, 0, wxLEFT | wxRIGHT | wxTOP, 8);
    s->Add(opinion_, 0, wxALL, 8);
    s->Add(new wxStaticText(this, wxID_ANY, "Before the report is issued (double-click an open gate to go to its workpaper)"), 0, wxLEFT, 8);
    s->Add(gates_, 3, wxEXPAND | wxALL, 8);
    auto* lower = new wxBoxSizer(wxHORIZONTAL);
    auto* left = new wxBoxSizer(wxVERTICAL);
    left->Add(new wxStaticText(this, wxID_ANY, "By control"), 0, wxBOTTOM, 4);
    left->Add(controls_, 1, wxEXPAND);
    auto* right = new wxBoxSizer(wxVERTICAL);
    right->Add(new wxStaticText(this, wxID_ANY, "By team member"), 0, wxBOTTOM, 4);
    right->Add(team_, 1, wxEXPAND);
    lower->Add(left, 1, wxEXPAND | wxRIGHT, 8);
    lower->Add(right, 1, wxEXPAND);
    s->Add(lower, 4, wxEXPAND | wxLEFT | wxRIGHT | wxBOTTOM, 8);
    SetSizer(s);

    Bind(wxEVT_SIZE, [this](wxSizeEvent& ev) {
        ev.Skip();
        CallAfter([this] { fit(); });
    });
    gates_->Bind(wxEVT_LIST_ITEM_ACTIVATED, [this](wxListEvent& ev) {
        const auto row = static_cast<std::size_t>(ev.GetIndex());
        if (row < gateTargets_.size() && !gateTargets_[row].empty() && open_) open_(gateTargets_[row].front());
    });
}

void DashboardPage::show(Engagement& e) {
    const auto d = dashboardOf(e);
    const auto setup = e.setup();
    engagement_->SetLabel(W(setup.client + " — " + setup.systemName + " · SOC 2 " +
                             (setup.reportType == ReportType::TypeII
                                  ? "Type II, " + isoString(*setup.periodStart) + " to " + isoString(*setup.periodEnd)
                                  : "Type I, as of " + isoString(*setup.asOf)) +
                             " · " + boost::algorithm::join(setup.categories, ", ")));
    const auto n = static_cast<std::int64_t>(d.controls.size());
    headlineText_ = (W(std::to_string(d.tested()) + " of " + std::to_string(n) + " controls tested and reviewed · " +
                           std::to_string(d.notStarted()) + " not started · " + std::to_string(d.openNotes.size()) + " open review notes · " +
                           std::to_string(d.awaitingConclusion.size()) + " exceptions awaiting a conclusion · " +
                           std::to_string(d.staleSignOffs.size()) + " stale sign-offs · " + std::to_string(d.gatesOpen) + " of " +
                           std::to_string(d.gates.size()) + " gates open"));
    opinionText_ = (W("Proposed opinion: " + d.proposedOpinion + " (" + d.proposalBasis + ")   Chosen: " +
                          (d.chosenOpinion ? *d.chosenOpinion + " by " + d.chosenBy.value_or("") + (d.choiceStale ? " (STALE: choose again)" : "")
                                           : std::string("not yet"))));

    gates_->DeleteAllItems();
    gateTargets_.clear();
    for (auto& g : d.gates) {
        const long i = gates_->InsertItem(gates_->GetItemCount(), W(g.name));
        gates_->SetItem(i, 1, g.met ? "met" : "OPEN");
        gates_->SetItem(i, 2, W(g.detail));
        gates_->SetItemTextColour(i, g.met ? kMet : kOpen);
        gateTargets_.push_back(g.workpapers);
    }
    controls_->DeleteAllItems();
    for (auto& c : d.controls) {
        const long i = controls_->InsertItem(controls_->GetItemCount(), W(c.control));
        controls_->SetItem(i, 1, statusLabel(c.status));
        controls_->SetItem(i, 2, c.planned ? W(std::to_string(c.recorded) + " of " + std::to_string(c.expected)) : "no plan");
        controls_->SetItem(i, 3, c.deviations ? W(std::to_string(c.deviations)) : "");
        controls_->SetItem(i, 4, c.openNotes ? W(std::to_string(c.openNotes)) : "");
        controls_->SetItem(i, 5, W(c.preparedBy));
        controls_->SetItem(i, 6, W(c.reviewedBy + (c.staleSignOff ? " (stale)" : "")));
        if (c.openNotes || c.staleSignOff || c.deviations) controls_->SetItemTextColour(i, kOpen);
    }
    team_->DeleteAllItems();
    for (auto& m : d.team) {
        const long i = team_->InsertItem(team_->GetItemCount(), W(m.name + " (" + m.initials + ")"));
        team_->SetItem(i, 1, W(boost::algorithm::join(m.roles, ", ")));
        team_->SetItem(i, 2, W(std::to_string(m.resultsRecorded)));
        team_->SetItem(i, 3, W(std::to_string(m.prepared)));
        team_->SetItem(i, 4, W(std::to_string(m.reviewed)));
        team_->SetItem(i, 5, W(std::to_string(m.notesRaisedOpen)));
    }
    fit();
}

void DashboardPage::fit() {
    const int width = std::max(300, GetClientSize().GetWidth() - 16);
    headline_->SetLabel(headlineText_);
    headline_->Wrap(width);
    opinion_->SetLabel(opinionText_);
    opinion_->Wrap(width);
    // The gate's detail takes what the name leaves.
    gates_->SetColumnWidth(2, std::max(200, gates_->GetClientSize().GetWidth() - gates_->GetColumnWidth(0) - gates_->GetColumnWidth(1)));
    Layout();
}

}  // namespace tickmark::desk

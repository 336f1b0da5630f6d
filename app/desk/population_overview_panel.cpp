#include "app/desk/population_overview_panel.h"

#include "app/presenters/population_overview.h"

namespace tickmark::desk {

PopulationOverviewPanel::PopulationOverviewPanel(wxWindow* parent) : wxPanel(parent) {
    list_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxLC_REPORT | wxLC_SINGLE_SEL | wxLC_NO_HEADER);
    list_->AppendColumn("");
    list_->AppendColumn("");
    // About six lines: enough for the life and the analytics' summaries; the gaps scroll.
    list_->SetMinSize(wxSize(-1, 6 * (GetCharHeight() + 6) + 4));
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(list_, 1, wxEXPAND);
    SetSizer(s);
    list_->Bind(wxEVT_SIZE, [this](wxSizeEvent& ev) {
        ev.Skip();
        const int rest = list_->GetClientSize().GetWidth() - list_->GetColumnWidth(0);
        if (rest > 100) list_->SetColumnWidth(1, rest);
    });
}

void PopulationOverviewPanel::show(Engagement& e, std::int64_t populationId) {
    list_->DeleteAllItems();
    attention_ = 0;
    const auto lines = populationOverview(e, populationId);
    for (const auto& line : lines) {
        const long i = list_->InsertItem(list_->GetItemCount(), wxString::FromUTF8(line.label.empty() ? "   !" : line.label));
        list_->SetItem(i, 1, wxString::FromUTF8(line.text));
        if (line.attention) {
            list_->SetItemTextColour(i, wxColour(180, 30, 30));
            ++attention_;
        }
    }
    list_->SetColumnWidth(0, wxLIST_AUTOSIZE);
    list_->SetColumnWidth(0, std::max(list_->GetColumnWidth(0), 12 * GetCharWidth()));
    const int rest = list_->GetClientSize().GetWidth() - list_->GetColumnWidth(0);
    list_->SetColumnWidth(1, rest > 100 ? rest : wxLIST_AUTOSIZE);
}

}  // namespace tickmark::desk

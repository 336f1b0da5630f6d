#include "app/desk/population_overview_panel.h"

#include "app/desk/ui.h"
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

PopulationOverviewPanel::~PopulationOverviewPanel() { job_.reset(); }  // joined before the window goes

void PopulationOverviewPanel::show(Engagement& e, std::int64_t populationId) {
    wanted_ = populationId;
    fill(populationOverview(e, populationId));
}

void PopulationOverviewPanel::showLater(const std::filesystem::path& engagement, std::int64_t populationId) {
    wanted_ = populationId;
    list_->DeleteAllItems();
    list_->InsertItem(0, "");
    list_->SetItem(0, 1, "Working out the population's analytics...");
    job_.reset();  // a previous one still running is waited for: it reads on its own connection
    auto lines = std::make_shared<std::vector<OverviewLine>>();
    auto failed = std::make_shared<std::string>();
    job_ = std::make_unique<BackgroundJob>(
        [engagement, populationId, lines, failed](Progress&) {
            try {
                auto own = Engagement::open(engagement);
                *lines = populationOverview(own, populationId);
            } catch (const std::exception& e) {
                *failed = e.what();
            }
        },
        // From the worker: posted to this window's queue, dropped with the window if it goes first.
        [this, populationId, lines, failed] {
            CallAfter([this, populationId, lines, failed] {
                if (populationId != wanted_) return;  // another population was chosen meanwhile
                if (!failed->empty()) lines->push_back({"Analytics", "could not be worked out: " + *failed, true});
                fill(*lines);
            });
        });
}

void PopulationOverviewPanel::fill(const std::vector<OverviewLine>& lines) {
    list_->DeleteAllItems();
    attention_ = 0;
    for (const auto& line : lines) {
        const long i = list_->InsertItem(list_->GetItemCount(), W(line.label.empty() ? "   !" : line.label));
        list_->SetItem(i, 1, W(line.text));
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

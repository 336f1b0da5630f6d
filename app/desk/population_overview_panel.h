#pragma once
// Above the population grid: the population's life and analytics (period gaps, key gaps, the
// reconciliation), the lines of app/presenters/population_overview.h, attention lines marked "!" and
// shown in red, so a gap is seen without opening the CLI.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <cstdint>

#include "workpapers/engagement.h"

namespace tickmark::desk {

class PopulationOverviewPanel : public wxPanel {
public:
    explicit PopulationOverviewPanel(wxWindow* parent);
    void show(Engagement& e, std::int64_t populationId);
    int attentionLines() const { return attention_; }

private:
    wxListCtrl* list_;
    int attention_ = 0;
};

}  // namespace tickmark::desk

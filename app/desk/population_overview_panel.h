#pragma once
// Above the population grid: the population's life and analytics (period gaps, key gaps, the
// reconciliation), the lines of app/presenters/population_overview.h, attention lines marked "!" and
// shown in red, so a gap is seen without opening the CLI.
#include <wx/listctrl.h>
#include <wx/wx.h>

#include <cstdint>
#include <filesystem>
#include <memory>
#include <vector>

#include "app/presenters/background_job.h"
#include "app/presenters/population_overview.h"

#include "workpapers/engagement.h"

namespace tickmark::desk {

class PopulationOverviewPanel : public wxPanel {
public:
    explicit PopulationOverviewPanel(wxWindow* parent);
    ~PopulationOverviewPanel() override;
    void show(Engagement& e, std::int64_t populationId);
    // The same, worked out on its own connection off the GUI thread (the analytics read every record:
    // 0.4 s for a million) and shown when ready; the grid paints meanwhile.
    void showLater(const std::filesystem::path& engagement, std::int64_t populationId);
    int attentionLines() const { return attention_; }

private:
    void fill(const std::vector<OverviewLine>& lines);
    wxListCtrl* list_;
    int attention_ = 0;
    std::int64_t wanted_ = 0;
    std::unique_ptr<BackgroundJob> job_;
};

}  // namespace tickmark::desk

#pragma once
// The sample planner: frequency or statistical, the computed size with its basis, the selection
// method, the seed (shown and editable), and Draw. The work is app/presenters/sample_planner.h.
#include <wx/wx.h>

#include <optional>

#include "app/presenters/sample_planner.h"

namespace tickmark::desk {

class PlanDialog : public wxDialog {
public:
    // Without a sign-in (actor empty) it plans but does not draw.
    PlanDialog(wxWindow* parent, Engagement& e, std::int64_t populationId, std::optional<Actor> actor);
    std::optional<SampleRecord> drawn;
    wxString shown() const { return result_->GetLabel(); }

private:
    void computeSize();
    SamplePlanner planner_;
    PlannedSize plan_;
    std::optional<Actor> actor_;
    wxRadioBox* method_;
    wxChoice *risk_, *selection_;
    wxTextCtrl *confidence_, *tolerable_, *expected_, *seed_;
    wxStaticText* result_;
};

}  // namespace tickmark::desk

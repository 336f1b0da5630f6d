#include "app/desk/description_dialog.h"

#include "app/desk/ui.h"
#include "workpapers/errors.h"
#include "workpapers/reporting.h"
#include "workpapers/trail.h"

namespace tickmark::desk {

DescriptionDialog::DescriptionDialog(wxWindow* parent, Engagement& e, const Actor& a)
    : wxDialog(parent, wxID_ANY, "Description of the system and report particulars"), e_(e), a_(a), seen_(trailHead(e)), texts_(descriptionTexts(e)),
      settings_(reportSettings(e)) {
    headings_ = new wxListBox(this, wxID_ANY);
    for (auto& h : descriptionHeadings()) headings_->Append(W(std::string(h.title) + (texts_[h.key].empty() ? "  (empty)" : "")));
    text_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxSize(520, 320), wxTE_MULTILINE);
    auto* top = new wxBoxSizer(wxHORIZONTAL);
    top->Add(headings_, 0, wxEXPAND | wxRIGHT, 8);
    top->Add(text_, 1, wxEXPAND);
    auto* g = new wxFlexGridSizer(4, 6, 10);
    const std::pair<const char*, const char*> fields[] = {{"firm_name", "Firm"}, {"firm_city", "City"}, {"report_date", "Report date"},
                                                          {"signatory_name", "Management signatory"}, {"signatory_title", "Title"}};
    for (auto& [key, label] : fields) {
        auto* t = new wxTextCtrl(this, wxID_ANY, W(settings_[key]));
        g->Add(new wxStaticText(this, wxID_ANY, label), 0, wxALIGN_CENTER_VERTICAL), g->Add(t, 1, wxEXPAND);
        fields_.emplace_back(key, t);
    }
    g->AddGrowableCol(1), g->AddGrowableCol(3);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(top, 1, wxEXPAND | wxALL, 8);
    s->Add(g, 0, wxEXPAND | wxALL, 8);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* ok = new wxButton(this, wxID_OK, "Save");
    buttons->Add(ok);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    headings_->Bind(wxEVT_LISTBOX, [this](wxCommandEvent&) { switchTo(headings_->GetSelection()); });
    headings_->SetSelection(0);
    switchTo(0);
    settleDialog(this, text_, wxSize(760, 520));
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (guarded(this, [&] { save(); })) EndModal(wxID_OK);
    });
}

void DescriptionDialog::switchTo(int i) {
    if (i < 0) return;
    if (current_ >= 0) edited_[descriptionHeadings()[static_cast<std::size_t>(current_)].key] = U(text_->GetValue());
    current_ = i;
    const char* key = descriptionHeadings()[static_cast<std::size_t>(i)].key;
    text_->SetValue(W(edited_.count(key) ? edited_[key] : texts_[key]));
}

void DescriptionDialog::save() {
    switchTo(current_);
    for (auto& [key, value] : edited_) {
        if (value == texts_[key] || value.empty()) continue;
        try {
            setDescription(e_, a_, key, value, "", seen_);
        } catch (const ConflictError&) {
            // Another member saved this heading meanwhile: their text is now what this one would replace.
            // The edit stays in the dialog; saving again (having read the message) is a decision made on it.
            seen_ = trailHead(e_);
            texts_ = descriptionTexts(e_);
            throw;
        }
        texts_[key] = value;
    }
    for (auto& [key, ctrl] : fields_)
        if (U(ctrl->GetValue()) != settings_[key] && !ctrl->IsEmpty()) setReportSetting(e_, a_, key, U(ctrl->GetValue())), settings_[key] = U(ctrl->GetValue());
}

}  // namespace tickmark::desk

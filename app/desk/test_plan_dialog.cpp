#include "app/desk/test_plan_dialog.h"

#include "app/desk/ui.h"
#include "app/presenters/test_plan_editor.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

TestPlanDialog::TestPlanDialog(wxWindow* parent, Engagement& e, const std::string& control, const Actor& a)
    : wxDialog(parent, wxID_ANY, W("Test plan of " + control)), editor_(std::make_unique<TestPlanEditor>(e, control)), a_(a) {
    auto* s = new wxBoxSizer(wxVERTICAL);
    if (!editor_->suggestedProcedure().empty()) {
        auto* about = new wxStaticText(this, wxID_ANY, W(control + ": " + editor_->suggestedProcedure()));
        about->Wrap(640);
        s->Add(about, 0, wxALL, 8);
    }
    auto* typesRow = new wxBoxSizer(wxHORIZONTAL);
    typesRow->Add(new wxStaticText(this, wxID_ANY, "Types of test"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 10);
    for (auto& t : TestPlanEditor::testTypes()) {
        auto* box = new wxCheckBox(this, wxID_ANY, W(t));
        box->SetValue(std::find(editor_->types.begin(), editor_->types.end(), t) != editor_->types.end());
        types_.push_back(box);
        typesRow->Add(box, 0, wxRIGHT, 10);
    }
    s->Add(typesRow, 0, wxLEFT | wxRIGHT | wxTOP, 8);
    s->Add(new wxStaticText(this, wxID_ANY, "Procedure (as Section IV will print it)"), 0, wxLEFT | wxTOP, 8);
    procedure_ = new wxTextCtrl(this, wxID_ANY, W(editor_->procedure), wxDefaultPosition, wxSize(640, 80), wxTE_MULTILINE);
    s->Add(procedure_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
    s->Add(new wxStaticText(this, wxID_ANY, "Attributes (each a yes/no question the tester answers for every item)"), 0, wxLEFT | wxTOP, 8);
    attributes_ = new wxListCtrl(this, wxID_ANY, wxDefaultPosition, wxSize(640, 140), wxLC_REPORT | wxLC_SINGLE_SEL);
    attributes_->AppendColumn("Letter", wxLIST_FORMAT_LEFT, 60);
    attributes_->AppendColumn("Question", wxLIST_FORMAT_LEFT, 560);
    s->Add(attributes_, 1, wxEXPAND | wxLEFT | wxRIGHT, 8);
    auto* addRow = new wxBoxSizer(wxHORIZONTAL);
    question_ = new wxTextCtrl(this, wxID_ANY, "", wxDefaultPosition, wxDefaultSize, wxTE_PROCESS_ENTER);
    question_->SetHint("e.g. Approved before deployment by someone other than the developer");
    auto* add = new wxButton(this, wxID_ANY, "&Add");
    auto* remove = new wxButton(this, wxID_ANY, "&Remove");
    addRow->Add(question_, 1, wxRIGHT, 6);
    addRow->Add(add, 0, wxRIGHT, 6);
    addRow->Add(remove);
    s->Add(addRow, 0, wxEXPAND | wxALL, 8);
    auto* selRow = new wxBoxSizer(wxHORIZONTAL);
    selRow->Add(new wxStaticText(this, wxID_ANY, "Selection tested"), 0, wxALIGN_CENTER_VERTICAL | wxRIGHT, 10);
    selection_ = new wxChoice(this, wxID_ANY);
    if (editor_->designOnly()) {
        selection_->Append("Type I: the design, no selection");
        selection_->SetSelection(0);
        selection_->Disable();
    } else {
        for (auto& c : editor_->selections()) {
            selection_->Append(W(c.label));
            if (editor_->sampleId == c.id) selection_->SetSelection(static_cast<int>(selection_->GetCount()) - 1);
        }
        if (editor_->selections().empty()) selection_->Append("(none drawn yet: open the population and Plan and draw)"), selection_->Disable();
    }
    selRow->Add(selection_, 1);
    s->Add(selRow, 0, wxEXPAND | wxLEFT | wxRIGHT, 8);
    auto* buttons = new wxBoxSizer(wxHORIZONTAL);
    buttons->AddStretchSpacer();
    buttons->Add(new wxButton(this, wxID_CANCEL, "Cancel"), 0, wxRIGHT, 8);
    auto* ok = new wxButton(this, wxID_OK, editor_->exists() ? "Save the plan" : "Create the plan");
    buttons->Add(ok);
    s->Add(buttons, 0, wxEXPAND | wxALL, 8);
    SetSizer(s);
    fillAttributes();
    settleDialog(this, types_.front(), wxSize(560, 520));

    auto addIt = [this] {
        guarded(this, [&] {
            editor_->addAttribute(U(question_->GetValue()));
            question_->Clear();
            fillAttributes();
        });
    };
    add->Bind(wxEVT_BUTTON, [addIt](wxCommandEvent&) { addIt(); });
    question_->Bind(wxEVT_TEXT_ENTER, [addIt](wxCommandEvent&) { addIt(); });
    remove->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        guarded(this, [&] {
            editor_->removeAttribute(static_cast<std::size_t>(attributes_->GetNextItem(-1, wxLIST_NEXT_ALL, wxLIST_STATE_SELECTED)));
            fillAttributes();
        });
    });
    ok->Bind(wxEVT_BUTTON, [this](wxCommandEvent&) {
        if (guarded(this, [&] { save(); })) EndModal(wxID_OK);
    });
}

TestPlanDialog::~TestPlanDialog() = default;

void TestPlanDialog::fillAttributes() {
    attributes_->DeleteAllItems();
    for (auto& [letter, q] : editor_->attributes) {
        long i = attributes_->InsertItem(attributes_->GetItemCount(), W(letter));
        attributes_->SetItem(i, 1, W(q));
    }
}

void TestPlanDialog::takeFromForm() {
    editor_->types.clear();
    for (std::size_t i = 0; i < types_.size(); ++i)
        if (types_[i]->GetValue()) editor_->types.push_back(TestPlanEditor::testTypes()[i]);
    editor_->procedure = U(procedure_->GetValue());
    if (!editor_->designOnly()) {
        const int i = selection_->GetSelection();
        editor_->sampleId = i >= 0 && static_cast<std::size_t>(i) < editor_->selections().size()
                                ? std::optional<std::int64_t>(editor_->selections()[static_cast<std::size_t>(i)].id)
                                : std::nullopt;
    }
}

void TestPlanDialog::save() {
    takeFromForm();
    // A question typed but not added yet is what the user meant: add it.
    if (!question_->GetValue().Trim().IsEmpty()) editor_->addAttribute(U(question_->GetValue())), question_->Clear(), fillAttributes();
    editor_->save(a_);
}

}  // namespace tickmark::desk

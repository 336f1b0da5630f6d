#pragma once
// A control's test plan as the desktop app edits it: the plan as it stands (or a blank one, the
// control's description offered as the procedure's start), the test types, the attributes, and the
// selections that can be tested. The rules (types, attributes, which selection) are the library's
// (defineTest); this keeps the form's state, names the field at fault and saves only a change.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "workpapers/fieldwork.h"

namespace tickmark::desk {

class TestPlanEditor {
public:
    TestPlanEditor(Engagement& e, std::string control);

    static const std::vector<std::string>& testTypes();  // inquiry, observation, inspection, reperformance
    const std::string& control() const { return control_; }
    bool exists() const { return exists_; }
    bool designOnly() const { return designOnly_; }  // Type I: no selection
    const std::string& suggestedProcedure() const { return suggested_; }

    // The form's state.
    std::vector<std::string> types;
    std::string procedure;
    std::vector<std::pair<std::string, std::string>> attributes;  // letter, yes/no question
    std::optional<std::int64_t> sampleId;

    struct SelectionChoice {
        std::int64_t id;
        std::string label;  // "Selection 4: random, 25 of 2,401, drawn 2026-03-02 by PR"
    };
    // Original selections (not extensions) of this control or of a population that serves it.
    const std::vector<SelectionChoice>& selections() const { return selections_; }

    // The next free letter (A, B, ... Z); InputError when all 26 are used.
    std::string nextLetter() const;
    void addAttribute(const std::string& question);
    void removeAttribute(std::size_t index);
    // InputError naming the field: "Attributes: ...", "Procedure: ...".
    void validate() const;
    bool changed() const;
    // Saves through defineTest when something changed; returns whether it wrote.
    bool save(const Actor& a);

private:
    Engagement& e_;
    std::string control_, suggested_;
    bool exists_ = false, designOnly_ = false;
    TestDefinition saved_;
    std::vector<SelectionChoice> selections_;
};

}  // namespace tickmark::desk

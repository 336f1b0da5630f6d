#include "app/presenters/test_plan_editor.h"

#include <algorithm>
#include <set>

#include "report/wording.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/population_life.h"
#include "workpapers/samples.h"

namespace tickmark::desk {

namespace {
std::string trimmed(const std::string& s) {
    const auto a = s.find_first_not_of(" \t\r\n"), b = s.find_last_not_of(" \t\r\n");
    return a == std::string::npos ? "" : s.substr(a, b - a + 1);
}
}  // namespace

const std::vector<std::string>& TestPlanEditor::testTypes() {
    static const std::vector<std::string> types = {"inquiry", "observation", "inspection", "reperformance"};
    return types;
}

TestPlanEditor::TestPlanEditor(Engagement& e, std::string control) : e_(e), control_(std::move(control)) {
    requireControl(e, control_);
    designOnly_ = e.setup().reportType == ReportType::TypeI;
    for (auto& c : listControls(e))
        if (c.ref == control_) suggested_ = c.description;
    for (auto& t : listTests(e))
        if (t.control == control_) {
            exists_ = true;
            types = t.types;
            procedure = t.procedure;
            attributes = t.attributes;
            sampleId = t.sampleId;
        }
    if (!exists_) {
        types = {"inquiry", "inspection"};
        procedure = suggested_.empty() ? "" : "Inspected evidence that " + suggested_;
    }
    saved_ = {control_, types, procedure, sampleId, attributes, ""};
    if (!exists_) saved_ = {};  // nothing stored: any valid form is a change
    if (designOnly_) return;
    for (auto& s : listSamples(e)) {
        if (s.extendsSampleId) continue;
        const bool ours = s.control == control_ || (s.populationId && populationServes(e, *s.populationId, control_));
        if (!ours) continue;
        selections_.push_back({s.id, "Selection " + std::to_string(s.id) + " (" + s.control + "): " + s.method + ", " + report::wording::withThousands(s.size) +
                                         " of " + report::wording::withThousands(s.frameSize) + ", drawn " + s.createdAt.substr(0, 10) + " by " + s.createdBy});
    }
    // A new plan on a control with one selection: that one.
    if (!exists_ && !sampleId && selections_.size() == 1) sampleId = selections_.front().id;
}

std::string TestPlanEditor::nextLetter() const {
    std::set<std::string> used;
    for (auto& [l, q] : attributes) used.insert(l);
    for (char c = 'A'; c <= 'Z'; ++c)
        if (!used.count(std::string(1, c))) return std::string(1, c);
    throw InputError("Attributes: all 26 letters are used");
}

void TestPlanEditor::addAttribute(const std::string& question) {
    if (trimmed(question).empty()) throw InputError("Attributes: write the question the attribute answers yes or no");
    attributes.emplace_back(nextLetter(), trimmed(question));
}

void TestPlanEditor::removeAttribute(std::size_t index) {
    if (index >= attributes.size()) throw InputError("Attributes: choose the attribute to remove");
    attributes.erase(attributes.begin() + static_cast<std::ptrdiff_t>(index));
}

void TestPlanEditor::validate() const {
    if (types.empty()) throw InputError("Types: tick at least one: inquiry, observation, inspection, reperformance");
    if (types.size() == 1 && types[0] == "inquiry")
        throw InputError("Types: inquiry alone is never enough evidence; add observation, inspection or reperformance");
    if (trimmed(procedure).empty()) throw InputError("Procedure: write the procedure as it will read in Section IV");
    if (attributes.empty()) throw InputError("Attributes: add at least one, each a yes/no question");
    std::set<std::string> letters;
    for (auto& [l, q] : attributes) {
        if (l.size() != 1 || l[0] < 'A' || l[0] > 'Z') throw InputError("Attributes: \"" + l + "\" is not a letter A to Z");
        if (!letters.insert(l).second) throw InputError("Attributes: " + l + " is given twice");
        if (trimmed(q).empty()) throw InputError("Attributes: " + l + " has no question");
    }
    if (!designOnly_ && !sampleId)
        throw InputError(selections_.empty() ? "Selection: draw a selection for " + control_ + " first (its population, Plan and draw)"
                                             : "Selection: choose the selection this test covers");
}

bool TestPlanEditor::changed() const {
    auto sortedAttributes = [](auto v) {
        std::sort(v.begin(), v.end());
        return v;
    };
    return !exists_ || types != saved_.types || trimmed(procedure) != saved_.procedure || sampleId != saved_.sampleId ||
           sortedAttributes(attributes) != sortedAttributes(saved_.attributes);
}

bool TestPlanEditor::save(const Actor& a) {
    validate();
    if (!changed()) return false;
    TestDefinition d{control_, types, trimmed(procedure), designOnly_ ? std::nullopt : sampleId, attributes, ""};
    defineTest(e_, a, d);
    saved_ = d;
    exists_ = true;
    return true;
}

}  // namespace tickmark::desk

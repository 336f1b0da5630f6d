// The control's conclusion follows its results, the sampling evaluation of its plan (the firm's
// extension rule for frequency-based selections, the upper deviation limit for statistical ones) and
// the auditor's conclusions on its exceptions. One home for the rule; the report and the front ends
// read it from here.
#include <algorithm>
#include <set>

#include "sampling/attribute.h"
#include "sampling/frequency.h"
#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/fieldwork.h"
#include "workpapers/fieldwork_internal.h"
#include "workpapers/paths.h"
#include "workpapers/samples.h"
#include "workpapers/sampling_plan.h"

namespace tickmark {

namespace {
const std::set<std::string> kConclusions = {"operating-effectively", "exceptions-noted", "not-effective"};
const std::set<std::string> kDesignConclusions = {"suitably-designed", "not-suitably-designed"};
}  // namespace

bool isFinalConclusion(const std::string& c) { return kConclusions.count(c) || kDesignConclusions.count(c); }

std::vector<std::string> conclusionChoices(Engagement& e, const std::string& control) {
    if (loadTest(e, control).designOnly) return {"suitably-designed", "not-suitably-designed"};
    return {"operating-effectively", "exceptions-noted", "not-effective"};
}

ConclusionView controlConclusion(Engagement& e, const std::string& control) {
    ConclusionView c;
    auto v = loadTest(e, control);
    auto st = e.db().prepare("SELECT conclusion_override, coalesce(override_reason, '') FROM control_test WHERE id = ?");
    st.bind(1, v.id);
    st.step();
    c.overridden = st.getOptText(0);
    c.overrideReason = st.getText(1);
    if (v.recorded < v.expected) {
        c.computed = "in-progress";
        c.basis = std::to_string(v.recorded) + " of " + std::to_string(v.expected) + " results recorded";
        return c;
    }
    // Deviating items: an item counts once, however many attributes it failed. The sampling evaluation
    // counts the drawn items only; items added by judgement are tested like them but kept apart.
    std::set<std::int64_t> deviating, judgmentalDeviating;
    for (auto& r : loadResults(e, control))
        if (r.outcome == "deviation")
            (v.items.at(static_cast<std::size_t>(r.position - 1)).judgmental ? judgmentalDeviating : deviating).insert(r.position);
    const auto judgmental = static_cast<std::int64_t>(
        std::count_if(v.items.begin(), v.items.end(), [](const TestItem& i) { return i.judgmental; }));
    const auto tested = static_cast<std::int64_t>(v.items.size()) - judgmental;
    const auto x = static_cast<std::int64_t>(deviating.size());
    const auto xj = static_cast<std::int64_t>(judgmentalDeviating.size());
    const std::string apart = judgmental == 0 ? std::string()
                                              : "; " + std::to_string(xj) + " of " + std::to_string(judgmental) +
                                                    " judgmental item" + (judgmental == 1 ? "" : "s") +
                                                    " deviated (outside the statistical evaluation)";
    auto exceptions = listExceptions(e, control);
    if (v.designOnly) {
        // Type I: the walkthrough shows whether the control is suitably designed; a deviation means it
        // is not, unless the auditor concluded the related criteria are met all the same.
        if (x + xj == 0) {
            c.computed = "suitably-designed";
            c.basis = "the design walkthrough met every attribute";
            return c;
        }
        for (auto& ex : exceptions)
            if (ex.deviations > 0 && !ex.concluded()) {
                c.computed = "in-progress";
                c.basis = "exception " + ex.letter + " awaits the auditor's conclusion";
                return c;
            }
        const bool anyNotMet = std::any_of(exceptions.begin(), exceptions.end(),
                                           [](auto& ex) { return ex.deviations > 0 && ex.criteriaMet && !*ex.criteriaMet; });
        c.computed = anyNotMet ? "not-suitably-designed" : "suitably-designed";
        c.basis = anyNotMet ? "the walkthrough found a design deficiency; the related criteria are not met"
                            : "the walkthrough found a deviation; the auditor concluded the related criteria are met";
        return c;
    }
    if (x + xj == 0) {
        c.computed = "operating-effectively";
        c.basis = "no deviations in " + std::to_string(tested) + " items" + apart;
        return c;
    }
    for (auto& ex : exceptions)
        if (ex.deviations > 0 && ex.criteriaMet && !*ex.criteriaMet) {
            c.computed = "not-effective";
            c.basis = "exception " + ex.letter + ": the auditor concluded the related criteria are not met";
            return c;
        }
    std::string pending;
    for (auto& ex : exceptions)
        if (ex.deviations > 0 && !ex.concluded()) pending += (pending.empty() ? "" : ", ") + ex.letter;
    std::optional<SamplingPlan> plan;
    if (v.sampleId) plan = SamplingPlan::fromJson(loadSample(e, *v.sampleId).planJson, "selection " + std::to_string(*v.sampleId));
    namespace smp = tickmark::sampling;
    if (x == 0) {
        // Only judgmental items deviated: the statistical evaluation has nothing against the control,
        // the exceptions still need the auditor's conclusion.
        c.computed = "exceptions-noted";
        c.basis = "no deviations in " + std::to_string(tested) + " items drawn" + apart;
    } else if (plan && plan->method == SamplingPlan::Method::Attribute && plan->tolerable) {
        smp::AttributeEvaluationInput in;
        in.confidence = *plan->confidence;
        in.tolerable = plan->tolerable;
        in.sampleSize = tested;
        in.deviations = x;
        auto ev = smp::evaluateAttributeSample(in);
        c.computed = *ev.supportsReliance ? "exceptions-noted" : "not-effective";
        c.basis = ev.conclusion + apart;
    } else if (plan && plan->method == SamplingPlan::Method::Frequency) {
        auto table = frequencyTableForReading(e, templatesDir() / "frequency-table.csv");
        auto fp = smp::planByFrequency(table, plan->frequencyInput());
        const auto original = static_cast<std::int64_t>(loadSample(e, *v.sampleId).items.size());
        std::int64_t xOriginal = 0, xExtension = 0;
        for (auto p : deviating) (p <= original ? xOriginal : xExtension) += 1;
        std::optional<std::int64_t> ext;
        if (tested > original) ext = xExtension;
        auto ev = smp::evaluateFrequencySample(fp, original, xOriginal, ext);
        c.basis = ev.conclusion + apart;
        switch (ev.outcome) {
            case smp::FrequencyOutcome::OperatingEffectively: c.computed = "operating-effectively"; break;
            case smp::FrequencyOutcome::ExtendSample: c.computed = "extend-sample"; break;
            case smp::FrequencyOutcome::ExceptionIsolated: c.computed = "exceptions-noted"; break;
            case smp::FrequencyOutcome::NotOperatingEffectively: c.computed = "not-effective"; break;
        }
    } else {
        c.computed = "exceptions-noted";
        c.basis = std::to_string(x) + " of " + std::to_string(tested) + " items deviated" + apart;
    }
    if (!pending.empty() && c.computed == "exceptions-noted") {
        c.computed = "in-progress";
        c.basis += "; exception " + pending + " awaits the auditor's conclusion";
    }
    return c;
}

void overrideConclusion(Engagement& e, const Actor& a, const std::string& control, const std::string& conclusion,
                        const std::string& reason, std::optional<std::int64_t> seen) {
    if (!a.has("reviewer") && !a.has("partner"))
        throw InputError(a.name + " is neither reviewer nor partner; the conclusion is overridden by a reviewer or the partner");
    if (reason.empty()) throw InputError("overriding the computed conclusion needs the reason (--reason): never silently");
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    const bool design = loadTest(e, control).designOnly;
    if (!(design ? kDesignConclusions : kConclusions).count(conclusion))
        throw InputError("conclusion \"" + conclusion + "\": " +
                         (design ? "a Type I test concludes suitably-designed or not-suitably-designed"
                                 : "use operating-effectively, exceptions-noted or not-effective"));
    auto before = controlConclusion(e, control);
    requireWritable(e, WriteKind::Change, "the conclusion of " + control, "");
    if (seen) requireWorkpaperUnchangedSince(e.db(), testWorkpaper(control), *seen);
    auto up = e.db().prepare("UPDATE control_test SET conclusion_override = ?, override_reason = ? WHERE id = ?");
    up.bind(1, conclusion).bind(2, reason).bind(3, testId(e, control));
    up.exec();
    AuditTrail(e.db()).append({0, "", a.name, "change", testWorkpaper(control), "conclusion", "override",
                               before.overridden ? before.overridden : std::optional<std::string>("computed: " + before.computed),
                               conclusion, reason, "", ""});
    tx.commit();
}

}  // namespace tickmark

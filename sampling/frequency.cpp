#include "sampling/frequency.h"

#include <algorithm>
#include <cmath>
#include <stdexcept>

namespace tickmark::sampling {

Risk parseRisk(std::string_view t) {
    if (t == "lower" || t == "low") return Risk::Lower;
    if (t == "higher" || t == "high") return Risk::Higher;
    throw std::invalid_argument("risk \"" + std::string(t) + "\": use lower or higher");
}

std::string spreadUnitName(SpreadUnit u) {
    switch (u) {
        case SpreadUnit::None: return "";
        case SpreadUnit::Quarter: return "quarter";
        case SpreadUnit::Month: return "month";
        case SpreadUnit::Week: return "week";
    }
    return "";
}

SpreadUnit parseSpreadUnit(std::string_view t) {
    if (t.empty()) return SpreadUnit::None;
    if (t == "quarter") return SpreadUnit::Quarter;
    if (t == "month") return SpreadUnit::Month;
    if (t == "week") return SpreadUnit::Week;
    throw std::invalid_argument("spread \"" + std::string(t) + "\": use quarter, month, week or leave it empty");
}

SpreadUnit defaultSpread(std::string_view frequency) {
    if (frequency == "quarterly") return SpreadUnit::Quarter;
    if (frequency == "monthly") return SpreadUnit::Month;
    return SpreadUnit::None;
}

const FrequencyRow& FrequencyTable::find(std::string_view frequency) const {
    for (auto& r : rows)
        if (r.frequency == frequency) return r;
    std::string known;
    for (auto& r : rows) known += (known.empty() ? "" : ", ") + r.frequency;
    throw std::invalid_argument("frequency \"" + std::string(frequency) + "\" is not in the firm's table (" + known + ")");
}

FrequencyPlan planByFrequency(const FrequencyTable& table, const FrequencyPlanInput& in) {
    if (in.periodMonths < 1 || in.periodMonths > 24)
        throw std::invalid_argument("period of " + std::to_string(in.periodMonths) + " months: give 1 to 24");
    if (in.populationSize && *in.populationSize < 0)
        throw std::invalid_argument("population size " + std::to_string(*in.populationSize) + ": give 0 or more");
    if (in.populationSize && *in.populationSize == 0)
        throw std::invalid_argument("the population is empty: the control did not operate in the period; there is nothing to sample");

    const FrequencyRow* row = nullptr;
    std::string why;
    if (in.frequency == "as-needed") {
        // An event-driven control runs as often as its events: place it by the occurrences in the period.
        if (!in.populationSize)
            throw std::invalid_argument("an as-needed control is sized by its occurrences: give the population size");
        double perYear = static_cast<double>(*in.populationSize) * 12.0 / in.periodMonths;
        std::vector<const FrequencyRow*> counted;
        for (auto& r : table.rows)
            if (r.perYear > 0) counted.push_back(&r);
        std::sort(counted.begin(), counted.end(), [](auto* a, auto* b) { return a->perYear < b->perYear; });
        if (counted.empty()) throw std::invalid_argument("the firm's table has no frequencies with yearly occurrences");
        row = counted.back();
        for (auto* r : counted)
            if (perYear <= static_cast<double>(r->perYear)) {
                row = r;
                break;
            }
        why = "as needed: " + std::to_string(*in.populationSize) + " occurrences in " + std::to_string(in.periodMonths) +
              " months sizes it as " + row->frequency;
    } else {
        row = &table.find(in.frequency);
        why = row->frequency;
    }

    FrequencyPlan plan;
    plan.row = row->frequency;
    plan.sampleSize = in.risk == Risk::Higher ? row->higher : row->lower;
    plan.extendTo = in.risk == Risk::Higher ? row->higherExtended : row->lowerExtended;
    why += ", " + std::string(in.risk == Risk::Higher ? "higher" : "lower") + " risk: " + std::to_string(plan.sampleSize);

    // A period shorter than a year holds fewer of the rare occurrences (a 6-month period has 2 quarters).
    if (row->perYear > 0 && row->perYear <= 12 && in.periodMonths < 12) {
        auto inPeriod = std::max<std::int64_t>(1, (row->perYear * in.periodMonths + 11) / 12);
        if (inPeriod < plan.sampleSize) {
            plan.sampleSize = inPeriod;
            why += "; " + std::to_string(in.periodMonths) + "-month period holds " + std::to_string(inPeriod);
        }
        if (plan.extendTo) plan.extendTo = std::min(*plan.extendTo, inPeriod);
    }
    if (in.populationSize && *in.populationSize <= plan.sampleSize) {
        plan.sampleSize = *in.populationSize;
        plan.testAll = true;
        plan.extendTo.reset();
        why += "; the population has only " + std::to_string(*in.populationSize) + ": test all";
    }
    if (plan.extendTo && in.populationSize) plan.extendTo = std::min(*plan.extendTo, *in.populationSize);
    if (plan.extendTo && *plan.extendTo <= plan.sampleSize) plan.extendTo.reset();
    plan.basis = why;
    return plan;
}

std::string outcomeName(FrequencyOutcome o) {
    switch (o) {
        case FrequencyOutcome::OperatingEffectively: return "operating-effectively";
        case FrequencyOutcome::ExtendSample: return "extend-sample";
        case FrequencyOutcome::ExceptionIsolated: return "exception-isolated";
        case FrequencyOutcome::NotOperatingEffectively: return "not-operating-effectively";
    }
    return "?";
}

FrequencyEvaluation evaluateFrequencySample(const FrequencyPlan& plan, std::int64_t tested, std::int64_t deviations,
                                            std::optional<std::int64_t> extensionDeviations) {
    if (tested < 1 || deviations < 0 || deviations > tested)
        throw std::invalid_argument("give the items tested (at least 1) and the deviations among them");
    FrequencyEvaluation ev{FrequencyOutcome::OperatingEffectively, 0, ""};
    if (deviations == 0) {
        ev.conclusion = "no deviations in " + std::to_string(tested) + " items: operating effectively";
        return ev;
    }
    if (deviations > 1) {
        ev.outcome = FrequencyOutcome::NotOperatingEffectively;
        ev.conclusion = std::to_string(deviations) + " deviations in " + std::to_string(tested) +
                        " items are not isolated: not operating effectively";
        return ev;
    }
    if (!plan.extendTo) {
        ev.outcome = FrequencyOutcome::NotOperatingEffectively;
        ev.conclusion = "1 deviation in " + std::to_string(tested) +
                        " items and no larger sample to extend to: not operating effectively";
        return ev;
    }
    if (!extensionDeviations) {
        ev.outcome = FrequencyOutcome::ExtendSample;
        ev.extendBy = *plan.extendTo - tested;
        ev.conclusion = "1 deviation in " + std::to_string(tested) + " items: if it looks isolated, extend the sample to " +
                        std::to_string(*plan.extendTo) + " (" + std::to_string(ev.extendBy) +
                        " more items not yet selected); the control passes only if none of them deviates";
        return ev;
    }
    if (*extensionDeviations == 0) {
        ev.outcome = FrequencyOutcome::ExceptionIsolated;
        ev.conclusion = "1 deviation in " + std::to_string(*plan.extendTo) +
                        " items after extending: an isolated exception; operating effectively, exception noted";
    } else {
        ev.outcome = FrequencyOutcome::NotOperatingEffectively;
        ev.conclusion = std::to_string(1 + *extensionDeviations) + " deviations in " + std::to_string(*plan.extendTo) +
                        " items after extending: not operating effectively";
    }
    return ev;
}

}  // namespace tickmark::sampling

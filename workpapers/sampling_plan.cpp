#include "workpapers/sampling_plan.h"

#include <nlohmann/json.hpp>

#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/samples.h"

namespace tickmark {

using nlohmann::json;
namespace smp = tickmark::sampling;

std::string methodName(SamplingPlan::Method m) {
    switch (m) {
        case SamplingPlan::Method::Given: return "given";
        case SamplingPlan::Method::Frequency: return "frequency";
        case SamplingPlan::Method::Attribute: return "attribute";
        case SamplingPlan::Method::Extension: return "extension";
    }
    return "given";
}

namespace {
json optInt(const std::optional<std::int64_t>& v) { return v ? json(*v) : json(nullptr); }
json optRate(const std::optional<smp::Rate>& r) { return r ? json(r->text()) : json(nullptr); }
}  // namespace

std::string SamplingPlan::toJson() const {
    json j{{"method", methodName(method)}, {"sample_size", sampleSize}, {"basis", basis}};
    switch (method) {
        case Method::Frequency:
            j["frequency"] = frequency;
            j["risk"] = risk == smp::Risk::Higher ? "higher" : "lower";
            j["population_size"] = optInt(populationSize);
            j["period_months"] = periodMonths;
            j["test_all"] = testAll;
            j["table_row"] = tableRow;
            j["extend_to"] = optInt(extendTo);
            break;
        case Method::Attribute:
            j["confidence"] = optRate(confidence);
            j["tolerable"] = optRate(tolerable);
            j["expected"] = optRate(expected);
            j["expected_count"] = optInt(expectedCount);
            j["likelihood"] = smp::likelihoodName(likelihood);
            j["population_size"] = optInt(populationSize);
            j["allowable_deviations"] = allowableDeviations;
            j["test_all"] = testAll;
            j["warning"] = warning.empty() ? json(nullptr) : json(warning);
            break;
        case Method::Extension: j["extend_by"] = extendBy; break;
        case Method::Given: break;
    }
    return j.dump();
}

SamplingPlan SamplingPlan::fromJson(std::string_view text, const std::string& where) {
    json j;
    try {
        j = json::parse(text);
    } catch (const std::exception&) {
        throw InputError(where + ": the sampling plan is not valid JSON (pass the output of `tickmark plan --json`, or @file holding it)");
    }
    if (!j.is_object()) throw InputError(where + ": the sampling plan is not a JSON object");
    auto bad = [&](const char* field, const char* want) {
        return InputError(where + ": the sampling plan's \"" + field + "\" " + want);
    };
    auto str = [&](const char* k) -> std::string {
        if (!j.contains(k) || j[k].is_null()) return "";
        if (!j[k].is_string()) throw bad(k, "should be text");
        return j[k].get<std::string>();
    };
    auto integer = [&](const char* k) -> std::optional<std::int64_t> {
        if (!j.contains(k) || j[k].is_null()) return std::nullopt;
        if (!j[k].is_number_integer()) throw bad(k, "should be a whole number");
        return j[k].get<std::int64_t>();
    };
    auto rate = [&](const char* k) -> std::optional<smp::Rate> {
        auto t = str(k);
        if (t.empty()) return std::nullopt;
        try {
            return smp::Rate::parse(t, k);
        } catch (const std::invalid_argument&) {
            throw bad(k, "should be a rate such as \"0.05\"");
        }
    };
    SamplingPlan p;
    const std::string m = str("method");
    if (m == "frequency") p.method = Method::Frequency;
    else if (m == "attribute") p.method = Method::Attribute;
    else if (m == "extension" || (m.empty() && j.contains("extend_by"))) p.method = Method::Extension;
    else if (m == "given" || m.empty()) p.method = Method::Given;
    else throw bad("method", "should be frequency, attribute, given or extension");
    p.sampleSize = integer("sample_size").value_or(0);
    p.basis = str("basis");
    p.populationSize = integer("population_size");
    if (j.contains("test_all") && j["test_all"].is_boolean()) p.testAll = j["test_all"].get<bool>();
    if (p.method == Method::Frequency) {
        p.frequency = str("frequency");
        if (p.frequency.empty()) throw bad("frequency", "is missing");
        const std::string r = str("risk");
        if (r.empty() || r == "lower") p.risk = smp::Risk::Lower;
        else if (r == "higher") p.risk = smp::Risk::Higher;
        else throw bad("risk", "should be lower or higher");
        p.periodMonths = static_cast<int>(integer("period_months").value_or(12));
        p.tableRow = str("table_row");
        p.extendTo = integer("extend_to");
    } else if (p.method == Method::Attribute) {
        p.confidence = rate("confidence");
        p.tolerable = rate("tolerable");
        p.expected = rate("expected");
        p.expectedCount = integer("expected_count");
        if (!p.confidence) p.confidence = smp::Rate::fraction(95, 100);
        const std::string l = str("likelihood");
        try {
            p.likelihood = l.empty() ? smp::Likelihood::Binomial : smp::parseLikelihood(l);
        } catch (const std::invalid_argument&) {
            throw bad("likelihood", "should be binomial, poisson or hypergeometric");
        }
        p.allowableDeviations = integer("allowable_deviations").value_or(0);
        p.warning = str("warning");
    } else if (p.method == Method::Extension) {
        p.extendBy = integer("extend_by").value_or(0);
    }
    return p;
}

smp::FrequencyPlanInput SamplingPlan::frequencyInput() const { return {frequency, risk, populationSize, periodMonths}; }

int periodMonths(Engagement& e) {
    auto s = e.setup();
    if (s.reportType != ReportType::TypeII) return 12;
    const int y0 = static_cast<int>(s.periodStart->year()), y1 = static_cast<int>(s.periodEnd->year());
    const int m0 = static_cast<int>(static_cast<unsigned>(s.periodStart->month())), m1 = static_cast<int>(static_cast<unsigned>(s.periodEnd->month()));
    return std::max(1, (y1 - y0) * 12 + (m1 - m0) + 1);  // months touched: 2025-07-01..2026-06-30 is 12
}

SamplingPlan frequencyPlan(const smp::FrequencyPlanInput& in, const smp::FrequencyPlan& f) {
    SamplingPlan p;
    p.method = SamplingPlan::Method::Frequency;
    p.frequency = in.frequency;
    p.risk = in.risk;
    p.populationSize = in.populationSize;
    p.periodMonths = in.periodMonths;
    p.sampleSize = f.sampleSize;
    p.testAll = f.testAll;
    p.tableRow = f.row;
    p.extendTo = f.extendTo;
    p.basis = f.basis;
    return p;
}

SamplingPlan planByFrequency(Engagement& e, const std::string& frequency, smp::Risk risk, std::optional<std::int64_t> populationSize) {
    auto table = frequencyTableForReading(e, templatesDir() / "frequency-table.csv");
    const smp::FrequencyPlanInput in{frequency, risk, populationSize, periodMonths(e)};
    try {
        return frequencyPlan(in, smp::planByFrequency(table, in));
    } catch (const std::invalid_argument& x) {
        throw InputError(x.what());
    }
}

SamplingPlan planByAttributes(const smp::AttributePlanInput& in) {
    smp::AttributePlan a;
    try {
        a = smp::planAttributeSample(in);
    } catch (const std::invalid_argument& x) {
        throw InputError(x.what());
    }
    if (!a.possible) throw InputError(a.whyNot);
    SamplingPlan p = attributePlan(in, a);
    if (in.populationSize && a.sampleSize > *in.populationSize) {
        // The statistical size exceeds the population: test every item instead.
        p.sampleSize = *in.populationSize;
        p.testAll = true;
        p.basis += "; the population has only " + std::to_string(*in.populationSize) + " items: test all";
    }
    return p;
}

SamplingPlan attributePlan(const smp::AttributePlanInput& in, const smp::AttributePlan& a) {
    SamplingPlan p;
    p.method = SamplingPlan::Method::Attribute;
    p.confidence = in.confidence;
    p.tolerable = in.tolerable;
    p.expected = in.expectedRate;
    p.expectedCount = in.expectedCount;
    p.likelihood = in.likelihood;
    p.populationSize = in.populationSize;
    p.allowableDeviations = a.allowableDeviations;
    p.sampleSize = a.sampleSize;
    p.basis = a.basis;
    p.warning = a.warning;
    p.testAll = a.wholePopulation;
    return p;
}

}  // namespace tickmark

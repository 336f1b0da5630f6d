#include "app/presenters/sample_planner.h"

#include <nlohmann/json.hpp>

#include "sampling/attribute.h"
#include "sampling/frequency.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/population.h"

namespace tickmark::desk {

using nlohmann::json;

SamplePlanner::SamplePlanner(Engagement& e, std::int64_t populationId) : e_(e), populationId_(populationId) {
    auto p = loadProfile(e, populationId);
    inPeriod_ = p.inPeriod;
    control_ = p.control;
    for (auto& c : listControls(e))
        if (c.ref == control_) frequency_ = c.nature == "automated" ? "automated" : c.frequency;
}

PlannedSize SamplePlanner::byFrequency(const std::string& frequency, const std::string& risk) {
    auto table = engagementFrequencyTable(e_, templatesDir() / "frequency-table.csv");
    std::string f = frequency.empty() ? frequency_ : frequency;
    auto p = sampling::planByFrequency(table, {f, sampling::parseRisk(risk), inPeriod_, 12});
    json j{{"method", "frequency"}, {"frequency", f}, {"risk", risk}, {"population_size", inPeriod_}, {"period_months", 12},
           {"sample_size", p.sampleSize}, {"test_all", p.testAll}, {"table_row", p.row}, {"basis", p.basis}};
    if (p.extendTo) j["extend_to"] = *p.extendTo;
    return {p.sampleSize, p.basis, j.dump()};
}

PlannedSize SamplePlanner::byAttributes(const std::string& confidence, const std::string& tolerable, const std::string& expected) {
    sampling::AttributePlanInput in;
    in.confidence = sampling::Rate::parse(confidence, "confidence");
    in.tolerable = sampling::Rate::parse(tolerable, "tolerable rate");
    in.expectedRate = sampling::Rate::parse(expected.empty() ? "0" : expected, "expected rate");
    in.populationSize = inPeriod_;
    auto p = sampling::planAttributeSample(in);
    if (!p.possible) throw InputError(p.whyNot);
    std::int64_t size = std::min(p.sampleSize, inPeriod_);
    json j{{"method", "attribute"}, {"confidence", in.confidence.text()}, {"tolerable", in.tolerable.text()},
           {"expected", in.expectedRate->text()}, {"likelihood", "binomial"}, {"sample_size", size},
           {"allowable_deviations", p.allowableDeviations}, {"basis", p.basis}};
    return {size, p.basis + (size < p.sampleSize ? "; the frame has only " + std::to_string(inPeriod_) + " items: test all" : ""), j.dump()};
}

SampleRecord SamplePlanner::draw(const Actor& a, const PlannedSize& plan, const std::string& method, const std::string& seedText) {
    DrawRequest r;
    r.populationId = populationId_;
    r.method = method;
    r.size = plan.size;
    r.planJson = plan.planJson;
    if (!seedText.empty()) r.seed = parseSeed(seedText);
    return drawSample(e_, a, r);
}

}  // namespace tickmark::desk

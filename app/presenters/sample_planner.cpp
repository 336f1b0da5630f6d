#include "app/presenters/sample_planner.h"

#include "sampling/attribute.h"
#include "sampling/frequency.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/population.h"
#include "workpapers/sampling_plan.h"

namespace tickmark::desk {

SamplePlanner::SamplePlanner(Engagement& e, std::int64_t populationId) : e_(e), populationId_(populationId) {
    auto p = loadProfile(e, populationId);
    inPeriod_ = p.inPeriod;
    control_ = p.control;
    for (auto& c : listControls(e))
        if (c.ref == control_) frequency_ = c.nature == "automated" ? "automated" : c.frequency;
}

// The plans are the library's (workpapers/sampling_plan.h): the period from the engagement, the
// whole population when a plan exceeds it.
PlannedSize SamplePlanner::byFrequency(const std::string& frequency, const std::string& risk) {
    auto p = planByFrequency(e_, frequency.empty() ? frequency_ : frequency, sampling::parseRisk(risk), inPeriod_);
    return {p.sampleSize, p.basis, p.toJson()};
}

PlannedSize SamplePlanner::byAttributes(const std::string& confidence, const std::string& tolerable, const std::string& expected) {
    sampling::AttributePlanInput in;
    in.confidence = sampling::Rate::parse(confidence, "confidence");
    in.tolerable = sampling::Rate::parse(tolerable, "tolerable rate");
    in.expectedRate = sampling::Rate::parse(expected.empty() ? "0" : expected, "expected rate");
    in.populationSize = inPeriod_;
    auto p = planByAttributes(in);
    return {p.sampleSize, p.basis + (p.warning.empty() ? "" : " (" + p.warning + ")"), p.toJson()};
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

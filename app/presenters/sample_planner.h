#pragma once
// The sample planner's logic: size by the engagement's frequency table or by attribute sampling,
// keep the plan (as the CLI records it), and draw with a seed the user can see and change.
#include <cstdint>
#include <string>

#include "workpapers/people.h"
#include "workpapers/samples.h"

namespace tickmark::desk {

struct PlannedSize {
    std::int64_t size = 0;
    std::string basis, planJson;
};

class SamplePlanner {
public:
    SamplePlanner(Engagement& e, std::int64_t populationId);
    std::int64_t frameSize() const { return inPeriod_; }
    const std::string& control() const { return control_; }

    PlannedSize byFrequency(const std::string& frequency, const std::string& risk);
    PlannedSize byAttributes(const std::string& confidence, const std::string& tolerable, const std::string& expected);
    // Draws from the in-period frame with the planned size; the seed as typed (empty: from the OS).
    SampleRecord draw(const Actor& a, const PlannedSize& plan, const std::string& method, const std::string& seedText);

private:
    Engagement& e_;
    std::int64_t populationId_, inPeriod_ = 0;
    std::string control_, frequency_;
};

}  // namespace tickmark::desk

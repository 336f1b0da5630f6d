// The typed sampling plan: its stored form read and written in one place.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/sampling_plan.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

TEST_CASE("a sampling plan reads back what it wrote, and reads the plans older files stored") {
    SamplingPlan p;
    p.method = SamplingPlan::Method::Attribute;
    p.confidence = sampling::Rate::fraction(95, 100);
    p.tolerable = sampling::Rate::fraction(5, 100);
    p.expected = sampling::Rate::fraction(1, 100);
    p.likelihood = sampling::Likelihood::Hypergeometric;
    p.populationSize = 500;
    p.sampleSize = 88;
    p.allowableDeviations = 1;
    p.basis = "hand-made";
    auto back = SamplingPlan::fromJson(p.toJson(), "test");
    CHECK(back.method == SamplingPlan::Method::Attribute);
    CHECK(*back.tolerable == sampling::Rate::fraction(1, 20));
    CHECK(*back.expected == sampling::Rate::fraction(1, 100));
    CHECK(back.likelihood == sampling::Likelihood::Hypergeometric);
    CHECK(back.populationSize == 500);
    CHECK(back.sampleSize == 88);
    CHECK(back.toJson() == p.toJson());
    auto j = nlohmann::json::parse(p.toJson());
    CHECK(j["tolerable"] == "0.05");  // rates stored as exact decimals, never as doubles

    // What selections drawn before the typed plan stored.
    auto given = SamplingPlan::fromJson(R"({"basis":"sample size given by the user","sample_size":25})", "selection 1");
    CHECK(given.method == SamplingPlan::Method::Given);
    CHECK(given.sampleSize == 25);
    auto ext = SamplingPlan::fromJson(R"({"basis":"extension of selection 3","extend_by":15})", "selection 4");
    CHECK(ext.method == SamplingPlan::Method::Extension);
    CHECK(ext.extendBy == 15);
    auto freq = SamplingPlan::fromJson(R"({"method":"frequency","frequency":"quarterly","risk":"higher","sample_size":2})", "s");
    CHECK(freq.periodMonths == 12);
    CHECK(freq.risk == sampling::Risk::Higher);

    CHECK_THROWS_WITH(SamplingPlan::fromJson(R"({"method":"frequency","sample_size":2})", "selection 9"),
                      Contains("selection 9: the sampling plan's \"frequency\" is missing"));
    CHECK_THROWS_WITH(SamplingPlan::fromJson(R"({"method":"attribute","tolerable":0.05})", "--plan"),
                      Contains("--plan: the sampling plan's \"tolerable\" should be text"));
    CHECK_THROWS_WITH(SamplingPlan::fromJson("[1,2]", "--plan"), Contains("not a JSON object"));
    CHECK_THROWS_WITH(SamplingPlan::fromJson(R"({"sample_size":"ten"})", "--plan"), Contains("\"sample_size\" should be a whole number"));
}

TEST_CASE("the period of a frequency plan is the engagement's") {
    TempDir d;
    EngagementSetup s{"C", "S", ReportType::TypeII, parseIsoDate("2025-07-01"), parseIsoDate("2025-12-31"), std::nullopt, {}};
    auto e = Engagement::create(d / "six.tickmark", s, criteriaCsv());
    CHECK(periodMonths(e) == 6);
    auto p = planByFrequency(e, "monthly", sampling::Risk::Lower, std::nullopt);
    CHECK(p.periodMonths == 6);
    CHECK(SamplingPlan::fromJson(p.toJson(), "x").periodMonths == 6);
    auto year = newEngagement(d / "year.tickmark");  // 2025-01-01..2025-12-31
    CHECK(periodMonths(year) == 12);
}

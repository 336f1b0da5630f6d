// `tickmark plan` and `evaluate` at the edges, as a user runs them.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.h"

using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("tickmark plan: the exact hypergeometric size at a tie") {
    // P(X = 0 | n = 95, N = 100, K = 1) = 5/100 = 1/20 exactly: 95 is not enough, 96 is.
    auto r = cli("plan --method attribute --confidence 0.95 --tolerable 0.01 --likelihood hypergeometric "
                 "--population-size 100 --json");
    REQUIRE(r.status == 0);
    CHECK(json::parse(r.out)["sample_size"] == 96);
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.01 --likelihood hypergeometric --population-size 20 --json");
    auto j = json::parse(r.out);
    CHECK(j["sample_size"] == 20);  // P(X = 0 | 19 of 20, K = 1) = 1/20
    CHECK(j["test_all"] == true);
}

TEST_CASE("tickmark plan refuses when the expected deviations reach the tolerable count") {
    // N = 100, tolerable 1%: K = 1; expected 0.5%: ceil(0.5) = 1.
    auto r = cli("plan --method attribute --confidence 0.95 --tolerable 0.01 --expected 0.005 --likelihood hypergeometric "
                 "--population-size 100 --json");
    CHECK(r.status == 2);
    auto j = json::parse(r.out);
    CHECK(j["possible"] == false);
    CHECK(j["sample_size"].is_null());
    CHECK_THAT(j["why_not"].get<std::string>(), Contains("reach the tolerable count K = ceil(0.01 x 100) = 1"));
    CHECK_THAT(r.err, Contains("no sample size"));
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.01 --expected 0.005 --likelihood hypergeometric "
            "--population-size 100");
    CHECK(r.status == 2);
    CHECK_THAT(r.out, !Contains("test all"));
}

TEST_CASE("tickmark plan refuses a negative expected count or population size") {
    auto r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected-count -1 --json");
    CHECK(r.status == 2);
    CHECK(r.out.empty());
    CHECK_THAT(r.err, Contains("--expected-count -1: give a count of 0 or more"));
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --likelihood hypergeometric --population-size -1");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--population-size -1: give a count of 0 or more"));
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected-count 0 --json");
    CHECK(r.status == 0);
    CHECK(json::parse(r.out)["sample_size"] == 59);
}

TEST_CASE("tickmark plan flags a binomial size larger than the population") {
    auto r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected 0.01 --population-size 50 --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["sample_size"] == 93);
    REQUIRE(j["warning"].is_string());
    CHECK_THAT(j["warning"].get<std::string>(), Contains("more than the population of 50"));
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected 0.01 --population-size 50");
    CHECK_THAT(r.out, Contains("Warning: the binomial plan's 93 items are more than the population of 50"));
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected 0.01 --json");
    CHECK(json::parse(r.out)["warning"].is_null());
}

TEST_CASE("tickmark evaluate: the tie does not support reliance, and no rate prints as -0.0%") {
    // 0 of 95 from N = 100 at 95%: K_U = 1 (P(X = 0 | K = 1) = 1/20, a tie), the limit is 1%, not below 1%.
    auto r = cli("evaluate --size 95 --deviations 0 --likelihood hypergeometric --population-size 100 --tolerable 0.01 --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["upper_deviation_limit"].get<double>() == 0.01);
    CHECK(j["supports_reliance"] == false);
    r = cli("evaluate --size 100 --deviations 0 --likelihood hypergeometric --population-size 100 --tolerable 0.01");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, !Contains("-0.0"));
    CHECK_THAT(r.out, Contains("upper deviation limit 0.0% (exact 0.0000%)"));
    r = cli("evaluate --size 100 --deviations 0 --likelihood hypergeometric --population-size 100 --json");
    j = json::parse(r.out);
    CHECK_FALSE(std::signbit(j["upper_deviation_limit"].get<double>()));
    CHECK_FALSE(std::signbit(j["allowance_for_sampling_risk"].get<double>()));
}

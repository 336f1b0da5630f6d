// Statistics exact at the edges: ties against 1 - confidence, the hypergeometric refusal, no
// "-0.0%", the binomial plan larger than its population. Expected values are exact fractions,
// worked out once with Python's fractions module (quoted beside each case) and, for the sweeps,
// recomputed here with cpp_rational by the textbook formulas (factorials, plain powers, linear
// searches): never the code's own output pasted back.
#include <catch2/catch.hpp>

#include <boost/multiprecision/cpp_int.hpp>

#include <cmath>

#include "sampling/attribute.h"

using namespace tickmark::sampling;
using Catch::Matchers::Contains;
using boost::multiprecision::cpp_int;
using boost::multiprecision::cpp_rational;

namespace {

cpp_int factorial(std::int64_t n) {
    cpp_int f = 1;
    for (std::int64_t i = 2; i <= n; ++i) f *= i;
    return f;
}
cpp_int choose(std::int64_t n, std::int64_t k) {
    if (k < 0 || k > n) return 0;
    return factorial(n) / (factorial(k) * factorial(n - k));
}
cpp_rational rational(const Rate& r) { return cpp_rational(r.num, r.den); }
cpp_rational power(cpp_rational b, std::int64_t e) {
    cpp_rational r = 1;
    for (std::int64_t i = 0; i < e; ++i) r *= b;
    return r;
}

// P(X <= x), X ~ hypergeometric (n of N, K deviating), as a fraction.
cpp_rational hyperCdf(std::int64_t x, std::int64_t n, std::int64_t N, std::int64_t K) {
    cpp_int s = 0;
    for (std::int64_t k = 0; k <= x; ++k) s += choose(K, k) * choose(N - K, n - k);
    return cpp_rational(s, choose(N, n));
}
// P(X <= x), X ~ binomial(n, p), as a fraction.
cpp_rational binomCdf(std::int64_t x, std::int64_t n, const cpp_rational& p) {
    cpp_rational s = 0;
    for (std::int64_t k = 0; k <= std::min(x, n); ++k) s += cpp_rational(choose(n, k)) * power(p, k) * power(1 - p, n - k);
    return s;
}

AttributePlanInput hyperPlan(const char* conf, const char* tdr, const char* edr, std::int64_t N) {
    AttributePlanInput in{Rate::parse(conf, "c"), Rate::parse(tdr, "t"), Rate::parse(edr, "e")};
    in.likelihood = Likelihood::Hypergeometric;
    in.populationSize = N;
    return in;
}
AttributeEvaluation evaluate(const char* conf, std::int64_t n, std::int64_t x, const char* tdr, Likelihood l,
                             std::optional<std::int64_t> N = std::nullopt) {
    return evaluateAttributeSample({Rate::parse(conf, "c"), n, x, Rate::parse(tdr, "t"), l, N});
}

}  // namespace

TEST_CASE("hypergeometric planning: a probability equal to the risk is not below it") {
    struct Case {
        const char *conf, *tdr, *edr;
        std::int64_t N, n, x;
    };
    // Python fractions: P at n - 1 equals 1 - confidence exactly, so n - 1 does not qualify.
    const Case cases[] = {
        {"0.95", "0.01", "0", 100, 96, 0},     // K = 1: P(X=0 | 95) = 5/100 = 1/20; P(X=0 | 96) = 1/25
        {"0.95", "0.01", "0", 20, 20, 0},      // K = 1: P(X=0 | 19) = 1/20; n = 20 = N, so test all
        {"0.99", "0.10", "0.01", 25, 24, 1},   // K = 3: P(X<=1 | 23) = 1/100; P(X<=1 | 24) = 0
        {"0.99", "0.08", "0", 25, 23, 0},      // K = 2: P(X=0 | 22) = C(23,22)/C(25,22) = 1/100; 1/300 at 23
    };
    for (auto& c : cases) {
        INFO("N = " << c.N << ", confidence " << c.conf << ", tolerable " << c.tdr << ", expected " << c.edr);
        auto p = planAttributeSample(hyperPlan(c.conf, c.tdr, c.edr, c.N));
        REQUIRE(p.possible);
        CHECK(p.sampleSize == c.n);
        CHECK(p.allowableDeviations == c.x);
        CHECK(p.wholePopulation == (c.n == c.N));
    }
    CHECK(planAttributeSample(hyperPlan("0.95", "0.01", "0", 100)).basis ==
          "smallest n with P(X <= 0 | n = 96, N = 100, K = 1) = 0.040000 below the risk of overreliance 0.05 (hypergeometric)");
}

TEST_CASE("binomial planning: ties go the same way") {
    // Python fractions: (1 - 9/10)^2 = 1/100 and (1 - 4/5)^2 = 1/25 equal the risk, so n = 2 does not qualify.
    CHECK(planAttributeSample({Rate::parse("0.99", "c"), Rate::parse("0.9", "t"), Rate::parse("0", "e")}).sampleSize == 3);
    CHECK(planAttributeSample({Rate::parse("0.96", "c"), Rate::parse("0.8", "t"), Rate::parse("0", "e")}).sampleSize == 3);
    CHECK(planAttributeSample({Rate::parse("0.75", "c"), Rate::parse("0.5", "t"), Rate::parse("0", "e")}).sampleSize == 3);
}

TEST_CASE("upper limits: a tie is the limit itself, and the limit is not below an equal tolerable rate") {
    // Hypergeometric, Python fractions: K_U is the largest K with P(X <= x | K) >= 1 - confidence.
    //   0 of 95 from N = 100 at 95%: P(X=0 | K=1) = 1/20 (a tie, not rejected); K=2: 2/99 < 1/20 -> K_U = 1.
    auto h = evaluate("0.95", 95, 0, "0.01", Likelihood::Hypergeometric, 100);
    CHECK(h.upperLimitExact == 0.01);
    CHECK(h.upperLimit == 0.01);
    CHECK(*h.supportsReliance == false);  // 1% is not below 1%
    CHECK_THAT(h.conclusion, Contains("does not support"));
    //   0 of 19 from N = 20: P(X=0 | K=1) = 1/20 -> K_U = 1, 5%.
    h = evaluate("0.95", 19, 0, "0.05", Likelihood::Hypergeometric, 20);
    CHECK(h.upperLimit == 0.05);
    CHECK(*h.supportsReliance == false);
    CHECK(*evaluate("0.95", 19, 0, "0.051", Likelihood::Hypergeometric, 20).supportsReliance);
    //   1 of 23 from N = 25 at 99%: P(X<=1 | K=3) = 1/100 -> K_U = 3, 12%.
    h = evaluate("0.99", 23, 1, "0.12", Likelihood::Hypergeometric, 25);
    CHECK(h.upperLimit == 0.12);
    CHECK(*h.supportsReliance == false);

    // Binomial: 0 of 2 at 99%: (1 - p)^2 = 1/100 at p = 9/10 exactly, so the limit is 90.0% on the dot.
    auto b = evaluate("0.99", 2, 0, "0.9", Likelihood::Binomial);
    CHECK(b.upperLimit == 0.9);
    CHECK(*b.supportsReliance == false);
    CHECK(*evaluate("0.99", 2, 0, "0.9001", Likelihood::Binomial).supportsReliance);
}

TEST_CASE("Poisson, whose probabilities never tie, is decided beyond double precision") {
    // 0 of 60 at 95%: the limit is ln(20)/60 = 0.0499288712258998498905870596... (Python decimal, 40 digits).
    CHECK(*evaluate("0.95", 60, 0, "0.049928871226", Likelihood::Poisson).supportsReliance);
    CHECK_FALSE(*evaluate("0.95", 60, 0, "0.049928871225", Likelihood::Poisson).supportsReliance);
    CHECK(evaluate("0.95", 60, 0, "0.05", Likelihood::Poisson).upperLimit == 0.05);
    AttributePlanInput in{Rate::parse("0.95", "c"), Rate::parse("0.049928871226", "t"), Rate::parse("0", "e")};
    in.likelihood = Likelihood::Poisson;
    CHECK(planAttributeSample(in).sampleSize == 60);  // 60 x TDR = 2.99573227356 > ln 20 = 2.99573227355399...
    in.tolerable = Rate::parse("0.049928871225", "t");
    CHECK(planAttributeSample(in).sampleSize == 61);  // 60 x TDR = 2.9957322735 < ln 20
}

TEST_CASE("sweep: the hypergeometric planner is the smallest n with P < 1 - confidence, in fractions") {
    int ties = 0;
    for (const char* conf : {"0.90", "0.95", "0.99"})
        for (const char* tdr : {"0.01", "0.02", "0.05", "0.08", "0.10", "0.20"})
            for (const char* edr : {"0", "0.01", "0.04"})
                for (std::int64_t N = 1; N <= 40; ++N) {
                    const cpp_rational alpha = 1 - rational(Rate::parse(conf, "c"));
                    const Rate t = Rate::parse(tdr, "t"), e = Rate::parse(edr, "e");
                    const std::int64_t K = t.ceilTimes(N);
                    std::int64_t want = 0, wantX = 0;  // 0: no sample supports reliance
                    if (e.ceilTimes(N) < K)
                        for (std::int64_t n = 1; n <= N && !want; ++n) {
                            std::int64_t x = e.ceilTimes(n);
                            if (x >= n) continue;
                            cpp_rational P = hyperCdf(x, n, N, K);
                            if (P == alpha) ++ties;
                            if (P < alpha) want = n, wantX = x;
                        }
                    INFO("N = " << N << ", confidence " << conf << ", tolerable " << tdr << ", expected " << edr);
                    auto p = planAttributeSample(hyperPlan(conf, tdr, edr, N));
                    CHECK(p.possible == (want != 0));
                    if (want) {
                        CHECK(p.sampleSize == want);
                        CHECK(p.allowableDeviations == wantX);
                    }
                }
    CHECK(ties > 0);  // the sweep does reach ties
}

TEST_CASE("sweep: hypergeometric upper limits and conclusions, in fractions") {
    for (const char* conf : {"0.95", "0.99"})
        for (std::int64_t N = 1; N <= 25; ++N)
            for (std::int64_t n = 1; n <= N; ++n)
                for (std::int64_t x = 0; x <= std::min<std::int64_t>(n - 1, 2); ++x) {
                    const cpp_rational alpha = 1 - rational(Rate::parse(conf, "c"));
                    std::int64_t KU = x;  // the largest K not rejected; K = x never is
                    for (std::int64_t K = x; K <= N - (n - x); ++K)
                        if (hyperCdf(x, n, N, K) >= alpha) KU = K;
                    INFO("N = " << N << ", " << x << " of " << n << ", confidence " << conf << ", K_U = " << KU);
                    auto ev = evaluateAttributeSample({Rate::parse(conf, "c"), n, x, std::nullopt, Likelihood::Hypergeometric, N});
                    CHECK(ev.upperLimitExact == Approx(double(KU) / double(N)).margin(1e-12));
                    // Rounded up to 0.1%: the smallest m / 1000 >= K_U / N.
                    std::int64_t m = 0;
                    while (cpp_rational(m, 1000) < cpp_rational(KU, N)) ++m;
                    CHECK(ev.upperLimit == Approx(double(m) / 1000).margin(1e-12));
                    if (KU < 1 || KU >= N) continue;  // a tolerable rate must lie strictly between 0 and 1
                    auto at = evaluateAttributeSample({Rate::parse(conf, "c"), n, x, Rate::fraction(KU, N),
                                                       Likelihood::Hypergeometric, N});
                    CHECK_FALSE(*at.supportsReliance);  // tolerable = the limit itself: not below it
                    auto above = evaluateAttributeSample({Rate::parse(conf, "c"), n, x, Rate::fraction(2 * KU + 1, 2 * N),
                                                          Likelihood::Hypergeometric, N});
                    CHECK(*above.supportsReliance);  // half an item above the limit
                }
}

TEST_CASE("sweep: binomial planning, limits and conclusions at tie-prone rates, in fractions") {
    const char* rates[] = {"0.5", "0.6", "0.7", "0.75", "0.8", "0.9"};
    for (const char* conf : {"0.75", "0.90", "0.96", "0.99"}) {
        const cpp_rational alpha = 1 - rational(Rate::parse(conf, "c"));
        for (const char* tdr : rates) {
            const cpp_rational p = rational(Rate::parse(tdr, "t"));
            std::int64_t want = 1;
            while (!(binomCdf(0, want, p) < alpha)) ++want;
            INFO("confidence " << conf << ", tolerable " << tdr);
            CHECK(planAttributeSample({Rate::parse(conf, "c"), Rate::parse(tdr, "t"), Rate::parse("0", "e")}).sampleSize == want);
        }
        for (std::int64_t n = 1; n <= 4; ++n)
            for (std::int64_t x = 0; x < n; ++x) {
                INFO("confidence " << conf << ", " << x << " of " << n);
                // Rounded limit: the smallest m / 1000 with P(X <= x | m / 1000) <= alpha.
                std::int64_t m = 0;
                while (binomCdf(x, n, cpp_rational(m, 1000)) > alpha) ++m;
                auto ev = evaluateAttributeSample({Rate::parse(conf, "c"), n, x});
                CHECK(ev.upperLimit == Approx(double(m) / 1000).margin(1e-12));
                for (const char* tdr : rates) {
                    INFO("tolerable " << tdr);
                    auto e = evaluate(conf, n, x, tdr, Likelihood::Binomial);
                    CHECK(*e.supportsReliance == (binomCdf(x, n, rational(Rate::parse(tdr, "t"))) < alpha));
                }
            }
    }
}

TEST_CASE("hypergeometric: expected deviations reaching the tolerable count are refused, not 'test all'") {
    // N = 100, tolerable 1%: K = 1; expected 0.5%: ceil(0.5) = 1 deviation expected, as many as tolerated.
    auto p = planAttributeSample(hyperPlan("0.95", "0.01", "0.005", 100));
    CHECK_FALSE(p.possible);
    CHECK_FALSE(p.wholePopulation);
    CHECK_THAT(p.whyNot, Contains("ceil(0.005 x 100) = 1") && Contains("tolerable count K = ceil(0.01 x 100) = 1"));
    auto in = hyperPlan("0.95", "0.05", "0", 100);
    in.expectedRate.reset();
    in.expectedCount = 5;  // K = 5
    p = planAttributeSample(in);
    CHECK_FALSE(p.possible);
    CHECK_THAT(p.whyNot, Contains("5, given as a count"));
    in.expectedCount = 4;
    p = planAttributeSample(in);
    REQUIRE(p.possible);
    CHECK(p.sampleSize <= 100);
}

TEST_CASE("no negative zero in any rate") {
    // 0 of 100 from N = 100: K_U = 0 (Python fractions: P(X=0 | K=1) = 0), the limit is zero.
    auto ev = evaluate("0.95", 100, 0, "0.01", Likelihood::Hypergeometric, 100);
    CHECK(ev.upperLimit == 0);
    CHECK_FALSE(std::signbit(ev.upperLimit));
    CHECK_FALSE(std::signbit(ev.allowanceForSamplingRisk));
    CHECK_THAT(ev.conclusion, !Contains("-0.0"));
    CHECK_THAT(ev.conclusion, Contains("upper deviation limit 0.0%"));
    // 10 of 999 from N = 1000 at 95%: K_U = 10 (P(X<=10 | K=11) = 11/1000 < 1/20), 1.0% below 10/999.
    ev = evaluate("0.95", 999, 10, "0.05", Likelihood::Hypergeometric, 1000);
    CHECK(ev.upperLimit == 0.01);
    CHECK(ev.allowanceForSamplingRisk == 0);
    CHECK_FALSE(std::signbit(ev.allowanceForSamplingRisk));
    CHECK(percentText(-0.0) == "0.0%");
    CHECK(percentText(-0.00001, 1) == "0.0%");
    CHECK(percentText(-0.00001, 4) == "-0.0010%");  // a real negative keeps its sign
    CHECK(percentText(0.0766, 1) == "7.7%");
}

TEST_CASE("a binomial plan larger than its population is flagged") {
    AttributePlanInput in{Rate::parse("0.95", "c"), Rate::parse("0.05", "t"), Rate::parse("0.01", "e")};
    in.populationSize = 50;  // the binomial 93 cannot be drawn without replacement from 50
    auto p = planAttributeSample(in);
    REQUIRE(p.possible);
    CHECK(p.sampleSize == 93);
    CHECK_THAT(p.warning, Contains("93 items are more than the population of 50"));
    in.populationSize = 93;
    CHECK(planAttributeSample(in).warning.empty());
    in.populationSize.reset();
    CHECK(planAttributeSample(in).warning.empty());
    in.likelihood = Likelihood::Hypergeometric;
    in.populationSize = 50;
    CHECK(planAttributeSample(in).warning.empty());  // sized from N, never above it
}

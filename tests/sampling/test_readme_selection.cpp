// The README's selection algorithms, re-implemented from its text alone (raw mt19937_64 outputs, the
// bucket rule for a uniform integer, Fisher-Yates on a full array, strata in order with one
// generator): the library must pick the same items. The one-value range [a, a] is the edge: the
// README says it is a and nothing is drawn, which decides the draws a later stratum gets.
#include <catch2/catch.hpp>

#include <boost/random/mersenne_twister.hpp>

#include <cstdint>
#include <limits>
#include <numeric>

#include "sampling/selection.h"

using namespace tickmark::sampling;

namespace {

struct Readme {
    boost::random::mt19937_64 engine;
    bool drawOnOneValue = false;  // the literal misreading: draw (and discard) even for [a, a]

    explicit Readme(std::uint64_t seed) : engine(seed) {}

    // "A uniform integer in [a, b]": with range = b - a, bucket = (2^64 - 1) div (range + 1), plus 1
    // if (2^64 - 1) mod (range + 1) = range; draw v; r = v div bucket; if r <= range return a + r.
    std::uint64_t uniform(std::uint64_t a, std::uint64_t b) {
        if (a == b) {
            if (drawOnOneValue) engine();
            return a;
        }
        const std::uint64_t max = std::numeric_limits<std::uint64_t>::max(), range = b - a;
        if (range == max) return engine();
        std::uint64_t bucket = max / (range + 1);
        if (max % (range + 1) == range) ++bucket;
        for (;;) {
            std::uint64_t r = engine() / bucket;
            if (r <= range) return a + r;
        }
    }

    // tickmark-random/1 on a full array.
    std::vector<std::uint64_t> random(std::uint64_t F, std::uint64_t n) {
        std::vector<std::uint64_t> a(F), out;
        std::iota(a.begin(), a.end(), 0);
        for (std::uint64_t i = 0; i < n; ++i) {
            std::swap(a[i], a[uniform(i, F - 1)]);
            out.push_back(a[i]);
        }
        return out;
    }
};

std::vector<StratumPick> readmeStratified(const std::vector<std::uint64_t>& sizes, std::uint64_t n, std::uint64_t seed,
                                          bool drawOnOneValue) {
    auto alloc = allocateStrata(sizes, n);  // the allocation has its own tests; here: the draws
    Readme g(seed);
    g.drawOnOneValue = drawOnOneValue;
    std::vector<StratumPick> out;
    for (std::size_t h = 0; h < sizes.size(); ++h)
        if (alloc[h])
            for (auto i : g.random(sizes[h], alloc[h])) out.push_back({h, i});
    return out;
}

bool same(const std::vector<StratumPick>& a, const std::vector<StratumPick>& b) {
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i)
        if (a[i].stratum != b[i].stratum || a[i].index != b[i].index) return false;
    return true;
}

}  // namespace

TEST_CASE("random selection re-performed from the README's text") {
    for (std::uint64_t seed : {1ull, 42ull, 20261123ull})
        for (auto [F, n] : {std::pair<std::uint64_t, std::uint64_t>{1, 1}, {7, 7}, {100, 12}, {2407, 60}}) {
            INFO("seed " << seed << ", frame " << F << ", n " << n);
            CHECK(selectRandom(F, n, seed) == Readme(seed).random(F, n));
        }
}

TEST_CASE("a one-value range [a, a] is a, and nothing is drawn for it") {
    // Stratum 0 has one item and gets it: its range [0, 0] draws nothing, so stratum 1 starts with
    // the engine's first output. Strata {4, 6} with 9 items get 4 + 5: stratum 0 is taken whole and its
    // last pick is [3, 3]; {3, 3, 4} with 10 takes every stratum whole.
    for (auto [sizes, n] : {std::pair<std::vector<std::uint64_t>, std::uint64_t>{{1, 50}, 6}, {{4, 6}, 9}, {{3, 3, 4}, 10}}) {
        REQUIRE(allocateStrata(sizes, n)[0] == sizes[0]);
        for (std::uint64_t seed : {5ull, 77ull}) {
            INFO("seed " << seed << ", n " << n);
            auto picks = selectStratified(sizes, n, seed);
            CHECK(same(picks, readmeStratified(sizes, n, seed, false)));
            CHECK_FALSE(same(picks, readmeStratified(sizes, n, seed, true)));  // the test can tell the two apart
        }
    }
    // Systematic from a one-item frame: u in [0, 0] is 0, drawn from nowhere.
    CHECK(selectSystematic(1, 1, 9) == std::vector<std::uint64_t>{0});
}

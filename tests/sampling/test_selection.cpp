#include <catch2/catch.hpp>

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <numeric>
#include <set>

#include "sampling/selection.h"

using namespace tickmark::sampling;
using Catch::Matchers::Contains;

namespace {
// The textbook Fisher-Yates over a full array, as the README describes tickmark-random/1: the sparse
// version must pick exactly the same items in the same order.
std::vector<std::uint64_t> denseFisherYates(std::uint64_t F, std::uint64_t n, std::uint64_t seed) {
    boost::random::mt19937_64 engine(seed);
    std::vector<std::uint64_t> a(F);
    std::iota(a.begin(), a.end(), 0);
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = 0; i < n; ++i) {
        boost::random::uniform_int_distribution<std::uint64_t> pick(i, F - 1);
        std::swap(a[i], a[pick(engine)]);
        out.push_back(a[i]);
    }
    return out;
}
}  // namespace

TEST_CASE("the generator is the standard's mt19937_64") {
    boost::random::mt19937_64 engine;  // default seed 5489
    std::uint64_t v = 0;
    for (int i = 0; i < 10000; ++i) v = engine();
    CHECK(v == 9981545732273789042ull);  // the 10000th output the C++ standard requires ([rand.predef])
}

TEST_CASE("simple random selection without replacement") {
    for (std::uint64_t seed : {1ull, 20261122ull, 0xFFFFFFFFFFFFFFFFull}) {
        for (auto [F, n] : {std::pair<std::uint64_t, std::uint64_t>{10, 10}, {100, 7}, {2407, 60}, {5000, 400}}) {
            INFO("seed " << seed << ", frame " << F << ", n " << n);
            auto s = selectRandom(F, n, seed);
            CHECK(s == denseFisherYates(F, n, seed));
            std::set<std::uint64_t> unique(s.begin(), s.end());
            CHECK(unique.size() == n);                  // no duplicates
            CHECK(*unique.rbegin() < F);
            CHECK(selectRandom(F, n, seed) == s);       // re-performs identically
        }
    }
    CHECK(selectRandom(1000, 25, 1) != selectRandom(1000, 25, 2));
    auto all = selectRandom(50, 50, 7);
    std::sort(all.begin(), all.end());
    CHECK(all.front() == 0);
    CHECK(all.back() == 49);
}

TEST_CASE("a large frame costs memory for the sample only") {
    auto s = selectRandom(10'000'000, 60, 42);
    CHECK(s.size() == 60);
    CHECK(std::set<std::uint64_t>(s.begin(), s.end()).size() == 60);
}

TEST_CASE("systematic selection: a random start, then every F/n") {
    auto s = selectSystematic(100, 10, 99);
    REQUIRE(s.size() == 10);
    CHECK(s[0] < 10);
    for (std::size_t i = 1; i < s.size(); ++i) CHECK(s[i] - s[i - 1] == 10);
    auto t = selectSystematic(2407, 25, 5);
    CHECK(t.back() < 2407);
    for (std::size_t i = 1; i < t.size(); ++i) {
        auto gap = t[i] - t[i - 1];
        CHECK((gap == 96 || gap == 97));  // 2407 / 25 = 96.28
    }
}

TEST_CASE("stratified allocation: proportional, at least one per non-empty stratum") {
    CHECK(allocateStrata({10, 0, 30, 60}, 10) == std::vector<std::uint64_t>{1, 0, 3, 6});
    CHECK(allocateStrata({1, 99}, 5) == std::vector<std::uint64_t>{1, 4});
    // The months of 2025 (365 days), 25 items: quotas floor to 23; February (remainder 335/365) and
    // January (45/365, the first of the ties) take the last two.
    CHECK(allocateStrata({31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31}, 25) ==
          std::vector<std::uint64_t>{3, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2});
    CHECK_THROWS_WITH(allocateStrata({5, 5, 5}, 2), Contains("cannot represent all 3 non-empty strata"));
}

TEST_CASE("stratified selection represents every non-empty stratum") {
    boost::random::mt19937_64 sizesEngine(3);
    for (int trial = 0; trial < 200; ++trial) {
        std::vector<std::uint64_t> sizes(12);
        std::uint64_t nonEmpty = 0, total = 0;
        for (auto& s : sizes) {
            s = sizesEngine() % 4 == 0 ? 0 : 1 + sizesEngine() % 300;
            nonEmpty += s > 0;
            total += s;
        }
        if (!nonEmpty) continue;
        std::uint64_t n = std::min<std::uint64_t>(total, nonEmpty + sizesEngine() % 40);
        auto picks = selectStratified(sizes, n, sizesEngine());
        CHECK(picks.size() == n);
        std::set<std::pair<std::size_t, std::uint64_t>> unique;
        std::vector<std::uint64_t> per(12, 0);
        for (auto& p : picks) {
            unique.insert({p.stratum, p.index});
            CHECK(p.index < sizes[p.stratum]);
            ++per[p.stratum];
        }
        CHECK(unique.size() == n);
        for (std::size_t h = 0; h < 12; ++h) CHECK((sizes[h] == 0) == (per[h] == 0));
    }
}

TEST_CASE("an extension draws only items not yet selected") {
    auto first = selectRandom(100, 25, 11);
    auto more = selectExtension(100, first, 15, 12);
    CHECK(more.size() == 15);
    std::set<std::uint64_t> all(first.begin(), first.end());
    for (auto m : more) {
        CHECK(m < 100);
        CHECK(all.insert(m).second);
    }
    CHECK(selectExtension(100, first, 15, 12) == more);
    auto rest = selectExtension(100, first, 75, 1);  // everything left
    all = std::set<std::uint64_t>(first.begin(), first.end());
    all.insert(rest.begin(), rest.end());
    CHECK(all.size() == 100);
    CHECK_THROWS_WITH(selectExtension(100, first, 76, 1), Contains("only 75 items are not yet selected"));
}

TEST_CASE("the period's calendar for controls with no listing") {
    // 2025-07-01 is day 20270 since 1970-01-01; the period to 2026-06-30 has 365 days, 261 of them Monday
    // to Friday (counted with Python's datetime).
    CHECK(periodDays(20270, 20270 + 364, false).size() == 365);
    auto business = periodDays(20270, 20270 + 364, true);
    CHECK(business.size() == 261);
    CHECK(business.front() == 20270);  // a Tuesday
}

TEST_CASE("selection refuses what cannot be drawn") {
    CHECK_THROWS_WITH(selectRandom(0, 1, 1), Contains("the frame is empty"));
    CHECK_THROWS_WITH(selectRandom(10, 11, 1), Contains("larger than the frame of 10 items"));
    CHECK_THROWS_WITH(selectRandom(10, 0, 1), Contains("at least 1"));
    CHECK(osSeed() != osSeed());
}

#include "sampling/selection.h"

#include "sampling/rate.h"

#include <boost/random/mersenne_twister.hpp>
#include <boost/random/uniform_int_distribution.hpp>

#include <algorithm>
#include <random>
#include <stdexcept>
#include <string>
#include <unordered_map>

namespace tickmark::sampling {
namespace {

using Engine = boost::random::mt19937_64;

void requireSize(std::uint64_t frameSize, std::uint64_t n) {
    if (frameSize == 0)
        throw std::invalid_argument("the frame is empty: the control did not operate in the period; there is nothing to sample");
    if (n == 0) throw std::invalid_argument("give a sample size of at least 1");
    if (n > frameSize)
        throw std::invalid_argument("a sample of " + std::to_string(n) + " is larger than the frame of " +
                                    std::to_string(frameSize) + " items; without replacement, test all " +
                                    std::to_string(frameSize) + " instead");
}

// A uniform integer in [a, b]. A one-value range [a, a] is a, and nothing is drawn from the engine:
// Boost 1.74 does the same, but the README states it, so the code says it too (it decides which
// draws a later stratum or item gets).
std::uint64_t uniformIn(Engine& engine, std::uint64_t a, std::uint64_t b) {
    if (a == b) return a;
    boost::random::uniform_int_distribution<std::uint64_t> pick(a, b);
    return pick(engine);
}

// Fisher-Yates on an implicit identity array: only displaced positions are stored.
std::vector<std::uint64_t> sparseFisherYates(Engine& engine, std::uint64_t frameSize, std::uint64_t n) {
    std::unordered_map<std::uint64_t, std::uint64_t> moved;
    moved.reserve(static_cast<std::size_t>(n) * 2);
    auto at = [&](std::uint64_t i) {
        auto it = moved.find(i);
        return it == moved.end() ? i : it->second;
    };
    std::vector<std::uint64_t> out;
    out.reserve(static_cast<std::size_t>(n));
    for (std::uint64_t i = 0; i < n; ++i) {
        std::uint64_t j = uniformIn(engine, i, frameSize - 1);
        std::uint64_t chosen = at(j);
        moved[j] = at(i);
        out.push_back(chosen);
    }
    return out;
}

}  // namespace

std::vector<std::uint64_t> selectRandom(std::uint64_t frameSize, std::uint64_t n, std::uint64_t seed) {
    requireSize(frameSize, n);
    Engine engine(seed);
    return sparseFisherYates(engine, frameSize, n);
}

std::vector<std::uint64_t> selectSystematic(std::uint64_t frameSize, std::uint64_t n, std::uint64_t seed) {
    requireSize(frameSize, n);
    Engine engine(seed);
    const UInt128 u = uniformIn(engine, 0, frameSize - 1);
    std::vector<std::uint64_t> out;
    for (std::uint64_t i = 0; i < n; ++i)
        out.push_back(static_cast<std::uint64_t>((u + static_cast<UInt128>(i) * frameSize) / n));
    return out;
}

std::vector<std::uint64_t> allocateStrata(const std::vector<std::uint64_t>& sizes, std::uint64_t n) {
    std::uint64_t total = 0, nonEmpty = 0;
    for (auto s : sizes) total += s, nonEmpty += s > 0;
    requireSize(total, n);
    if (n < nonEmpty)
        throw std::invalid_argument("a stratified sample of " + std::to_string(n) + " cannot represent all " +
                                    std::to_string(nonEmpty) + " non-empty strata; raise the size to at least " +
                                    std::to_string(nonEmpty) + " or use larger strata");
    // Hamilton apportionment of n in proportion to the strata's sizes. A non-empty stratum whose
    // quota is below 1 gets exactly 1 and is set aside; the rest is apportioned again among the others.
    std::vector<bool> fixedOne(sizes.size(), false);
    std::vector<std::uint64_t> alloc(sizes.size(), 0);
    for (;;) {
        std::uint64_t restN = n, restF = 0;
        for (std::size_t h = 0; h < sizes.size(); ++h) {
            if (fixedOne[h]) --restN;
            else restF += sizes[h];
        }
        bool changed = false;
        for (std::size_t h = 0; h < sizes.size(); ++h)
            if (sizes[h] && !fixedOne[h] && static_cast<UInt128>(restN) * sizes[h] < restF) fixedOne[h] = changed = true;
        if (changed) continue;
        std::vector<std::pair<UInt128, std::size_t>> remainders;
        std::uint64_t given = 0;
        for (std::size_t h = 0; h < sizes.size(); ++h) {
            if (fixedOne[h]) {
                alloc[h] = 1;
                ++given;
            } else if (sizes[h]) {
                UInt128 quota = static_cast<UInt128>(restN) * sizes[h];
                alloc[h] = std::min<std::uint64_t>(sizes[h], static_cast<std::uint64_t>(quota / restF));
                given += alloc[h];
                remainders.emplace_back(quota % restF, h);
            }
        }
        // Largest remainder first, ties to the earlier stratum; a full stratum is passed over.
        std::stable_sort(remainders.begin(), remainders.end(), [](auto& a, auto& b) { return a.first > b.first; });
        while (given < n) {
            bool any = false;
            for (auto& [rem, h] : remainders) {
                if (given == n) break;
                if (alloc[h] < sizes[h]) ++alloc[h], ++given, any = true;
            }
            if (!any) break;
        }
        return alloc;
    }
}

std::vector<StratumPick> selectStratified(const std::vector<std::uint64_t>& sizes, std::uint64_t n, std::uint64_t seed) {
    auto alloc = allocateStrata(sizes, n);
    Engine engine(seed);
    std::vector<StratumPick> out;
    for (std::size_t h = 0; h < sizes.size(); ++h) {
        if (!alloc[h]) continue;
        for (auto i : sparseFisherYates(engine, sizes[h], alloc[h])) out.push_back({h, i});
    }
    return out;
}

std::vector<std::uint64_t> selectExtension(std::uint64_t frameSize, std::vector<std::uint64_t> taken, std::uint64_t k,
                                           std::uint64_t seed) {
    std::sort(taken.begin(), taken.end());
    taken.erase(std::unique(taken.begin(), taken.end()), taken.end());
    for (auto t : taken)
        if (t >= frameSize) throw std::invalid_argument("an earlier selection lies outside the frame");
    const std::uint64_t free = frameSize - taken.size();
    if (free == 0) throw std::invalid_argument("every item of the frame is already selected; there is nothing to extend with");
    if (k > free)
        throw std::invalid_argument("only " + std::to_string(free) + " items are not yet selected; cannot add " +
                                    std::to_string(k));
    auto picks = selectRandom(free, k, seed);
    // The j-th item not yet selected: skip the taken positions at or below it.
    for (auto& j : picks) {
        std::uint64_t pos = j;
        for (auto t : taken) {
            if (t <= pos) ++pos;
            else break;
        }
        j = pos;
    }
    return picks;
}

std::vector<std::int64_t> periodDays(std::int64_t first, std::int64_t last, bool businessDaysOnly) {
    if (last < first) throw std::invalid_argument("the period ends before it starts");
    std::vector<std::int64_t> days;
    for (std::int64_t d = first; d <= last; ++d) {
        int weekday = static_cast<int>(((d % 7) + 7 + 4) % 7);  // 1970-01-01 was a Thursday; 0 = Sunday
        if (!businessDaysOnly || (weekday >= 1 && weekday <= 5)) days.push_back(d);
    }
    return days;
}

std::uint64_t osSeed() {
    std::random_device rd;
    return (static_cast<std::uint64_t>(rd()) << 32) ^ static_cast<std::uint64_t>(rd());
}

}  // namespace tickmark::sampling

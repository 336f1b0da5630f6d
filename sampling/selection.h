#pragma once
// Selection algorithms. Every draw comes from boost::random::mt19937_64 seeded with the 64-bit seed,
// through boost::random::uniform_int_distribution<std::uint64_t>: both are specified exactly and give
// the same numbers on every platform (the standard library's distributions do not). The README
// states each algorithm precisely enough for an outside reviewer to re-implement it.
#include <cstdint>
#include <vector>

#include "sampling/frequency.h"

namespace tickmark::sampling {

// Names and version recorded with every selection; a change to any algorithm is a new version.
inline constexpr const char* kGenerator = "boost::random::mt19937_64 + uniform_int_distribution<uint64_t> (Boost 1.74)";
inline constexpr const char* kRandomAlgorithm = "tickmark-random/1: sparse Fisher-Yates";
inline constexpr const char* kSystematicAlgorithm = "tickmark-systematic/1: floor((u + i*F) / n), u uniform in [0, F-1]";
inline constexpr const char* kStratifiedAlgorithm =
    "tickmark-stratified/1: Hamilton apportionment (at least 1 per non-empty stratum), then tickmark-random/1 per stratum in order";
inline constexpr const char* kDatesAlgorithm = "tickmark-dates/1: tickmark-random/1 over the period's (business) days";
// Dates for a periodic control: each from a different quarter, month or week (version 2 of dates;
// version 1 stays for re-performing selections drawn with it).
inline constexpr const char* kDatesDistinctAlgorithm =
    "tickmark-dates/2: tickmark-random/1 over the period units with eligible days, then one day in each unit drawn";
inline constexpr const char* kExtensionAlgorithm = "tickmark-extension/1: tickmark-random/1 over the frame without the items already selected";
inline constexpr const char* kExtensionDistinctAlgorithm =
    "tickmark-extension/2: tickmark-dates/2 over the period units no item already selected falls in";

// n distinct positions of a frame of F items, 0-based, in the order drawn. Memory O(n), not O(F).
std::vector<std::uint64_t> selectRandom(std::uint64_t frameSize, std::uint64_t n, std::uint64_t seed);

// n positions at interval F/n from a random start, ascending.
std::vector<std::uint64_t> selectSystematic(std::uint64_t frameSize, std::uint64_t n, std::uint64_t seed);

// How many items each stratum gets: at least one per non-empty stratum, the rest proportional.
std::vector<std::uint64_t> allocateStrata(const std::vector<std::uint64_t>& stratumSizes, std::uint64_t n);

struct StratumPick {
    std::size_t stratum;
    std::uint64_t index;  // 0-based within the stratum
};
std::vector<StratumPick> selectStratified(const std::vector<std::uint64_t>& stratumSizes, std::uint64_t n,
                                          std::uint64_t seed);

// n picks, each from a different non-empty unit: tickmark-random/1 chooses n of the non-empty units
// (in unit order), then, with the same generator and in the order chosen, one item of each unit
// uniformly. Throws std::invalid_argument when fewer than n units have items.
std::vector<StratumPick> selectDistinctUnits(const std::vector<std::uint64_t>& unitSizes, std::uint64_t n,
                                             std::uint64_t seed);

// The 0-based unit of the period a day falls in (days since 1970-01-01): quarters and months are
// counted from the period's first month (as the strata are); weeks run Monday to Sunday, unit 0 being
// the week that holds the period's first day. SpreadUnit::None throws std::invalid_argument.
std::int64_t periodUnitOf(SpreadUnit unit, std::int64_t firstDay, std::int64_t day);

// k more positions of [0, F) that are not in `taken`, in the order drawn.
std::vector<std::uint64_t> selectExtension(std::uint64_t frameSize, std::vector<std::uint64_t> taken, std::uint64_t k,
                                           std::uint64_t seed);

// The days from first to last (days since 1970-01-01), optionally Monday to Friday only.
std::vector<std::int64_t> periodDays(std::int64_t firstDay, std::int64_t lastDay, bool businessDaysOnly);

// A fresh 64-bit seed from the operating system.
std::uint64_t osSeed();

}  // namespace tickmark::sampling

// Sampling benchmark: drawing 60 items from a 10,000,000-item frame (each method), and planning
// every cell of the AICPA sample-size tables. Target: each well under 100 ms. Python's
// random.sample over the same frame is timed in the same run as a reference point.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <vector>

#include "sampling/attribute.h"
#include "sampling/selection.h"
#include "../sampling/aicpa_tables.h"

using namespace tickmark::sampling;
using Clock = std::chrono::steady_clock;

namespace {
template <typename F>
double medianMs(int runs, F&& f) {
    std::vector<double> t;
    for (int i = 0; i < runs; ++i) {
        auto a = Clock::now();
        f(i);
        t.push_back(std::chrono::duration<double, std::milli>(Clock::now() - a).count());
    }
    std::sort(t.begin(), t.end());
    return t[t.size() / 2];
}
const char* verdict(double ms) { return ms < 100 ? "MET" : "NOT MET"; }
}  // namespace

int main() {
    const std::uint64_t F = 10'000'000;
    std::printf("frame of %llu items, 60 drawn, median of 21 runs:\n", static_cast<unsigned long long>(F));
    double r = medianMs(21, [&](int i) { selectRandom(F, 60, 1000 + i); });
    std::printf("  random (sparse Fisher-Yates)     %8.3f ms  (target < 100 ms): %s\n", r, verdict(r));
    double s = medianMs(21, [&](int i) { selectSystematic(F, 60, 1000 + i); });
    std::printf("  systematic                       %8.3f ms: %s\n", s, verdict(s));
    std::vector<std::uint64_t> months(12, F / 12);
    months[0] += F % 12;
    double st = medianMs(21, [&](int i) { selectStratified(months, 60, 1000 + i); });
    std::printf("  stratified (12 monthly strata)   %8.3f ms: %s\n", st, verdict(st));
    auto taken = selectRandom(F, 60, 1);
    double ex = medianMs(21, [&](int i) { selectExtension(F, taken, 60, 1000 + i); });
    std::printf("  extension by 60 past 60 taken    %8.3f ms: %s\n", ex, verdict(ex));

    std::string py = "/usr/bin/python3 -c \"import random,time; t=[]\n"
                     "for i in range(21):\n a=time.perf_counter(); random.sample(range(10000000), 60); t.append(time.perf_counter()-a)\n"
                     "t.sort(); print('  python random.sample (reference) %8.3f ms' % (t[10]*1000))\"";
    std::fflush(stdout);
    if (std::system(py.c_str()) != 0) std::printf("  python reference not available\n");

    double worst = 0, total = 0;
    int cells = 0;
    std::string worstCell;
    for (int t = 1; t <= 2; ++t) {
        const auto& table = t == 1 ? aicpa::kTableA1 : aicpa::kTableA2;
        for (std::size_t c = 0; c < table.size(); ++c)
            for (std::size_t row = 0; row < table[c].size(); ++row) {
                AttributePlanInput in{Rate::parse(t == 1 ? "0.95" : "0.90", "c"), Rate::parse(aicpa::kTolerableRates[c], "t"),
                                      Rate::parse(aicpa::kExpectedRates[row], "e"), std::nullopt, Likelihood::Binomial,
                                      std::nullopt, 10'000};
                double ms = medianMs(5, [&](int) { planAttributeSample(in); });
                total += ms;
                ++cells;
                if (ms > worst) {
                    worst = ms;
                    worstCell = "A-" + std::to_string(t) + " TDR " + aicpa::kTolerableRates[c] + " EDR " + aicpa::kExpectedRates[row];
                }
            }
    }
    std::printf("planning every cell of Tables A-1 and A-2 (%d cells): slowest %.3f ms (%s), mean %.3f ms (target < 100 ms): %s\n",
                cells, worst, worstCell.c_str(), total / cells, verdict(worst));
    AttributePlanInput hyper{Rate::parse("0.95", "c"), Rate::parse("0.02", "t"), Rate::parse("0.005", "e"),
                             std::nullopt, Likelihood::Hypergeometric, 1'000'000, 10'000};
    double h = medianMs(5, [&](int) { planAttributeSample(hyper); });
    std::printf("planning hypergeometric, N = 1,000,000, TDR 2%%, EDR 0.5%%: %.3f ms: %s\n", h, verdict(h));
    return 0;
}

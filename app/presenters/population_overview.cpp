#include "app/presenters/population_overview.h"

#include "workpapers/population_analytics.h"
#include "workpapers/population_life.h"

namespace tickmark::desk {

namespace {
std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}
std::string plural(std::int64_t n, const char* word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }
}  // namespace

std::vector<OverviewLine> populationOverview(Engagement& e, std::int64_t id) {
    std::vector<OverviewLine> out;
    const auto life = populationLife(e, id);
    const auto a = analysePopulation(e, id);
    if (life.supersededBy)
        out.push_back({"", "Superseded by population " + std::to_string(*life.supersededBy) + " (" + life.supersedeReason +
                               "); version in force: " + std::to_string(currentPopulationVersion(e, id)),
                       true});
    if (life.supersedes) out.push_back({"Supersedes", "population " + std::to_string(*life.supersedes), false});
    out.push_back({"Controls", joined(controlsServed(e, id), ", "), false});

    const auto& g = a.periodGaps;
    if (!g.applicable()) {
        out.push_back({"Period gaps", "none counted: " + g.note, false});
    } else {
        out.push_back({"Period gaps",
                       std::to_string(g.missing.size()) + " of " + std::to_string(g.units) + " " + g.unit + "s (" + g.frequency +
                           " control " + g.control + ") with no item in the period" + (g.note.empty() ? "" : "; " + g.note),
                       !g.missing.empty()});
        for (std::size_t i = 0; i < g.missing.size() && i < kListedGaps; ++i) out.push_back({"", "no item: " + g.missing[i], true});
        if (g.missing.size() > kListedGaps)
            out.push_back({"", "... and " + std::to_string(g.missing.size() - kListedGaps) + " more (see --json)", true});
    }

    const auto& k = a.keyGaps;
    if (!k.numbered) {
        out.push_back({"Key gaps", "not counted: " + k.why, false});
    } else {
        out.push_back({"Key gaps",
                       plural(k.missing, "number") + " missing in " + plural(k.rangeCount, "range") + " between " + k.firstKey + " and " +
                           k.lastKey + " (" + std::to_string(k.numberedKeys) + " numbered keys, " + std::to_string(k.otherKeys) +
                           " of another shape)",
                       k.missing > 0});
        for (std::size_t i = 0; i < k.ranges.size() && i < kListedKeyRanges; ++i)
            out.push_back({"", std::string(k.ranges[i].find("..") == std::string::npos ? "missing key " : "missing keys ") + k.ranges[i], true});
        if (k.rangeCount > static_cast<std::int64_t>(kListedKeyRanges))
            out.push_back({"", "... and " + std::to_string(k.rangeCount - static_cast<std::int64_t>(kListedKeyRanges)) + " more ranges (see --json)",
                           true});
    }

    if (auto r = a.reconciliation) {
        const bool open = !r->agrees() && !r->explanation;
        out.push_back({"Reconciled",
                       std::to_string(r->counted) + " counted in the period, " + std::to_string(r->expected) + " per " + r->source + ": " +
                           (r->agrees() ? std::string("agrees")
                                        : "difference " + std::to_string(r->difference()) +
                                              (r->explanation ? ", explained by " + *r->explainedBy + ": " + *r->explanation
                                                              : std::string(", NOT EXPLAINED"))),
                       open});
    }
    return out;
}

}  // namespace tickmark::desk

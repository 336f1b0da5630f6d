#include "workpapers/population_analytics.h"

#include <algorithm>
#include <charconv>
#include <cstdio>

#include "workpapers/errors.h"
#include "workpapers/population.h"

namespace tickmark {

namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

int weekdayMonday0(std::int64_t day) { return static_cast<int>(((day % 7) + 7 + 3) % 7); }  // 1970-01-01 was a Thursday

std::string isoWeekLabel(std::int64_t monday) {
    const Date thursday = dateFromDays(monday + 3);  // the ISO week belongs to the year of its Thursday
    const int year = static_cast<int>(thursday.year());
    const std::int64_t jan1 = daysSinceEpoch(Date{std::chrono::year{year}, std::chrono::January, std::chrono::day{1}});
    const int week = static_cast<int>((monday + 3 - jan1) / 7) + 1;
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-W%02d (week of %s)", year, week, isoString(dateFromDays(monday)).c_str());
    return buf;
}

int monthIndex(Date d) { return static_cast<int>(d.year()) * 12 + static_cast<int>(static_cast<unsigned>(d.month())) - 1; }

std::string monthLabel(int m) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
    return buf;
}

}  // namespace

PeriodGaps periodGapsOf(const std::string& frequency, bool businessDays, Period period, std::vector<std::int64_t> days) {
    PeriodGaps g;
    g.frequency = frequency;
    std::sort(days.begin(), days.end());
    days.erase(std::unique(days.begin(), days.end()), days.end());
    const std::int64_t first = daysSinceEpoch(period.start), last = daysSinceEpoch(period.end);
    auto has = [&](std::int64_t lo, std::int64_t hi) {  // an item on a day in [lo, hi]
        auto it = std::lower_bound(days.begin(), days.end(), lo);
        return it != days.end() && *it <= hi;
    };
    // Units as [lo, hi] day ranges inside the period, with their labels.
    std::vector<std::pair<std::pair<std::int64_t, std::int64_t>, std::string>> units;
    if (frequency == "daily" || frequency == "multiple-daily") {
        g.unit = businessDays ? "business day" : "day";
        if (businessDays) g.note = "Monday to Friday; public holidays are listed among the gaps for the auditor to judge";
        for (std::int64_t d = first; d <= last; ++d)
            if (!businessDays || weekdayMonday0(d) < 5) units.push_back({{d, d}, isoString(dateFromDays(d))});
    } else if (frequency == "weekly") {
        g.unit = "ISO week";
        g.note = "Monday to Sunday; a week the period only partly covers counts by its days in the period";
        for (std::int64_t monday = first - weekdayMonday0(first); monday <= last; monday += 7)
            units.push_back({{std::max(monday, first), std::min(monday + 6, last)}, isoWeekLabel(monday)});
    } else if (frequency == "monthly" || frequency == "quarterly") {
        const bool quarters = frequency == "quarterly";
        g.unit = quarters ? "quarter" : "month";
        if (quarters) g.note = "quarters counted from the period's first month";
        const int m0 = monthIndex(period.start), m1 = monthIndex(period.end);
        for (int m = m0; m <= m1; m += quarters ? 3 : 1) {
            const int mEnd = std::min(m1, m + (quarters ? 2 : 0));
            const Date lo{std::chrono::year{m / 12}, std::chrono::month{static_cast<unsigned>(m % 12 + 1)}, std::chrono::day{1}};
            const Date nextMonth{std::chrono::year{(mEnd + 1) / 12}, std::chrono::month{static_cast<unsigned>((mEnd + 1) % 12 + 1)},
                                 std::chrono::day{1}};
            units.push_back({{std::max(daysSinceEpoch(lo), first), std::min(daysSinceEpoch(nextMonth) - 1, last)},
                             quarters ? monthLabel(m) + ".." + monthLabel(m + 2) : monthLabel(m)});
        }
    } else if (frequency == "annual") {
        g.unit = "period";
        units.push_back({{first, last}, isoString(period.start) + ".." + isoString(period.end)});
    } else {
        g.note = frequency.empty() ? "the control has no frequency" : "a control that operates " + frequency + " has no rhythm to test gaps against";
        return g;
    }
    for (auto& [range, label] : units) {
        ++g.units;
        if (has(range.first, range.second)) ++g.covered;
        else g.missing.push_back(label);
    }
    return g;
}

void KeyGapCounter::add(std::string_view key) {
    key = trimmed(key);
    if (key.empty()) return;
    ++nonBlank_;
    std::size_t digits = 0;
    while (digits < key.size() && key[key.size() - 1 - digits] >= '0' && key[key.size() - 1 - digits] <= '9') ++digits;
    if (digits == 0 || digits > 18) return;  // not a numbered key (or a number too long to count gaps in)
    const std::string_view num = key.substr(key.size() - digits);
    std::uint64_t n = 0;
    std::from_chars(num.data(), num.data() + num.size(), n);
    std::string prefix(key.substr(0, key.size() - digits));
    auto it = prefixes_.find(prefix);
    if (it == prefixes_.end()) {
        if (prefixes_.size() >= 10000) return;  // free text, not numbered keys
        it = prefixes_.emplace(prefix, static_cast<std::uint32_t>(prefixNames_.size())).first;
        prefixNames_.push_back(prefix);
        prefixCounts_.push_back(0);
        widths_.push_back(0);
    }
    const auto p = it->second;
    ++prefixCounts_[p];
    int& w = widths_[p];
    if (w == 0) w = static_cast<int>(digits);
    else if (w != static_cast<int>(digits)) w = -1;
    numbers_.push_back({p, n});
}

KeyGaps KeyGapCounter::finish() {
    KeyGaps g;
    if (prefixCounts_.empty()) {
        g.why = nonBlank_ ? "no key ends in a number" : "no keys";
        return g;
    }
    const auto best = static_cast<std::uint32_t>(std::max_element(prefixCounts_.begin(), prefixCounts_.end()) - prefixCounts_.begin());
    if (prefixCounts_[best] < 2 || prefixCounts_[best] * 2 < nonBlank_) {
        g.why = "no common prefix and number: the most common shape (\"" + prefixNames_[best] + "\" and a number) covers " +
                std::to_string(prefixCounts_[best]) + " of " + std::to_string(nonBlank_) + " keys";
        return g;
    }
    std::vector<std::uint64_t> n;
    n.reserve(static_cast<std::size_t>(prefixCounts_[best]));
    for (auto& [p, v] : numbers_)
        if (p == best) n.push_back(v);
    std::vector<std::pair<std::uint32_t, std::uint64_t>>().swap(numbers_);
    std::sort(n.begin(), n.end());
    n.erase(std::unique(n.begin(), n.end()), n.end());
    g.numbered = true;
    g.prefix = prefixNames_[best];
    g.width = std::max(widths_[best], 0);
    g.first = n.front();
    g.last = n.back();
    g.numberedKeys = static_cast<std::int64_t>(n.size());
    g.otherKeys = nonBlank_ - prefixCounts_[best];
    auto label = [&](std::uint64_t v) {
        std::string s = std::to_string(v);
        if (g.width > 0 && s.size() < static_cast<std::size_t>(g.width)) s.insert(0, static_cast<std::size_t>(g.width) - s.size(), '0');
        return g.prefix + s;
    };
    g.firstKey = label(g.first);
    g.lastKey = label(g.last);
    for (std::size_t i = 1; i < n.size(); ++i) {
        if (n[i] == n[i - 1] + 1) continue;
        const std::uint64_t lo = n[i - 1] + 1, hi = n[i] - 1;
        g.missing += static_cast<std::int64_t>(hi - lo + 1);
        ++g.rangeCount;
        if (g.ranges.size() < KeyGaps::kMaxRanges) g.ranges.push_back(lo == hi ? label(lo) : label(lo) + ".." + label(hi));
    }
    return g;
}

PopulationAnalytics analysePopulation(Engagement& e, std::int64_t populationId) {
    PopulationAnalytics a;
    a.populationId = populationId;
    auto st = e.db().prepare(
        "SELECT c.ref, c.frequency, coalesce(p.business_days, 0), p.period_start, p.period_end, p.duplicate_keys, p.duplicate_rows "
        "FROM population p JOIN control c ON c.id = p.control_id WHERE p.id = ?");
    st.bind(1, populationId);
    if (!st.step()) throw InputError("population " + std::to_string(populationId) + " is not in this engagement (`tickmark population list`)");
    const std::string control = st.getText(0), frequency = st.getText(1);
    const bool businessDays = st.getInt(2) != 0;
    const Period period{*parseIsoDate(st.getText(3)), *parseIsoDate(st.getText(4))};
    a.duplicateKeys = st.getInt(5);
    a.duplicateRows = st.getInt(6);

    std::vector<std::int64_t> days;
    KeyGapCounter keys;
    PopulationItems items(e, populationId);
    items.forEach([&](const PopulationItem& it) {
        keys.add(it.key);
        if (it.date && !(it.flags & (kBeforePeriod | kAfterPeriod | kBadDate))) days.push_back(daysSinceEpoch(*it.date));
    });
    a.periodGaps = periodGapsOf(frequency, businessDays, period, std::move(days));
    a.periodGaps.control = control;
    a.keyGaps = keys.finish();
    a.reconciliation = populationReconciliation(e, populationId);
    return a;
}

}  // namespace tickmark

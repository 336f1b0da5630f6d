#include "workpapers/rules/frequency_adequacy.h"

#include <algorithm>
#include <set>

#include <boost/algorithm/string/join.hpp>
#include <nlohmann/json.hpp>

#include "sampling/selection.h"
#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/fieldwork.h"
#include "workpapers/paths.h"
#include "workpapers/population.h"
#include "workpapers/population_life.h"
#include "workpapers/samples.h"
#include "workpapers/sampling_plan.h"
#include "workpapers/trail.h"

namespace tickmark {

using nlohmann::json;
namespace smp = tickmark::sampling;

std::string adequacyKindName(AdequacyKind k) {
    switch (k) {
        case AdequacyKind::TooSmall: return "too-small";
        case AdequacyKind::NotSpread: return "not-spread";
        case AdequacyKind::Unsized: return "unsized";
    }
    return "?";
}

AdequacyKind parseAdequacyKind(std::string_view name) {
    if (name == "too-small") return AdequacyKind::TooSmall;
    if (name == "not-spread") return AdequacyKind::NotSpread;
    if (name == "unsized") return AdequacyKind::Unsized;
    throw InputError("finding kind \"" + std::string(name) + "\": use too-small, not-spread or unsized");
}

namespace {

struct ControlFacts {
    std::string ref, frequency, nature;
};

std::optional<ControlFacts> controlFacts(Engagement& e, const std::string& control) {
    auto st = e.db().prepare("SELECT ref, frequency, nature FROM control WHERE ref = ?");
    st.bind(1, control);
    if (!st.step()) return std::nullopt;
    return ControlFacts{st.getText(0), st.getText(1), st.getText(2)};
}

// Judging reads only: the engagement's copy, or the firm's table until sampling or an acceptance copies it.
smp::FrequencyTable table(Engagement& e) { return frequencyTableForReading(e, templatesDir() / "frequency-table.csv"); }

const smp::FrequencyRow* findRow(const smp::FrequencyTable& t, const std::string& frequency) {
    for (auto& r : t.rows)
        if (r.frequency == frequency) return &r;
    return nullptr;
}

// The row the control is judged by on its own frequency: automated controls by the "automated" row.
std::string ownRow(const smp::FrequencyTable& t, const ControlFacts& c) {
    if (c.nature == "automated" && findRow(t, "automated")) return "automated";
    return c.frequency;
}

// The units of the period the control operated in: for a population, those holding an in-period
// dated item; for days of the calendar, those holding an eligible day.
std::set<std::int64_t> operatedUnits(Engagement& e, const SampleRecord& root, smp::SpreadUnit unit, const Period& period) {
    const std::int64_t first = daysSinceEpoch(period.start), last = daysSinceEpoch(period.end);
    std::set<std::int64_t> units;
    if (root.populationId) {
        PopulationItems items(e, *root.populationId);
        items.forEach([&](const PopulationItem& it) {
            if (it.date && period.contains(*it.date)) units.insert(smp::periodUnitOf(unit, first, daysSinceEpoch(*it.date)));
        });
    } else {
        const bool business = json::parse(root.frameJson).value("business_days_only", false);
        for (auto d : smp::periodDays(first, last, business)) units.insert(smp::periodUnitOf(unit, first, d));
    }
    return units;
}

struct TestedSelection {
    std::int64_t sampleId;
    std::string control;
};

std::optional<TestedSelection> testedSelection(Engagement& e, const std::string& control) {
    auto st = e.db().prepare(
        "SELECT t.sample_id, c.ref FROM control_test t JOIN control c ON c.id = t.control_id "
        "WHERE c.ref = ? AND t.design_only = 0 AND t.sample_id IS NOT NULL");
    st.bind(1, control);
    if (!st.step()) return std::nullopt;
    return TestedSelection{st.getInt(0), st.getText(1)};
}

void attachAcceptances(Engagement& e, std::vector<AdequacyFinding>& findings) {
    auto st = e.db().prepare(
        "SELECT a.id, a.required, a.actual, a.detail, p.name, a.reason, a.accepted_at FROM adequacy_acceptance a "
        "JOIN person p ON p.id = a.accepted_by WHERE a.sample_id = ? AND a.kind = ? ORDER BY a.id");
    for (auto& f : findings) {
        st.bind(1, f.sampleId).bind(2, adequacyKindName(f.kind));
        bool any = false;
        while (st.step()) {
            any = true;
            if (st.getInt(1) == f.required && st.getInt(2) == f.actual && st.getText(3) == f.detail)
                f.accepted = AdequacyAcceptance{st.getInt(0), st.getText(4), st.getText(5), st.getText(6)};
        }
        st.reset();
        f.acceptanceStale = any && !f.accepted;
    }
}

std::string plural(std::int64_t n, const std::string& word) { return std::to_string(n) + " " + word + (n == 1 ? "" : "s"); }

std::vector<AdequacyFinding> judge(Engagement& e, const ControlFacts& c, std::int64_t sampleId) {
    std::vector<AdequacyFinding> out;
    const SampleRecord root = loadSample(e, sampleId);
    std::vector<SampleItem> items = root.items;
    bool extended = false;
    for (auto& s : listSamples(e))
        if (s.extendsSampleId == root.id) {
            extended = true;
            for (auto& it : loadSample(e, s.id).items) items.push_back(it);
        }
    const auto actual = static_cast<std::int64_t>(items.size());
    const Period period = e.period();
    const auto t = table(e);
    const SamplingPlan plan = SamplingPlan::fromJson(root.planJson, "selection " + std::to_string(root.id));
    const bool frequencyPlan = plan.method == SamplingPlan::Method::Frequency;

    AdequacyFinding base;
    base.control = c.ref;
    base.sampleId = root.id;
    auto unsized = [&](const std::string& why) {
        AdequacyFinding f = base;
        f.kind = AdequacyKind::Unsized;
        f.actual = actual;
        f.detail = why;
        f.basis = c.frequency;
        f.text = "the firm's table gives no size for selection " + std::to_string(root.id) + ": " + why;
        out.push_back(f);
        return out;
    };

    std::string row = ownRow(t, c);
    std::optional<std::int64_t> occurrences;
    if (root.populationId) occurrences = root.frameSize;
    if (row == "as-needed" && !occurrences) {
        // Days of the calendar say nothing of how often events occurred: the plan's row is the auditor's judgement.
        const std::string planned = frequencyPlan ? plan.frequency : "";
        if (planned.empty() || planned == "as-needed" || !findRow(t, planned))
            return unsized("an as-needed control is sized by its occurrences, and this selection has neither a population "
                           "nor a frequency plan naming a row of the table");
        row = planned;
    } else if (row != "as-needed" && !findRow(t, row)) {
        return unsized("the engagement's table has no row \"" + row + "\"");
    }
    const bool riskRecorded = frequencyPlan;  // a frequency plan always records its risk
    const smp::Risk risk = frequencyPlan ? plan.risk : smp::Risk::Lower;
    smp::FrequencyPlan fp;
    try {
        fp = smp::planByFrequency(t, {row, risk, occurrences, periodMonths(e)});
    } catch (const std::invalid_argument& ex) {
        return unsized(ex.what());
    }
    std::int64_t required = fp.sampleSize;
    base.basis = fp.basis + (riskRecorded ? "" : " (no risk recorded with the selection: judged at lower risk)");
    if (extended && fp.extendTo) {
        required = *fp.extendTo;
        base.basis += "; extended: the firm's size to extend to is " + std::to_string(required);
    }

    if (actual < required) {
        AdequacyFinding f = base;
        f.kind = AdequacyKind::TooSmall;
        f.required = required;
        f.actual = actual;
        f.detail = fp.row + ", " + (risk == smp::Risk::Higher ? "higher" : "lower") + " risk" + (extended ? ", extended" : "");
        f.text = "selection " + std::to_string(root.id) + " has " + plural(actual, "item") + (extended ? " with its extensions" : "") +
                 "; the firm's table requires " + std::to_string(required) + " (" + base.basis + ")";
        out.push_back(f);
    }

    const smp::FrequencyRow* used = findRow(t, fp.row);
    const bool periodic = used && used->spread != smp::SpreadUnit::None && fp.row == ownRow(t, c);
    if (periodic) {
        const auto unit = used->spread;
        const std::string unitName = smp::spreadUnitName(unit);
        const std::int64_t first = daysSinceEpoch(period.start);
        const auto operated = operatedUnits(e, root, unit, period);
        std::set<std::int64_t> covered;
        for (auto& it : items) {
            auto d = it.date ? parseIsoDate(*it.date) : std::nullopt;
            if (d && period.contains(*d)) covered.insert(smp::periodUnitOf(unit, first, daysSinceEpoch(*d)));
        }
        const auto needed = std::min({required, actual, static_cast<std::int64_t>(operated.size())});
        const auto distinct = static_cast<std::int64_t>(covered.size());
        if (distinct < needed) {
            AdequacyFinding f = base;
            f.kind = AdequacyKind::NotSpread;
            f.required = needed;
            f.actual = distinct;
            f.unit = unitName;
            for (auto k : covered) f.covered.push_back(periodUnitLabel(unit, first, k));
            for (auto k : operated)
                if (!covered.count(k)) f.missing.push_back(periodUnitLabel(unit, first, k));
            f.detail = unitName + ": " + boost::algorithm::join(f.covered, ", ");
            f.text = "the " + plural(actual, "item") + " of selection " + std::to_string(root.id) + " fall in " +
                     plural(distinct, unitName) + " (" + boost::algorithm::join(f.covered, ", ") + "); the firm's table requires " +
                     std::to_string(needed) + " distinct " + unitName + "s for a " + fp.row + " control; " + unitName +
                     "s with no item: " + boost::algorithm::join(f.missing, ", ");
            out.push_back(f);
        }
    }
    return out;
}

}  // namespace

sampling::SpreadUnit spreadUnitFor(Engagement& e, const std::string& control) {
    auto c = controlFacts(e, control);
    if (!c) return smp::SpreadUnit::None;
    const auto t = table(e);
    const auto* row = findRow(t, ownRow(t, *c));
    return row ? row->spread : smp::SpreadUnit::None;
}

std::vector<AdequacyFinding> selectionAdequacy(Engagement& e, const std::string& control) {
    auto c = controlFacts(e, control);
    if (!c) throw InputError("no control \"" + control + "\" in the control matrix");
    auto tested = testedSelection(e, c->ref);
    if (!tested) return {};
    auto findings = judge(e, *c, tested->sampleId);
    attachAcceptances(e, findings);
    return findings;
}

std::vector<AdequacyFinding> adequacyFindings(Engagement& e) {
    std::vector<std::string> refs;
    auto st = e.db().prepare(
        "SELECT c.ref FROM control_test t JOIN control c ON c.id = t.control_id "
        "WHERE t.design_only = 0 AND t.sample_id IS NOT NULL ORDER BY c.ref");
    while (st.step()) refs.push_back(st.getText(0));
    std::vector<AdequacyFinding> out;
    for (auto& r : refs)
        for (auto& f : selectionAdequacy(e, r)) out.push_back(std::move(f));
    return out;
}

std::vector<AdequacyFinding> acceptAdequacy(Engagement& e, const Actor& a, std::int64_t sampleId, const std::string& reason,
                                            std::optional<AdequacyKind> kind) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (!a.has("reviewer") && !a.has("partner"))
        throw InputError(a.name + " is neither reviewer nor partner; a reviewer or the partner accepts a frequency adequacy finding");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("accepting a frequency adequacy finding needs the reason (--reason): never silently");
    const SampleRecord s = loadSample(e, sampleId);
    if (s.extendsSampleId)
        throw InputError("selection " + std::to_string(sampleId) + " extends selection " + std::to_string(*s.extendsSampleId) +
                         "; findings are on the selection tested: accept on " + std::to_string(*s.extendsSampleId));
    requireWritable(e, WriteKind::Add, "accepting a frequency adequacy finding", reason);
    // The table the finding was judged by is kept with the acceptance (its copy is made now if sampling
    // never made it), and the finding is judged inside the transaction, on what the file holds now.
    copyFrequencyTableIfMissing(e, a.name, templatesDir() / "frequency-table.csv");
    auto tested = testedSelection(e, s.control);
    if (!tested || tested->sampleId != sampleId)
        throw InputError("selection " + std::to_string(sampleId) + " is not the selection tested for " + s.control +
                         "; findings are judged on the tested selection");
    auto findings = selectionAdequacy(e, tested->control);
    std::vector<AdequacyFinding> accepted;
    auto ins = e.db().prepare(
        "INSERT INTO adequacy_acceptance(sample_id, kind, required, actual, detail, reason, accepted_by, accepted_at, trail_seq) "
        "VALUES (?,?,?,?,?,?,?,?,?)");
    for (auto& f : findings) {
        if (!f.open() || (kind && f.kind != *kind)) continue;
        auto entry = AuditTrail(e.db()).append({0, "", a.name, "add", testWorkpaper(f.control),
                                                "selection " + std::to_string(sampleId), "adequacy " + adequacyKindName(f.kind),
                                                "open: " + f.text, "accepted: " + reason, reason, "", ""});
        ins.bind(1, sampleId).bind(2, adequacyKindName(f.kind)).bind(3, f.required).bind(4, f.actual).bind(5, f.detail);
        ins.bind(6, reason).bind(7, a.id).bind(8, entry.at).bind(9, entry.seq);
        ins.exec();
        f.accepted = AdequacyAcceptance{e.db().lastInsertRowid(), a.name, reason, entry.at};
        f.acceptanceStale = false;
        accepted.push_back(f);
    }
    if (accepted.empty())
        throw InputError("selection " + std::to_string(sampleId) + " has no open " +
                         (kind ? adequacyKindName(*kind) + " " : std::string()) + "frequency adequacy finding to accept");
    // A selection shared with another control's test: the acceptance is part of that test's selection too.
    for (auto& c : controlsTestingSelection(e, sampleId))
        if (c != tested->control)
            AuditTrail(e.db()).append({0, "", a.name, "add", testWorkpaper(c), "selection " + std::to_string(sampleId),
                                       "adequacy accepted for " + tested->control, std::nullopt, "accepted: " + reason, reason, "", ""});
    tx.commit();
    return accepted;
}

}  // namespace tickmark

#include "workpapers/rules/population_currency.h"

#include <algorithm>
#include <set>
#include <unordered_set>

#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/judgmental_items.h"
#include "workpapers/population.h"
#include "workpapers/population_life.h"
#include "workpapers/samples.h"
#include "workpapers/trail.h"
#include "workpapers/unit_of_work.h"

namespace tickmark {

std::string SupersededSelection::text() const {
    std::string t = "selection " + std::to_string(sampleId) + " was drawn from population " + std::to_string(drawnFrom) +
                    ", since superseded by population " + std::to_string(current) + " (" + currentName + ")";
    if (missingKeys.empty()) {
        t += "; all " + std::to_string(items) + " of its items are in it";
    } else {
        t += "; " + std::to_string(missingKeys.size()) + " of its " + std::to_string(items) + " items are not: ";
        for (std::size_t i = 0; i < missingKeys.size() && i < 10; ++i) t += (i ? ", " : "") + missingKeys[i];
        if (missingKeys.size() > 10) t += ", and " + std::to_string(missingKeys.size() - 10) + " more";
    }
    if (redrawnAs) t += "; re-drawn as selection " + std::to_string(*redrawnAs);
    if (accepted)
        t += "; accepted by " + accepted->acceptedBy + " on " + accepted->acceptedAt.substr(0, 10) + ": " + accepted->reason;
    else if (acceptanceStale)
        t += "; accepted before against an older version: open again";
    return t;
}

namespace {

SupersededSelection judge(Engagement& e, std::int64_t sampleId, const std::string& control, std::int64_t drawnFrom) {
    SupersededSelection f;
    f.sampleId = sampleId;
    f.control = control;
    f.drawnFrom = drawnFrom;
    f.current = currentPopulationVersion(e, drawnFrom);
    f.testedBy = controlsTestingSelection(e, sampleId);
    {
        auto st = e.db().prepare("SELECT name FROM population WHERE id = ?");
        st.bind(1, f.current);
        st.step();
        f.currentName = st.getText(0);
    }
    // The keys of every item, in test order, checked against the version in force in one pass over it.
    std::vector<std::string> keys;
    for (auto& it : loadSample(e, sampleId).items) keys.push_back(it.key);
    {
        auto st = e.db().prepare("SELECT i.item_key FROM sample_item i JOIN sample s ON s.id = i.sample_id "
                                 "WHERE s.extends_sample_id = ? ORDER BY s.id, i.position");
        st.bind(1, sampleId);
        while (st.step()) keys.push_back(st.getText(0));
    }
    for (auto& j : judgmentalItems(e, sampleId)) keys.push_back(j.key);
    f.items = static_cast<std::int64_t>(keys.size());
    std::unordered_set<std::string> wanted(keys.begin(), keys.end()), found;
    PopulationItems items(e, f.current);
    items.forEach([&](const PopulationItem& it) {
        if (wanted.count(std::string(it.key))) found.insert(std::string(it.key));
    });
    std::set<std::string> named;
    for (auto& k : keys)
        if (!found.count(k) && named.insert(k).second) f.missingKeys.push_back(k);
    {
        auto st = e.db().prepare(
            "SELECT s.id FROM sample s JOIN control c ON c.id = s.control_id WHERE s.population_id = ? AND c.ref = ? "
            "AND s.extends_sample_id IS NULL ORDER BY s.id DESC LIMIT 1");
        st.bind(1, f.current).bind(2, control);
        if (st.step()) f.redrawnAs = st.getInt(0);
    }
    auto acc = e.db().prepare(
        "SELECT a.id, a.population_id, p.name, a.reason, a.accepted_at FROM population_acceptance a JOIN person p ON p.id = a.accepted_by "
        "WHERE a.sample_id = ? ORDER BY a.id");
    acc.bind(1, sampleId);
    while (acc.step()) {
        PopulationAcceptance a{acc.getInt(0), acc.getInt(1), acc.getText(2), acc.getText(3), acc.getText(4)};
        if (a.populationId == f.current) f.accepted = a;
        else f.acceptanceStale = true;
    }
    if (f.accepted) f.acceptanceStale = false;
    return f;
}

}  // namespace

std::vector<SupersededSelection> supersededSelections(Engagement& e) {
    std::vector<std::tuple<std::int64_t, std::string, std::int64_t>> rows;
    auto st = e.db().prepare(
        "SELECT s.id, c.ref, s.population_id FROM sample s JOIN control c ON c.id = s.control_id JOIN population p ON p.id = s.population_id "
        "WHERE s.extends_sample_id IS NULL AND p.superseded_by IS NOT NULL ORDER BY s.id");
    while (st.step()) rows.emplace_back(st.getInt(0), st.getText(1), st.getInt(2));
    std::vector<SupersededSelection> out;
    for (auto& [id, control, pop] : rows) out.push_back(judge(e, id, control, pop));
    return out;
}

std::optional<SupersededSelection> supersededSelection(Engagement& e, std::int64_t sampleId) {
    auto st = e.db().prepare(
        "SELECT r.id, c.ref, r.population_id, p.superseded_by FROM sample s JOIN sample r ON r.id = coalesce(s.extends_sample_id, s.id) "
        "JOIN control c ON c.id = r.control_id LEFT JOIN population p ON p.id = r.population_id WHERE s.id = ?");
    st.bind(1, sampleId);
    if (!st.step()) throw InputError("no selection with id " + std::to_string(sampleId) + " in " + e.file().string());
    if (st.isNull(2) || st.isNull(3)) return std::nullopt;
    return judge(e, st.getInt(0), st.getText(1), st.getInt(2));
}

SupersededSelection acceptSupersededSelection(Engagement& e, const Actor& a, std::int64_t sampleId, const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (!a.has("reviewer") && !a.has("partner"))
        throw InputError(a.name + " is neither reviewer nor partner; a reviewer or the partner accepts a selection drawn from a "
                                  "superseded population");
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("accepting a selection drawn from a superseded population needs the reason (--reason): never silently");
    const SampleRecord s = loadSample(e, sampleId);
    if (s.extendsSampleId)
        throw InputError("selection " + std::to_string(sampleId) + " extends selection " + std::to_string(*s.extendsSampleId) +
                         "; accept selection " + std::to_string(*s.extendsSampleId));
    auto f = supersededSelection(e, sampleId);
    if (!f)
        throw InputError("selection " + std::to_string(sampleId) + " was not drawn from a superseded population: nothing to accept");
    if (f->accepted)
        throw InputError("selection " + std::to_string(sampleId) + " is already accepted against population " +
                         std::to_string(f->current) + " (by " + f->accepted->acceptedBy + ")");
    requireWritable(e, WriteKind::Add, "accepting selection " + std::to_string(sampleId), reason);
    std::set<std::string> controls{f->control};
    for (auto& c : f->testedBy) controls.insert(c);
    const std::string before = "open: " + f->text();
    TrailEntry entry;
    for (auto& c : controls)
        entry = AuditTrail(e.db()).append({0, "", a.name, "add", testWorkpaper(c), "selection " + std::to_string(sampleId),
                                           "population superseded", before,
                                           "accepted against population " + std::to_string(f->current) + ": " + reason, reason, "", ""});
    auto ins = e.db().prepare(
        "INSERT INTO population_acceptance(sample_id, population_id, reason, accepted_by, accepted_at, trail_seq) VALUES (?,?,?,?,?,?)");
    ins.bind(1, sampleId).bind(2, f->current).bind(3, reason).bind(4, a.id).bind(5, entry.at).bind(6, entry.seq);
    ins.exec();
    f->accepted = PopulationAcceptance{e.db().lastInsertRowid(), f->current, a.name, reason, entry.at};
    f->acceptanceStale = false;
    tx.commit();
    return *f;
}

std::vector<std::string> populationGateFailures(Engagement& e) {
    std::vector<std::string> out;
    for (auto& f : supersededSelections(e))
        if (f.open() && !f.testedBy.empty())
            out.push_back("selection " + std::to_string(f.sampleId) + " (tested for " + f.testedBy.front() +
                          (f.testedBy.size() > 1 ? " and " + std::to_string(f.testedBy.size() - 1) + " more" : "") +
                          ") drawn from superseded population " + std::to_string(f.drawnFrom));
    std::vector<std::int64_t> ids;
    auto st = e.db().prepare(
        "SELECT r.population_id FROM population_reconciliation r JOIN population p ON p.id = r.population_id "
        "WHERE p.superseded_by IS NULL ORDER BY r.population_id");
    while (st.step()) ids.push_back(st.getInt(0));
    for (auto id : ids) {
        auto r = populationReconciliation(e, id);
        if (r && r->open())
            out.push_back("population " + std::to_string(id) + " counts " + std::to_string(r->counted) + " in the period, the client states " +
                          std::to_string(r->expected) + " (" + r->source + "): difference " + std::to_string(r->difference()) +
                          " not explained");
    }
    return out;
}

}  // namespace tickmark

#include "workpapers/judgmental_items.h"

#include <set>

#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/population_life.h"
#include "workpapers/samples.h"
#include "workpapers/trail.h"
#include "workpapers/unit_of_work.h"

namespace tickmark {

std::vector<JudgmentalItem> judgmentalItems(Engagement& e, std::int64_t sampleId) {
    std::vector<JudgmentalItem> out;
    auto st = e.db().prepare(
        "SELECT seq, row_no, item_key, item_date, reason, added_by, added_at FROM sample_judgmental_item WHERE sample_id = ? "
        "ORDER BY seq");
    st.bind(1, sampleId);
    while (st.step())
        out.push_back({st.getInt(0), st.getOptInt(1), st.getText(2), st.getOptText(3), st.getText(4), st.getText(5), st.getText(6)});
    return out;
}

JudgmentalItem addJudgmentalItem(Engagement& e, const Actor& a, std::int64_t sampleId, const std::string& key,
                                 const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (reason.find_first_not_of(" \t\r\n") == std::string::npos)
        throw InputError("a judgmental item needs the reason it was chosen (--reason), e.g. \"the last change before year end\"");
    if (key.empty()) throw InputError("name the item to add with --key");
    const SampleRecord s = loadSample(e, sampleId);
    if (s.extendsSampleId)
        throw InputError("selection " + std::to_string(sampleId) + " extends selection " + std::to_string(*s.extendsSampleId) +
                         "; add the item to selection " + std::to_string(*s.extendsSampleId));
    // What the selection holds already: its drawn items with their extensions, and the items added.
    std::set<std::int64_t> rows;
    std::set<std::string> keys;
    {
        auto st = e.db().prepare(
            "SELECT i.row_no, i.item_key FROM sample_item i JOIN sample s ON s.id = i.sample_id "
            "WHERE s.id = ?1 OR s.extends_sample_id = ?1 UNION ALL "
            "SELECT row_no, item_key FROM sample_judgmental_item WHERE sample_id = ?1");
        st.bind(1, sampleId);
        while (st.step()) {
            if (auto r = st.getOptInt(0)) rows.insert(*r);
            keys.insert(st.getText(1));
        }
    }
    JudgmentalItem item;
    item.key = key;
    if (s.populationId) {
        PopulationItems items(e, *s.populationId);
        std::int64_t withKey = 0;
        for (std::int64_t r = 1; r <= items.rows() && !item.row; ++r) {
            const auto& it = items.at(r);
            if (it.key != key) continue;
            ++withKey;
            if (rows.count(r)) continue;
            item.row = r;
            if (it.date) item.date = isoString(*it.date);
        }
        if (!item.row)
            throw InputError(withKey == 0 ? "population " + std::to_string(*s.populationId) + " has no item with key \"" + key +
                                                "\" (keys are matched exactly, as delivered)"
                                          : "\"" + key + "\" is already in selection " + std::to_string(sampleId));
    } else {
        auto d = parseIsoDate(key);
        const Period period = e.period();
        if (!d || *d < period.start || *d > period.end)
            throw InputError("selection " + std::to_string(sampleId) + " is of days: give a day of the period as YYYY-MM-DD (" +
                             isoString(period.start) + " .. " + isoString(period.end) + "), not \"" + key + "\"");
        item.key = isoString(*d);
        if (keys.count(item.key)) throw InputError(item.key + " is already in selection " + std::to_string(sampleId));
        item.date = item.key;
    }
    requireWritable(e, WriteKind::Add, "adding an item to selection " + std::to_string(sampleId), reason);
    auto next = e.db().prepare("SELECT coalesce(max(seq), 0) + 1 FROM sample_judgmental_item WHERE sample_id = ?");
    next.bind(1, sampleId);
    next.step();
    item.seq = next.getInt(0);
    item.reason = reason;
    item.addedBy = a.name;
    item.addedAt = utcNow();
    auto ins = e.db().prepare(
        "INSERT INTO sample_judgmental_item(sample_id, seq, row_no, item_key, item_date, reason, added_by, added_at) "
        "VALUES (?,?,?,?,?,?,?,?)");
    ins.bind(1, sampleId).bind(2, item.seq).bind(3, item.row).bind(4, item.key).bind(5, item.date).bind(6, reason);
    ins.bind(7, a.name).bind(8, item.addedAt);
    ins.exec();
    // On the test of the control it was drawn for, and of every control that tests it (a shared selection).
    std::set<std::string> controls{s.control};
    for (auto& c : controlsTestingSelection(e, sampleId)) controls.insert(c);
    const std::string text = item.key + (item.row ? " (row " + std::to_string(*item.row) + ")" : "") +
                             ", judgmental (outside the statistical evaluation): " + reason;
    for (auto& c : controls)
        AuditTrail(e.db()).append({0, "", a.name, "add", testWorkpaper(c), "selection " + std::to_string(sampleId),
                                   "judgmental item " + std::to_string(item.seq), std::nullopt, text, reason, "", ""});
    tx.commit();
    return item;
}

}  // namespace tickmark

#include "workpapers/fieldwork.h"
#include "workpapers/fieldwork_internal.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/seal.h"
#include "workpapers/proof/team_keys.h"
#include "workpapers/rules/duties.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <boost/algorithm/string/join.hpp>
#include <nlohmann/json.hpp>

#include "sampling/attribute.h"
#include "sampling/frequency.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/paths.h"
#include "workpapers/population_life.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/gates.h"
#include "workpapers/samples.h"
#include "workpapers/sha256.h"

namespace tickmark {

using nlohmann::json;

std::string testWorkpaper(const std::string& control) { return "test:" + control; }

namespace {
const std::set<std::string> kTestTypes = {"inquiry", "observation", "inspection", "reperformance"};
}  // namespace

std::int64_t testId(Engagement& e, const std::string& control) {
    auto st = e.db().prepare("SELECT t.id FROM control_test t JOIN control c ON c.id = t.control_id WHERE c.ref = ?");
    st.bind(1, control);
    if (!st.step()) {
        requireControl(e, control);
        throw InputError("control " + control + " has no test plan yet; define it with `tickmark test define`");
    }
    return st.getInt(0);
}

std::vector<TestItem> itemsOfSample(Engagement& e, std::int64_t sampleId) {
    std::vector<TestItem> items;
    auto st = e.db().prepare(
        "SELECT i.sample_id, i.row_no, i.item_key, i.item_date FROM sample_item i JOIN sample s ON s.id = i.sample_id "
        "WHERE s.id = ?1 OR s.extends_sample_id = ?1 ORDER BY s.id, i.position");
    st.bind(1, sampleId);
    std::int64_t position = 0;
    std::map<std::string, std::int64_t> seen;
    while (st.step()) {
        items.push_back({++position, st.getInt(0), st.getOptInt(1), st.getText(2), st.getOptText(3)});
        items.back().occurrence = ++seen[items.back().key];
    }
    // Then the items added by judgement, in the order added.
    auto j = e.db().prepare("SELECT row_no, item_key, item_date FROM sample_judgmental_item WHERE sample_id = ? ORDER BY seq");
    j.bind(1, sampleId);
    while (j.step()) {
        items.push_back({++position, sampleId, j.getOptInt(0), j.getText(1), j.getOptText(2)});
        items.back().occurrence = ++seen[items.back().key];
        items.back().judgmental = true;
    }
    return items;
}

std::vector<StoredResult> storedResults(Engagement& e, std::int64_t testId, const std::vector<TestItem>& items) {
    std::map<std::pair<std::string, std::int64_t>, std::int64_t> at;
    for (auto& it : items) at[{it.key, it.occurrence}] = it.position;
    std::vector<StoredResult> out;
    auto st = e.db().prepare(
        "SELECT item_key, occurrence, letter, outcome, coalesce(na_reason, ''), comment, coalesce(tick_mark, ''), recorded_by, "
        "recorded_at, recorded_position FROM test_result WHERE test_id = ?");
    st.bind(1, testId);
    while (st.step()) {
        ResultView r{0, st.getText(2), st.getText(3), st.getText(4), st.getText(5), st.getText(6), st.getText(7), st.getText(8),
                     st.getText(0), st.getInt(1), st.getInt(9)};
        auto it = at.find({r.itemKey, r.occurrence});
        if (it != at.end()) r.position = it->second;
        out.push_back(std::move(r));
    }
    std::sort(out.begin(), out.end(), [](const StoredResult& a, const StoredResult& b) {
        return std::tie(a.position, a.letter, a.itemKey, a.occurrence) < std::tie(b.position, b.letter, b.itemKey, b.occurrence);
    });
    return out;
}

void requireRole(const Actor& a, const std::string& role, const std::string& what) {
    if (!a.has(role)) throw InputError(a.name + " does not hold the " + role + " role needed for " + what);
}

namespace {
bool workpaperExists(Engagement& e, const std::string& wp) {
    if (wp == "engagement" || wp == "report") return true;
    if (wp.rfind("test:", 0) == 0) {
        auto st = e.db().prepare("SELECT 1 FROM control_test t JOIN control c ON c.id = t.control_id WHERE c.ref = ?");
        st.bind(1, wp.substr(5));
        return st.step();
    }
    if (wp.rfind("population:", 0) == 0) {
        auto st = e.db().prepare("SELECT 1 FROM population WHERE id = ?");
        try {
            st.bind(1, static_cast<std::int64_t>(std::stoll(wp.substr(11))));
        } catch (const std::exception&) {
            return false;
        }
        return st.step();
    }
    return false;
}
}  // namespace

void requireWorkpaper(Engagement& e, const std::string& wp) {
    if (!workpaperExists(e, wp))
        throw InputError("no workpaper \"" + wp + "\": name a control test (test:CM-03) or a population (population:1)");
}

namespace {
// Content changes: everything but sign-offs and review notes, which are about the workpaper.
bool changesContent(const TrailEntry& t) { return t.action != "signoff" && t.action != "note"; }
}  // namespace

void defineTest(Engagement& e, const Actor& a, const TestDefinition& d) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    requireRole(a, "preparer", "defining a test");
    const std::int64_t controlId = requireControl(e, d.control);
    if (d.procedure.empty()) throw InputError("the test procedure is empty; write it as it will read in Section IV");
    if (d.types.empty()) throw InputError("give the test types: inquiry, observation, inspection, reperformance");
    for (auto& t : d.types)
        if (!kTestTypes.count(t)) throw InputError("test type \"" + t + "\": use inquiry, observation, inspection or reperformance");
    if (d.types.size() == 1 && d.types[0] == "inquiry")
        throw InputError("inquiry alone is never enough evidence: add observation, inspection or reperformance");
    if (d.attributes.empty()) throw InputError("give at least one attribute (A, B, ...), each a yes/no question");
    std::set<std::string> letters;
    for (auto& [letter, q] : d.attributes) {
        if (letter.empty() || q.empty()) throw InputError("an attribute needs a letter and a question");
        if (!letters.insert(letter).second) throw InputError("attribute " + letter + " is given twice");
    }
    const bool typeI = e.setup().reportType == ReportType::TypeI;
    if (typeI && d.sampleId) throw InputError("a Type I engagement tests design only: no selection");
    if (!typeI && !d.sampleId) throw InputError("a Type II test needs the selection it tests (--sample ID)");
    if (d.sampleId) {
        auto s = loadSample(e, *d.sampleId);
        // A selection drawn for another control serves this one when its population serves it too.
        if (s.control != d.control && !(s.populationId && populationServes(e, *s.populationId, d.control)))
            throw InputError("selection " + std::to_string(*d.sampleId) + " was drawn for " + s.control + ", not " + d.control +
                             (s.populationId ? "; when population " + std::to_string(*s.populationId) + " serves " + d.control +
                                                   " too, link it first: tickmark population link FILE " +
                                                   std::to_string(*s.populationId) + " --control " + d.control
                                             : std::string()));
        if (s.extendsSampleId)
            throw InputError("selection " + std::to_string(*d.sampleId) + " is an extension; link the original selection " +
                             std::to_string(*s.extendsSampleId));
    }

    auto existing = e.db().prepare("SELECT id, test_types, procedure_text, sample_id FROM control_test WHERE control_id = ?");
    existing.bind(1, controlId);
    const bool exists = existing.step();
    requireWritable(e, exists ? WriteKind::Change : WriteKind::Add, "the test plan of " + d.control, d.reason);
    Changes log{e, a, testWorkpaper(d.control), d.reason};
    std::int64_t id;
    const std::string types = boost::algorithm::join(d.types, ",");
    std::optional<std::string> sampleText = d.sampleId ? std::optional<std::string>(std::to_string(*d.sampleId)) : std::nullopt;
    if (exists) {
        id = existing.getInt(0);
        std::optional<std::string> oldSample = existing.isNull(3) ? std::nullopt : std::optional<std::string>(std::to_string(existing.getInt(3)));
        log.log("change", "test plan", "types", existing.getText(1), types);
        log.log("change", "test plan", "procedure", existing.getText(2), d.procedure);
        log.log("change", "test plan", "selection", oldSample, sampleText);
        const auto before = loadTest(e, d.control);
        auto up = e.db().prepare("UPDATE control_test SET test_types = ?, procedure_text = ?, sample_id = ? WHERE id = ?");
        up.bind(1, types).bind(2, d.procedure).bind(3, d.sampleId).bind(4, id);
        up.exec();
        if (oldSample != sampleText) {
            // Re-pointed: every result stays with its item's key. Say in the trail where each one now
            // stands, or that it is kept out because its item is not in the new selection.
            const auto after = loadTest(e, d.control);
            std::map<std::tuple<std::string, std::int64_t, std::string>, std::int64_t> was;
            for (auto& r : storedResults(e, id, before.items)) was[{r.itemKey, r.occurrence, r.letter}] = r.position;
            for (auto& r : storedResults(e, id, after.items)) {
                auto p = was[{r.itemKey, r.occurrence, r.letter}];
                auto place = [](std::int64_t pos) { return pos ? "item " + std::to_string(pos) : std::string("kept out of the test"); };
                log.log("change", "result " + r.letter + " (" + r.itemKey + (r.occurrence > 1 ? " #" + std::to_string(r.occurrence) : "") + ")",
                        "item", place(p), r.position ? place(r.position) : "kept out of the test: not in selection " + sampleText.value_or("-"));
            }
        }
    } else {
        auto ins = e.db().prepare(
            "INSERT INTO control_test(control_id, test_types, procedure_text, sample_id, design_only) VALUES (?,?,?,?,?)");
        ins.bind(1, controlId).bind(2, types).bind(3, d.procedure).bind(4, d.sampleId).bind(5, typeI ? 1 : 0);
        ins.exec();
        id = e.db().lastInsertRowid();
        log.log("add", "test plan", "types", std::nullopt, types);
        log.log("add", "test plan", "procedure", std::nullopt, d.procedure);
        log.log("add", "test plan", "selection", std::nullopt, sampleText);
    }
    std::map<std::string, std::string> old;
    auto oa = e.db().prepare("SELECT letter, question FROM test_attribute WHERE test_id = ?");
    oa.bind(1, id);
    while (oa.step()) old[oa.getText(0)] = oa.getText(1);
    auto used = e.db().prepare("SELECT count(*) FROM test_result WHERE test_id = ? AND letter = ?");
    for (auto& [letter, q] : old) {
        if (letters.count(letter)) continue;
        used.bind(1, id).bind(2, letter);
        used.step();
        bool hasResults = used.getInt(0) > 0;
        used.reset();
        if (hasResults)
            throw InputError("attribute " + letter + " has results recorded; it cannot be dropped from the plan");
        auto del = e.db().prepare("DELETE FROM test_attribute WHERE test_id = ? AND letter = ?");
        del.bind(1, id).bind(2, letter);
        del.exec();
        log.log("delete", "attribute " + letter, "question", q, std::nullopt);
    }
    auto up = e.db().prepare("INSERT INTO test_attribute(test_id, letter, question) VALUES (?1,?2,?3) "
                             "ON CONFLICT(test_id, letter) DO UPDATE SET question = ?3");
    for (auto& [letter, q] : d.attributes) {
        up.bind(1, id).bind(2, letter).bind(3, q);
        up.exec();
        auto it = old.find(letter);
        log.log(it == old.end() ? "add" : "change", "attribute " + letter, "question",
                it == old.end() ? std::nullopt : std::optional<std::string>(it->second), q);
    }
    tx.commit();
}

TestView loadTest(Engagement& e, const std::string& control) {
    TestView v;
    v.id = testId(e, control);
    v.control = control;
    auto st = e.db().prepare("SELECT test_types, procedure_text, sample_id, design_only FROM control_test WHERE id = ?");
    st.bind(1, v.id);
    st.step();
    std::string types = st.getText(0);
    for (std::size_t s = 0, c; s <= types.size(); s = c + 1) {
        c = types.find(',', s);
        if (c == std::string::npos) c = types.size();
        if (c > s) v.types.push_back(types.substr(s, c - s));
    }
    v.procedure = st.getText(1);
    v.sampleId = st.getOptInt(2);
    v.designOnly = st.getInt(3) != 0;
    auto at = e.db().prepare("SELECT letter, question FROM test_attribute WHERE test_id = ? ORDER BY letter");
    at.bind(1, v.id);
    while (at.step()) v.attributes.emplace_back(at.getText(0), at.getText(1));
    if (v.sampleId) v.items = itemsOfSample(e, *v.sampleId);
    else v.items.push_back({1, 0, std::nullopt, "design walkthrough", std::nullopt});
    v.expected = static_cast<std::int64_t>(v.items.size() * v.attributes.size());
    std::map<std::int64_t, std::int64_t> perItem;
    for (auto& r : storedResults(e, v.id, v.items)) {
        if (r.position == 0) continue;  // kept out: its item is not in this selection
        ++v.recorded;
        v.deviations += r.outcome == "deviation";
        ++perItem[r.position];
    }
    for (auto& [position, n] : perItem) v.itemsDone += n == static_cast<std::int64_t>(v.attributes.size());
    return v;
}

std::vector<TestView> listTests(Engagement& e) {
    std::vector<TestView> out;
    auto st = e.db().prepare("SELECT c.ref FROM control_test t JOIN control c ON c.id = t.control_id ORDER BY c.ref");
    std::vector<std::string> refs;
    while (st.step()) refs.push_back(st.getText(0));
    for (auto& r : refs) out.push_back(loadTest(e, r));
    return out;
}

std::vector<TickMark> tickMarkLegend(Engagement& e) {
    std::vector<TickMark> out;
    // The legend's order, as the schema lists the marks (a fixed set; any other would follow by symbol).
    auto st = e.db().prepare(
        "SELECT symbol, meaning FROM tick_mark ORDER BY CASE symbol WHEN '✓' THEN 1 WHEN '⊗' THEN 2 WHEN 'Ⓘ' THEN 3 "
        "WHEN 'Ⓡ' THEN 4 WHEN 'Ⓞ' THEN 5 WHEN 'N/A' THEN 6 ELSE 7 END, symbol");
    while (st.step()) out.push_back({st.getText(0), st.getText(1)});
    return out;
}

namespace {
std::string describeResult(const std::string& outcome, const std::string& naReason, const std::string& comment,
                           const std::string& tickMark) {
    return outcome + (naReason.empty() ? "" : " (" + naReason + ")") + (comment.empty() ? "" : ": " + comment) +
           (tickMark.empty() ? "" : " [" + tickMark + "]");
}
}  // namespace

namespace {
// The trail's name for a result: the item by position and key (a result is about that item, wherever it
// stands later); also what a result's version is read by.
std::string resultEntity(std::int64_t position, const std::string& letter, const std::string& key) {
    return "result " + std::to_string(position) + letter + " (" + key + ")";
}
}  // namespace

void recordResults(Engagement& e, const Actor& a, const std::vector<ResultInput>& results, const std::string& reason,
                   std::optional<std::int64_t> seen) {
    if (results.empty()) return;
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    requireRole(a, "preparer", "recording results");
    std::map<std::string, TestView> tests;
    std::set<std::string> marks;
    for (auto& m : tickMarkLegend(e)) marks.insert(m.symbol);
    for (auto& r : results)
        if (!tests.count(r.control)) tests.emplace(r.control, loadTest(e, r.control));
    for (auto& r : results) {
        auto& t = tests.at(r.control);
        if (r.position < 1 || r.position > static_cast<std::int64_t>(t.items.size()))
            throw InputError("item " + std::to_string(r.position) + " is not in the selection tested for " + r.control +
                             " (it has " + std::to_string(t.items.size()) + " items)");
        if (std::none_of(t.attributes.begin(), t.attributes.end(), [&](auto& p) { return p.first == r.letter; }))
            throw InputError("attribute " + r.letter + " is not in the test plan of " + r.control);
        if (r.outcome != "pass" && r.outcome != "deviation" && r.outcome != "na")
            throw InputError("outcome \"" + r.outcome + "\": use pass, deviation or na");
        if (r.outcome == "na" && r.naReason.empty())
            throw InputError("item " + std::to_string(r.position) + ", attribute " + r.letter +
                             ": not applicable needs the reason (--reason-na)");
        if (!r.tickMark.empty() && !marks.count(r.tickMark))
            throw InputError("tick mark \"" + r.tickMark + "\" is not in the legend (see `tickmark test legend`)");
    }

    auto old = e.db().prepare(
        "SELECT outcome, coalesce(na_reason, ''), comment, coalesce(tick_mark, '') FROM test_result "
        "WHERE test_id = ? AND item_key = ? AND occurrence = ? AND letter = ?");
    auto put = e.db().prepare(
        "INSERT INTO test_result(test_id, item_key, occurrence, letter, recorded_position, outcome, na_reason, comment, "
        "tick_mark, recorded_by, recorded_at) VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11) "
        "ON CONFLICT(test_id, item_key, occurrence, letter) DO UPDATE SET recorded_position = ?5, outcome = ?6, "
        "na_reason = ?7, comment = ?8, tick_mark = ?9, recorded_by = ?10, recorded_at = ?11");
    auto openException = e.db().prepare(
        "INSERT INTO exception_record(test_id, letter, opened_by, opened_at) VALUES (?,?,?,?) ON CONFLICT(test_id, letter) DO NOTHING");
    const std::string now = utcNow();
    bool checkedLock = false;
    for (auto& r : results) {
        const auto& t = tests.at(r.control);
        const auto& item = t.items[static_cast<std::size_t>(r.position - 1)];
        if (seen) requireUnchangedSince(e.db(), testWorkpaper(r.control), resultEntity(r.position, r.letter, item.key), *seen);
        old.bind(1, t.id).bind(2, item.key).bind(3, item.occurrence).bind(4, r.letter);
        const bool exists = old.step();
        std::string before = exists ? describeResult(old.getText(0), old.getText(1), old.getText(2), old.getText(3)) : "";
        const bool same = exists && before == describeResult(r.outcome, r.naReason, r.comment, r.tickMark);
        old.reset();
        // Recorded again as it stands: the record (who, when, where the item stood) is left as it was.
        if (same) continue;
        if (exists || !checkedLock) {
            requireWritable(e, exists ? WriteKind::Change : WriteKind::Add, "recording results for " + r.control, reason);
            checkedLock = !exists;
        }
        put.bind(1, t.id).bind(2, item.key).bind(3, item.occurrence).bind(4, r.letter).bind(5, r.position).bind(6, r.outcome);
        put.bindOrNull(7, r.naReason);
        put.bind(8, r.comment).bindOrNull(9, r.tickMark);
        put.bind(10, a.name).bind(11, now);
        put.exec();
        Changes{e, a, testWorkpaper(r.control), reason}.log(
            exists ? "change" : "add", resultEntity(r.position, r.letter, item.key), "outcome",
            exists ? std::optional<std::string>(before) : std::nullopt, describeResult(r.outcome, r.naReason, r.comment, r.tickMark));
        if (r.outcome == "deviation") {
            openException.bind(1, t.id).bind(2, r.letter).bind(3, a.name).bind(4, now);
            openException.exec();
            if (e.db().changes() > 0)
                Changes{e, a, testWorkpaper(r.control), reason}.log("add", "exception " + r.letter, "opened", std::nullopt,
                                                                     "deviation on item " + std::to_string(r.position) + " (" + item.key + ")");
        }
    }
    tx.commit();
}

void withdrawResults(Engagement& e, const Actor& a, const std::string& control,
                     const std::vector<std::pair<std::int64_t, std::string>>& results, const std::string& reason,
                     std::optional<std::int64_t> seen) {
    if (results.empty()) return;
    UnitOfWork tx(e, a);
    requireRole(a, "preparer", "withdrawing results");
    const auto t = loadTest(e, control);
    auto old = e.db().prepare(
        "SELECT outcome, coalesce(na_reason, ''), comment, coalesce(tick_mark, '') FROM test_result "
        "WHERE test_id = ? AND item_key = ? AND occurrence = ? AND letter = ?");
    auto del = e.db().prepare("DELETE FROM test_result WHERE test_id = ? AND item_key = ? AND occurrence = ? AND letter = ?");
    bool checked = false;
    for (auto& [position, letter] : results) {
        if (position < 1 || position > static_cast<std::int64_t>(t.items.size()))
            throw InputError("item " + std::to_string(position) + " is not in the selection tested for " + control);
        const auto& item = t.items[static_cast<std::size_t>(position - 1)];
        if (seen) requireUnchangedSince(e.db(), testWorkpaper(control), resultEntity(position, letter, item.key), *seen);
        old.bind(1, t.id).bind(2, item.key).bind(3, item.occurrence).bind(4, letter);
        if (!old.step())
            throw InputError("item " + std::to_string(position) + ", attribute " + letter + " of " + control + " has no result to withdraw");
        const std::string before = describeResult(old.getText(0), old.getText(1), old.getText(2), old.getText(3));
        old.reset();
        if (!checked) requireWritable(e, WriteKind::Delete, "withdrawing results of " + control, reason), checked = true;
        del.bind(1, t.id).bind(2, item.key).bind(3, item.occurrence).bind(4, letter);
        del.exec();
        Changes{e, a, testWorkpaper(control), reason}.log("delete", resultEntity(position, letter, item.key),
                                                          "outcome", before, std::nullopt);
    }
    tx.commit();
}

std::vector<ResultView> loadResults(Engagement& e, const std::string& control) {
    auto v = loadTest(e, control);
    std::vector<ResultView> out;
    for (auto& r : storedResults(e, v.id, v.items))
        if (r.position > 0) out.push_back(std::move(r));
    return out;
}

std::vector<ResultView> detachedResults(Engagement& e, const std::string& control) {
    auto v = loadTest(e, control);
    std::vector<ResultView> out;
    for (auto& r : storedResults(e, v.id, v.items))
        if (r.position == 0) out.push_back(std::move(r));
    return out;
}

std::vector<ExceptionView> listExceptions(Engagement& e, const std::optional<std::string>& control) {
    std::vector<ExceptionView> out;
    auto st = e.db().prepare(
        "SELECT x.id, c.ref, x.letter, coalesce(a.question, ''), x.description, x.cause, x.nature, x.management_response, "
        "x.auditor_conclusion, x.criteria_met, x.opened_by, x.opened_at, x.test_id FROM exception_record x "
        "JOIN control_test t ON t.id = x.test_id JOIN control c ON c.id = t.control_id "
        "LEFT JOIN test_attribute a ON a.test_id = x.test_id AND a.letter = x.letter "
        "WHERE ?1 IS NULL OR c.ref = ?1 ORDER BY c.ref, x.letter");
    st.bind(1, control);
    auto crit = e.db().prepare("SELECT criterion_id FROM exception_criterion JOIN criterion ON id = criterion_id WHERE exception_id = ? ORDER BY ordinal");
    std::map<std::int64_t, std::vector<StoredResult>> resultsOf;  // test id -> its results on the items tested
    while (st.step()) {
        ExceptionView x;
        x.id = st.getInt(0);
        x.control = st.getText(1);
        x.letter = st.getText(2);
        x.question = st.getText(3);
        x.description = st.getText(4);
        x.cause = st.getText(5);
        x.nature = st.getText(6);
        x.managementResponse = st.getText(7);
        x.auditorConclusion = st.getText(8);
        if (!st.isNull(9)) x.criteriaMet = st.getInt(9) != 0;
        x.openedBy = st.getText(10);
        x.openedAt = st.getText(11);
        const std::int64_t test = st.getInt(12);
        if (!resultsOf.count(test)) resultsOf[test] = loadResults(e, x.control);
        for (auto& r : resultsOf[test]) {
            if (r.letter != x.letter) continue;
            x.deviations += r.outcome == "deviation";
            x.tested += r.outcome != "na";
        }
        crit.bind(1, x.id);
        while (crit.step()) x.criteria.push_back(crit.getText(0));
        crit.reset();
        out.push_back(std::move(x));
    }
    return out;
}

void updateException(Engagement& e, const Actor& a, std::int64_t id, const std::vector<std::pair<std::string, std::string>>& fields,
                     const std::string& reason, std::optional<std::int64_t> seen) {
    UnitOfWork tx(e, a);  // the form's fields land together or not at all; each one below is a savepoint inside it
    if (seen)
        for (auto& x : listExceptions(e))
            if (x.id == id) requireUnchangedSince(e.db(), testWorkpaper(x.control), "exception " + x.letter, *seen);
    for (auto& [field, value] : fields) updateException(e, a, id, field, value, reason);
    tx.commit();
}

void updateException(Engagement& e, const Actor& a, std::int64_t id, const std::string& field, const std::string& value,
                     const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    std::optional<ExceptionView> x;
    for (auto& v : listExceptions(e))
        if (v.id == id) x = v;
    if (!x) throw InputError("no exception with id " + std::to_string(id));
    static const std::map<std::string, std::string> columns = {
        {"description", "description"}, {"cause", "cause"}, {"nature", "nature"},
        {"management-response", "management_response"}, {"conclusion", "auditor_conclusion"}, {"criteria-met", "criteria_met"}};
    requireWritable(e, WriteKind::Change, "changing exception " + std::to_string(id), reason);
    Changes log{e, a, testWorkpaper(x->control), reason};
    if (field == "criteria") {
        auto ids = splitCriteria(value);
        e.requireCriteriaInScope(ids, "exception " + std::to_string(id));
        auto del = e.db().prepare("DELETE FROM exception_criterion WHERE exception_id = ?");
        del.bind(1, id);
        del.exec();
        auto ins = e.db().prepare("INSERT INTO exception_criterion(exception_id, criterion_id) VALUES (?,?)");
        for (auto& c : ids) {
            ins.bind(1, id).bind(2, c);
            ins.exec();
        }
        log.log("change", "exception " + x->letter, "criteria", boost::algorithm::join(x->criteria, ","), boost::algorithm::join(ids, ","));
    } else {
        auto col = columns.find(field);
        if (col == columns.end())
            throw InputError("exception field \"" + field + "\": use description, cause, nature, management-response, "
                             "conclusion, criteria-met or criteria");
        std::optional<std::string> before;
        if (field == "nature") {
            if (value != "isolated" && value != "systemic" && value != "undetermined")
                throw InputError("nature \"" + value + "\": use isolated, systemic or undetermined");
            before = x->nature;
        } else if (field == "criteria-met") {
            if (value != "yes" && value != "no") throw InputError("criteria-met \"" + value + "\": use yes or no");
            before = x->criteriaMet ? std::optional<std::string>(*x->criteriaMet ? "yes" : "no") : std::nullopt;
        } else if (field == "description") before = x->description;
        else if (field == "cause") before = x->cause;
        else if (field == "management-response") before = x->managementResponse;
        else before = x->auditorConclusion;
        auto up = e.db().prepare("UPDATE exception_record SET " + col->second + " = ? WHERE id = ?");
        if (field == "criteria-met") up.bind(1, static_cast<std::int64_t>(value == "yes"));
        else up.bind(1, value);
        up.bind(2, id);
        up.exec();
        log.log("change", "exception " + x->letter, field, before, value);
    }
    tx.commit();
}

std::int64_t raiseNote(Engagement& e, const Actor& a, const std::string& workpaper, const std::string& subject,
                       const std::string& text, const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (!a.has("reviewer") && !a.has("partner")) throw InputError(a.name + " is neither reviewer nor partner; review notes are raised in review");
    if (text.empty()) throw InputError("the review note is empty");
    requireWorkpaper(e, workpaper);
    requireWritable(e, WriteKind::Add, "a review note", reason);
    auto st = e.db().prepare("INSERT INTO review_note(workpaper, subject, text, raised_by, raised_at) VALUES (?,?,?,?,?)");
    st.bind(1, workpaper).bind(2, subject).bind(3, text).bind(4, a.name).bind(5, utcNow());
    st.exec();
    auto id = e.db().lastInsertRowid();
    AuditTrail(e.db()).append({0, "", a.name, "note", workpaper, "note " + std::to_string(id), "raised", std::nullopt, text, reason, "", ""});
    tx.commit();
    return id;
}

std::vector<NoteView> listNotes(Engagement& e, const std::optional<std::string>& workpaper) {
    std::vector<NoteView> out;
    auto st = e.db().prepare(
        "SELECT n.id, n.workpaper, n.subject, n.text, n.raised_by, n.raised_at, n.response, n.responded_by, n.responded_at, "
        "n.cleared_by, n.cleared_at, (SELECT coalesce(max(t.seq), 0) FROM audit_trail t WHERE t.workpaper = n.workpaper AND "
        "t.entity = 'note ' || n.id) FROM review_note n WHERE ?1 IS NULL OR n.workpaper = ?1 ORDER BY n.id");
    st.bind(1, workpaper);
    while (st.step())
        out.push_back({st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getText(5),
                       st.getOptText(6), st.getOptText(7), st.getOptText(8), st.getOptText(9), st.getOptText(10), st.getInt(11)});
    return out;
}

namespace {
NoteView noteById(Engagement& e, std::int64_t id) {
    for (auto& n : listNotes(e))
        if (n.id == id) return n;
    throw InputError("no review note with id " + std::to_string(id));
}
}  // namespace

void respondToNote(Engagement& e, const Actor& a, std::int64_t id, const std::string& response, std::optional<std::int64_t> seen) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    auto n = noteById(e, id);
    if (seen) requireUnchangedSince(e.db(), n.workpaper, "note " + std::to_string(id), *seen);
    if (!n.open()) throw InputError("review note " + std::to_string(id) + " was cleared by " + *n.clearedBy);
    if (response.empty()) throw InputError("the response is empty");
    requireWritable(e, WriteKind::Change, "responding to review note " + std::to_string(id), "");
    auto st = e.db().prepare("UPDATE review_note SET response = ?, responded_by = ?, responded_at = ? WHERE id = ?");
    st.bind(1, response).bind(2, a.name).bind(3, utcNow()).bind(4, id);
    st.exec();
    AuditTrail(e.db()).append({0, "", a.name, "note", n.workpaper, "note " + std::to_string(id), "response", n.response, response, "", "", ""});
    tx.commit();
}

void clearNote(Engagement& e, const Actor& a, std::int64_t id, std::optional<std::int64_t> seen) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (!a.has("reviewer") && !a.has("partner")) throw InputError(a.name + " is neither reviewer nor partner; a reviewer clears review notes");
    auto n = noteById(e, id);
    if (seen) requireUnchangedSince(e.db(), n.workpaper, "note " + std::to_string(id), *seen);
    if (!n.open()) throw InputError("review note " + std::to_string(id) + " is already cleared");
    requireWritable(e, WriteKind::Change, "clearing review note " + std::to_string(id), "");
    auto st = e.db().prepare("UPDATE review_note SET cleared_by = ?, cleared_at = ? WHERE id = ?");
    st.bind(1, a.name).bind(2, utcNow()).bind(3, id);
    st.exec();
    AuditTrail(e.db()).append({0, "", a.name, "note", n.workpaper, "note " + std::to_string(id), "cleared", std::nullopt, "cleared", "", "", ""});
    tx.commit();
}

std::vector<SignOffView> listSignOffs(Engagement& e, const std::optional<std::string>& workpaper) {
    std::vector<SignOffView> out;
    auto st = e.db().prepare(
        "SELECT s.id, s.workpaper, s.role, p.name, p.initials, s.signed_at, s.trail_seq, s.content_parts FROM signoff s "
        "JOIN person p ON p.id = s.person_id WHERE ?1 IS NULL OR s.workpaper = ?1 ORDER BY s.workpaper, s.id");
    st.bind(1, workpaper);
    std::map<std::string, WorkpaperDigest> now;  // each workpaper's digest, computed once
    while (st.step()) {
        SignOffView v{st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getText(5), st.getInt(6), false, {}, {}};
        if (v.workpaper == "report") {
            v.changesSince = reportBasisChangesAfter(e, v.trailSeq);  // the report rests on the whole engagement
        } else {
            for (auto& t : trailFor(e.db(), v.workpaper, v.trailSeq))
                if (changesContent(t)) v.changesSince.push_back(t);
        }
        // What was signed, recomputed: a change the trail does not record was made outside Tickmark.
        if (v.changesSince.empty() && !st.isNull(7)) {
            auto it = now.find(v.workpaper);
            if (it == now.end()) it = now.emplace(v.workpaper, workpaperDigest(e, v.workpaper)).first;
            v.changedOutside = it->second.changedSince(WorkpaperDigest::fromJson(st.getText(7)));
        }
        v.stale = !v.changesSince.empty() || !v.changedOutside.empty();
        out.push_back(std::move(v));
    }
    return out;
}

std::map<std::string, SignOffState> signOffStates(const std::vector<SignOffView>& signoffs) {
    std::map<std::string, SignOffState> out;
    for (auto& s : signoffs) {
        auto& st = out[s.workpaper];
        if (s.stale) st.anyStale = true;
        else if (s.role == "preparer") st.preparer = true;
        else if (s.role == "reviewer") st.reviewer = true;
        else if (s.role == "partner") st.partner = true;
    }
    return out;
}

void signOff(Engagement& e, const Actor& a, const std::string& workpaper, const std::string& role, const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (role != "preparer" && role != "reviewer" && role != "partner")
        throw InputError("role \"" + role + "\": sign as preparer, reviewer or partner");
    requireRole(a, role, "signing off as " + role);
    requireWorkpaper(e, workpaper);
    if (workpaper == "report") {
        // The report is the partner's: signed once the opinion is chosen (and still current).
        if (role != "partner") throw InputError("the report is signed off by the engagement partner (--role partner)");
        auto c = opinionChoice(e);
        if (!c) throw InputError("choose the opinion before signing off the report (`tickmark opinion --choose`)");
        if (c->stale) throw InputError("the opinion choice is stale (" + c->staleReason + "); the partner chooses again before signing the report");
    } else {
        auto current = listSignOffs(e, workpaper);
        auto currentBy = [&](const std::string& r) {
            return std::any_of(current.begin(), current.end(), [&](auto& s) { return s.role == r && !s.stale; });
        };
        requireSeparateDuties(e, a, workpaper, role);
        if ((role == "reviewer" || role == "partner") && !currentBy("preparer")) {
            std::string outside;
            for (auto& s : current)
                if (s.role == "preparer" && !s.changedOutside.empty())
                    outside = " (" + s.person + "'s was bound to content since changed outside Tickmark: " +
                              boost::algorithm::join(s.changedOutside, ", ") + ")";
            throw InputError(workpaper + " has no current preparer sign-off" + outside + "; the preparer signs first");
        }
        if (role == "reviewer") {
            std::int64_t open = 0;
            for (auto& n : listNotes(e, workpaper)) open += n.open();
            if (open)
                throw InputError(workpaper + " has " + std::to_string(open) + " open review note" + (open == 1 ? "" : "s") +
                                 "; clear " + (open == 1 ? "it" : "them") + " before signing as reviewer");
        }
        if (role == "partner" && !currentBy("reviewer"))
            throw InputError(workpaper + " has no current reviewer sign-off; the partner signs after review");
    }
    requireWritable(e, WriteKind::Add, "a sign-off", reason);
    auto entry = AuditTrail(e.db()).append({0, "", a.name, "signoff", workpaper, "sign-off", role, std::nullopt,
                                            a.initials, reason, "", ""});
    // Bound to what is signed: the workpaper's digest as it stands now.
    const auto digest = workpaperDigest(e, workpaper);
    // Signed with the member's key: the digest and the trail's head, which only their password opens.
    const std::string signature = a.sign(proof::signOffMessage(proof::rootKey(e.db()).value_or(""), workpaper, role, a.id, entry.at,
                                                               entry.seq, entry.hash, digest.total));
    auto st = e.db().prepare(
        "INSERT INTO signoff(workpaper, role, person_id, signed_at, trail_seq, trail_hash, content_digest, content_parts, signature) "
        "VALUES (?,?,?,?,?,?,?,?,?)");
    st.bind(1, workpaper).bind(2, role).bind(3, a.id).bind(4, entry.at).bind(5, entry.seq).bind(6, entry.hash);
    st.bind(7, digest.total).bind(8, digest.partsJson()).bind(9, signature);
    st.exec();
    tx.commit();
}

}  // namespace tickmark

#include "workpapers/population_life.h"

#include <algorithm>
#include <set>

#include <boost/algorithm/string/join.hpp>

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/people.h"
#include "workpapers/trail.h"
#include "workpapers/unit_of_work.h"

namespace tickmark {

namespace {

std::string popWorkpaper(std::int64_t id) { return "population:" + std::to_string(id); }
std::string popEntity(std::int64_t id) { return "population " + std::to_string(id); }

void trail(Engagement& e, const Actor& a, const std::string& action, const std::string& workpaper, const std::string& entity,
           const std::string& field, std::optional<std::string> old, std::optional<std::string> now, const std::string& reason) {
    AuditTrail(e.db()).append({0, "", a.name, action, workpaper, entity, field, std::move(old), std::move(now), reason, "", ""});
}

bool blank(const std::string& s) { return s.find_first_not_of(" \t\r\n") == std::string::npos; }

struct PopRow {
    std::int64_t id = 0, controlId = 0;
    std::string name, control, keyColumn, dateColumn;
    std::optional<std::string> amountColumn, dateFormat, sheet, description;
    std::string dateFormatBasis;
    std::optional<std::int64_t> supersededBy;
    std::optional<bool> businessDays;
    std::string fileName, sha256;
    std::int64_t rows = 0, sourceFileId = 0;
};

PopRow popRow(Engagement& e, std::int64_t id) {
    auto st = e.db().prepare(
        "SELECT p.name, c.ref, p.control_id, p.key_column, p.date_column, p.amount_column, p.date_format, p.date_format_basis, "
        "f.sheet, p.client_description, p.superseded_by, p.business_days, f.file_name, f.sha256, p.rows, p.source_file_id "
        "FROM population p JOIN control c ON c.id = p.control_id JOIN source_file f ON f.id = p.source_file_id WHERE p.id = ?");
    st.bind(1, id);
    if (!st.step()) throw InputError("population " + std::to_string(id) + " is not in this engagement (`tickmark population list`)");
    PopRow r;
    r.id = id;
    r.name = st.getText(0);
    r.control = st.getText(1);
    r.controlId = st.getInt(2);
    r.keyColumn = st.getText(3);
    r.dateColumn = st.getText(4);
    r.amountColumn = st.getOptText(5);
    r.dateFormat = st.getOptText(6);
    r.dateFormatBasis = st.getText(7);
    r.sheet = st.getOptText(8);
    r.description = st.getOptText(9);
    r.supersededBy = st.getOptInt(10);
    if (!st.isNull(11)) r.businessDays = st.getInt(11) != 0;
    r.fileName = st.getText(12);
    r.sha256 = st.getText(13);
    r.rows = st.getInt(14);
    r.sourceFileId = st.getInt(15);
    return r;
}

std::vector<std::int64_t> selectionsFrom(Engagement& e, std::int64_t populationId) {
    std::vector<std::int64_t> out;
    auto st = e.db().prepare("SELECT id FROM sample WHERE population_id = ? ORDER BY id");
    st.bind(1, populationId);
    while (st.step()) out.push_back(st.getInt(0));
    return out;
}

// The controls whose test points at a selection drawn from the population: its content reaches them.
std::vector<std::string> testsReached(Engagement& e, std::int64_t populationId) {
    std::vector<std::string> out;
    auto st = e.db().prepare(
        "SELECT DISTINCT c.ref FROM control_test t JOIN control c ON c.id = t.control_id JOIN sample s ON s.id = t.sample_id "
        "WHERE s.population_id = ? ORDER BY c.ref");
    st.bind(1, populationId);
    while (st.step()) out.push_back(st.getText(0));
    return out;
}

std::string joinIds(const std::vector<std::int64_t>& ids) {
    std::vector<std::string> s;
    for (auto id : ids) s.push_back(std::to_string(id));
    return boost::algorithm::join(s, ", ");
}

}  // namespace

std::int64_t currentPopulationVersion(Engagement& e, std::int64_t populationId) {
    auto st = e.db().prepare("SELECT superseded_by FROM population WHERE id = ?");
    std::int64_t id = populationId;
    for (int guard = 0; guard < 10000; ++guard) {
        st.bind(1, id);
        if (!st.step()) throw InputError("population " + std::to_string(id) + " is not in this engagement");
        auto next = st.getOptInt(0);
        st.reset();
        if (!next) return id;
        id = *next;
    }
    throw std::runtime_error("population " + std::to_string(populationId) + ": its versions form a loop");
}

std::vector<std::string> controlsServed(Engagement& e, std::int64_t populationId) {
    std::vector<std::string> out{popRow(e, populationId).control};
    auto st = e.db().prepare(
        "SELECT c.ref FROM population_control l JOIN control c ON c.id = l.control_id WHERE l.population_id = ? ORDER BY c.ref");
    st.bind(1, populationId);
    while (st.step()) out.push_back(st.getText(0));
    return out;
}

bool populationServes(Engagement& e, std::int64_t populationId, const std::string& control) {
    auto served = controlsServed(e, populationId);
    return std::find(served.begin(), served.end(), control) != served.end();
}

std::vector<std::string> controlsTestingSelection(Engagement& e, std::int64_t sampleId) {
    std::vector<std::string> out;
    auto st = e.db().prepare(
        "SELECT c.ref FROM control_test t JOIN control c ON c.id = t.control_id WHERE t.sample_id = "
        "(SELECT coalesce(extends_sample_id, id) FROM sample WHERE id = ?) ORDER BY c.ref");
    st.bind(1, sampleId);
    while (st.step()) out.push_back(st.getText(0));
    return out;
}

std::optional<ReconciliationView> populationReconciliation(Engagement& e, std::int64_t populationId) {
    auto st = e.db().prepare(
        "SELECT r.expected, r.source, r.recorded_by, r.recorded_at, p.in_period, r.explanation, r.explained_by, r.explained_at "
        "FROM population_reconciliation r JOIN population p ON p.id = r.population_id WHERE r.population_id = ?");
    st.bind(1, populationId);
    if (!st.step()) return std::nullopt;
    ReconciliationView v;
    v.expected = st.getInt(0);
    v.source = st.getText(1);
    v.recordedBy = st.getText(2);
    v.recordedAt = st.getText(3);
    v.counted = st.getInt(4);
    v.explanation = st.getOptText(5);
    v.explainedBy = st.getOptText(6);
    v.explainedAt = st.getOptText(7);
    return v;
}

PopulationLife populationLife(Engagement& e, std::int64_t populationId) {
    auto row = popRow(e, populationId);
    PopulationLife l;
    l.id = populationId;
    l.name = row.name;
    l.control = row.control;
    l.supersededBy = row.supersededBy;
    l.businessDays = row.businessDays;
    {
        auto st = e.db().prepare("SELECT coalesce(supersede_reason, '') FROM population WHERE id = ?");
        st.bind(1, populationId);
        if (st.step()) l.supersedeReason = st.getText(0);
    }
    {
        auto st = e.db().prepare("SELECT id FROM population WHERE superseded_by = ? ORDER BY id LIMIT 1");
        st.bind(1, populationId);
        if (st.step()) l.supersedes = st.getInt(0);
    }
    auto served = controlsServed(e, populationId);
    l.linkedControls.assign(served.begin() + 1, served.end());
    l.reconciliation = populationReconciliation(e, populationId);
    l.selections = selectionsFrom(e, populationId);
    return l;
}

CompletenessProfile replacePopulation(Engagement& e, const Actor& a, std::int64_t populationId, PopulationImportRequest req,
                                      const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (blank(reason))
        throw InputError("replacing a population needs the reason (--reason), e.g. \"the client's corrected extract\"");
    const PopRow old = popRow(e, populationId);
    if (old.supersededBy)
        throw InputError("population " + std::to_string(populationId) + " was already superseded by population " +
                         std::to_string(*old.supersededBy) + "; replace the version in force (" +
                         std::to_string(currentPopulationVersion(e, populationId)) + ")");
    // The old version changes (it is superseded): refused once the file is assembled.
    requireWritable(e, WriteKind::Change, "superseding population " + std::to_string(populationId), reason);
    if (req.control.empty()) req.control = old.control;
    if (req.keyColumn.empty()) req.keyColumn = old.keyColumn;
    if (req.dateColumn.empty()) req.dateColumn = old.dateColumn;
    if (!req.amountColumn && old.amountColumn) req.amountColumn = old.amountColumn;
    if (!req.sheet && old.sheet && !old.sheet->empty()) req.sheet = old.sheet;
    if (!req.dateFormat && old.dateFormatBasis == "given" && old.dateFormat)
        if (auto f = DatePattern::parse(*old.dateFormat)) req.dateFormat = *f;
    if (req.name.empty()) {
        // "<name> (version N)": N counts the versions, the first being 1.
        int version = 2;
        for (std::int64_t id = populationId;;) {
            auto st = e.db().prepare("SELECT id FROM population WHERE superseded_by = ?");
            st.bind(1, id);
            if (!st.step()) break;
            id = st.getInt(0);
            ++version;
        }
        std::string base = old.name;
        const auto at = base.rfind(" (version ");
        if (at != std::string::npos && base.back() == ')') base.erase(at);
        // Unique among the control's populations even when an earlier version was deleted.
        auto taken = e.db().prepare("SELECT 1 FROM population WHERE control_id = ? AND name = ?");
        for (;; ++version) {
            req.name = base + " (version " + std::to_string(version) + ")";
            taken.bind(1, old.controlId).bind(2, req.name);
            const bool clash = taken.step();
            taken.reset();
            if (!clash) break;
        }
    }
    if (req.reason.empty()) req.reason = reason;
    const CompletenessProfile p = importPopulation(e, a, req);  // inside this unit of work: one transaction
    const std::int64_t id = p.populationId;

    auto up = e.db().prepare("UPDATE population SET superseded_by = ?, supersede_reason = ? WHERE id = ?");
    up.bind(1, id).bind(2, reason).bind(3, populationId);
    up.exec();
    // What the new version inherits: the report's wording, the controls it serves, the calendar, the client's total.
    auto inherit = e.db().prepare("UPDATE population SET client_description = ?, business_days = ? WHERE id = ?");
    inherit.bindOrNull(1, old.description.value_or(""));
    if (old.businessDays) inherit.bind(2, static_cast<std::int64_t>(*old.businessDays));
    else inherit.bindNull(2);
    inherit.bind(3, id);
    inherit.exec();
    auto links = e.db().prepare(
        "INSERT INTO population_control(population_id, control_id, linked_by, linked_at, reason) "
        "SELECT ?1, control_id, ?2, ?3, 'inherited from population ' || ?4 FROM population_control WHERE population_id = ?4");
    links.bind(1, id).bind(2, a.name).bind(3, utcNow()).bind(4, populationId);
    links.exec();
    auto rec = e.db().prepare(
        "INSERT INTO population_reconciliation(population_id, expected, source, recorded_by, recorded_at) "
        "SELECT ?1, expected, source, ?2, ?3 FROM population_reconciliation WHERE population_id = ?4");
    rec.bind(1, id).bind(2, a.name).bind(3, utcNow()).bind(4, populationId);
    rec.exec();

    const std::string newText = popEntity(id) + " (" + p.name + ", " + p.source.fileName + ", " + std::to_string(p.rows) +
                                " rows, SHA-256 " + p.source.sha256 + ")";
    trail(e, a, "change", popWorkpaper(populationId), popEntity(populationId), "superseded_by", std::nullopt, newText, reason);
    trail(e, a, "add", popWorkpaper(id), popEntity(id), "supersedes", std::nullopt,
          popEntity(populationId) + " (" + old.name + ", " + old.fileName + ", SHA-256 " + old.sha256 + ")", reason);
    // The report's wording has a row for the new version (its description, inherited).
    trail(e, a, "add", "report", popEntity(id), "client_description", std::nullopt,
          old.description.value_or("(none: inherited from population " + std::to_string(populationId) + ")"), reason);
    // Each test of a selection drawn from the old version: the selection is now flagged
    // (workpapers/rules/population_currency.h) until re-drawn from the new version or accepted.
    for (auto& control : testsReached(e, populationId))
        trail(e, a, "change", testWorkpaper(control), popEntity(populationId), "superseded_by", std::nullopt,
              "superseded by " + newText + ": re-draw the selection from it or have a reviewer accept the selection", reason);
    tx.commit();
    return loadProfile(e, id);
}

void renamePopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& name, const std::string& reason) {
    UnitOfWork tx(e, a);
    const PopRow row = popRow(e, populationId);
    if (blank(name)) throw InputError("the population's name cannot be empty (--name)");
    if (name.find('\n') != std::string::npos) throw InputError("the population's name is one line");
    if (name == row.name) throw InputError("population " + std::to_string(populationId) + " is already named \"" + name + "\"");
    auto clash = e.db().prepare("SELECT id FROM population WHERE control_id = ? AND name = ? AND id <> ?");
    clash.bind(1, row.controlId).bind(2, name).bind(3, populationId);
    if (clash.step())
        throw InputError("control " + row.control + " already has a population named \"" + name + "\" (population " +
                         std::to_string(clash.getInt(0)) + "); names stay unique");
    requireWritable(e, WriteKind::Change, "the name of population " + std::to_string(populationId), reason);
    auto up = e.db().prepare("UPDATE population SET name = ? WHERE id = ?");
    up.bind(1, name).bind(2, populationId);
    up.exec();
    trail(e, a, "change", popWorkpaper(populationId), popEntity(populationId), "name", row.name, name, reason);
    // The name is part of what a test of its selections records (proof/digest.cpp, the "population" part).
    for (auto& control : testsReached(e, populationId))
        trail(e, a, "change", testWorkpaper(control), popEntity(populationId), "name", row.name, name, reason);
    tx.commit();
}

void deletePopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& reason) {
    UnitOfWork tx(e, a);
    if (blank(reason)) throw InputError("deleting a population needs the reason (--reason)");
    const PopRow row = popRow(e, populationId);
    const auto selections = selectionsFrom(e, populationId);
    if (!selections.empty())
        throw InputError("population " + std::to_string(populationId) + " cannot be deleted: selection" +
                         (selections.size() > 1 ? "s " : " ") + joinIds(selections) + (selections.size() > 1 ? " were" : " was") +
                         " drawn from it (a selection is evidence of what was tested; replace the population instead)");
    {
        std::vector<std::int64_t> accepted;
        auto st = e.db().prepare("SELECT DISTINCT sample_id FROM population_acceptance WHERE population_id = ? ORDER BY sample_id");
        st.bind(1, populationId);
        while (st.step()) accepted.push_back(st.getInt(0));
        if (!accepted.empty())
            throw InputError("population " + std::to_string(populationId) + " cannot be deleted: a reviewer accepted selection" +
                             (accepted.size() > 1 ? "s " : " ") + joinIds(accepted) + " against it");
        auto so = e.db().prepare("SELECT count(*) FROM signoff WHERE workpaper = ?");
        so.bind(1, popWorkpaper(populationId));
        so.step();
        if (so.getInt(0) > 0)
            throw InputError("population " + std::to_string(populationId) + " cannot be deleted: its workpaper " +
                             popWorkpaper(populationId) + " is signed off (" + std::to_string(so.getInt(0)) + " sign-off" +
                             (so.getInt(0) > 1 ? "s" : "") + ")");
    }
    requireWritable(e, WriteKind::Delete, "population " + std::to_string(populationId), reason);
    // A replacement deleted: the version it superseded is in force again.
    std::optional<std::int64_t> restored;
    {
        auto st = e.db().prepare("SELECT id FROM population WHERE superseded_by = ?");
        st.bind(1, populationId);
        if (st.step()) restored = st.getInt(0);
    }
    if (restored) {
        auto up = e.db().prepare("UPDATE population SET superseded_by = NULL, supersede_reason = NULL WHERE id = ?");
        up.bind(1, *restored);
        up.exec();
        trail(e, a, "change", popWorkpaper(*restored), popEntity(*restored), "superseded_by", popEntity(populationId), std::nullopt,
              reason);
        for (auto& control : testsReached(e, *restored))
            trail(e, a, "change", testWorkpaper(control), popEntity(*restored), "superseded_by", popEntity(populationId),
                  "in force again: population " + std::to_string(populationId) + " deleted", reason);
    }
    for (const char* sql : {"DELETE FROM population_finding WHERE population_id = ?",
                            "DELETE FROM population_block WHERE population_id = ?",
                            "DELETE FROM population_control WHERE population_id = ?",
                            "DELETE FROM population_reconciliation WHERE population_id = ?",
                            "DELETE FROM population WHERE id = ?"}) {
        auto st = e.db().prepare(sql);
        st.bind(1, populationId);
        st.exec();
    }
    // What a later schema keeps about the source file (its layout), then the file's row itself.
    for (const char* table : {"source_layout"}) {
        if (!e.db().hasTable(table)) continue;
        auto del = e.db().prepare(std::string("DELETE FROM ") + table + " WHERE source_file_id = ?1 AND NOT EXISTS "
                                  "(SELECT 1 FROM population WHERE source_file_id = ?1) AND NOT EXISTS "
                                  "(SELECT 1 FROM control WHERE source_file_id = ?1)");
        del.bind(1, row.sourceFileId);
        del.exec();
    }
    auto sf = e.db().prepare(
        "DELETE FROM source_file WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM population WHERE source_file_id = ?1) "
        "AND NOT EXISTS (SELECT 1 FROM control WHERE source_file_id = ?1)");
    sf.bind(1, row.sourceFileId);
    sf.exec();
    trail(e, a, "delete", popWorkpaper(populationId), popEntity(populationId), "population",
          row.name + " for " + row.control + " from " + row.fileName + " (" + std::to_string(row.rows) + " rows, SHA-256 " +
              row.sha256 + ")",
          std::nullopt, reason);
    trail(e, a, "delete", "report", popEntity(populationId), "client_description", row.description.value_or("(none)"),
          std::nullopt, reason);
    tx.commit();
}

void linkPopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& control, const std::string& reason) {
    UnitOfWork tx(e, a);
    const PopRow row = popRow(e, populationId);
    const std::int64_t controlId = requireControl(e, control);
    if (controlId == row.controlId)
        throw InputError("population " + std::to_string(populationId) + " was imported for " + control + "; it serves it already");
    auto st = e.db().prepare("SELECT 1 FROM population_control WHERE population_id = ? AND control_id = ?");
    st.bind(1, populationId).bind(2, controlId);
    if (st.step()) throw InputError("population " + std::to_string(populationId) + " already serves " + control);
    requireWritable(e, WriteKind::Add, "linking population " + std::to_string(populationId) + " to " + control, reason);
    auto ins = e.db().prepare(
        "INSERT INTO population_control(population_id, control_id, linked_by, linked_at, reason) VALUES (?,?,?,?,?)");
    ins.bind(1, populationId).bind(2, controlId).bind(3, a.name).bind(4, utcNow()).bind(5, reason);
    ins.exec();
    trail(e, a, "add", popWorkpaper(populationId), popEntity(populationId), "serves", std::nullopt, control, reason);
    tx.commit();
}

void setBusinessDays(Engagement& e, const Actor& a, std::int64_t populationId, bool businessDays, const std::string& reason) {
    UnitOfWork tx(e, a);
    const PopRow row = popRow(e, populationId);
    if (row.businessDays == businessDays) return;
    requireWritable(e, WriteKind::Change, "the calendar of population " + std::to_string(populationId), reason);
    auto up = e.db().prepare("UPDATE population SET business_days = ? WHERE id = ?");
    up.bind(1, static_cast<std::int64_t>(businessDays)).bind(2, populationId);
    up.exec();
    auto name = [](std::optional<bool> b) -> std::optional<std::string> {
        if (!b) return std::nullopt;
        return *b ? "business days (Monday to Friday)" : "every day";
    };
    trail(e, a, row.businessDays ? "change" : "add", popWorkpaper(populationId), popEntity(populationId), "gap calendar",
          name(row.businessDays), name(businessDays), reason);
    tx.commit();
}

void reconcilePopulation(Engagement& e, const Actor& a, std::int64_t populationId, std::int64_t expected, const std::string& source,
                         const std::string& reason) {
    UnitOfWork tx(e, a);
    if (expected < 0) throw InputError("--expected " + std::to_string(expected) + ": give the client's total, 0 or more");
    if (blank(source))
        throw InputError("name where the client states the total (--source), e.g. \"ServiceNow report, 2026-01-05\"");
    popRow(e, populationId);
    const auto before = populationReconciliation(e, populationId);
    requireWritable(e, before ? WriteKind::Change : WriteKind::Add, "the reconciliation of population " + std::to_string(populationId),
                    reason);
    auto st = e.db().prepare(
        "INSERT INTO population_reconciliation(population_id, expected, source, recorded_by, recorded_at) VALUES (?1,?2,?3,?4,?5) "
        "ON CONFLICT(population_id) DO UPDATE SET expected = ?2, source = ?3, recorded_by = ?4, recorded_at = ?5, "
        "explanation = NULL, explained_by = NULL, explained_at = NULL");
    st.bind(1, populationId).bind(2, expected).bind(3, source).bind(4, a.name).bind(5, utcNow());
    st.exec();
    const auto now = *populationReconciliation(e, populationId);
    auto text = [](const ReconciliationView& v) {
        return std::to_string(v.expected) + " per " + v.source + " (counted " + std::to_string(v.counted) + ", difference " +
               std::to_string(v.difference()) + ")";
    };
    trail(e, a, before ? "change" : "add", popWorkpaper(populationId), popEntity(populationId), "reconciliation",
          before ? std::optional<std::string>(text(*before)) : std::nullopt, text(now), reason);
    tx.commit();
}

void explainReconciliation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& explanation) {
    UnitOfWork tx(e, a);
    if (!a.has("reviewer") && !a.has("partner"))
        throw InputError(a.name + " is neither reviewer nor partner; a reviewer or the partner explains a reconciling difference");
    if (blank(explanation)) throw InputError("the explanation is empty (--explanation)");
    popRow(e, populationId);
    const auto v = populationReconciliation(e, populationId);
    if (!v)
        throw InputError("population " + std::to_string(populationId) +
                         " has no stated total to reconcile to; record it first with --expected N --source TEXT");
    if (v->agrees())
        throw InputError("population " + std::to_string(populationId) + " agrees with the client's total (" +
                         std::to_string(v->expected) + "): there is no difference to explain");
    requireWritable(e, v->explanation ? WriteKind::Change : WriteKind::Add,
                    "the reconciliation of population " + std::to_string(populationId), explanation);
    auto st = e.db().prepare(
        "UPDATE population_reconciliation SET explanation = ?, explained_by = ?, explained_at = ? WHERE population_id = ?");
    st.bind(1, explanation).bind(2, a.name).bind(3, utcNow()).bind(4, populationId);
    st.exec();
    trail(e, a, v->explanation ? "change" : "add", popWorkpaper(populationId), popEntity(populationId), "reconciling difference",
          v->explanation, "difference " + std::to_string(v->difference()) + " explained: " + explanation, explanation);
    tx.commit();
}

}  // namespace tickmark

#include "workpapers/proof/digest.h"

#include <nlohmann/json.hpp>

#include <tuple>

#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/sha256.h"

namespace tickmark {

namespace {

// Every row of a query, every column with its storage class and length, into the hash: no two
// different tables of values give the same bytes.
void hashRows(Sha256& h, db::Database& db, const std::string& sql, std::int64_t id = 0, const std::string& text = "") {
    auto st = db.prepare(sql);
    if (sql.find("?1") != std::string::npos) st.bind(1, id);
    if (sql.find("?2") != std::string::npos) st.bind(2, text);
    h.update("Q", 1);
    h.update(sql.data(), sql.size());
    while (st.step()) {
        h.update("R", 1);
        for (int c = 0; c < st.columnCount(); ++c) {
            const char kind = st.columnKind(c);
            std::string v;
            if (kind == 'b') v = std::string(st.getBlob(c));
            else if (kind != 'n') v = st.getText(c);
            const std::string head = std::string(1, kind) + std::to_string(v.size()) + ":";
            h.update(head.data(), head.size());
            h.update(v.data(), v.size());
        }
    }
}

struct Part {
    const char* name;
    std::vector<std::string> queries;  // ?1: the control's id (test workpapers); ?2: the workpaper's name
    // A part added by a later schema, hashed only where it holds something: the digests of files
    // written before it (and what was signed over them) stay as they were.
    const char* onlyIf = nullptr;
};

const std::vector<Part>& testParts() {
    static const std::vector<Part> parts = {
        // Not where the matrix row came from (a re-import of the same row moves it to the new file).
        {"control", {"SELECT id, ref, description, frequency, nature, owner, subservice_org_id FROM control WHERE id = ?1",
                     "SELECT criterion_id FROM control_criterion WHERE control_id = ?1 ORDER BY criterion_id"}},
        {"plan", {"SELECT * FROM control_test WHERE control_id = ?1",
                  "SELECT a.* FROM test_attribute a JOIN control_test t ON t.id = a.test_id WHERE t.control_id = ?1 ORDER BY a.letter"}},
        {"selection", {"SELECT s.* FROM sample s JOIN control_test t ON s.id = t.sample_id OR s.extends_sample_id = t.sample_id "
                       "WHERE t.control_id = ?1 ORDER BY s.id",
                       "SELECT i.* FROM sample_item i JOIN sample s ON s.id = i.sample_id JOIN control_test t "
                       "ON s.id = t.sample_id OR s.extends_sample_id = t.sample_id WHERE t.control_id = ?1 ORDER BY i.sample_id, i.position",
                       "SELECT a.* FROM adequacy_acceptance a JOIN control_test t ON a.sample_id = t.sample_id WHERE t.control_id = ?1 ORDER BY a.id"}},
        // Its client-facing description is the report's wording, not the test's content.
        {"population", {"SELECT p.id, p.control_id, p.name, p.source_file_id, p.columns, p.key_column, p.date_column, p.amount_column, "
                        "p.date_format, p.date_format_basis, p.period_start, p.period_end, p.rows, p.in_period FROM population p "
                        "JOIN sample s ON s.population_id = p.id JOIN control_test t ON s.id = t.sample_id WHERE t.control_id = ?1",
                        "SELECT f.* FROM source_file f JOIN population p ON p.source_file_id = f.id JOIN sample s ON s.population_id = p.id "
                        "JOIN control_test t ON s.id = t.sample_id WHERE t.control_id = ?1"}},
        {"population reading",
         {"SELECT p.blank_dates, p.date_reading, l.layout FROM population p JOIN sample s ON s.population_id = p.id "
          "JOIN control_test t ON s.id = t.sample_id LEFT JOIN source_layout l ON l.source_file_id = p.source_file_id "
          "WHERE t.control_id = ?1"},
         "SELECT 1 FROM population p JOIN sample s ON s.population_id = p.id JOIN control_test t ON s.id = t.sample_id "
         "WHERE t.control_id = ?1 AND (p.date_reading IS NOT NULL OR p.source_file_id IN (SELECT source_file_id FROM source_layout))"},
        {"results", {"SELECT r.* FROM test_result r JOIN control_test t ON t.id = r.test_id WHERE t.control_id = ?1 "
                     "ORDER BY r.item_key, r.occurrence, r.letter"}},
        {"evidence", {"SELECT l.*, v.sha256, v.size, v.content FROM evidence_link l JOIN evidence v ON v.id = l.evidence_id "
                      "WHERE l.workpaper = ?2 ORDER BY l.id"}},
        {"exceptions", {"SELECT x.* FROM exception_record x JOIN control_test t ON t.id = x.test_id WHERE t.control_id = ?1 ORDER BY x.id",
                        "SELECT c.* FROM exception_criterion c JOIN exception_record x ON x.id = c.exception_id JOIN control_test t "
                        "ON t.id = x.test_id WHERE t.control_id = ?1 ORDER BY c.exception_id, c.criterion_id"}},
        // Items the auditor added to the selection by judgement (outside its statistical record).
        {"judgmental items",
         {"SELECT j.* FROM sample_judgmental_item j JOIN control_test t ON j.sample_id = t.sample_id WHERE t.control_id = ?1 ORDER BY j.seq"},
         "SELECT 1 FROM sample_judgmental_item j JOIN control_test t ON j.sample_id = t.sample_id WHERE t.control_id = ?1"},
        // A reviewer's acceptance of the selection although its population was superseded.
        {"population acceptance",
         {"SELECT a.* FROM population_acceptance a JOIN control_test t ON a.sample_id = t.sample_id WHERE t.control_id = ?1 ORDER BY a.id"},
         "SELECT 1 FROM population_acceptance a JOIN control_test t ON a.sample_id = t.sample_id WHERE t.control_id = ?1"},
    };
    return parts;
}

const std::vector<Part>& reportParts() {
    static const std::vector<Part> parts = {
        {"engagement", {"SELECT client, system_name, report_type, period_start, period_end, as_of_date FROM engagement"}},
        {"time zone", {"SELECT time_zone FROM engagement"}, "SELECT 1 FROM engagement WHERE time_zone IS NOT NULL"},
        {"scope", {"SELECT code, in_scope FROM category ORDER BY code", "SELECT * FROM criterion ORDER BY ordinal",
                   "SELECT * FROM criterion_status ORDER BY criterion_id", "SELECT * FROM subservice_org ORDER BY id",
                   "SELECT * FROM csoc ORDER BY id", "SELECT * FROM csoc_criterion ORDER BY csoc_id, criterion_id",
                   "SELECT * FROM cuec ORDER BY id", "SELECT * FROM cuec_criterion ORDER BY cuec_id, criterion_id"}},
        {"description", {"SELECT * FROM description_section ORDER BY heading"}},
        {"particulars", {"SELECT * FROM report_setting ORDER BY key"}},
        {"opinion", {"SELECT * FROM opinion_choice"}},
        {"wording", {"SELECT id, client_description FROM population ORDER BY id"}},
    };
    return parts;
}

const std::vector<Part>& engagementParts() {
    static const std::vector<Part> parts = {
        {"team", {"SELECT * FROM person ORDER BY id", "SELECT * FROM person_role ORDER BY person_id, role"}},
        {"frequency table", {"SELECT * FROM frequency_table ORDER BY frequency"}},
        {"tick marks", {"SELECT * FROM tick_mark ORDER BY symbol"}},
        {"settings", {"SELECT evidence_limit FROM engagement"}},
        {"evidence", {"SELECT l.*, v.sha256, v.size, v.content FROM evidence_link l JOIN evidence v ON v.id = l.evidence_id "
                      "WHERE l.workpaper = ?2 ORDER BY l.id"}},
    };
    return parts;
}

}  // namespace

namespace {

// The state a write leaves (see stateDigest): evidence by its recorded SHA-256, review notes included.
const std::vector<Part>& stateExtras() {
    static const std::vector<Part> parts = {
        {"evidence", {"SELECT l.*, v.sha256, v.size FROM evidence_link l JOIN evidence v ON v.id = l.evidence_id "
                      "WHERE l.workpaper = ?2 ORDER BY l.id"}},
        {"notes", {"SELECT * FROM review_note WHERE workpaper = ?2 ORDER BY id"}},
    };
    return parts;
}

const std::vector<Part>& populationParts() {
    static const std::vector<Part> parts = {
        // Its client-facing description is the report's wording (the report's state holds it).
        {"import", {"SELECT id, control_id, name, source_file_id, columns, key_column, date_column, amount_column, date_format, "
                    "date_format_basis, period_start, period_end, rows, in_period, before_period, after_period, blank_keys, "
                    "duplicate_keys, duplicate_rows, bad_dates, bad_amounts, blank_lines, min_date, max_date, imported_at "
                    "FROM population WHERE id = ?1",
                    "SELECT f.* FROM source_file f JOIN population p ON p.source_file_id = f.id WHERE p.id = ?1"}},
        {"reading",
         {"SELECT p.blank_dates, p.date_reading, l.layout FROM population p LEFT JOIN source_layout l "
          "ON l.source_file_id = p.source_file_id WHERE p.id = ?1"},
         "SELECT 1 FROM population p WHERE p.id = ?1 AND (p.date_reading IS NOT NULL OR p.source_file_id IN "
         "(SELECT source_file_id FROM source_layout))"},
        // The digest recorded as the records were written (verify recomputes it); the blocks themselves only
        // for a population imported before it was recorded.
        {"records", {"SELECT records_sha256 FROM population WHERE id = ?1",
                     "SELECT * FROM population_block WHERE population_id = ?1 AND "
                     "(SELECT records_sha256 FROM population WHERE id = ?1) IS NULL ORDER BY first_row",
                     "SELECT * FROM population_finding WHERE population_id = ?1 ORDER BY kind, row_no"}},
        // Its life (population_life.h): the version superseding it, the calendar of its gaps, the controls it
        // serves besides its own, the client's stated total.
        {"life",
         {"SELECT superseded_by, supersede_reason, business_days FROM population WHERE id = ?1",
          "SELECT * FROM population_control WHERE population_id = ?1 ORDER BY control_id",
          "SELECT * FROM population_reconciliation WHERE population_id = ?1"},
         "SELECT 1 FROM population WHERE id = ?1 AND (superseded_by IS NOT NULL OR business_days IS NOT NULL OR "
         "EXISTS (SELECT 1 FROM population_control WHERE population_id = ?1) OR "
         "EXISTS (SELECT 1 FROM population_reconciliation WHERE population_id = ?1))"},
    };
    return parts;
}

WorkpaperDigest digestOf(Engagement& e, const std::string& workpaper, bool forState) {
    const std::vector<Part>* parts = nullptr;
    std::int64_t id = 0;
    if (workpaper == "report") parts = &reportParts();
    else if (workpaper == "engagement") parts = &engagementParts();
    else if (workpaper.rfind("test:", 0) == 0) {
        auto st = e.db().prepare("SELECT id FROM control WHERE ref = ?");
        st.bind(1, workpaper.substr(5));
        if (!st.step()) throw InputError("no workpaper " + workpaper + " in this engagement");
        id = st.getInt(0);
        parts = &testParts();
    } else if (forState && workpaper.rfind("population:", 0) == 0) {
        auto st = e.db().prepare("SELECT id FROM population WHERE id = ?");
        st.bind(1, workpaper.substr(11));
        if (!st.step()) throw InputError("no workpaper " + workpaper + " in this engagement");
        id = st.getInt(0);
        parts = &populationParts();
    } else {
        throw InputError("no workpaper " + workpaper + " in this engagement (test:<control>, report or engagement)");
    }
    WorkpaperDigest d;
    auto hashPart = [&](const Part& p) {
        if (p.onlyIf) {
            auto st = e.db().prepare(p.onlyIf);
            if (std::string_view(p.onlyIf).find("?1") != std::string_view::npos) st.bind(1, id);
            if (!st.step()) return;
        }
        Sha256 h;
        for (auto& q : p.queries) hashRows(h, e.db(), q, id, workpaper);
        d.parts[p.name] = h.hexDigest();
    };
    for (auto& p : *parts)
        if (!forState || std::string(p.name) != "evidence") hashPart(p);
    if (forState)
        for (auto& p : stateExtras()) hashPart(p);
    if (workpaper == "report" && !forState) {
        // The report rests on every test workpaper too (a write's state leaves them to their own states).
        Sha256 h;
        auto st = e.db().prepare("SELECT ref FROM control ORDER BY ref");
        std::vector<std::string> refs;
        while (st.step()) refs.push_back(st.getText(0));
        for (auto& ref : refs) {
            auto t = digestOf(e, "test:" + ref, false).total;
            h.update(ref.data(), ref.size() + 1);
            h.update(t.data(), t.size());
        }
        d.parts["workpapers"] = h.hexDigest();
    }
    Sha256 total;
    for (auto& [name, hex] : d.parts) {
        total.update(name.data(), name.size() + 1);  // with its terminating NUL: names never run into digests
        total.update(hex.data(), hex.size());
    }
    d.total = total.hexDigest();
    return d;
}

}  // namespace

WorkpaperDigest workpaperDigest(Engagement& e, const std::string& workpaper) { return digestOf(e, workpaper, false); }

std::optional<WorkpaperDigest> stateDigest(Engagement& e, const std::string& workpaper) {
    try {
        return digestOf(e, workpaper, true);
    } catch (const InputError&) {
        return std::nullopt;  // not (or no longer) in the file
    }
}

void hashBlock(Sha256& h, std::int64_t firstRow, std::int64_t rowCount, std::string_view data) {
    const std::string head = std::to_string(firstRow) + ":" + std::to_string(rowCount) + ":" + std::to_string(data.size()) + ":";
    h.update(head.data(), head.size());
    h.update(data.data(), data.size());
}

std::vector<std::string> verifyPopulationRecords(Engagement& e) {
    std::vector<std::string> out;
    std::vector<std::tuple<std::int64_t, std::string, std::string>> pops;
    auto st = e.db().prepare("SELECT id, name, records_sha256 FROM population WHERE records_sha256 IS NOT NULL ORDER BY id");
    while (st.step()) pops.emplace_back(st.getInt(0), st.getText(1), st.getText(2));
    auto blocks = e.db().prepare("SELECT first_row, row_count, data FROM population_block WHERE population_id = ? ORDER BY first_row");
    for (auto& [id, name, recorded] : pops) {
        Sha256 h;
        blocks.bind(1, id);
        while (blocks.step()) hashBlock(h, blocks.getInt(0), blocks.getInt(1), blocks.getBlob(2));
        blocks.reset();
        if (h.hexDigest() != recorded)
            out.push_back("population:" + std::to_string(id) + " (" + name +
                          "): its stored records no longer match the SHA-256 recorded as they were imported: changed outside Tickmark");
    }
    return out;
}

std::string WorkpaperDigest::partsJson() const { return nlohmann::json(parts).dump(); }

WorkpaperDigest WorkpaperDigest::fromJson(const std::string& json) {
    WorkpaperDigest d;
    d.parts = nlohmann::json::parse(json).get<std::map<std::string, std::string>>();
    return d;
}

std::vector<std::string> WorkpaperDigest::changedSince(const WorkpaperDigest& before) const {
    std::vector<std::string> out;
    for (auto& [name, hex] : parts) {
        auto it = before.parts.find(name);
        if (it == before.parts.end() || it->second != hex) out.push_back(name);
    }
    for (auto& [name, hex] : before.parts)
        if (!parts.count(name)) out.push_back(name);
    return out;
}

}  // namespace tickmark

namespace tickmark {

std::string AlteredRecord::message() const {
    std::string list;
    for (std::size_t i = 0; i < parts.size(); ++i) list += (i == 0 ? "" : i + 1 == parts.size() ? " and " : ", ") + parts[i];
    return workpaper + ": " + list + " changed since " + signer + " signed as " + role + " on " + signedAt.substr(0, 10) +
           ", and the audit trail records no such change (changed outside Tickmark)";
}

std::vector<AlteredRecord> verifySignedRecords(Engagement& e) {
    db::ReadSnapshot snapshot(e.db());
    std::vector<AlteredRecord> out;
    for (auto& s : listSignOffs(e))
        if (!s.changedOutside.empty()) out.push_back({s.workpaper, s.person, s.role, s.signedAt, s.changedOutside});
    return out;
}

}  // namespace tickmark

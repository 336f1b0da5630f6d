#include "app/cli/population_commands.h"

#include <cstdio>
#include <iostream>

#include "app/cli/output.h"
#include "app/cli/signin.h"
#include "app/presenters/population_overview.h"
#include "workpapers/errors.h"
#include "workpapers/judgmental_items.h"
#include "workpapers/population.h"
#include "workpapers/population_analytics.h"
#include "workpapers/population_life.h"

namespace tickmark::cli {

using nlohmann::json;

struct PopulationCommands {
    std::string file, user, reason, source, name, key, dateCol, amount, sheet, dateFormat, delimiter, control, text, explanation;
    std::string encoding;
    std::int64_t headerRow = 0;
    bool acceptUnreadableDates = false;
    std::int64_t id = -1, from = 1, limit = -1, expected = -1, sampleId = -1;
    bool asCsv = false;
};

namespace {

void emit(const json& j) { std::cout << j.dump(2) << "\n"; }

std::vector<std::string> flagNames(std::uint32_t f) {
    std::vector<std::string> out;
    if (f & kBeforePeriod) out.push_back("before-period");
    if (f & kAfterPeriod) out.push_back("after-period");
    if (f & kDuplicateKey) out.push_back("duplicate-key");
    if (f & kBlankKey) out.push_back("blank-key");
    if (f & kBadDate) out.push_back("bad-date");
    if (f & kBadAmount) out.push_back("bad-amount");
    return out;
}

std::string csvCell(std::string_view s) {
    if (s.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(s);
    std::string out = "\"";
    for (char c : s) out += c == '"' ? std::string("\"\"") : std::string(1, c);
    return out + "\"";
}

std::string joined(const std::vector<std::string>& v, const char* sep) {
    std::string s;
    for (auto& x : v) s += (s.empty() ? "" : sep) + x;
    return s;
}

json reconciliationJson(const std::optional<ReconciliationView>& r) {
    if (!r) return nullptr;
    return json{{"expected", r->expected},
                {"source", r->source},
                {"counted", r->counted},
                {"difference", r->difference()},
                {"agrees", r->agrees()},
                {"open", r->open()},
                {"recorded_by", r->recordedBy},
                {"recorded_at", r->recordedAt},
                {"explanation", r->explanation ? json(*r->explanation) : json(nullptr)},
                {"explained_by", r->explainedBy ? json(*r->explainedBy) : json(nullptr)}};
}

}  // namespace

json supersededJson(const SupersededSelection& f) {
    json j{{"sample_id", f.sampleId},
           {"control", f.control},
           {"tested_by", f.testedBy},
           {"drawn_from", f.drawnFrom},
           {"current", f.current},
           {"current_name", f.currentName},
           {"items", f.items},
           {"missing_keys", f.missingKeys},
           {"redrawn_as", f.redrawnAs ? json(*f.redrawnAs) : json(nullptr)},
           {"open", f.open()},
           {"acceptance_stale", f.acceptanceStale},
           {"text", f.text()}};
    j["accepted"] = f.accepted ? json{{"by", f.accepted->acceptedBy}, {"reason", f.accepted->reason}, {"at", f.accepted->acceptedAt},
                                      {"population_id", f.accepted->populationId}}
                               : json(nullptr);
    return j;
}

json populationExtrasJson(Engagement& e, std::int64_t id) {
    const auto life = populationLife(e, id);
    const auto a = analysePopulation(e, id);
    json gaps{{"control", a.periodGaps.control},
              {"frequency", a.periodGaps.frequency},
              {"unit", a.periodGaps.applicable() ? json(a.periodGaps.unit) : json(nullptr)},
              {"units", a.periodGaps.units},
              {"covered", a.periodGaps.covered},
              {"missing_count", a.periodGaps.missing.size()},
              {"missing", a.periodGaps.missing},
              {"note", a.periodGaps.note}};
    json keys{{"numbered", a.keyGaps.numbered}};
    if (a.keyGaps.numbered) {
        keys["prefix"] = a.keyGaps.prefix;
        keys["width"] = a.keyGaps.width;
        keys["first"] = a.keyGaps.first;
        keys["last"] = a.keyGaps.last;
        keys["first_key"] = a.keyGaps.firstKey;
        keys["last_key"] = a.keyGaps.lastKey;
        keys["numbered_keys"] = a.keyGaps.numberedKeys;
        keys["other_keys"] = a.keyGaps.otherKeys;
        keys["missing_count"] = a.keyGaps.missing;
        keys["range_count"] = a.keyGaps.rangeCount;
        keys["ranges"] = a.keyGaps.ranges;
        keys["ranges_listed"] = a.keyGaps.ranges.size();
    } else {
        keys["why"] = a.keyGaps.why;
    }
    json linked = life.linkedControls;
    return json{{"superseded_by", life.supersededBy ? json(*life.supersededBy) : json(nullptr)},
                {"supersede_reason", life.supersededBy ? json(life.supersedeReason) : json(nullptr)},
                {"supersedes", life.supersedes ? json(*life.supersedes) : json(nullptr)},
                {"current_version", currentPopulationVersion(e, id)},
                {"controls", controlsServed(e, id)},
                {"linked_controls", linked},
                {"business_days", life.businessDays ? json(*life.businessDays) : json(nullptr)},
                {"selections", life.selections},
                {"period_gaps", gaps},
                {"key_gaps", keys},
                {"reconciliation", reconciliationJson(a.reconciliation)}};
}

void printPopulationExtras(Engagement& e, std::int64_t id, std::FILE* out) {
    // The desktop app lists the same lines above the population grid (app/presenters/population_overview.h).
    for (auto& line : desk::populationOverview(e, id)) {
        if (line.label.empty()) std::fprintf(out, "  ! %s\n", terminalText(line.text).c_str());
        else std::fprintf(out, "  %-11s %s\n", line.label.c_str(), terminalText(line.text).c_str());
    }
}

void addPopulationListFields(Engagement& e, json& list) {
    for (auto& p : list) {
        const auto life = populationLife(e, p["population_id"].get<std::int64_t>());
        p["superseded_by"] = life.supersededBy ? json(*life.supersededBy) : json(nullptr);
        p["supersedes"] = life.supersedes ? json(*life.supersedes) : json(nullptr);
        p["controls"] = controlsServed(e, life.id);
    }
}

void addSelectionExtrasJson(Engagement& e, std::int64_t sampleId, json& j, bool withItems) {
    auto f = supersededSelection(e, sampleId);
    j["population_superseded"] = f ? supersededJson(*f) : json(nullptr);
    const auto items = judgmentalItems(e, sampleId);
    j["judgmental_count"] = items.size();
    if (!withItems) return;
    json a = json::array();
    for (auto& it : items)
        a.push_back({{"seq", it.seq}, {"key", it.key}, {"row", it.row ? json(*it.row) : json(nullptr)},
                     {"date", it.date ? json(*it.date) : json(nullptr)}, {"reason", it.reason}, {"added_by", it.addedBy},
                     {"added_at", it.addedAt}, {"statistical", false}});
    j["judgmental_items"] = a;
}

void printSelectionExtras(Engagement& e, std::int64_t sampleId) {
    const auto items = judgmentalItems(e, sampleId);
    if (!items.empty()) std::printf("  Judgmental items (non-statistical: tested, outside the statistical evaluation)\n");
    for (auto& it : items)
        std::printf("     J%lld %-8s %-24s %s  %s (by %s)\n", static_cast<long long>(it.seq),
                    it.row ? ("row " + std::to_string(*it.row)).c_str() : "", terminalText(it.key).c_str(), it.date.value_or("").c_str(),
                    terminalText(it.reason).c_str(), it.addedBy.c_str());
    if (auto f = supersededSelection(e, sampleId))
        std::printf("  %s population superseded: %s\n", f->open() ? "! OPEN" : "Accepted,", terminalText(f->text()).c_str());
}

std::shared_ptr<PopulationCommands> addPopulationCommands(CLI::App& app, std::function<void()>& action, bool& asJson, int& exitCode) {
    (void)exitCode;
    auto o = std::make_shared<PopulationCommands>();
    auto& O = *o;
    auto* pop = app.get_subcommand("population");

    // tickmark population rows ENG ID [--from N] [--limit K] [--json|--csv]
    auto* rows = pop->add_subcommand("rows", "Print a population's records as delivered: row, source line, flags, every cell");
    rows->add_option("file", O.file)->required();
    rows->add_option("id", O.id, "population id")->required();
    rows->add_option("--from", O.from, "the first row to print (1-based, default 1)");
    rows->add_option("--limit", O.limit, "at most this many rows (default: to the end)");
    rows->add_flag("--json", asJson);
    rows->add_flag("--csv", O.asCsv, "as CSV: row, line, flags, then the delivered columns");
    rows->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            if (asJson && o->asCsv) throw InputError("--json and --csv: choose one");
            if (o->from < 1) throw InputError("--from " + std::to_string(o->from) + ": rows are numbered from 1");
            if (o->limit < -1) throw InputError("--limit " + std::to_string(o->limit) + ": give a count of 0 or more");
            auto e = Engagement::open(o->file);
            PopulationItems items(e, o->id);  // block by block: never the whole population in memory
            const std::int64_t last = o->limit < 0 ? items.rows() : std::min(items.rows(), o->from + o->limit - 1);
            const auto& cols = items.columns();
            if (asJson) {
                json head{{"population_id", o->id}, {"rows", items.rows()}, {"from", o->from}, {"columns", cols}};
                std::string h = head.dump();
                h.pop_back();  // the records follow, one per line, as they are read
                std::cout << h << ",\"records\":[";
                for (std::int64_t r = o->from; r <= last; ++r) {
                    const auto& it = items.at(r);
                    json rec{{"row", it.row}, {"line", it.line}, {"flags", flagNames(it.flags)},
                             {"date", it.date ? json(isoString(*it.date)) : json(nullptr)}};
                    if (it.amount) rec["amount"] = *it.amount;
                    json cells = json::array();
                    for (auto c : it.cells) cells.push_back(std::string(c));
                    rec["cells"] = cells;
                    std::cout << (r == o->from ? "\n" : ",\n") << rec.dump(-1, ' ', false, json::error_handler_t::replace);
                }
                std::cout << "\n]}\n";
                return;
            }
            const char* sep = o->asCsv ? "," : "\t";
            auto cell = [&](std::string_view s) { return o->asCsv ? csvCell(s) : terminalText(s); };
            std::string line = std::string("row") + sep + "line" + sep + "flags";
            for (auto& c : cols) line += sep + cell(c);
            std::printf("%s\n", line.c_str());
            for (std::int64_t r = o->from; r <= last; ++r) {
                const auto& it = items.at(r);
                const auto flags = joined(flagNames(it.flags), o->asCsv ? ";" : ",");
                line = std::to_string(it.row) + sep + std::to_string(it.line) + sep + (flags.empty() ? (o->asCsv ? "" : "-") : flags);
                for (auto c : it.cells) line += sep + cell(c);
                std::fwrite(line.data(), 1, line.size(), stdout);
                std::fputc('\n', stdout);
            }
        };
    });

    // tickmark population replace ENG ID FILE --reason TEXT
    auto* replace = pop->add_subcommand("replace", "Import a corrected version that supersedes the population (the old one is kept)");
    replace->add_option("file", O.file)->required();
    replace->add_option("id", O.id, "the population to supersede")->required();
    replace->add_option("source", O.source, "the corrected file as the client delivered it")->required();
    replace->add_option("--reason", O.reason, "why the client delivered a new version")->required();
    replace->add_option("--name", O.name, "the new version's name (default: \"<name> (version N)\")");
    replace->add_option("--key", O.key, "the key column (default: the old version's)");
    replace->add_option("--date", O.dateCol, "the date column (default: the old version's)");
    replace->add_option("--amount", O.amount, "the amount column (default: the old version's)");
    replace->add_option("--sheet", O.sheet, "the sheet (default: the old version's)");
    replace->add_option("--date-format", O.dateFormat, "as for import (default: the old version's when it was given)");
    replace->add_option("--delimiter", O.delimiter, "text files: , ; or tab (default: detected)");
    replace->add_option("--header-row", O.headerRow, "the row (1-based) naming the columns (default: found)");
    replace->add_option("--encoding", O.encoding, "text files: UTF-8, UTF-16LE, Windows-1252... (default: detected)");
    replace->add_flag("--accept-unreadable-dates", O.acceptUnreadableDates, "as for import");
    replace->add_option("--user", O.user);
    replace->add_flag("--json", asJson);
    replace->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            PopulationImportRequest req;
            req.file = o->source;
            req.name = o->name;
            req.keyColumn = o->key;
            req.dateColumn = o->dateCol;
            if (!o->amount.empty()) req.amountColumn = o->amount;
            if (!o->sheet.empty()) req.sheet = o->sheet;
            if (!o->dateFormat.empty()) req.dateFormat = requireDatePattern(o->dateFormat, "--date-format");
            if (o->headerRow) req.headerRow = o->headerRow;
            if (!o->encoding.empty()) req.encoding = o->encoding;
            req.acceptUnreadableDates = o->acceptUnreadableDates;
            if (!o->delimiter.empty()) {
                if (o->delimiter == "tab" || o->delimiter == "\\t") req.delimiter = '\t';
                else if (o->delimiter.size() == 1) req.delimiter = o->delimiter[0];
                else throw InputError("--delimiter " + o->delimiter + ": give one character, or tab");
            }
            const Actor a = signIn(e, o->user);
            auto p = replacePopulation(e, a, o->id, req, o->reason);
            if (asJson) {
                json j = toJson(p);
                j.update(populationExtrasJson(e, p.populationId));
                return emit(j);
            }
            std::printf("Population %lld supersedes population %lld\n", static_cast<long long>(p.populationId),
                        static_cast<long long>(o->id));
            printProfile(p, stdout);
            printPopulationExtras(e, p.populationId, stdout);
            for (auto& f : supersededSelections(e))
                if (f.drawnFrom == o->id) std::printf("  ! %s\n", terminalText(f.text()).c_str());
        };
    });

    // tickmark population delete ENG ID --reason TEXT
    auto* del = pop->add_subcommand("delete", "Delete a population nothing depends on (no selection drawn from it)");
    del->add_option("file", O.file)->required();
    del->add_option("id", O.id, "population id")->required();
    del->add_option("--reason", O.reason, "why it goes")->required();
    del->add_option("--user", O.user);
    del->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            deletePopulation(e, signIn(e, o->user), o->id, o->reason);
            std::printf("Population %lld deleted (the audit trail keeps the deletion)\n", static_cast<long long>(o->id));
        };
    });

    // tickmark population link ENG ID --control C
    auto* link = pop->add_subcommand("link", "The population serves another control too (its selections may be tested for it)");
    link->add_option("file", O.file)->required();
    link->add_option("id", O.id, "population id")->required();
    link->add_option("--control", O.control, "the other control")->required();
    link->add_option("--reason", O.reason, "why (required after the file is locked)");
    link->add_option("--user", O.user);
    link->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            linkPopulation(e, signIn(e, o->user), o->id, o->control, o->reason);
            std::printf("Population %lld serves %s\n", static_cast<long long>(o->id), joined(controlsServed(e, o->id), ", ").c_str());
        };
    });

    // tickmark population reconcile ENG ID --expected N --source TEXT | --explanation TEXT
    auto* rec = pop->add_subcommand("reconcile", "Reconcile to the client's stated total for the period, or explain a difference");
    rec->add_option("file", O.file)->required();
    rec->add_option("id", O.id, "population id")->required();
    rec->add_option("--expected", O.expected, "the client's stated total of items in the period");
    rec->add_option("--source", O.text, "where the client states it");
    rec->add_option("--explanation", O.explanation, "a reviewer's explanation of the difference");
    rec->add_option("--reason", O.reason, "why (required after the file is locked)");
    rec->add_option("--user", O.user);
    rec->add_flag("--json", asJson);
    rec->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            const bool stating = o->expected != -1 || !o->text.empty();
            if (stating == !o->explanation.empty())
                throw InputError("give either --expected N --source TEXT (the client's total) or --explanation TEXT (a reviewer)");
            if (stating && o->expected == -1) throw InputError("--expected: give the client's stated total");
            auto e = Engagement::open(o->file);
            const Actor a = signIn(e, o->user);
            if (stating) reconcilePopulation(e, a, o->id, o->expected, o->text, o->reason);
            else explainReconciliation(e, a, o->id, o->explanation);
            auto r = *populationReconciliation(e, o->id);
            if (asJson) return emit(reconciliationJson(r));
            std::printf("Population %lld: %lld counted in the period, %lld per %s: %s\n", static_cast<long long>(o->id),
                        static_cast<long long>(r.counted), static_cast<long long>(r.expected), terminalText(r.source).c_str(),
                        r.agrees() ? "agrees"
                                   : ("difference " + std::to_string(r.difference()) +
                                      (r.explanation ? ", explained: " + terminalText(*r.explanation) : std::string(", open until a reviewer explains it")))
                                         .c_str());
        };
    });

    auto* sample = app.get_subcommand("sample");
    // tickmark sample add-item ENG --sample ID --key K --reason TEXT
    auto* add = sample->add_subcommand("add-item", "Add a judgmental item to a selection (non-statistical: tested, not evaluated)");
    add->add_option("file", O.file)->required();
    add->add_option("--sample", O.sampleId, "the selection")->required();
    add->add_option("--key", O.key, "the item's key as delivered (a date YYYY-MM-DD for a selection of days)")->required();
    add->add_option("--reason", O.reason, "why the auditor chose it")->required();
    add->add_option("--user", O.user);
    add->add_flag("--json", asJson);
    add->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            auto it = addJudgmentalItem(e, signIn(e, o->user), o->sampleId, o->key, o->reason);
            if (asJson)
                return emit(json{{"sample_id", o->sampleId}, {"seq", it.seq}, {"key", it.key}, {"row", it.row ? json(*it.row) : json(nullptr)},
                                 {"date", it.date ? json(*it.date) : json(nullptr)}, {"statistical", false}});
            std::printf("Selection %lld: judgmental item J%lld %s%s added (non-statistical)\n", static_cast<long long>(o->sampleId),
                        static_cast<long long>(it.seq), terminalText(it.key).c_str(),
                        it.row ? (" (row " + std::to_string(*it.row) + ")").c_str() : "");
        };
    });
    // tickmark sample accept-population ENG --sample ID --reason TEXT
    auto* accept = sample->add_subcommand("accept-population",
                                          "Accept a selection drawn from a population since superseded (reviewer or partner)");
    accept->add_option("file", O.file)->required();
    accept->add_option("--sample", O.sampleId, "the selection")->required();
    accept->add_option("--reason", O.reason, "why the selection stands")->required();
    accept->add_option("--user", O.user);
    accept->add_flag("--json", asJson);
    accept->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            auto f = acceptSupersededSelection(e, signIn(e, o->user), o->sampleId, o->reason);
            if (asJson) return emit(supersededJson(f));
            std::printf("Accepted: %s\n", terminalText(f.text()).c_str());
        };
    });
    return o;
}

}  // namespace tickmark::cli

// The internal workpapers workbook: what the engagement file holds, for the team and its reviewers:
// the control matrix, tests, selections (seeds as text, the plan) and their items, results,
// exceptions, review notes, sign-offs, populations with their completeness profiles, and the
// evidence index with each file's SHA-256. Never handed to the client: its properties, its first
// sheet and every printed page say so. Read through the workpapers API only.
#include <algorithm>
#include <map>

#include "workpapers/db.h"
#include "report/report.h"
#include "report/xlsx_sheet.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/population_analytics.h"
#include "workpapers/population_life.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/gates.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/samples.h"

namespace tickmark::report {

namespace {

constexpr const char* kInternal = "Internal workpapers: not for distribution";

std::string joined(const std::vector<std::string>& v, const char* sep = ", ") {
    std::string out;
    for (auto& s : v) out += (out.empty() ? "" : sep) + s;
    return out;
}

std::string optText(const std::optional<std::string>& s) { return s.value_or(""); }

}  // namespace

void writeWorkpapersXlsx(Engagement& e, const std::filesystem::path& out, Progress* progress) {
    using xlsx::Kind;
    db::ReadSnapshot snapshot(e.db());  // every sheet from one state of the file
    const auto setup = e.setup();
    const bool type2 = setup.reportType == ReportType::TypeII;
    const std::string period = type2 ? isoString(*setup.periodStart) + " to " + isoString(*setup.periodEnd)
                                     : "as of " + isoString(*setup.asOf);
    auto settings = reportSettings(e);
    const std::string firm = settings.count("firm_name") ? settings["firm_name"] : "";
    const auto gates = issuanceGates(e, proposeOpinion(e));
    const bool draft = !allMet(gates);

    xlsx::Properties props;
    props.title = "Internal workpapers: " + setup.client + ", " + setup.systemName;
    props.subject = std::string("SOC 2 Type ") + (type2 ? "II" : "I") + " examination, " + period;
    props.author = firm;
    props.company = firm;
    props.category = "Internal workpapers";
    props.keywords = "SOC 2, workpapers, internal";
    props.status = draft ? "Draft" : "Fieldwork complete";
    props.comments = std::string(kInternal) + (draft ? ". DRAFT: issuance gates open" : "");
    props.headerLeft = setup.client;
    props.headerCenter = kInternal;
    props.headerRight = draft ? "DRAFT" : "";
    xlsx::Book book(out, props);
    const std::uint64_t steps = 11;
    std::uint64_t step = 0;
    auto tick = [&] {  // a cancelled export leaves nothing: the Book removes its partial file
        if (!progress) return;
        if (progress->cancelled()) throw Cancelled();
        progress->update(++step, steps);
    };

    {
        auto s = book.summary("About", 30, 90);
        s.pair("Workbook", kInternal, true);
        s.pair("Service organization", setup.client);
        s.pair("System", setup.systemName);
        s.pair("Report type", std::string("SOC 2 Type ") + (type2 ? "II" : "I"));
        s.pair(type2 ? "Period" : "As of", period);
        s.pair("Categories", joined(e.categoriesInScope()));
        s.pair("Service auditor", firm);
        s.pair("Engagement file", e.file().filename().string());
        s.pair("Exported at (UTC)", utcNow());
        std::size_t met = std::count_if(gates.begin(), gates.end(), [](auto& g) { return g.met; });
        s.pair("Status", draft ? "DRAFT: " + std::to_string(met) + " of " + std::to_string(gates.size()) + " issuance gates met"
                               : "Every issuance gate met", draft);
        for (auto& g : gates)
            if (!g.met) s.pair("Open gate", g.name + ": " + g.detail);
    }
    tick();

    const auto criteria = e.criteriaInScope();
    {
        std::vector<xlsx::Column> cols = {{"Control", 10}, {"Control activity", 50, Kind::LongText}, {"Frequency", 13},
                                          {"Nature", 14}, {"Owner", 16, Kind::LongText}};
        for (auto& c : criteria) cols.push_back({c.id, 4, Kind::Mark});
        auto s = book.table("Control matrix", cols);
        for (auto& c : listControls(e)) {
            s.text(0, c.ref);
            s.text(1, c.description);
            s.text(2, c.frequency);
            s.text(3, c.nature);
            s.text(4, c.owner);
            for (std::size_t k = 0; k < criteria.size(); ++k)
                if (std::find(c.criteria.begin(), c.criteria.end(), criteria[k].id) != c.criteria.end()) s.text(5 + k, "X");
            s.next();
        }
        s.finish();
    }
    tick();

    const auto tests = listTests(e);
    {
        auto s = book.table("Tests", {{"Control", 10}, {"Test types", 14, Kind::LongText}, {"Procedure", 48, Kind::LongText},
                                      {"Selection", 9, Kind::Number}, {"Design only", 8}, {"Attributes", 40, Kind::LongText},
                                      {"Items", 7, Kind::Number}, {"Results expected", 9, Kind::Number},
                                      {"Results recorded", 9, Kind::Number}, {"Deviations", 9, Kind::Number},
                                      {"Items done", 7, Kind::Number}, {"Conclusion", 18, Kind::LongText},
                                      {"Basis", 36, Kind::LongText}, {"Overridden because", 30, Kind::LongText}});
        for (auto& t : tests) {
            s.text(0, t.control);
            s.text(1, joined(t.types));
            s.text(2, t.procedure);
            if (t.sampleId) s.integer(3, *t.sampleId);
            s.text(4, t.designOnly ? "yes" : "no");
            std::vector<std::string> attrs;
            for (auto& [l, q] : t.attributes) attrs.push_back(l + ": " + q);
            s.text(5, joined(attrs, "\n"));
            s.integer(6, static_cast<std::int64_t>(t.items.size()));
            s.integer(7, t.expected);
            s.integer(8, t.recorded);
            s.integer(9, t.deviations);
            s.integer(10, t.itemsDone);
            auto c = controlConclusion(e, t.control);
            s.text(11, c.effective());
            s.text(12, c.basis);
            s.text(13, c.overridden ? c.overrideReason : "");
            s.next();
        }
        s.finish();
    }
    tick();

    const auto samples = listSamples(e);
    {
        auto s = book.table("Samples", {{"Selection", 9, Kind::Number}, {"Control", 10}, {"Population", 10, Kind::Number},
                                        {"Extends", 8, Kind::Number}, {"Method", 11}, {"Algorithm", 16, Kind::LongText},
                                        {"Generator", 14, Kind::LongText}, {"Seed", 22}, {"Seed source", 12},
                                        {"Frame size", 9, Kind::Number}, {"Size", 7, Kind::Number},
                                        {"Population rows", 10, Kind::Number}, {"Population SHA-256", 30, Kind::LongText},
                                        {"Plan", 50, Kind::LongText}, {"Frame", 30, Kind::LongText},
                                        {"Tool version", 10}, {"Drawn by", 16}, {"Drawn at", 17, Kind::DateTime}});
        for (auto& rec : samples) {
            s.integer(0, rec.id);
            s.text(1, rec.control);
            if (rec.populationId) s.integer(2, *rec.populationId);
            if (rec.extendsSampleId) s.integer(3, *rec.extendsSampleId);
            s.text(4, rec.method);
            s.text(5, rec.algorithm);
            s.text(6, rec.generator);
            s.text(7, std::to_string(rec.seed));  // text: a 64-bit seed does not fit a double
            s.text(8, rec.seedSource);
            s.integer(9, rec.frameSize);
            s.integer(10, rec.size);
            if (rec.populationRows) s.integer(11, *rec.populationRows);
            s.text(12, optText(rec.populationSha256));
            s.text(13, rec.planJson);
            s.text(14, rec.frameJson);
            s.text(15, rec.toolVersion);
            s.text(16, rec.createdBy);
            s.timestamp(17, rec.createdAt);
            s.next();
        }
        s.finish();
    }
    {
        auto s = book.table("Sample items", {{"Selection", 9, Kind::Number}, {"Control", 10}, {"Position", 8, Kind::Number},
                                             {"Population row", 10, Kind::Number}, {"Key", 22}, {"Date", 12, Kind::DateTime},
                                             {"Stratum", 12}});
        for (auto& sum : samples) {
            auto rec = loadSample(e, sum.id);
            for (auto& it : rec.items) {
                s.integer(0, rec.id);
                s.text(1, rec.control);
                s.integer(2, it.position);
                if (it.row) s.integer(3, *it.row);
                s.text(4, it.key);
                if (it.date) s.timestamp(5, *it.date);
                s.text(6, optText(it.stratum));
                s.next();
            }
        }
        s.finish();
    }
    tick();

    {
        auto s = book.table("Results", {{"Control", 10}, {"Item", 6, Kind::Number}, {"Key", 20}, {"Attribute", 9},
                                        {"Question", 36, Kind::LongText}, {"Outcome", 10}, {"Not applicable because", 24, Kind::LongText},
                                        {"Comment", 36, Kind::LongText}, {"Tick", 6}, {"Recorded by", 16},
                                        {"Recorded at", 17, Kind::DateTime}});
        for (auto& t : tests) {
            std::map<std::string, std::string> q(t.attributes.begin(), t.attributes.end());
            for (auto& res : loadResults(e, t.control)) {
                s.text(0, t.control);
                s.integer(1, res.position);
                s.text(2, res.itemKey);
                s.text(3, res.letter);
                s.text(4, q[res.letter]);
                s.text(5, res.outcome);
                s.text(6, res.naReason);
                s.text(7, res.comment);
                s.text(8, res.tickMark);
                s.text(9, res.recordedBy);
                s.timestamp(10, res.recordedAt);
                s.next();
            }
        }
        s.finish();
    }
    tick();

    {
        auto s = book.table("Exceptions", {{"Id", 6, Kind::Number}, {"Control", 10}, {"Attribute", 9}, {"Question", 30, Kind::LongText},
                                           {"Deviations", 9, Kind::Number}, {"Tested", 8, Kind::Number},
                                           {"Description", 40, Kind::LongText}, {"Cause", 30, Kind::LongText},
                                           {"Nature", 12}, {"Management's response", 40, Kind::LongText},
                                           {"Auditor's conclusion", 40, Kind::LongText}, {"Criteria met", 9},
                                           {"Criteria", 14, Kind::LongText}, {"Opened by", 16}, {"Opened at", 17, Kind::DateTime}});
        for (auto& x : listExceptions(e)) {
            s.integer(0, x.id);
            s.text(1, x.control);
            s.text(2, x.letter);
            s.text(3, x.question);
            s.integer(4, x.deviations);
            s.integer(5, x.tested);
            s.text(6, x.description);
            s.text(7, x.cause);
            s.text(8, x.nature);
            s.text(9, x.managementResponse);
            s.text(10, x.auditorConclusion);
            s.text(11, x.criteriaMet ? (*x.criteriaMet ? "yes" : "no") : "");
            s.text(12, joined(x.criteria));
            s.text(13, x.openedBy);
            s.timestamp(14, x.openedAt);
            s.next();
        }
        s.finish();
    }
    tick();

    {
        auto s = book.table("Review notes", {{"Id", 6, Kind::Number}, {"Workpaper", 14}, {"Subject", 14, Kind::LongText},
                                             {"Note", 44, Kind::LongText}, {"Raised by", 16}, {"Raised at", 17, Kind::DateTime},
                                             {"Response", 40, Kind::LongText}, {"Responded by", 16},
                                             {"Responded at", 17, Kind::DateTime}, {"Cleared by", 16},
                                             {"Cleared at", 17, Kind::DateTime}, {"Status", 8}});
        for (auto& n : listNotes(e)) {
            s.integer(0, n.id);
            s.text(1, n.workpaper);
            s.text(2, n.subject);
            s.text(3, n.text);
            s.text(4, n.raisedBy);
            s.timestamp(5, n.raisedAt);
            s.text(6, optText(n.response));
            s.text(7, optText(n.respondedBy));
            if (n.respondedAt) s.timestamp(8, *n.respondedAt);
            s.text(9, optText(n.clearedBy));
            if (n.clearedAt) s.timestamp(10, *n.clearedAt);
            s.text(11, n.open() ? "open" : "cleared");
            s.next();
        }
        s.finish();
    }
    tick();

    {
        auto s = book.table("Sign-offs", {{"Workpaper", 14}, {"Role", 10}, {"Person", 18}, {"Initials", 8},
                                          {"Signed at", 17, Kind::DateTime}, {"Stale", 7}, {"Changes since", 70, Kind::LongText}});
        for (auto& so : listSignOffs(e)) {
            s.text(0, so.workpaper);
            s.text(1, so.role);
            s.text(2, so.person);
            s.text(3, so.initials);
            s.timestamp(4, so.signedAt);
            s.text(5, so.stale ? "yes" : "no");
            std::string changes;
            for (auto& t : so.changesSince)
                changes += (changes.empty() ? "" : "\n") + t.at + " " + t.actor + ": " + t.entity + " " + t.field + " " +
                           t.oldValue.value_or("(none)") + " -> " + t.newValue.value_or("(none)");
            s.text(6, changes);
            s.next();
        }
        s.finish();
    }
    tick();

    std::vector<CompletenessProfile> profiles;
    for (auto& p : listPopulations(e)) profiles.push_back(loadProfile(e, p.id));
    {
        auto s = book.table("Populations", {{"Id", 5, Kind::Number}, {"Control", 10}, {"Name", 22, Kind::LongText},
                                            {"File", 22, Kind::LongText}, {"Format", 7}, {"Size (bytes)", 10, Kind::Number},
                                            {"SHA-256", 30, Kind::LongText}, {"Encoding", 12}, {"Sheet", 10}, {"Key column", 14},
                                            {"Date column", 14}, {"Amount column", 12}, {"Date format", 12}, {"Date format basis", 9},
                                            {"Rows", 8, Kind::Number}, {"In period", 8, Kind::Number},
                                            {"Before period", 8, Kind::Number}, {"After period", 8, Kind::Number},
                                            {"Blank keys", 8, Kind::Number}, {"Duplicate keys", 9, Kind::Number},
                                            {"Rows with a duplicate key", 10, Kind::Number}, {"Dates not read", 8, Kind::Number},
                                            {"Amounts not read", 8, Kind::Number}, {"Earliest date", 12, Kind::Date},
                                            {"Latest date", 12, Kind::Date}, {"Imported at", 17, Kind::DateTime},
                                            {"Superseded by", 8, Kind::Number}, {"Controls served", 14, Kind::LongText},
                                            {"Period gap unit", 10}, {"Period gaps", 8, Kind::Number},
                                            {"Period gaps listed", 40, Kind::LongText}, {"Key numbers missing", 9, Kind::Number},
                                            {"Key gaps listed", 40, Kind::LongText}, {"Client's stated total", 9, Kind::Number},
                                            {"Reconciling difference", 9, Kind::Number}, {"Reconciliation", 30, Kind::LongText}});
        for (auto& p : profiles) {
            s.integer(0, p.populationId);
            s.text(1, p.control);
            s.text(2, p.name);
            s.text(3, p.source.fileName);
            s.text(4, p.source.format);
            s.integer(5, static_cast<std::int64_t>(p.source.size));
            s.text(6, p.source.sha256);
            s.text(7, p.source.encoding);
            s.text(8, p.source.sheet);
            s.text(9, p.keyColumn);
            s.text(10, p.dateColumn);
            s.text(11, optText(p.amountColumn));
            s.text(12, optText(p.dateFormat));
            s.text(13, p.dateFormatBasis);
            s.integer(14, p.rows);
            s.integer(15, p.inPeriod);
            s.integer(16, p.beforePeriod);
            s.integer(17, p.afterPeriod);
            s.integer(18, p.blankKeys);
            s.integer(19, p.duplicateKeys);
            s.integer(20, p.duplicateRows);
            s.integer(21, p.badDates);
            s.integer(22, p.badAmounts);
            if (p.minDate) s.timestamp(23, isoString(*p.minDate));
            if (p.maxDate) s.timestamp(24, isoString(*p.maxDate));
            s.timestamp(25, p.importedAt);
            // Its life and the analytics (workpapers/population_analytics.h), computed as the workbook is written.
            const auto life = populationLife(e, p.populationId);
            const auto an = analysePopulation(e, p.populationId);
            if (life.supersededBy) s.integer(26, *life.supersededBy);
            std::string served;
            for (auto& c : controlsServed(e, p.populationId)) served += (served.empty() ? "" : ", ") + c;
            s.text(27, served);
            s.text(28, an.periodGaps.applicable() ? an.periodGaps.unit : "none (" + an.periodGaps.note + ")");
            if (an.periodGaps.applicable()) s.integer(29, static_cast<std::int64_t>(an.periodGaps.missing.size()));
            std::string gaps;
            for (auto& m : an.periodGaps.missing) gaps += (gaps.empty() ? "" : ", ") + m;
            s.text(30, gaps);
            if (an.keyGaps.numbered) {
                s.integer(31, an.keyGaps.missing);
                std::string ranges;
                for (auto& r : an.keyGaps.ranges) ranges += (ranges.empty() ? "" : ", ") + r;
                if (an.keyGaps.rangeCount > static_cast<std::int64_t>(an.keyGaps.ranges.size()))
                    ranges += ", and " + std::to_string(an.keyGaps.rangeCount - static_cast<std::int64_t>(an.keyGaps.ranges.size())) +
                              " more ranges";
                s.text(32, ranges);
            } else {
                s.text(32, "not numbered: " + an.keyGaps.why);
            }
            if (auto r = an.reconciliation) {
                s.integer(33, r->expected);
                s.integer(34, r->difference());
                s.text(35, r->source + (r->agrees() ? ": agrees"
                                                    : r->explanation ? ": explained by " + *r->explainedBy + ": " + *r->explanation
                                                                     : ": difference not explained"));
            }
            s.next();
        }
        s.finish();
    }
    {
        auto s = book.table("Population findings", {{"Population", 10, Kind::Number}, {"Control", 10}, {"Finding", 18},
                                                    {"Row", 8, Kind::Number}, {"Line", 8, Kind::Number}, {"Key", 22},
                                                    {"Value", 30, Kind::LongText}});
        for (auto& p : profiles) {
            auto put = [&](const char* what, std::int64_t row, std::int64_t line, const std::string& key, const std::string& value) {
                s.integer(0, p.populationId);
                s.text(1, p.control);
                s.text(2, what);
                s.integer(3, row);
                if (line) s.integer(4, line);
                s.text(5, key);
                s.text(6, value);
                s.next();
            };
            for (auto& d : p.duplicates)
                for (auto row : d.rows) put("duplicate key", row, 0, d.key, "");
            for (auto& f : p.blankKeyRows) put("blank key", f.row, f.line, f.key, f.value);
            for (auto& f : p.badDateRows) put("date not read", f.row, f.line, f.key, f.value);
            for (auto& f : p.badAmountRows) put("amount not read", f.row, f.line, f.key, f.value);
        }
        s.finish();
    }
    tick();

    {
        auto s = book.table("Evidence", {{"Id", 6, Kind::Number}, {"Workpaper", 14}, {"Item", 6, Kind::Number}, {"Attribute", 9},
                                         {"File", 30, Kind::LongText}, {"Size (bytes)", 11, Kind::Number},
                                         {"SHA-256", 66}, {"Added by", 16}, {"Added at", 17, Kind::DateTime}});
        for (auto& v : listEvidence(e)) {
            s.integer(0, v.id);
            s.text(1, v.workpaper);
            if (v.position) s.integer(2, *v.position);
            s.text(3, optText(v.letter));
            s.text(4, v.originalName);
            s.integer(5, v.size);
            s.text(6, v.sha256);
            s.text(7, v.addedBy);
            s.timestamp(8, v.addedAt);
            s.next();
        }
        s.finish();
    }
    tick();
    book.close();
    tick();
}

}  // namespace tickmark::report

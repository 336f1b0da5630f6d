#include "app/cli/output.h"

#include "app/presenters/completeness_profile.h"

#include <unistd.h>

#include <boost/algorithm/string/join.hpp>

#include "workpapers/fieldwork.h"
#include "workpapers/samples.h"

namespace tickmark::cli {

using nlohmann::json;

namespace {
json optDate(const std::optional<Date>& d) { return d ? json(isoString(*d)) : json(nullptr); }
json findingsJson(const std::vector<Finding>& fs, bool withValue) {
    json a = json::array();
    for (auto& f : fs) {
        json j{{"row", f.row}, {"line", f.line}, {"key", f.key}};
        if (withValue) j["value"] = f.value;
        a.push_back(j);
    }
    return a;
}
json layoutRowsJson(const std::vector<LayoutRow>& rows) {
    json a = json::array();
    for (auto& r : rows) {
        json o{{"row", r.row}, {"kind", r.kind}, {"text", r.text}};
        if (r.count != 1) o["count"] = r.count;
        a.push_back(std::move(o));
    }
    return a;
}
}  // namespace

json layoutJson(const SourceInfo& s) {
    const auto& l = s.layout;
    return json{{"header_row", l.headerRow},
                {"header_basis", l.headerBasis},
                {"above_header", layoutRowsJson(l.aboveHeader)},
                {"skipped_rows", layoutRowsJson(l.skipped)},
                {"skipped", {{"blank", l.blankRows}, {"banner", l.banners}, {"footnote", l.footnotes},
                             {"total", l.totals}, {"not_listed", l.notListed}}},
                {"sheets_passed_over", l.sheetsPassedOver}};
}

std::string terminalText(std::string_view s, bool keepLineBreaks) {
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size(); ++i) {
        const unsigned char c = static_cast<unsigned char>(s[i]);
        char buf[8];
        if (c == '\n' && keepLineBreaks) out += '\n';
        else if (c == '\n') out += "\\n";
        else if (c == '\r') out += "\\r";
        else if (c == '\t') out += "\\t";
        else if (c < 0x20 || c == 0x7F) {
            std::snprintf(buf, sizeof buf, "\\x%02x", c);
            out += buf;
        } else if (c == 0xC2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) >= 0x80 &&
                   static_cast<unsigned char>(s[i + 1]) <= 0x9F) {
            std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned char>(s[++i]));
            out += buf;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out;
}

void printLayout(const SourceInfo& s, std::FILE* out) {
    for (auto& line : desk::layoutLines(s)) std::fprintf(out, "%s\n", terminalText(line).c_str());
}

std::vector<std::string> splitList(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == ',') {
            if (!cur.empty()) out.push_back(cur);
            cur.clear();
        } else if (c != ' ') {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

json toJson(const CompletenessProfile& p) {
    json dups = json::array();
    for (auto& d : p.duplicates) dups.push_back({{"key", d.key}, {"rows", d.rows}});
    return json{
        {"population_id", p.populationId},
        {"name", p.name},
        {"control", p.control},
        {"source", {{"file", p.source.fileName}, {"size", p.source.size}, {"sha256", p.source.sha256},
                    {"format", p.source.format}, {"encoding", p.source.encoding},
                    {"delimiter", p.source.delimiter.empty() ? json(nullptr) : json(p.source.delimiter)},
                    {"sheet", p.source.sheet.empty() ? json(nullptr) : json(p.source.sheet)}}},
        {"sha256", p.source.sha256},
        {"columns", p.columns},
        {"key_column", p.keyColumn},
        {"date_column", p.dateColumn},
        {"amount_column", p.amountColumn ? json(*p.amountColumn) : json(nullptr)},
        {"date_format", p.dateFormat ? json(*p.dateFormat) : json(nullptr)},
        {"date_format_basis", p.dateFormatBasis},
        {"period", {{"start", isoString(p.period.start)}, {"end", isoString(p.period.end)}}},
        {"rows", p.rows},
        {"in_period", p.inPeriod},
        {"before_period", p.beforePeriod},
        {"after_period", p.afterPeriod},
        {"blank_keys", p.blankKeys},
        {"duplicate_keys", p.duplicateKeys},
        {"duplicate_rows", p.duplicateRows},
        {"bad_dates", p.badDates},
        {"bad_amounts", p.badAmounts},
        {"blank_lines", p.source.blankLines},
        {"blank_dates", p.blankDates},
        {"time_zone", p.timeZone ? json(*p.timeZone) : json(nullptr)},
        {"converted_times", p.convertedTimes},
        {"local_times", p.localTimes},
        {"offsets", [&] {
             json o = json::object();
             for (auto& [name, n] : p.offsets) o[name] = n;
             return o;
         }()},
        {"mixed_offsets", p.mixedOffsets()},
        {"layout", layoutJson(p.source)},
        {"min_date", optDate(p.minDate)},
        {"max_date", optDate(p.maxDate)},
        {"imported_at", p.importedAt},
        {"duplicates", dups},
        {"blank_key_rows", findingsJson(p.blankKeyRows, false)},
        {"bad_date_rows", findingsJson(p.badDateRows, true)},
        {"bad_amount_rows", findingsJson(p.badAmountRows, true)},
        {"empty", p.rows == 0},
    };
}

json toJson(const ControlImportResult& r) {
    json changes = json::array();
    for (auto& c : r.changes) changes.push_back({{"control", c.control}, {"field", c.field}, {"old", c.oldValue}, {"new", c.newValue}});
    return json{{"file", r.source.fileName}, {"sha256", r.source.sha256}, {"format", r.source.format},
                {"sheet", r.source.sheet.empty() ? json(nullptr) : json(r.source.sheet)},
                {"encoding", r.source.encoding}, {"layout", layoutJson(r.source)},
                {"added", r.added}, {"updated", r.updated}, {"warnings", r.warnings}, {"changes", changes}};
}

json engagementJson(Engagement& e) {
    auto s = e.setup();
    json j{{"file", e.file().string()},
           {"client", s.client},
           {"system", s.systemName},
           {"report_type", static_cast<int>(s.reportType)},
           {"period_start", optDate(s.periodStart)},
           {"period_end", optDate(s.periodEnd)},
           {"as_of", optDate(s.asOf)},
           {"time_zone", s.timeZone ? json(*s.timeZone) : json(nullptr)},
           {"categories", s.categories}};
    json orgs = json::array();
    for (auto& o : e.subserviceOrgs()) orgs.push_back({{"name", o.name}, {"services", o.services}, {"method", o.method}});
    j["subservice_organizations"] = orgs;
    json cuecs = json::array(), csocs = json::array();
    for (auto& c : e.cuecs()) cuecs.push_back({{"description", c.description}, {"criteria", c.criteria}});
    for (auto& c : e.csocs())
        csocs.push_back({{"subservice_organization", c.subserviceOrg}, {"description", c.description}, {"criteria", c.criteria}});
    j["cuecs"] = cuecs;
    j["csocs"] = csocs;
    auto controls = listControls(e);
    j["controls"] = controls.size();
    json pops = json::array();
    for (auto& p : listPopulations(e))
        pops.push_back({{"population_id", p.id}, {"control", p.control}, {"name", p.name}, {"file", p.fileName},
                        {"rows", p.rows}, {"in_period", p.inPeriod}});
    j["populations"] = pops;
    json samples = json::array();
    for (auto& r : listSamples(e))
        samples.push_back({{"sample_id", r.id}, {"control", r.control},
                           {"population_id", r.populationId ? json(*r.populationId) : json(nullptr)},
                           {"method", r.method}, {"size", r.size}, {"frame_size", r.frameSize}, {"seed", r.seed}});
    j["samples"] = samples;
    json people = json::array();
    for (auto& p : team(e)) people.push_back({{"name", p.name}, {"initials", p.initials}, {"roles", p.roles}});
    j["team"] = people;
    std::int64_t tests = 0, done = 0, staleCount = 0, openNotes = 0, exceptionsOpen = 0;
    for (auto& t : listTests(e)) {
        ++tests;
        done += t.recorded == t.expected;
    }
    for (auto& s : listSignOffs(e)) staleCount += s.stale;
    for (auto& n : listNotes(e)) openNotes += n.open();
    auto exceptions = listExceptions(e);
    for (auto& x : exceptions) exceptionsOpen += !x.concluded();
    j["fieldwork"] = {{"tests", tests}, {"tests_complete", done}, {"exceptions", exceptions.size()},
                      {"exceptions_awaiting_conclusion", exceptionsOpen}, {"open_review_notes", openNotes},
                      {"stale_signoffs", staleCount}};
    auto a = assemblyStatus(e, today());
    j["assembly"] = {{"release_date", a.releaseDate ? json(isoString(*a.releaseDate)) : json(nullptr)},
                     {"deadline", a.assemblyDeadline ? json(isoString(*a.assemblyDeadline)) : json(nullptr)},
                     {"days_left", a.daysLeft ? json(*a.daysLeft) : json(nullptr)},
                     {"locked_at", a.lockedAt ? json(*a.lockedAt) : json(nullptr)},
                     {"locked_by", a.lockedBy ? json(*a.lockedBy) : json(nullptr)}};
    auto v = verifyTrail(e);
    j["audit_trail"] = {{"entries", v.entries}, {"intact", v.intact}};
    j["criteria_in_scope"] = e.criteriaInScope().size();
    return j;
}

void printProfile(const CompletenessProfile& p, std::FILE* out) {
    for (auto& line : desk::profileLines(p)) std::fprintf(out, "%s\n", terminalText(line).c_str());
}

void printEngagement(Engagement& e, std::FILE* out) {
    auto j = engagementJson(e);
    auto s = e.setup();
    std::fprintf(out, "%s\n  Client      %s\n  System      %s\n", e.file().string().c_str(), s.client.c_str(),
                 s.systemName.c_str());
    if (s.reportType == ReportType::TypeII)
        std::fprintf(out, "  Report      SOC 2 Type II, %s .. %s\n", isoString(*s.periodStart).c_str(),
                     isoString(*s.periodEnd).c_str());
    else
        std::fprintf(out, "  Report      SOC 2 Type I, as of %s\n", isoString(*s.asOf).c_str());
    std::fprintf(out, "  Time zone   %s\n", s.timeZone ? s.timeZone->c_str() : "not set (timestamps with an offset are read in UTC)");
    const std::string cats = boost::algorithm::join(s.categories, ", ");
    std::fprintf(out, "  Categories  %s (%d criteria)\n", cats.c_str(), j["criteria_in_scope"].get<int>());
    for (auto& o : e.subserviceOrgs())
        std::fprintf(out, "  Subservice  %s (%s): %s\n", o.name.c_str(), o.method.c_str(), o.services.c_str());
    std::fprintf(out, "  CUECs       %zu\n  CSOCs       %zu\n  Controls    %d\n", e.cuecs().size(), e.csocs().size(),
                 j["controls"].get<int>());
    for (auto& p : j["populations"])
        std::fprintf(out, "  Population  %-3lld %-8s %-28s %7lld rows, %7lld in period\n",
                     p["population_id"].get<long long>(), p["control"].get<std::string>().c_str(),
                     p["name"].get<std::string>().c_str(), p["rows"].get<long long>(), p["in_period"].get<long long>());
    for (auto& p : j["team"])
        std::fprintf(out, "  Team        %-4s %-22s %s\n", p["initials"].get<std::string>().c_str(),
                     p["name"].get<std::string>().c_str(), p["roles"].dump().c_str());
    auto& fw = j["fieldwork"];
    if (fw["tests"].get<int>() > 0)
        std::fprintf(out, "  Fieldwork   %d of %d tests complete, %d exceptions (%d awaiting conclusion), %d open review notes, %d stale sign-offs\n",
                     fw["tests_complete"].get<int>(), fw["tests"].get<int>(), fw["exceptions"].get<int>(),
                     fw["exceptions_awaiting_conclusion"].get<int>(), fw["open_review_notes"].get<int>(),
                     fw["stale_signoffs"].get<int>());
    auto& as = j["assembly"];
    if (!as["locked_at"].is_null())
        std::fprintf(out, "  Assembly    locked on %s by %s\n", as["locked_at"].get<std::string>().c_str(), as["locked_by"].get<std::string>().c_str());
    else if (!as["release_date"].is_null())
        std::fprintf(out, "  Assembly    report released %s; assemble by %s (%lld days left)\n", as["release_date"].get<std::string>().c_str(),
                     as["deadline"].get<std::string>().c_str(), as["days_left"].get<long long>());
    std::fprintf(out, "  Audit trail %lld entries, %s\n", j["audit_trail"]["entries"].get<long long>(),
                 j["audit_trail"]["intact"].get<bool>() ? "intact" : "BROKEN (run `tickmark audit verify`)");
    for (auto& s : j["samples"])
        std::fprintf(out, "  Selection   %-3lld %-8s %-28s %7lld of %7lld, seed %llu\n", s["sample_id"].get<long long>(),
                     s["control"].get<std::string>().c_str(), s["method"].get<std::string>().c_str(),
                     s["size"].get<long long>(), s["frame_size"].get<long long>(), s["seed"].get<unsigned long long>());
}

TerminalProgress::TerminalProgress(std::string label, bool enabled)
    : label_(std::move(label)), enabled_(enabled && isatty(STDERR_FILENO)) {}

TerminalProgress::~TerminalProgress() {
    if (drawn_) std::fprintf(stderr, "\r\033[K");
}

void TerminalProgress::update(std::uint64_t done, std::uint64_t total) {
    if (!enabled_) return;
    auto now = std::chrono::steady_clock::now();
    if (drawn_ && now - last_ < std::chrono::milliseconds(100)) return;
    last_ = now;
    drawn_ = true;
    if (total)
        std::fprintf(stderr, "\r%s: %3d%% (%.1f of %.1f MB)\033[K", label_.c_str(), static_cast<int>(done * 100 / total),
                     static_cast<double>(done) / 1e6, static_cast<double>(total) / 1e6);
    else
        std::fprintf(stderr, "\r%s: working...\033[K", label_.c_str());
    std::fflush(stderr);
}

json adequacyJson(const AdequacyFinding& f) {
    json j{{"kind", adequacyKindName(f.kind)}, {"control", f.control}, {"sample_id", f.sampleId},
           {"required", f.required}, {"actual", f.actual}, {"unit", f.unit}, {"covered", f.covered},
           {"missing", f.missing}, {"basis", f.basis}, {"text", f.text}, {"open", f.open()},
           {"acceptance_stale", f.acceptanceStale}};
    j["accepted"] = f.accepted ? json{{"by", f.accepted->acceptedBy}, {"reason", f.accepted->reason},
                                      {"at", f.accepted->acceptedAt}}
                               : json(nullptr);
    return j;
}

nlohmann::json entryJson(const TrailEntry& t) {
    using nlohmann::json;
    return json{{"seq", t.seq}, {"at", t.at}, {"actor", t.actor}, {"action", t.action}, {"workpaper", t.workpaper},
                {"entity", t.entity}, {"field", t.field}, {"old", t.oldValue ? json(*t.oldValue) : json(nullptr)},
                {"new", t.newValue ? json(*t.newValue) : json(nullptr)}, {"reason", t.reason}, {"hash", t.hash},
                {"server_login", t.serverLogin ? json(*t.serverLogin) : json(nullptr)},
                {"server_at", t.serverAt ? json(*t.serverAt) : json(nullptr)}};
}

nlohmann::json gatesJson(const std::vector<Gate>& gates) {
    auto out = nlohmann::json::array();
    for (auto& g : gates) out.push_back({{"gate", g.name}, {"met", g.met}, {"detail", g.detail}, {"failing", g.failing}});
    return out;
}

bool refuseDraftAsFinal(const std::vector<Gate>& gates, const std::string& what, bool asJson, int& exitCode) {
    if (allMet(gates)) return false;
    std::string unmet;
    for (auto& g : gates)
        if (!g.met) unmet += "\n  - " + g.name + ": " + g.detail;
    exitCode = 2;
    std::fprintf(stderr, "tickmark: the %s cannot be issued as final; unmet gates:%s\n", what.c_str(), unmet.c_str());
    if (asJson) std::printf("%s\n", nlohmann::json{{"final", false}, {"gates", gatesJson(gates)}}.dump(2).c_str());
    return true;
}

}  // namespace tickmark::cli

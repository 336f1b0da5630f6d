#include "workpapers/samples.h"
#include "workpapers/sampling_plan.h"

#include <algorithm>
#include <cstdlib>
#include <map>
#include <mutex>

#include <nlohmann/json.hpp>

#include "sampling/selection.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/paths.h"
#include "workpapers/people.h"
#include "workpapers/trail.h"
#include "workpapers/population.h"
#include "workpapers/population_life.h"
#include "workpapers/judgmental_items.h"
#include "workpapers/rules/frequency_adequacy.h"
#include "workpapers/sha256.h"
#include "workpapers/readers/table_source.h"

#ifndef TICKMARK_VERSION
#define TICKMARK_VERSION "dev"
#endif

namespace tickmark {

using nlohmann::json;
namespace smp = tickmark::sampling;

namespace {

// What a selection is drawn from: frame positions 0..size-1, each a population row or a calendar day.
struct Frame {
    std::vector<std::int64_t> rows;   // population frames: ascending row numbers
    std::vector<std::int64_t> days;   // each item's date as days since 1970-01-01 (calendar frames: the days)
    std::vector<std::string> keys;    // calendar frames: the ISO dates
    json excluded = json::object();
    std::size_t size() const { return rows.empty() ? days.size() : rows.size(); }
};

const char* algorithmFor(const std::string& method, const json& frame = json::object()) {
    if (method == "dates" && frame.contains("distinct_units")) return smp::kDatesDistinctAlgorithm;
    if (method == "random") return smp::kRandomAlgorithm;
    if (method == "systematic") return smp::kSystematicAlgorithm;
    if (method == "stratified") return smp::kStratifiedAlgorithm;
    if (method == "dates") return smp::kDatesAlgorithm;
    if (method == "extension") return smp::kExtensionAlgorithm;
    throw InputError("method \"" + method + "\": use random, systematic, stratified or dates");
}

Period periodOf(const json& frame) {
    return Period{*parseIsoDate(frame.at("period").at("start").get<std::string>()),
                  *parseIsoDate(frame.at("period").at("end").get<std::string>())};
}

Frame buildFrame(Engagement& e, const json& def) {
    Frame f;
    const Period period = periodOf(def);
    if (def.at("kind") == "calendar") {
        bool business = def.value("business_days_only", false);
        f.days = smp::periodDays(daysSinceEpoch(period.start), daysSinceEpoch(period.end), business);
        for (auto d : f.days) f.keys.push_back(isoString(dateFromDays(d)));
        if (business)
            f.excluded["weekend_days"] = daysSinceEpoch(period.end) - daysSinceEpoch(period.start) + 1 -
                                         static_cast<std::int64_t>(f.days.size());
        return f;
    }
    const bool inPeriodOnly = def.at("include") == "in-period";
    std::int64_t before = 0, after = 0, bad = 0, blank = 0;
    PopulationItems items(e, def.at("population_id").get<std::int64_t>());
    items.forEach([&](const PopulationItem& it) {
        if (inPeriodOnly) {
            if (it.flags & kBadDate) return void(++bad);
            if (it.flags & kBlankDate) return void(++blank);
            if (*it.date < period.start) return void(++before);
            if (*it.date > period.end) return void(++after);
        }
        f.rows.push_back(it.row);
        f.days.push_back(it.date ? daysSinceEpoch(*it.date) : INT64_MIN);
    });
    if (inPeriodOnly) f.excluded = json{{"before_period", before}, {"after_period", after}, {"bad_dates", bad}};
    if (inPeriodOnly && blank) f.excluded["blank_dates"] = blank;  // only where there are: earlier records stay as they were
    return f;
}

// Stratum of a frame item: its month (or quarter) of the period, counted from the period's first month.
struct Strata {
    std::vector<std::vector<std::uint64_t>> positions;  // frame positions by stratum
    std::vector<std::string> labels;
};

Strata buildStrata(const Frame& f, const json& def) {
    const Period period = periodOf(def);
    const bool quarters = def.at("strata") == "quarters";
    auto monthIndex = [](Date d) { return static_cast<int>(d.year()) * 12 + static_cast<int>(static_cast<unsigned>(d.month())) - 1; };
    const int first = monthIndex(period.start), last = monthIndex(period.end);
    const int count = quarters ? (last - first) / 3 + 1 : last - first + 1;
    Strata s;
    s.positions.resize(static_cast<std::size_t>(count));
    for (int k = 0; k < count; ++k) {
        auto label = [&](int m) {
            char buf[16];
            std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
            return std::string(buf);
        };
        s.labels.push_back(quarters ? label(first + 3 * k) + ".." + label(std::min(last, first + 3 * k + 2)) : label(first + k));
    }
    for (std::size_t p = 0; p < f.size(); ++p) {
        if (f.days[p] == INT64_MIN) throw InputError("a stratified frame needs every item dated; use the in-period frame");
        int k = monthIndex(dateFromDays(f.days[p])) - first;
        if (quarters) k /= 3;
        if (k < 0 || k >= count) throw InputError("stratified selection covers the period only; use the in-period frame");
        s.positions[static_cast<std::size_t>(k)].push_back(p);
    }
    return s;
}

// The period units a calendar frame's days fall in (quarters, months or weeks), each with its days
// in frame order; labels as the strata's ("2025-01", "2025-01..2025-03", weeks by their Monday).
Strata buildUnits(const Frame& f, const json& def) {
    const auto unit = smp::parseSpreadUnit(def.at("distinct_units").get<std::string>());
    const std::int64_t first = daysSinceEpoch(periodOf(def).start);
    Strata s;
    for (std::size_t p = 0; p < f.size(); ++p) {
        const auto k = static_cast<std::size_t>(smp::periodUnitOf(unit, first, f.days[p]));
        while (s.positions.size() <= k) {
            s.positions.emplace_back();
            s.labels.push_back(periodUnitLabel(unit, first, static_cast<std::int64_t>(s.labels.size())));
        }
        s.positions[k].push_back(p);
    }
    return s;
}

struct Selected {
    std::uint64_t position;  // in the frame
    std::optional<std::string> stratum;
};

// Frame positions of every item already taken by the selection `rootId` and its extensions older than `before`.
std::vector<std::uint64_t> takenPositions(Engagement& e, const Frame& f, std::int64_t rootId, std::int64_t before) {
    auto st = e.db().prepare(
        "SELECT i.row_no, i.item_key FROM sample_item i JOIN sample s ON s.id = i.sample_id "
        "WHERE (s.id = ?1 OR s.extends_sample_id = ?1) AND s.id < ?2");
    st.bind(1, rootId).bind(2, before);
    std::vector<std::uint64_t> taken;
    while (st.step()) {
        if (!f.rows.empty()) {
            auto row = st.getInt(0);
            auto it = std::lower_bound(f.rows.begin(), f.rows.end(), row);
            if (it == f.rows.end() || *it != row) throw InputError("an item of the selection is no longer in its frame");
            taken.push_back(static_cast<std::uint64_t>(it - f.rows.begin()));
        } else {
            auto key = st.getText(1);
            auto it = std::find(f.keys.begin(), f.keys.end(), key);
            if (it == f.keys.end()) throw InputError("a date of the selection is no longer in its calendar");
            taken.push_back(static_cast<std::uint64_t>(it - f.keys.begin()));
        }
    }
    return taken;
}

// Each unit's days, with the units an earlier item of the selection falls in emptied: what an
// extension of a distinct-unit selection may still draw from.
std::vector<std::uint64_t> freeUnitSizes(Engagement& e, const Frame& f, const Strata& units, std::int64_t rootId,
                                         std::int64_t before) {
    std::vector<std::size_t> unitOf(f.size());
    std::vector<std::uint64_t> sizes;
    for (std::size_t k = 0; k < units.positions.size(); ++k) {
        sizes.push_back(units.positions[k].size());
        for (auto p : units.positions[k]) unitOf[p] = k;
    }
    for (auto t : takenPositions(e, f, rootId, before)) sizes[unitOf[t]] = 0;
    return sizes;
}

std::vector<Selected> perform(Engagement& e, const std::string& method, const Frame& f, const json& def,
                              std::int64_t size, std::uint64_t seed, std::int64_t rootId, std::int64_t before) {
    std::vector<Selected> out;
    const auto F = static_cast<std::uint64_t>(f.size()), n = static_cast<std::uint64_t>(size);
    if (method == "dates" && def.contains("distinct_units")) {
        auto units = buildUnits(f, def);
        std::vector<std::uint64_t> sizes;
        for (auto& u : units.positions) sizes.push_back(u.size());
        for (auto pick : smp::selectDistinctUnits(sizes, n, seed))
            out.push_back({units.positions[pick.stratum][pick.index], units.labels[pick.stratum]});
    } else if (method == "random" || method == "dates") {
        for (auto p : smp::selectRandom(F, n, seed)) out.push_back({p, std::nullopt});
    } else if (method == "systematic") {
        for (auto p : smp::selectSystematic(F, n, seed)) out.push_back({p, std::nullopt});
    } else if (method == "stratified") {
        auto strata = buildStrata(f, def);
        std::vector<std::uint64_t> sizes;
        for (auto& s : strata.positions) sizes.push_back(s.size());
        for (auto pick : smp::selectStratified(sizes, n, seed))
            out.push_back({strata.positions[pick.stratum][pick.index], strata.labels[pick.stratum]});
    } else if (method == "extension" && def.contains("distinct_units")) {
        // tickmark-extension/2: the distinct-unit draw over the units no earlier item falls in.
        auto units = buildUnits(f, def);
        for (auto pick : smp::selectDistinctUnits(freeUnitSizes(e, f, units, rootId, before), n, seed))
            out.push_back({units.positions[pick.stratum][pick.index], units.labels[pick.stratum]});
    } else if (method == "extension") {
        for (auto p : smp::selectExtension(F, takenPositions(e, f, rootId, before), n, seed)) out.push_back({p, std::nullopt});
    }
    return out;
}

std::vector<SampleItem> itemsOf(Engagement& e, const Frame& f, const json& def, const std::vector<Selected>& picks) {
    std::vector<SampleItem> items;
    std::unique_ptr<PopulationItems> pop;
    if (def.at("kind") == "population") pop = std::make_unique<PopulationItems>(e, def.at("population_id").get<std::int64_t>());
    std::int64_t position = 0;
    for (auto& p : picks) {
        SampleItem it;
        it.position = ++position;
        it.stratum = p.stratum;
        if (pop) {
            const auto& rec = pop->at(f.rows[p.position]);
            it.row = rec.row;
            it.key = std::string(rec.key);
            if (rec.date) it.date = isoString(*rec.date);
        } else {
            it.key = f.keys[p.position];
            it.date = it.key;
        }
        items.push_back(std::move(it));
    }
    return items;
}

std::int64_t insertRecord(Engagement& e, SampleRecord& r) {
    auto st = e.db().prepare(
        "INSERT INTO sample(control_id, population_id, extends_sample_id, method, algorithm, generator, tool_version, "
        "seed, seed_source, frame, frame_size, excluded, population_sha256, population_rows, population_digest, plan, "
        "size, created_by, created_at) VALUES ((SELECT id FROM control WHERE ref = ?),?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)");
    st.bind(1, r.control).bind(2, r.populationId).bind(3, r.extendsSampleId).bind(4, r.method).bind(5, r.algorithm);
    st.bind(6, r.generator).bind(7, r.toolVersion).bind(8, std::to_string(r.seed)).bind(9, r.seedSource);
    st.bind(10, r.frameJson).bind(11, r.frameSize).bind(12, r.excludedJson);
    st.bind(13, r.populationSha256);
    st.bind(14, r.populationRows);
    st.bind(15, r.populationDigest);
    st.bind(16, r.planJson).bind(17, r.size).bind(18, r.createdBy).bind(19, r.createdAt);
    st.exec();
    r.id = e.db().lastInsertRowid();
    auto ins = e.db().prepare(
        "INSERT INTO sample_item(sample_id, position, row_no, item_key, item_date, stratum) VALUES (?,?,?,?,?,?)");
    for (auto& it : r.items) {
        ins.bind(1, r.id).bind(2, it.position).bind(3, it.row).bind(4, it.key);
        ins.bind(5, it.date);
        ins.bind(6, it.stratum);
        ins.exec();
    }
    return r.id;
}

std::string describe(const SampleItem& it) {
    return (it.row ? "row " + std::to_string(*it.row) + " (" + it.key + ")" : it.key);
}

}  // namespace

std::string periodUnitLabel(sampling::SpreadUnit unit, std::int64_t firstDay, std::int64_t k) {
    char buf[40];
    const Date first = dateFromDays(firstDay);
    const int m0 = static_cast<int>(first.year()) * 12 + static_cast<int>(static_cast<unsigned>(first.month())) - 1;
    auto month = [&](int m) {
        std::snprintf(buf, sizeof buf, "%04d-%02d", m / 12, m % 12 + 1);
        return std::string(buf);
    };
    switch (unit) {
        case sampling::SpreadUnit::Month: return month(m0 + static_cast<int>(k));
        case sampling::SpreadUnit::Quarter: return month(m0 + 3 * static_cast<int>(k)) + ".." + month(m0 + 3 * static_cast<int>(k) + 2);
        case sampling::SpreadUnit::Week: {
            const std::int64_t weekday = ((firstDay % 7) + 7 + 4) % 7;  // 0 = Sunday
            return "week of " + isoString(dateFromDays(firstDay - (weekday + 6) % 7 + 7 * k));
        }
        case sampling::SpreadUnit::None: break;
    }
    return "";
}

std::uint64_t parseSeed(const std::string& text) {
    const auto bad = InputError("seed \"" + text + "\": give a whole number from 0 to 18446744073709551615");
    if (text.empty() || text.size() > 20 || text.find_first_not_of("0123456789") != std::string::npos) throw bad;
    try {
        return std::stoull(text);
    } catch (const std::exception&) {
        throw bad;
    }
}

std::string populationDigest(Engagement& e, std::int64_t populationId) {
    Sha256 h;
    auto st = e.db().prepare("SELECT data FROM population_block WHERE population_id = ? ORDER BY first_row");
    st.bind(1, populationId);
    while (st.step()) {
        auto b = st.getBlob(0);
        h.update(b.data(), b.size());
    }
    return h.hexDigest();
}

namespace {
sampling::FrequencyTable parseFrequencyTable(const std::filesystem::path& csv);
}  // namespace

// The firm's file is read again only when it changed: the gates judge every selection against it
// until the engagement has its own copy, and reading it spins up the streaming reader each time.
sampling::FrequencyTable readFrequencyTable(const std::filesystem::path& csv) {
    struct Cached {
        std::filesystem::file_time_type written;
        std::uintmax_t size = 0;
        sampling::FrequencyTable table;
    };
    static std::mutex m;
    static std::map<std::string, Cached> cache;
    std::error_code ec;
    const auto written = std::filesystem::last_write_time(csv, ec);
    const auto size = ec ? 0 : std::filesystem::file_size(csv, ec);
    if (ec) return parseFrequencyTable(csv);  // let the reader name the problem
    {
        std::lock_guard<std::mutex> lock(m);
        auto it = cache.find(csv.string());
        if (it != cache.end() && it->second.written == written && it->second.size == size) return it->second.table;
    }
    auto table = parseFrequencyTable(csv);
    std::lock_guard<std::mutex> lock(m);
    cache[csv.string()] = {written, size, table};
    return table;
}

namespace {
sampling::FrequencyTable parseFrequencyTable(const std::filesystem::path& csv) {
    struct Reader : TableHandler {
        std::string file;
        sampling::FrequencyTable table;
        std::vector<std::size_t> col;
        std::optional<std::size_t> spreadCol;  // optional: tables written before it spread quarterly and monthly
        void header(const std::vector<std::string>& names) override {
            for (const char* want : {"frequency", "per_year", "lower_risk", "higher_risk", "lower_extended", "higher_extended"})
                col.push_back(findColumn(names, want, "frequency table", file));
            for (std::size_t i = 0; i < names.size(); ++i)
                if (names[i] == "spread") spreadCol = i;
        }
        void record(const std::vector<std::string_view>& c, std::int64_t line) override {
            auto num = [&](std::size_t i, bool optional) -> std::optional<std::int64_t> {
                std::string v(c[col[i]]);
                if (v.empty() && optional) return std::nullopt;
                char* end = nullptr;
                long long n = std::strtoll(v.c_str(), &end, 10);
                if (v.empty() || *end || n < 0)
                    throw InputError(file + ": line " + std::to_string(line) + ": \"" + v + "\" is not a whole number");
                return n;
            };
            table.rows.push_back({std::string(c[col[0]]), *num(1, false), *num(2, false), *num(3, false), num(4, true), num(5, true)});
            auto& row = table.rows.back();
            try {
                row.spread = spreadCol ? sampling::parseSpreadUnit(c[*spreadCol]) : sampling::defaultSpread(row.frequency);
            } catch (const std::invalid_argument& ex) {
                throw InputError(file + ": line " + std::to_string(line) + ": " + ex.what());
            }
        }
    } reader;
    reader.file = csv.string();
    readTable(csv, ReadOptions{}, reader);
    if (reader.table.rows.empty()) throw InputError(csv.string() + ": the frequency table has no rows");
    return reader.table;
}
}  // namespace

namespace {
sampling::FrequencyTable loadEngagementTable(Engagement& e) {
    sampling::FrequencyTable t;
    auto st = e.db().prepare(
        "SELECT frequency, per_year, lower_risk, higher_risk, lower_extended, higher_extended, coalesce(spread, '') "
        "FROM frequency_table ORDER BY ordinal");
    while (st.step())
        t.rows.push_back({st.getText(0), st.getInt(1), st.getInt(2), st.getInt(3), st.getOptInt(4), st.getOptInt(5),
                          sampling::parseSpreadUnit(st.getText(6))});
    return t;
}
}  // namespace

sampling::FrequencyTable frequencyTableForReading(Engagement& e, const std::filesystem::path& firmTable) {
    auto t = loadEngagementTable(e);
    return t.rows.empty() ? readFrequencyTable(firmTable) : t;
}

sampling::FrequencyTable copyFrequencyTableIfMissing(Engagement& e, const std::string& actor, const std::filesystem::path& firmTable) {
    auto t = loadEngagementTable(e);
    if (!t.rows.empty()) return t;
    auto firm = readFrequencyTable(firmTable);
    const std::string sha = sha256File(firmTable), now = utcNow();
    auto ins = e.db().prepare(
        "INSERT INTO frequency_table(frequency, per_year, lower_risk, higher_risk, lower_extended, higher_extended, "
        "ordinal, source_sha256, copied_at, spread) VALUES (?,?,?,?,?,?,?,?,?,?)");
    int ordinal = 0;
    for (auto& r : firm.rows) {
        ins.bind(1, r.frequency).bind(2, r.perYear).bind(3, r.lower).bind(4, r.higher).bind(5, r.lowerExtended);
        ins.bind(6, r.higherExtended).bind(7, ++ordinal).bind(8, sha).bind(9, now);
        ins.bindOrNull(10, sampling::spreadUnitName(r.spread));
        ins.exec();
    }
    AuditTrail(e.db()).append({0, "", actor, "add", "engagement", "frequency table", "copied", std::nullopt,
                               std::to_string(firm.rows.size()) + " rows from " + firmTable.filename().string() + " (SHA-256 " + sha + ")",
                               "", "", ""});
    return firm;
}

namespace {
// The selection's record as drawn, in one SHA-256: the trail entry of the draw carries it, so an edit of
// the record (an item deleted and the size lowered: a prefix of the same draw) no longer matches.
std::string recordDigest(const SampleRecord& r) {
    Sha256 h;
    auto put = [&](const std::string& v) {
        const std::string head = std::to_string(v.size()) + ":";
        h.update(head.data(), head.size());
        h.update(v.data(), v.size());
    };
    for (const std::string& v : {r.method, r.algorithm, r.generator, std::to_string(r.seed), r.frameJson, std::to_string(r.frameSize),
                                 std::to_string(r.size), r.populationSha256.value_or(""), r.populationDigest.value_or(""),
                                 std::to_string(r.populationRows.value_or(-1)), r.planJson, std::to_string(r.extendsSampleId.value_or(0))})
        put(v);
    for (auto& i : r.items) {
        put(std::to_string(i.position));
        put(i.row ? std::to_string(*i.row) : "-");
        put(i.key);
        put(i.date.value_or("-"));
        put(i.stratum.value_or("-"));
    }
    return h.hexDigest();
}
}  // namespace

SampleRecord drawSample(Engagement& e, const Actor& a, const DrawRequest& req) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    // The plan is read and written only through SamplingPlan (workpapers/sampling_plan.h).
    std::optional<SamplingPlan> plan;
    if (!req.planJson.empty()) plan = SamplingPlan::fromJson(req.planJson, "--plan");
    std::int64_t size;
    if (req.size) size = *req.size;
    else if (plan && plan->sampleSize > 0) size = plan->sampleSize;
    else throw InputError("give the sample size with --size, or a --plan that has a sample_size");
    if (size < 1) throw InputError("give a sample size of at least 1 (--size)");
    if (!plan) {
        plan = SamplingPlan{};
        plan->sampleSize = size;
        plan->basis = "sample size given by the user";
    }
    const char* algorithm = algorithmFor(req.method);
    if (req.method == "extension") throw InputError("extend a selection with `tickmark sample extend`");
    if (req.frame != "in-period" && req.frame != "all") throw InputError("frame \"" + req.frame + "\": use in-period or all");
    if (req.strata != "months" && req.strata != "quarters") throw InputError("strata \"" + req.strata + "\": use months or quarters");

    SampleRecord r;
    json def;
    const Period period = e.period();
    json periodJson{{"start", isoString(period.start)}, {"end", isoString(period.end)}};
    if (req.method == "dates") {
        if (req.control.empty()) throw InputError("random dates are drawn for a control: name it with --control");
        requireControl(e, req.control);
        r.control = req.control;
        def = json{{"kind", "calendar"}, {"period", periodJson}, {"business_days_only", req.businessDaysOnly}};
    } else {
        if (!req.populationId) throw InputError("name the population to sample with --population ID");
        auto profile = loadProfile(e, *req.populationId);
        if (const auto current = currentPopulationVersion(e, *req.populationId); current != *req.populationId)
            throw InputError("population " + std::to_string(*req.populationId) + " was superseded; draw from the version in force, population " +
                             std::to_string(current));
        // A population serves its own control and those linked to it (population_life.h).
        if (!req.control.empty() && req.control != profile.control && !populationServes(e, *req.populationId, req.control))
            throw InputError("population " + std::to_string(*req.populationId) + " belongs to control " + profile.control +
                             ", not " + req.control + " (link it with `tickmark population link` when it serves " + req.control +
                             " too)");
        if (req.method == "stratified" && req.frame != "in-period")
            throw InputError("stratified selection covers the period only; use the in-period frame");
        r.control = req.control.empty() ? profile.control : req.control;
        r.populationId = *req.populationId;
        r.populationSha256 = profile.source.sha256;
        r.populationRows = profile.rows;
        r.populationDigest = populationDigest(e, *req.populationId);
        def = json{{"kind", "population"}, {"population_id", *req.populationId}, {"include", req.frame}, {"period", periodJson}};
    }
    if (req.method == "stratified") def["strata"] = req.strata;

    Frame f = buildFrame(e, def);
    if (req.method == "dates" && f.size() > 0) {
        // A periodic control's dates come each from a different quarter (month, week) while there are enough.
        const auto unit = spreadUnitFor(e, req.control);
        if (unit != smp::SpreadUnit::None) {
            def["distinct_units"] = smp::spreadUnitName(unit);
            std::int64_t nonEmpty = 0;
            for (auto& u : buildUnits(f, def).positions) nonEmpty += !u.empty();
            if (size > nonEmpty) def.erase("distinct_units");
            else algorithm = smp::kDatesDistinctAlgorithm;
        }
    }
    if (f.size() == 0)
        throw InputError(req.method == "dates" ? "the period has no eligible days to draw from"
                                               : "the frame is empty: no item of population " +
                                                     std::to_string(*req.populationId) +
                                                     " falls in the period, so the control did not operate; there is nothing to sample");
    r.method = req.method;
    r.algorithm = algorithm;
    r.generator = smp::kGenerator;
    r.toolVersion = "Tickmark " TICKMARK_VERSION;
    r.seed = req.seed ? *req.seed : smp::osSeed();
    r.seedSource = req.seed ? "given" : "os";
    r.frameJson = def.dump();
    r.frameSize = static_cast<std::int64_t>(f.size());
    r.excludedJson = f.excluded.dump();
    r.planJson = plan->toJson();
    r.size = size;
    r.createdBy = a.name;
    r.createdAt = utcNow();
    try {
        r.items = itemsOf(e, f, def, perform(e, r.method, f, def, r.size, r.seed, 0, 0));
    } catch (const std::invalid_argument& ex) {
        throw InputError(ex.what());
    }
    requireWritable(e, WriteKind::Add, "drawing a selection", req.reason);
    // The size (and a date draw's spread) came from the table: the engagement keeps its copy from the first draw on.
    copyFrequencyTableIfMissing(e, r.createdBy, templatesDir() / "frequency-table.csv");
    insertRecord(e, r);
    AuditTrail(e.db()).append({0, "", r.createdBy, "add", "test:" + r.control, "selection " + std::to_string(r.id), "drawn",
                               std::nullopt,
                               r.method + ", " + std::to_string(r.size) + " of " + std::to_string(r.frameSize) + ", seed " +
                                   std::to_string(r.seed) + "; record SHA-256 " + recordDigest(r),
                               req.reason, "", ""});
    tx.commit();
    return r;
}

SampleRecord extendSample(Engagement& e, const Actor& a, std::int64_t sampleId, std::int64_t by,
                          std::optional<std::uint64_t> seed) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (by < 1) throw InputError("extend by at least 1 item (--by)");
    SampleRecord base = loadSample(e, sampleId);
    const std::int64_t rootId = base.extendsSampleId.value_or(base.id);
    SampleRecord root = rootId == base.id ? base : loadSample(e, rootId);
    json def = json::parse(root.frameJson);
    if (root.populationId && populationDigest(e, *root.populationId) != *root.populationDigest)
        throw InputError("population " + std::to_string(*root.populationId) +
                         " changed since selection " + std::to_string(rootId) + " was drawn; it cannot be extended");
    Frame f = buildFrame(e, def);
    // A distinct-unit selection extends into the units it has not reached while there are enough of
    // them (tickmark-extension/2); otherwise, as version 1, from every day not yet selected.
    bool intoFreeUnits = false;
    if (def.contains("distinct_units")) {
        std::int64_t free = 0;
        for (auto size : freeUnitSizes(e, f, buildUnits(f, def), rootId, INT64_MAX)) free += size > 0;
        intoFreeUnits = by <= free;
    }
    json drawDef = def;
    if (!intoFreeUnits) drawDef.erase("distinct_units");
    SampleRecord r;
    r.control = root.control;
    r.populationId = root.populationId;
    r.extendsSampleId = rootId;
    r.method = "extension";
    r.algorithm = intoFreeUnits ? smp::kExtensionDistinctAlgorithm : smp::kExtensionAlgorithm;
    r.generator = smp::kGenerator;
    r.toolVersion = "Tickmark " TICKMARK_VERSION;
    r.seed = seed ? *seed : smp::osSeed();
    r.seedSource = seed ? "given" : "os";
    r.frameJson = root.frameJson;
    r.frameSize = static_cast<std::int64_t>(f.size());
    r.excludedJson = f.excluded.dump();
    r.populationSha256 = root.populationSha256;
    r.populationRows = root.populationRows;
    r.populationDigest = root.populationDigest;
    SamplingPlan extension;
    extension.method = SamplingPlan::Method::Extension;
    extension.extendBy = by;
    extension.sampleSize = by;
    extension.basis = "extension of selection " + std::to_string(rootId);
    r.planJson = extension.toJson();
    r.size = by;
    r.createdBy = a.name;
    r.createdAt = utcNow();
    try {
        // Every selection of the chain so far is taken.
        r.items = itemsOf(e, f, def, perform(e, "extension", f, drawDef, by, r.seed, rootId, INT64_MAX));
    } catch (const std::invalid_argument& ex) {
        throw InputError(ex.what());
    }
    requireWritable(e, WriteKind::Add, "extending a selection", "");
    insertRecord(e, r);
    AuditTrail(e.db()).append({0, "", r.createdBy, "add", "test:" + r.control, "selection " + std::to_string(r.id),
                               "extension", std::nullopt,
                               std::to_string(by) + " more items for selection " + std::to_string(rootId) + ", seed " +
                                   std::to_string(r.seed) + "; record SHA-256 " + recordDigest(r),
                               "", "", ""});
    // A selection shared with other controls' tests: their tests hold its extensions too.
    for (auto& c : controlsTestingSelection(e, rootId))
        if (c != r.control)
            AuditTrail(e.db()).append({0, "", r.createdBy, "add", "test:" + c, "selection " + std::to_string(r.id), "extension",
                                       std::nullopt,
                                       std::to_string(by) + " more items for selection " + std::to_string(rootId) +
                                           " (drawn for " + r.control + ", shared)",
                                       "", "", ""});
    tx.commit();
    return r;
}

namespace {
SampleRecord readRecord(db::Statement& st) {
    SampleRecord r;
    r.id = st.getInt(0);
    r.control = st.getText(1);
    r.populationId = st.getOptInt(2);
    r.extendsSampleId = st.getOptInt(3);
    r.method = st.getText(4);
    r.algorithm = st.getText(5);
    r.generator = st.getText(6);
    r.toolVersion = st.getText(7);
    r.seed = std::stoull(st.getText(8));
    r.seedSource = st.getText(9);
    r.frameJson = st.getText(10);
    r.frameSize = st.getInt(11);
    r.excludedJson = st.getText(12);
    r.populationSha256 = st.getOptText(13);
    r.populationRows = st.getOptInt(14);
    r.populationDigest = st.getOptText(15);
    r.planJson = st.getText(16);
    r.size = st.getInt(17);
    r.createdBy = st.getText(18);
    r.createdAt = st.getText(19);
    return r;
}
constexpr const char* kSampleColumns =
    "SELECT s.id, c.ref, s.population_id, s.extends_sample_id, s.method, s.algorithm, s.generator, s.tool_version, "
    "s.seed, s.seed_source, s.frame, s.frame_size, s.excluded, s.population_sha256, s.population_rows, "
    "s.population_digest, s.plan, s.size, s.created_by, s.created_at FROM sample s JOIN control c ON c.id = s.control_id ";
}  // namespace

SampleRecord loadSample(Engagement& e, std::int64_t id) {
    auto st = e.db().prepare(std::string(kSampleColumns) + "WHERE s.id = ?");
    st.bind(1, id);
    if (!st.step()) throw InputError("no selection with id " + std::to_string(id) + " in " + e.file().string());
    SampleRecord r = readRecord(st);
    auto it = e.db().prepare(
        "SELECT position, row_no, item_key, item_date, stratum FROM sample_item WHERE sample_id = ? ORDER BY position");
    it.bind(1, id);
    while (it.step()) r.items.push_back({it.getInt(0), it.getOptInt(1), it.getText(2), it.getOptText(3), it.getOptText(4)});
    return r;
}

std::vector<SampleRecord> listSamples(Engagement& e) {
    std::vector<SampleRecord> out;
    auto st = e.db().prepare(std::string(kSampleColumns) + "ORDER BY s.id");
    while (st.step()) out.push_back(readRecord(st));
    return out;
}

Verification verifySample(Engagement& e, std::int64_t id, const std::optional<std::filesystem::path>& source) {
    db::ReadSnapshot snapshot(e.db());  // the record and the population it was drawn from, as of one moment
    Verification v;
    auto fail = [&](std::string why) {
        v.identical = false;
        v.firstDifference = std::move(why);
        return v;
    };
    SampleRecord r = loadSample(e, id);
    json def = json::parse(r.frameJson);
    // The frame says which version drew it: dates with distinct_units are tickmark-dates/2, without /1.
    const char* algorithm = algorithmFor(r.method, def);
    json drawDef = def;
    if (r.method == "extension" && def.contains("distinct_units")) {
        // Either version may extend a distinct-unit selection (it depends on the units left): as recorded.
        if (r.algorithm == smp::kExtensionDistinctAlgorithm) algorithm = smp::kExtensionDistinctAlgorithm;
        else drawDef.erase("distinct_units");
    }
    if (r.algorithm != algorithm)
        return fail("recorded with algorithm \"" + r.algorithm + "\"; this build performs \"" + algorithm + "\"");
    if (r.generator != smp::kGenerator)
        return fail("recorded with generator \"" + r.generator + "\"; this build uses \"" + smp::kGenerator + "\"");
    v.checks.push_back("algorithm and generator as recorded: " + r.algorithm + "; " + r.generator);

    if (r.populationId) {
        // The file the selection names is the file the population was imported from.
        auto imported = e.db().prepare("SELECT f.sha256 FROM population p JOIN source_file f ON f.id = p.source_file_id WHERE p.id = ?");
        imported.bind(1, *r.populationId);
        if (imported.step() && r.populationSha256 && imported.getText(0) != *r.populationSha256)
            return fail("selection " + std::to_string(r.id) + " names a population file with SHA-256 " + *r.populationSha256 +
                        "; population " + std::to_string(*r.populationId) + " was imported from " + imported.getText(0));
    }
    if (static_cast<std::int64_t>(r.items.size()) != r.size)
        return fail("selection " + std::to_string(r.id) + " records a size of " + std::to_string(r.size) + " but holds " +
                    std::to_string(r.items.size()) + " items");

    if (r.populationId) {
        auto profile = loadProfile(e, *r.populationId);
        if (profile.rows != *r.populationRows)
            return fail("population " + std::to_string(*r.populationId) + " has " + std::to_string(profile.rows) +
                        " rows; the selection was drawn from " + std::to_string(*r.populationRows));
        std::string digest = populationDigest(e, *r.populationId);
        if (digest != *r.populationDigest)
            return fail("population " + std::to_string(*r.populationId) +
                        "'s stored records changed since the selection was drawn (SHA-256 of the records was " +
                        *r.populationDigest + ", is " + digest + ")");
        v.checks.push_back("population " + std::to_string(*r.populationId) + ": " + std::to_string(profile.rows) +
                           " rows, records unchanged (SHA-256 " + digest + ")");
        if (source) {
            std::string sha = sha256File(*source);
            if (sha != *r.populationSha256)
                return fail(source->string() + " is not the file the population was imported from (SHA-256 " + sha +
                            ", recorded " + *r.populationSha256 + ")");
            v.checks.push_back(source->string() + ": the file as delivered (SHA-256 " + sha + ")");
        }
    }
    Frame f = buildFrame(e, def);
    if (static_cast<std::int64_t>(f.size()) != r.frameSize)
        return fail("the frame now has " + std::to_string(f.size()) + " items; it had " + std::to_string(r.frameSize));
    v.checks.push_back("frame " + r.frameJson + ": " + std::to_string(f.size()) + " items as recorded");

    std::vector<SampleItem> again;
    try {
        again = itemsOf(e, f, def, perform(e, r.method, f, drawDef, r.size, r.seed, r.extendsSampleId.value_or(0), r.id));
    } catch (const std::exception& ex) {
        return fail(std::string("the selection cannot be re-performed: ") + ex.what());
    }
    if (again.size() != r.items.size())
        return fail("re-performed " + std::to_string(again.size()) + " items; the record holds " +
                    std::to_string(r.items.size()));
    for (std::size_t i = 0; i < again.size(); ++i) {
        const auto &a = r.items[i], &b = again[i];
        if (a.row != b.row || a.key != b.key || a.date != b.date)
            return fail("position " + std::to_string(a.position) + ": recorded " + describe(a) + ", re-performed " +
                        describe(b));
    }
    v.checks.push_back("seed " + std::to_string(r.seed) + ": the same " + std::to_string(again.size()) +
                       " items in the same order");
    // What re-performance cannot see (a shorter draw is a prefix of the longer): the record as drawn.
    // The record as the trail's entry of the draw describes it (the chain binds that entry).
    {
        auto st = e.db().prepare("SELECT seq, new_value FROM audit_trail WHERE workpaper = ? AND entity = ? AND field IN ('drawn', 'extension') "
                                 "ORDER BY seq LIMIT 1");
        st.bind(1, "test:" + r.control).bind(2, "selection " + std::to_string(r.id));
        if (!st.step()) return fail("the audit trail has no entry for the draw of selection " + std::to_string(r.id));
        const std::string drawn = st.getText(1);
        const auto at = drawn.find("record SHA-256 ");
        if (at != std::string::npos) {
            if (drawn.substr(at + 15) != recordDigest(r))
                return fail("the selection's record (its items, size, seed or population) is not what trail entry #" +
                            std::to_string(st.getInt(0)) + " recorded when it was drawn: changed outside Tickmark");
            v.checks.push_back("the record as drawn (trail entry #" + std::to_string(st.getInt(0)) + ")");
        } else if (r.method != "extension" &&
                   drawn.find(", " + std::to_string(r.size) + " of " + std::to_string(r.frameSize) + ", seed " + std::to_string(r.seed)) ==
                       std::string::npos) {
            // A selection drawn before the record's digest was kept: its size and seed, as the trail has them.
            return fail("selection " + std::to_string(r.id) + " holds " + std::to_string(r.size) + " items with seed " +
                        std::to_string(r.seed) + "; trail entry #" + std::to_string(st.getInt(0)) + " recorded \"" + drawn + "\"");
        }
    }
    v.identical = true;
    // Items added by judgement are no part of the draw: listed apart, never re-performed.
    if (!r.extendsSampleId)
        for (auto& j : judgmentalItems(e, r.id))
            v.judgmental.push_back(j.key + (j.row ? " (row " + std::to_string(*j.row) + ")" : "") + ", added by " + j.addedBy + " on " +
                                   j.addedAt.substr(0, 10) + ": " + j.reason);
    return v;
}

}  // namespace tickmark

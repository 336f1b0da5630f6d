#include "workpapers/population.h"

#include <algorithm>
#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include <nlohmann/json.hpp>

#include "workpapers/controls.h"
#include "workpapers/errors.h"

namespace tickmark {

void packRecord(const std::vector<std::string_view>& cells, std::string& out) {
    out.clear();
    for (auto c : cells) {
        std::size_t n = c.size();
        do {
            unsigned char b = n & 0x7F;
            n >>= 7;
            out += static_cast<char>(n ? (b | 0x80) : b);
        } while (n);
        out.append(c);
    }
}

std::vector<std::string> unpackRecord(std::string_view blob) {
    std::vector<std::string> cells;
    std::size_t i = 0;
    while (i < blob.size()) {
        std::size_t n = 0;
        int shift = 0;
        unsigned char b;
        do {
            b = static_cast<unsigned char>(blob[i++]);
            n |= static_cast<std::size_t>(b & 0x7F) << shift;
            shift += 7;
        } while ((b & 0x80) && i < blob.size());
        cells.emplace_back(blob.substr(i, n));
        i += n;
    }
    return cells;
}

namespace {

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}

std::string lower(std::string_view s) {
    std::string r(s);
    for (auto& c : r) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

// "1,234.50", "$ 1 234.50", "(12.00)", "-12" -> number; anything else -> nullopt.
std::optional<double> parseAmount(std::string_view s) {
    s = trim(s);
    bool negative = false;
    if (s.size() >= 2 && s.front() == '(' && s.back() == ')') {
        negative = true;
        s = s.substr(1, s.size() - 2);
    }
    std::string clean;
    for (char c : s) {
        if (c == ',' || c == ' ' || c == '$') continue;
        clean += c;
    }
    if (clean.empty()) return std::nullopt;
    double v = 0;
    auto [p, ec] = std::from_chars(clean.data(), clean.data() + clean.size(), v);
    if (ec != std::errc() || p != clean.data() + clean.size()) return std::nullopt;
    return negative ? -v : v;
}

// The first non-blank values decide the format we read with; the whole column decides the format
// that counts. When they differ the import runs again with the right one.
struct DateReading {
    std::optional<DateFormat> format;
    bool given = false;
};

class PopulationWriter : public TableHandler {
public:
    PopulationWriter(Engagement& e, const PopulationImportRequest& req, std::int64_t controlId, DateReading dates,
                     Period period)
        : e_(e),
          db_(e.db()),
          req_(req),
          controlId_(controlId),
          dates_(dates),
          period_(period),
          insertItem_(db_.prepare("INSERT INTO population_item(id, population_id, row_no, source_line, item_key, "
                                  "item_date, amount, flags, record) VALUES (?,?,?,?,?,?,?,?,?)")),
          insertFinding_(db_.prepare("INSERT OR IGNORE INTO population_finding(population_id, kind, row_no, "
                                     "source_line, item_key, value) VALUES (?,?,?,?,?,?)")),
          keyOfItem_(db_.prepare("SELECT item_key, source_line FROM population_item WHERE id = ?")) {}

    void header(const std::vector<std::string>& names) override {
        const std::string file = req_.file.string();
        columns_ = names;
        keyCol_ = findColumn(names, req_.keyColumn, "key", file);
        dateCol_ = findColumn(names, req_.dateColumn, "date", file);
        if (req_.amountColumn) amountCol_ = findColumn(names, *req_.amountColumn, "amount", file);

        auto sf = db_.prepare(
            "INSERT INTO source_file(purpose, file_name, size, sha256, format, encoding, imported_at) "
            "VALUES ('population', ?, 0, '', '', '', ?)");
        sf.bind(1, file).bind(2, utcNow());
        sf.exec();
        sourceFileId_ = db_.lastInsertRowid();

        auto next = db_.prepare("SELECT coalesce(max(id), 0) + 1 FROM population_item");
        next.step();
        firstItemId_ = next.getInt(0);

        auto pop = db_.prepare(
            "INSERT INTO population(control_id, name, source_file_id, columns, key_column, date_column, amount_column, "
            "date_format_basis, period_start, period_end, rows, in_period, before_period, after_period, blank_keys, "
            "duplicate_keys, duplicate_rows, bad_dates, bad_amounts, blank_lines, first_item_id, imported_at) "
            "VALUES (?,?,?,?,?,?,?,'none',?,?,0,0,0,0,0,0,0,0,0,0,?,?)");
        pop.bind(1, controlId_).bind(2, req_.name).bind(3, sourceFileId_).bind(4, nlohmann::json(names).dump());
        pop.bind(5, names[keyCol_]).bind(6, names[dateCol_]);
        if (amountCol_) pop.bind(7, names[*amountCol_]);
        else pop.bindNull(7);
        pop.bind(8, isoString(period_.start)).bind(9, isoString(period_.end)).bind(10, firstItemId_).bind(11, utcNow());
        pop.exec();
        populationId_ = db_.lastInsertRowid();
    }

    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        const std::int64_t row = ++rows_;
        const std::int64_t id = firstItemId_ + row - 1;
        std::uint32_t flags = 0;
        std::string_view key = cells[keyCol_];

        if (trim(key).empty()) {
            flags |= kBlankKey;
            ++blankKeys_;
            finding("blank-key", row, line, key, "");
        } else {
            checkDuplicate(key, id, row, line, flags);
        }

        std::string_view dateText = trim(cells[dateCol_]);
        unsigned fits = evidence_.add(dateText);
        if (!dates_.format && fits) {
            // The first dated value sets the reading; month-first wins a tie until the column says otherwise.
            for (std::size_t i = 0; i < kAllDateFormats.size(); ++i)
                if (fits & (1u << i)) {
                    dates_.format = kAllDateFormats[i];
                    break;
                }
        }
        std::optional<Date> date = dates_.format ? parseDate(dateText, *dates_.format) : std::nullopt;
        std::string iso;
        if (!date) {
            flags |= kBadDate;
            ++badDates_;
            finding("bad-date", row, line, key, dateText);
        } else {
            iso = isoString(*date);
            if (*date < period_.start) flags |= kBeforePeriod, ++before_;
            else if (*date > period_.end) flags |= kAfterPeriod, ++after_;
            else ++inPeriod_;
            if (!minDate_ || *date < *minDate_) minDate_ = date;
            if (!maxDate_ || *date > *maxDate_) maxDate_ = date;
        }

        std::optional<double> amount;
        if (amountCol_) {
            amount = parseAmount(cells[*amountCol_]);
            if (!amount) {
                flags |= kBadAmount;
                ++badAmounts_;
                finding("bad-amount", row, line, key, cells[*amountCol_]);
            }
        }

        packRecord(cells, packed_);
        insertItem_.bind(1, id).bind(2, populationId_).bind(3, row).bind(4, line).bind(5, key);
        if (date) insertItem_.bind(6, std::string_view(iso));
        else insertItem_.bindNull(6);
        if (amount) insertItem_.bind(7, *amount);
        else insertItem_.bindNull(7);
        insertItem_.bind(8, static_cast<std::int64_t>(flags)).bindBlob(9, packed_.data(), packed_.size());
        insertItem_.exec();
    }

    // Completes the population row; returns a format to read the dates with again when the whole
    // column contradicts the first values.
    std::optional<DateFormat> finish(const SourceInfo& info) {
        std::optional<DateFormat> decided = dates_.format;
        if (!dates_.given) {
            auto d = evidence_.decide();
            if (d.ambiguous)
                throw InputError(req_.file.string() + ": the dates in column \"" + columns_[dateCol_] +
                                 "\" read as both month-first and day-first (every value has a day and month of 12 "
                                 "or less). Say which with --date-format MM/DD/YYYY or --date-format DD/MM/YYYY.");
            if (d.format && d.format != dates_.format) return d.format;
            decided = d.format;
        }
        auto sf = db_.prepare("UPDATE source_file SET size=?, sha256=?, format=?, encoding=?, delimiter=?, sheet=? WHERE id=?");
        sf.bind(1, static_cast<std::int64_t>(info.size)).bind(2, info.sha256).bind(3, info.format).bind(4, info.encoding);
        sf.bind(5, info.delimiter.empty() ? std::nullopt : std::optional<std::string_view>(info.delimiter));
        sf.bind(6, info.sheet.empty() ? std::nullopt : std::optional<std::string_view>(info.sheet)).bind(7, sourceFileId_);
        sf.exec();

        std::int64_t dupRows = static_cast<std::int64_t>(dupRowIds_.size());
        auto pop = db_.prepare(
            "UPDATE population SET date_format=?, date_format_basis=?, rows=?, in_period=?, before_period=?, "
            "after_period=?, blank_keys=?, duplicate_keys=?, duplicate_rows=?, bad_dates=?, bad_amounts=?, "
            "blank_lines=?, min_date=?, max_date=? WHERE id=?");
        if (decided) pop.bind(1, dateFormatName(*decided));
        else pop.bindNull(1);
        pop.bind(2, req_.dateFormat ? "given" : (decided ? "detected" : "none"));
        pop.bind(3, rows_).bind(4, inPeriod_).bind(5, before_).bind(6, after_).bind(7, blankKeys_);
        pop.bind(8, static_cast<std::int64_t>(dupKeys_.size())).bind(9, dupRows).bind(10, badDates_);
        pop.bind(11, badAmounts_).bind(12, info.blankLines);
        if (minDate_) pop.bind(13, isoString(*minDate_)).bind(14, isoString(*maxDate_));
        else pop.bindNull(13).bindNull(14);
        pop.bind(15, populationId_);
        pop.exec();
        return std::nullopt;
    }

    std::int64_t populationId() const { return populationId_; }
    bool sawHeader() const { return populationId_ != 0; }

private:
    void finding(const char* kind, std::int64_t row, std::int64_t line, std::string_view key, std::string_view value) {
        insertFinding_.bind(1, populationId_).bind(2, kind).bind(3, row).bind(4, line).bind(5, key).bind(6, value);
        insertFinding_.exec();
    }

    // Keys are remembered by 64-bit hash and row only; a hash match is confirmed against the stored
    // key, so a million keys cost a few tens of MB, not a copy of every key.
    void checkDuplicate(std::string_view key, std::int64_t id, std::int64_t row, std::int64_t line, std::uint32_t& flags) {
        std::uint64_t h = std::hash<std::string_view>{}(key);
        auto [it, inserted] = seen_.try_emplace(h, id);
        if (inserted) return;
        std::int64_t firstId = it->second;
        keyOfItem_.bind(1, firstId);
        keyOfItem_.step();
        std::string firstKey = keyOfItem_.getText(0);
        std::int64_t firstLine = keyOfItem_.getInt(1);
        keyOfItem_.reset();
        if (firstKey != key) {
            // Another key with the same hash: keep the exact key aside.
            auto [eit, einserted] = collided_.try_emplace(std::string(key), id);
            if (einserted) return;
            firstId = eit->second;
            keyOfItem_.bind(1, firstId);
            keyOfItem_.step();
            firstLine = keyOfItem_.getInt(1);
            keyOfItem_.reset();
        }
        flags |= kDuplicateKey;
        dupKeys_.insert(std::string(key));
        if (dupRowIds_.insert(firstId).second) {
            auto up = db_.prepare("UPDATE population_item SET flags = flags | ? WHERE id = ?");
            up.bind(1, static_cast<std::int64_t>(kDuplicateKey)).bind(2, firstId);
            up.exec();
            finding("duplicate-key", firstId - firstItemId_ + 1, firstLine, key, "");
        }
        dupRowIds_.insert(id);
        finding("duplicate-key", row, line, key, "");
    }

    Engagement& e_;
    db::Database& db_;
    const PopulationImportRequest& req_;
    std::int64_t controlId_;
    DateReading dates_;
    Period period_;
    db::Statement insertItem_, insertFinding_, keyOfItem_;
    std::vector<std::string> columns_;
    std::size_t keyCol_ = 0, dateCol_ = 0;
    std::optional<std::size_t> amountCol_;
    std::int64_t sourceFileId_ = 0, firstItemId_ = 0, populationId_ = 0;
    std::int64_t rows_ = 0, inPeriod_ = 0, before_ = 0, after_ = 0, blankKeys_ = 0, badDates_ = 0, badAmounts_ = 0;
    std::optional<Date> minDate_, maxDate_;
    DateColumnEvidence evidence_;
    std::unordered_map<std::uint64_t, std::int64_t> seen_;
    std::unordered_map<std::string, std::int64_t> collided_;
    std::unordered_set<std::string> dupKeys_;
    std::unordered_set<std::int64_t> dupRowIds_;
    std::string packed_;
};

}  // namespace

std::size_t findColumn(const std::vector<std::string>& header, std::string_view name, std::string_view role,
                       const std::string& file) {
    auto listing = [&] {
        std::string s;
        for (auto& h : header) s += (s.empty() ? "\"" : ", \"") + h + "\"";
        return s;
    };
    std::vector<std::size_t> hits;
    for (std::size_t i = 0; i < header.size(); ++i)
        if (header[i] == name) hits.push_back(i);
    if (hits.empty())
        for (std::size_t i = 0; i < header.size(); ++i)
            if (lower(trim(header[i])) == lower(trim(name))) hits.push_back(i);
    if (hits.size() == 1) return hits[0];
    if (hits.empty())
        throw InputError(file + ": no column named \"" + std::string(name) + "\" for the " + std::string(role) +
                         "; the header has " + listing() + ".");
    throw InputError(file + ": " + std::to_string(hits.size()) + " columns are named \"" + std::string(name) +
                     "\"; rename one in the file so the " + std::string(role) + " column is unambiguous.");
}

CompletenessProfile importPopulation(Engagement& e, const PopulationImportRequest& req, Progress* progress) {
    if (req.name.empty()) throw InputError("the population needs a name (--name)");
    if (req.keyColumn.empty()) throw InputError("name the key column (--key), the column that identifies each item");
    if (req.dateColumn.empty()) throw InputError("name the date column (--date), the column that places an item in the period");
    const std::int64_t controlId = requireControl(e, req.control);
    {
        auto st = e.db().prepare("SELECT 1 FROM population WHERE control_id = ? AND name = ?");
        st.bind(1, controlId).bind(2, req.name);
        if (st.step())
            throw InputError("control " + req.control + " already has a population named \"" + req.name +
                             "\"; choose another --name (the earlier import is kept as it is)");
    }
    const Period period = e.period();
    DateReading dates{req.dateFormat, req.dateFormat.has_value()};
    ReadOptions opts{req.sheet, req.delimiter, progress};

    for (int attempt = 0; attempt < 2; ++attempt) {
        db::Transaction tx(e.db());
        PopulationWriter writer(e, req, controlId, dates, period);
        SourceInfo info = readTable(req.file, opts, writer);
        if (auto again = writer.finish(info)) {
            // The whole column disagrees with its first values: read again with the column's format.
            // This transaction rolls back as it goes out of scope.
            dates = DateReading{again, true};
            continue;
        }
        tx.commit();
        return loadProfile(e, writer.populationId());
    }
    throw std::logic_error("population import did not settle on a date format");
}

CompletenessProfile loadProfile(Engagement& e, std::int64_t id) {
    auto& db = e.db();
    auto st = db.prepare(
        "SELECT p.name, c.ref, p.columns, p.key_column, p.date_column, p.amount_column, p.date_format, "
        "p.date_format_basis, p.period_start, p.period_end, p.rows, p.in_period, p.before_period, p.after_period, "
        "p.blank_keys, p.duplicate_keys, p.duplicate_rows, p.bad_dates, p.bad_amounts, p.blank_lines, p.min_date, "
        "p.max_date, p.imported_at, f.file_name, f.size, f.sha256, f.format, f.encoding, f.delimiter, f.sheet "
        "FROM population p JOIN control c ON c.id = p.control_id JOIN source_file f ON f.id = p.source_file_id "
        "WHERE p.id = ?");
    st.bind(1, id);
    if (!st.step()) throw InputError("no population with id " + std::to_string(id) + " in " + e.file().string());
    CompletenessProfile p;
    p.populationId = id;
    p.name = st.getText(0);
    p.control = st.getText(1);
    p.columns = nlohmann::json::parse(st.getText(2)).get<std::vector<std::string>>();
    p.keyColumn = st.getText(3);
    p.dateColumn = st.getText(4);
    p.amountColumn = st.getOptText(5);
    p.dateFormat = st.getOptText(6);
    p.dateFormatBasis = st.getText(7);
    p.period = Period{*parseIsoDate(st.getText(8)), *parseIsoDate(st.getText(9))};
    p.rows = st.getInt(10);
    p.inPeriod = st.getInt(11);
    p.beforePeriod = st.getInt(12);
    p.afterPeriod = st.getInt(13);
    p.blankKeys = st.getInt(14);
    p.duplicateKeys = st.getInt(15);
    p.duplicateRows = st.getInt(16);
    p.badDates = st.getInt(17);
    p.badAmounts = st.getInt(18);
    p.source.blankLines = st.getInt(19);
    if (auto v = st.getOptText(20)) p.minDate = parseIsoDate(*v);
    if (auto v = st.getOptText(21)) p.maxDate = parseIsoDate(*v);
    p.importedAt = st.getText(22);
    p.source.fileName = st.getText(23);
    p.source.size = static_cast<std::uint64_t>(st.getInt(24));
    p.source.sha256 = st.getText(25);
    p.source.format = st.getText(26);
    p.source.encoding = st.getText(27);
    p.source.delimiter = st.getOptText(28).value_or("");
    p.source.sheet = st.getOptText(29).value_or("");

    auto f = db.prepare(
        "SELECT kind, row_no, source_line, item_key, value FROM population_finding WHERE population_id = ? "
        "ORDER BY kind, item_key, row_no");
    f.bind(1, id);
    while (f.step()) {
        std::string kind = f.getText(0);
        Finding fd{f.getInt(1), f.getInt(2), f.getText(3), f.getText(4)};
        if (kind == "duplicate-key") {
            if (p.duplicates.empty() || p.duplicates.back().key != fd.key) p.duplicates.push_back({fd.key, {}});
            p.duplicates.back().rows.push_back(fd.row);
        } else if (kind == "blank-key") {
            p.blankKeyRows.push_back(fd);
        } else if (kind == "bad-date") {
            p.badDateRows.push_back(fd);
        } else {
            p.badAmountRows.push_back(fd);
        }
    }
    auto byRow = [](const Finding& a, const Finding& b) { return a.row < b.row; };
    std::sort(p.blankKeyRows.begin(), p.blankKeyRows.end(), byRow);
    std::sort(p.badDateRows.begin(), p.badDateRows.end(), byRow);
    std::sort(p.badAmountRows.begin(), p.badAmountRows.end(), byRow);
    std::sort(p.duplicates.begin(), p.duplicates.end(),
              [](const DuplicateKey& a, const DuplicateKey& b) { return a.rows.front() < b.rows.front(); });
    return p;
}

std::vector<PopulationSummary> listPopulations(Engagement& e) {
    std::vector<PopulationSummary> out;
    auto st = e.db().prepare(
        "SELECT p.id, c.ref, p.name, f.file_name, p.rows, p.in_period FROM population p JOIN control c ON c.id = "
        "p.control_id JOIN source_file f ON f.id = p.source_file_id ORDER BY p.id");
    while (st.step())
        out.push_back({st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getInt(4), st.getInt(5)});
    return out;
}

}  // namespace tickmark

#include "workpapers/population.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <bit>
#include <limits>
#include <map>
#include <unordered_map>

#include <boost/algorithm/string/predicate.hpp>
#include <boost/sort/spreadsort/integer_sort.hpp>
#include <nlohmann/json.hpp>

#include "workpapers/block_codec.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/people.h"
#include "workpapers/samples.h"
#include "workpapers/population_sink.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/seal.h"
#include "workpapers/readers/amount.h"
#include "workpapers/sha256.h"
#include "workpapers/source_layout.h"
#include "workpapers/trail.h"
#include "workpapers/writeback.h"

namespace tickmark {
namespace {

void putUvarint(std::string& out, std::uint64_t v) {
    while (v >= 0x80) {
        out += static_cast<char>((v & 0x7F) | 0x80);
        v >>= 7;
    }
    out += static_cast<char>(v);
}

std::uint64_t getUvarint(const char*& p, const char* end) {
    std::uint64_t v = 0;
    int shift = 0;
    while (p < end) {
        auto b = static_cast<unsigned char>(*p++);
        v |= static_cast<std::uint64_t>(b & 0x7F) << shift;
        if (!(b & 0x80)) return v;
        shift += 7;
    }
    throw std::runtime_error("population block is damaged (truncated varint)");
}

void putU32(std::string& out, std::size_t at, std::uint32_t v) { std::memcpy(out.data() + at, &v, 4); }
std::uint32_t getU32(const char* p) {
    std::uint32_t v;
    std::memcpy(&v, p, 4);
    return v;
}

std::string_view trim(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
    return s;
}


// Collects up to kRecordsPerBlock records in the layout documented in population.h.
class BlockBuilder {
public:
    void add(std::int64_t line, std::uint32_t flags, std::optional<Date> date, std::optional<double> amount,
             bool hasAmount, const std::vector<std::string_view>& cells) {
        offsets_.push_back(static_cast<std::uint32_t>(records_.size()));
        putUvarint(records_, static_cast<std::uint64_t>(line));
        putUvarint(records_, flags);
        std::int64_t days = date ? daysSinceEpoch(*date) : 0;
        putUvarint(records_, (static_cast<std::uint64_t>(days) << 1) ^ static_cast<std::uint64_t>(days >> 63));
        if (hasAmount) {
            double a = amount ? *amount : std::numeric_limits<double>::quiet_NaN();
            records_.append(reinterpret_cast<const char*>(&a), sizeof a);
        }
        for (auto c : cells) {
            putUvarint(records_, c.size());
            records_.append(c);
        }
    }
    std::size_t count() const { return offsets_.size(); }
    // The block's bytes, written into `out` (a recycled buffer); the builder is empty afterwards.
    std::string finish(std::string out) {
        out.assign(4 + 4 * offsets_.size(), '\0');
        putU32(out, 0, static_cast<std::uint32_t>(offsets_.size()));
        for (std::size_t i = 0; i < offsets_.size(); ++i) putU32(out, 4 + 4 * i, offsets_[i]);
        out += records_;
        offsets_.clear();
        records_.clear();
        return out;
    }

private:
    std::vector<std::uint32_t> offsets_;
    std::string records_;
};

// The first non-blank values decide the pattern we read with; the whole column decides the pattern
// that counts. When they differ the import runs again with the right one.
struct DateReading {
    std::optional<DatePattern> pattern;
    bool fixed = false;
};

class PopulationWriter : public TableHandler {
public:
    PopulationWriter(Engagement& e, const PopulationImportRequest& req, std::int64_t controlId, DateReading dates,
                     Period period, const ClientZone& zone)
        : e_(e),
          db_(e.db()),
          req_(req),
          controlId_(controlId),
          dates_(dates),
          period_(period),
          zone_(zone),
          insertFinding_(db_.prepare("INSERT INTO population_finding(population_id, kind, row_no, "
                                     "source_line, item_key, value) VALUES (?,?,?,?,?,?) ON CONFLICT DO NOTHING")) {}

    std::optional<std::size_t> keyColumn() const override { return keyCol_; }

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

        auto pop = db_.prepare(
            "INSERT INTO population(control_id, name, source_file_id, columns, key_column, date_column, amount_column, "
            "date_format_basis, period_start, period_end, rows, in_period, before_period, after_period, blank_keys, "
            "duplicate_keys, duplicate_rows, bad_dates, bad_amounts, blank_lines, imported_at) "
            "VALUES (?,?,?,?,?,?,?,'none',?,?,0,0,0,0,0,0,0,0,0,0,?)");
        pop.bind(1, controlId_).bind(2, req_.name).bind(3, sourceFileId_).bind(4, nlohmann::json(names).dump());
        pop.bind(5, names[keyCol_]).bind(6, names[dateCol_]);
        if (amountCol_) pop.bind(7, names[*amountCol_]);
        else pop.bindNull(7);
        pop.bind(8, isoString(period_.start)).bind(9, isoString(period_.end)).bind(10, utcNow());
        pop.exec();
        populationId_ = db_.lastInsertRowid();
        sink_.emplace(db_, populationId_, records_);  // the connection is the sink's until finish()
    }

    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        const std::int64_t row = ++rows_;
        std::uint32_t flags = 0;
        std::string_view key = cells[keyCol_];

        if (trim(key).empty()) {
            flags |= kBlankKey;
            ++blankKeys_;
            finding("blank-key", row, line, key, "");
        } else {
            keyHashes_.push_back({std::hash<std::string_view>{}(key), row});
        }

        std::string_view dateText = trim(cells[dateCol_]);
        std::optional<Date> date;
        if (dateText.empty()) {
            flags |= kBlankDate;  // no date given: not an unreadable one
            ++blankDates_;
        } else {
            std::optional<Timestamp> t;
            if (!dates_.fixed) {
                std::uint32_t fits = evidence_.add(dateText, patternIndex_, &t);
                // The first dated value sets the reading; month-first wins a tie until the column says otherwise.
                if (!dates_.pattern && fits) {
                    patternIndex_ = static_cast<std::size_t>(std::countr_zero(fits));
                    dates_.pattern = commonDatePatterns()[patternIndex_];
                    t = dates_.pattern->read(dateText);
                }
            } else if (dates_.pattern) {
                t = dates_.pattern->read(dateText);
            }
            if (firstValues_.size() < 8) firstValues_.emplace_back(dateText);
            if (t) {
                if (t->offsetMinutes) ++convertedTimes_, ++offsets_[*t->offsetMinutes];
                else if (t->seconds) ++localTimes_;
                date = zone_.localDate(*t);
            }
        }
        if (!date && !dateText.empty()) {
            flags |= kBadDate;
            ++badDates_;
            finding("bad-date", row, line, key, dateText);
        } else if (date) {
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

        block_.add(line, flags, date, amount, amountCol_.has_value(), cells);
        if (block_.count() == static_cast<std::size_t>(kRecordsPerBlock)) flushBlock();
    }

    // Completes the population row; returns a format to read the dates with again when the whole
    // column contradicts the first values.
    std::optional<DatePattern> finish(const SourceInfo& info) {
        flushBlock();
        if (sink_) sink_->close();
        sinkClosed_ = true;
        std::optional<DatePattern> decided = dates_.pattern;
        if (!dates_.fixed) {
            auto d = evidence_.decide();
            if (d.ambiguous)
                throw InputError(req_.file.string() + ": the dates in column \"" + columns_[dateCol_] +
                                 "\" read as both month-first and day-first (every value has a day and month of 12 "
                                 "or less). Say which with --date-format MM/DD/YYYY or --date-format DD/MM/YYYY.");
            decided.reset();
            if (d.pattern) {
                const DatePattern& p = commonDatePatterns()[*d.pattern];
                if (!dates_.pattern || !(p == *dates_.pattern)) return p;
                decided = p;
            }
        }
        refuseUnreadableDates(info);
        auto rows = db_.prepare("UPDATE population SET rows = ? WHERE id = ?");
        rows.bind(1, rows_).bind(2, populationId_);
        rows.exec();
        auto [dupKeys, dupRows] = recordDuplicates();

        auto sf = db_.prepare("UPDATE source_file SET size=?, sha256=?, format=?, encoding=?, delimiter=?, sheet=? WHERE id=?");
        sf.bind(1, static_cast<std::int64_t>(info.size)).bind(2, info.sha256).bind(3, info.format).bind(4, info.encoding);
        sf.bindOrNull(5, info.delimiter);
        sf.bindOrNull(6, info.sheet).bind(7, sourceFileId_);
        sf.exec();

        auto pop = db_.prepare(
            "UPDATE population SET date_format=?, date_format_basis=?, rows=?, in_period=?, before_period=?, "
            "after_period=?, blank_keys=?, duplicate_keys=?, duplicate_rows=?, bad_dates=?, bad_amounts=?, "
            "blank_lines=?, min_date=?, max_date=?, records_sha256=?, blank_dates=?, date_reading=? WHERE id=?");
        if (decided) pop.bind(1, decided->name());
        else pop.bindNull(1);
        pop.bind(2, req_.dateFormat ? "given" : (decided ? "detected" : "none"));
        pop.bind(3, rows_).bind(4, inPeriod_).bind(5, before_).bind(6, after_).bind(7, blankKeys_);
        pop.bind(8, dupKeys).bind(9, dupRows).bind(10, badDates_);
        pop.bind(11, badAmounts_).bind(12, info.blankLines);
        if (minDate_) pop.bind(13, isoString(*minDate_)).bind(14, isoString(*maxDate_));
        else pop.bindNull(13).bindNull(14);
        pop.bind(15, records_.hexDigest()).bind(16, blankDates_).bind(17, readingJson()).bind(18, populationId_);
        pop.exec();
        saveLayout(db_, sourceFileId_, info.layout);
        return std::nullopt;
    }

    std::int64_t populationId() const { return populationId_; }

private:
    std::string readingJson() const {
        nlohmann::json offsets = nlohmann::json::object();
        for (auto& [minutes, n] : offsets_) offsets[offsetName(minutes)] = n;
        return nlohmann::json{{"time_zone", zone_.name() ? nlohmann::json(*zone_.name()) : nlohmann::json(nullptr)},
                              {"converted", convertedTimes_},
                              {"local_times", localTimes_},
                              {"offsets", offsets}}
            .dump();
    }

    // A date column most of whose values cannot be read is a wrong pattern or a wrong column, not a
    // population with flagged items: refused (nothing written) unless the auditor accepts it.
    void refuseUnreadableDates(const SourceInfo& info) const {
        const std::int64_t dated = rows_ - blankDates_;
        if (dated == 0 || (dated - badDates_) * 2 >= dated || req_.acceptUnreadableDates) return;
        std::string first;
        for (auto& v : firstValues_) first += (first.empty() ? "\"" : ", \"") + v + "\"";
        auto suggestion = suggestDatePattern(firstValues_);
        throw InputError(info.fileName + ": column \"" + columns_[dateCol_] + "\": " + std::to_string(badDates_) + " of " +
                         std::to_string(dated) + " dates cannot be read" +
                         (dates_.pattern ? " as " + dates_.pattern->name() : std::string(" in any common format")) +
                         "; the first are " + first + ". " +
                         (suggestion ? "They read as --date-format \"" + suggestion->name() + "\". "
                                     : "Name the pattern with --date-format (e.g. \"DD/MMM/YY h:mm AM/PM\"). ") +
                         "To import anyway, each unreadable date flagged, add --accept-unreadable-dates. Nothing was "
                         "imported.");
    }

    void flushBlock() {
        if (!block_.count()) return;
        auto n = static_cast<std::int64_t>(block_.count());
        sink_->block(rows_ - n + 1, n, block_.finish(sink_->recycled()));
    }

    // While the rows stream, findings go through the sink (it owns the connection); afterwards directly.
    void finding(const char* kind, std::int64_t row, std::int64_t line, std::string_view key, std::string_view value) {
        if (sink_ && !sinkClosed_) return sink_->finding(kind, row, line, key, value);
        insertFinding_.bind(1, populationId_).bind(2, kind).bind(3, row).bind(4, line).bind(5, key).bind(6, value);
        insertFinding_.exec();
    }

    // Keys were remembered as (hash, row) only: 16 bytes a row, not a copy of every key. Rows whose
    // hashes match are compared by their real keys, read back from the blocks just written.
    std::pair<std::int64_t, std::int64_t> recordDuplicates() {
        // A radix sort on the hash: a million keys sort in a third of std::sort's time.
        using KeyHash = std::pair<std::uint64_t, std::int64_t>;
        boost::sort::spreadsort::integer_sort(
            keyHashes_.begin(), keyHashes_.end(), [](const KeyHash& h, unsigned shift) { return h.first >> shift; },
            [](const KeyHash& a, const KeyHash& b) { return a.first < b.first; });
        std::int64_t dupKeys = 0, dupRows = 0;
        std::unique_ptr<PopulationItems> items;
        for (std::size_t i = 0; i < keyHashes_.size();) {
            std::size_t j = i + 1;
            while (j < keyHashes_.size() && keyHashes_[j].first == keyHashes_[i].first) ++j;
            if (j - i > 1) {
                if (!items) items = std::make_unique<PopulationItems>(e_, populationId_);
                std::vector<std::pair<std::string, std::pair<std::int64_t, std::int64_t>>> group;  // key, (row, line)
                for (std::size_t k = i; k < j; ++k) {
                    const auto& it = items->at(keyHashes_[k].second);
                    group.push_back({std::string(it.key), {it.row, it.line}});
                }
                std::sort(group.begin(), group.end());
                for (std::size_t a = 0; a < group.size();) {
                    std::size_t b = a + 1;
                    while (b < group.size() && group[b].first == group[a].first) ++b;
                    if (b - a > 1) {
                        ++dupKeys;
                        for (std::size_t k = a; k < b; ++k) {
                            ++dupRows;
                            finding("duplicate-key", group[k].second.first, group[k].second.second, group[k].first, "");
                        }
                    }
                    a = b;
                }
            }
            i = j;
        }
        return {dupKeys, dupRows};
    }

    Engagement& e_;
    db::Database& db_;
    const PopulationImportRequest& req_;
    std::int64_t controlId_;
    DateReading dates_;
    Period period_;
    const ClientZone& zone_;
    db::Statement insertFinding_;
    Sha256 records_;  // the stored records' digest, as written
    std::vector<std::string> columns_;
    std::size_t keyCol_ = 0, dateCol_ = 0;
    std::optional<std::size_t> amountCol_;
    std::int64_t sourceFileId_ = 0, populationId_ = 0;
    std::int64_t rows_ = 0, inPeriod_ = 0, before_ = 0, after_ = 0, blankKeys_ = 0, badDates_ = 0, badAmounts_ = 0;
    std::int64_t blankDates_ = 0, convertedTimes_ = 0, localTimes_ = 0;
    std::map<std::int32_t, std::int64_t> offsets_;
    std::vector<std::string> firstValues_;
    std::size_t patternIndex_ = DateColumnEvidence::kNone;  // dates_.pattern's place among the common ones
    std::optional<Date> minDate_, maxDate_;
    DateColumnEvidence evidence_;
    std::vector<std::pair<std::uint64_t, std::int64_t>> keyHashes_;
    BlockBuilder block_;
    std::optional<PopulationSink> sink_;  // last: stopped (joined) before anything it uses goes
    bool sinkClosed_ = false;
};

}  // namespace

struct PopulationItems::Statements {
    db::Statement block;
};

PopulationItems::PopulationItems(Engagement& e, std::int64_t populationId) : id_(populationId) {
    auto p = e.db().prepare(
        "SELECT rows, columns, key_column, amount_column IS NOT NULL, date_column FROM population WHERE id = ?");
    p.bind(1, populationId);
    if (!p.step()) throw InputError("no population with id " + std::to_string(populationId));
    rows_ = p.getInt(0);
    columns_ = nlohmann::json::parse(p.getText(1)).get<std::vector<std::string>>();
    auto key = p.getText(2);
    keyCol_ = static_cast<std::size_t>(std::find(columns_.begin(), columns_.end(), key) - columns_.begin());
    hasAmount_ = p.getInt(3) != 0;
    auto date = p.getText(4);
    dateCol_ = static_cast<std::size_t>(std::find(columns_.begin(), columns_.end(), date) - columns_.begin());
    auto d = e.db().prepare(
        "SELECT row_no FROM population_finding WHERE population_id = ? AND kind = 'duplicate-key' ORDER BY row_no");
    d.bind(1, populationId);
    while (d.step()) duplicateRows_.push_back(d.getInt(0));
    st_ = std::make_unique<Statements>(
        Statements{e.db().prepare("SELECT data FROM population_block WHERE population_id = ? AND first_row = ?")});
}

PopulationItems::~PopulationItems() = default;

void PopulationItems::load(std::int64_t block) {
    st_->block.bind(1, id_).bind(2, block * kRecordsPerBlock + 1);
    if (!st_->block.step()) {
        st_->block.reset();
        throw std::runtime_error("population " + std::to_string(id_) + ": block " + std::to_string(block) + " is missing");
    }
    auto blob = st_->block.getBlob(0);
    const std::string_view records = unpackBlock(blob, data_);
    if (records.data() != data_.data()) data_.assign(records);  // stored as it is (a file from before compression)
    st_->block.reset();
    loadedBlock_ = block;
}

const PopulationItem& PopulationItems::at(std::int64_t row) {
    if (row < 1 || row > rows_)
        throw InputError("row " + std::to_string(row) + " is not in the population (it has " + std::to_string(rows_) + " rows)");
    std::int64_t block = (row - 1) / kRecordsPerBlock;
    if (block != loadedBlock_) load(block);
    std::size_t index = static_cast<std::size_t>((row - 1) % kRecordsPerBlock);
    std::uint32_t count = getU32(data_.data());
    if (index >= count) throw std::runtime_error("population block is damaged (short block)");
    const char* base = data_.data() + 4 + 4 * static_cast<std::size_t>(count);
    const char* p = base + getU32(data_.data() + 4 + 4 * index);
    const char* end = data_.data() + data_.size();
    item_.row = row;
    item_.line = static_cast<std::int64_t>(getUvarint(p, end));
    item_.flags = static_cast<std::uint32_t>(getUvarint(p, end));
    std::uint64_t z = getUvarint(p, end);
    auto days = static_cast<std::int64_t>((z >> 1) ^ (~(z & 1) + 1));
    item_.date = (item_.flags & (kBadDate | kBlankDate)) ? std::nullopt : std::optional<Date>(dateFromDays(days));
    item_.amount.reset();
    if (hasAmount_) {
        double a;
        std::memcpy(&a, p, sizeof a);
        p += sizeof a;
        if (!std::isnan(a)) item_.amount = a;
    }
    item_.cells.clear();
    for (std::size_t c = 0; c < columns_.size(); ++c) {
        auto n = static_cast<std::size_t>(getUvarint(p, end));
        if (p + n > end) throw std::runtime_error("population block is damaged (cell past the end)");
        item_.cells.emplace_back(p, n);
        p += n;
    }
    item_.key = keyCol_ < item_.cells.size() ? item_.cells[keyCol_] : std::string_view();
    if (std::binary_search(duplicateRows_.begin(), duplicateRows_.end(), row)) item_.flags |= kDuplicateKey;
    return item_;
}

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
            if (boost::algorithm::iequals(trim(header[i]), trim(name))) hits.push_back(i);
    if (hits.size() == 1) return hits[0];
    if (hits.empty())
        throw InputError(file + ": no column named \"" + std::string(name) + "\" for the " + std::string(role) +
                         "; the header has " + listing() + ".");
    throw InputError(file + ": " + std::to_string(hits.size()) + " columns are named \"" + std::string(name) +
                     "\"; rename one in the file so the " + std::string(role) + " column is unambiguous.");
}

namespace {
// `a` null: a dry run (the profile, rolled back).
CompletenessProfile readPopulation(Engagement& e, const Actor* a, const PopulationImportRequest& req, Progress* progress) {
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
    requireWritable(e, WriteKind::Add, "importing a population", req.reason);
    const Period period = e.period();
    DateReading dates{req.dateFormat, req.dateFormat.has_value()};
    ReadOptions opts{req.sheet, req.delimiter, progress, req.headerRow, req.encoding};
    const ClientZone zone(e.timeZone());

    const db::WritebackAhead writeback(e.db());  // the commit finds the log mostly on disk already
    for (int attempt = 0; attempt < 2; ++attempt) {
        db::Transaction tx(e.db());
        const std::int64_t headBefore = AuditTrail(e.db()).head();
        PopulationWriter writer(e, req, controlId, dates, period, zone);
        SourceInfo info = readTable(req.file, opts, writer);
        if (auto again = writer.finish(info)) {
            // The whole column disagrees with its first values: read again with the column's format.
            // This transaction rolls back as it goes out of scope.
            dates = DateReading{again, true};
            continue;
        }
        auto p = loadProfile(e, writer.populationId());
        if (!a) return p;  // a dry run: the transaction rolls back as it goes out of scope
        AuditTrail(e.db()).append({0, "", a->name, "add",
                                   "population:" + std::to_string(p.populationId), "population " + std::to_string(p.populationId),
                                   "imported", std::nullopt,
                                   req.name + " for " + req.control + " from " + p.source.fileName + " (" +
                                       std::to_string(p.rows) + " rows, SHA-256 " + p.source.sha256 + ")",
                                   req.reason, "", ""});
        proof::sealWrite(e, *a, headBefore);
        tx.commit();
        return loadProfile(e, writer.populationId());
    }
    throw std::logic_error("population import did not settle on a date format");
}
}  // namespace

CompletenessProfile importPopulation(Engagement& e, const Actor& a, const PopulationImportRequest& req, Progress* progress) {
    requireMember(e, a);
    return readPopulation(e, &a, req, progress);
}

CompletenessProfile checkPopulation(Engagement& e, const PopulationImportRequest& req, Progress* progress) {
    return readPopulation(e, nullptr, req, progress);
}

CompletenessProfile loadProfile(Engagement& e, std::int64_t id) {
    auto& db = e.db();
    auto st = db.prepare(
        "SELECT p.name, c.ref, p.columns, p.key_column, p.date_column, p.amount_column, p.date_format, "
        "p.date_format_basis, p.period_start, p.period_end, p.rows, p.in_period, p.before_period, p.after_period, "
        "p.blank_keys, p.duplicate_keys, p.duplicate_rows, p.bad_dates, p.bad_amounts, p.blank_lines, p.min_date, "
        "p.max_date, p.imported_at, f.file_name, f.size, f.sha256, f.format, f.encoding, f.delimiter, f.sheet, "
        "p.blank_dates, p.date_reading, f.id "
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
    p.blankDates = st.getInt(30);
    if (auto reading = st.getOptText(31)) {
        auto j = nlohmann::json::parse(*reading);
        if (!j["time_zone"].is_null()) p.timeZone = j["time_zone"].get<std::string>();
        p.convertedTimes = j.value("converted", std::int64_t{0});
        p.localTimes = j.value("local_times", std::int64_t{0});
        for (auto& [name, n] : j["offsets"].items()) p.offsets.emplace_back(name, n.get<std::int64_t>());
    }
    p.source.layout = loadLayout(db, st.getInt(32));

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

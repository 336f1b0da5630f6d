#pragma once
// Populations: the client's listing of every occurrence of a control in the period, stored exactly
// as delivered, with the completeness profile the auditor relies on as evidence over the IPE.
//
// Storage: the records sit in population_block rows of up to 256 records each, in delivered order
// (block k holds rows 256k+1 ..). A block's `data` is
//   u32 count, u32 offset[count] (from the end of the offset table), then per record:
//   uvarint source line, uvarint flags (ItemFlag, without kDuplicateKey), zigzag varint date as days
//   since 1970-01-01, an 8-byte little-endian double amount when the population has an amount
//   column, then every cell in header order as <uvarint length><UTF-8 bytes>, exactly as delivered;
// stored compressed (workpapers/block_codec.h; blocks of files from before stored as they are).
// Duplicate keys are known only once the whole file is read; they live in population_finding and
// PopulationItems adds kDuplicateKey when it reads an item.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/dates.h"
#include "workpapers/engagement.h"
#include "workpapers/progress.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {

enum ItemFlag : std::uint32_t {
    kBeforePeriod = 1,
    kAfterPeriod = 2,
    kDuplicateKey = 4,
    kBlankKey = 8,
    kBadDate = 16,
    kBadAmount = 32,
    kBlankDate = 64,  // no date at all (an unresolved ticket): counted apart from dates that cannot be read
};

struct PopulationImportRequest {
    std::filesystem::path file;
    std::string control;  // control id as in the matrix, e.g. CM-03
    std::string name;
    std::string keyColumn;
    std::string dateColumn;
    std::optional<std::string> amountColumn;
    std::optional<std::string> sheet;
    std::optional<DatePattern> dateFormat;  // decided from the whole column when not given
    std::optional<char> delimiter;
    std::string reason;  // required after assembly
    std::optional<std::int64_t> headerRow;  // 1-based; found when not given
    std::optional<std::string> encoding;    // text files; detected when not given
    bool acceptUnreadableDates = false;     // import a column most of whose dates cannot be read (flagged)
};

struct Finding {
    std::int64_t row = 0;   // data row, 1 = first record after the header
    std::int64_t line = 0;  // text line or sheet row where it starts
    std::string key;
    std::string value;      // the date or amount that did not parse
};

struct DuplicateKey {
    std::string key;
    std::vector<std::int64_t> rows;
};

struct CompletenessProfile {
    std::int64_t populationId = 0;
    std::string name, control;
    SourceInfo source;
    std::vector<std::string> columns;
    std::string keyColumn, dateColumn;
    std::optional<std::string> amountColumn;
    std::optional<std::string> dateFormat;  // the pattern, e.g. "MM/DD/YYYY", "DD/MMM/YY"
    std::string dateFormatBasis;            // given | detected | none
    // How the dates were read: blank cells, the time zone timestamps with an offset were converted to,
    // how many were, by offset ("Z", "-07:00"), and how many carried a time but no offset (local).
    std::int64_t blankDates = 0, convertedTimes = 0, localTimes = 0;
    std::optional<std::string> timeZone;
    std::vector<std::pair<std::string, std::int64_t>> offsets;
    bool mixedOffsets() const { return offsets.size() > 1 || (!offsets.empty() && localTimes > 0); }
    Period period{};
    std::int64_t rows = 0, inPeriod = 0, beforePeriod = 0, afterPeriod = 0;
    std::int64_t blankKeys = 0, duplicateKeys = 0, duplicateRows = 0, badDates = 0, badAmounts = 0;
    std::optional<Date> minDate, maxDate;
    std::string importedAt;
    std::vector<DuplicateKey> duplicates;
    std::vector<Finding> blankKeyRows, badDateRows, badAmountRows;
};

// Reads the file once (twice when the date column's first values misled the guess), writes the
// population in one transaction, and returns its profile. On any error nothing is written.
// `a`, a signed-in team member, is recorded in the audit trail.
CompletenessProfile importPopulation(Engagement& e, const Actor& a, const PopulationImportRequest& req,
                                     Progress* progress = nullptr);
// The same reading and profile, then rolled back: what the auditor checks before importing. Writes
// nothing, so it needs no sign-in.
CompletenessProfile checkPopulation(Engagement& e, const PopulationImportRequest& req, Progress* progress = nullptr);

CompletenessProfile loadProfile(Engagement& e, std::int64_t populationId);

struct PopulationSummary {
    std::int64_t id;
    std::string control, name, fileName;
    std::int64_t rows, inPeriod;
};
std::vector<PopulationSummary> listPopulations(Engagement& e);

// One delivered record, as read back. The views live until the next call on the PopulationItems.
struct PopulationItem {
    std::int64_t row = 0, line = 0;
    std::uint32_t flags = 0;
    std::optional<Date> date;
    std::optional<double> amount;
    std::string_view key;
    std::vector<std::string_view> cells;
};

// A read-only view of a population's records: fetches only the block it needs, so a grid over a
// million rows or a pass over all of them never holds the population in memory.
class PopulationItems {
public:
    PopulationItems(Engagement& e, std::int64_t populationId);
    ~PopulationItems();
    PopulationItems(const PopulationItems&) = delete;
    PopulationItems& operator=(const PopulationItems&) = delete;

    std::int64_t rows() const { return rows_; }
    const std::vector<std::string>& columns() const { return columns_; }
    std::size_t keyColumn() const { return keyCol_; }
    std::size_t dateColumn() const { return dateCol_; }  // the date cell as delivered: at(row).cells[dateColumn()]
    const PopulationItem& at(std::int64_t row);  // 1-based
    template <typename F>
    void forEach(F&& f) {
        for (std::int64_t r = 1; r <= rows_; ++r) f(at(r));
    }

private:
    void load(std::int64_t block);
    struct Statements;
    std::unique_ptr<Statements> st_;
    std::int64_t id_, rows_ = 0;
    std::vector<std::string> columns_;
    std::size_t keyCol_ = 0, dateCol_ = 0;
    bool hasAmount_ = false;
    std::vector<std::int64_t> duplicateRows_;  // sorted
    std::int64_t loadedBlock_ = -1;
    std::string data_;
    PopulationItem item_;
};

constexpr std::int64_t kRecordsPerBlock = 256;

// Finds a header column by name: exact, then ignoring case and surrounding spaces.
std::size_t findColumn(const std::vector<std::string>& header, std::string_view name, std::string_view role,
                       const std::string& file);

}  // namespace tickmark

#pragma once
// Populations: the client's listing of every occurrence of a control in the period, stored exactly
// as delivered, with the completeness profile the auditor relies on as evidence over the IPE.
//
// Each delivered record is one population_item row. Its `record` BLOB packs every cell in header
// order as <length as unsigned LEB128><UTF-8 bytes>; item_key, item_date (ISO) and amount are the
// parsed copies. Items of one population have consecutive ids from population.first_item_id, so
// row n is id first_item_id + n - 1 and a view can fetch any row directly.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/dates.h"
#include "workpapers/engagement.h"
#include "workpapers/progress.h"
#include "workpapers/table_source.h"

namespace tickmark {

enum ItemFlag : std::uint32_t {
    kBeforePeriod = 1,
    kAfterPeriod = 2,
    kDuplicateKey = 4,
    kBlankKey = 8,
    kBadDate = 16,
    kBadAmount = 32,
};

struct PopulationImportRequest {
    std::filesystem::path file;
    std::string control;  // control id as in the matrix, e.g. CM-03
    std::string name;
    std::string keyColumn;
    std::string dateColumn;
    std::optional<std::string> amountColumn;
    std::optional<std::string> sheet;
    std::optional<DateFormat> dateFormat;  // decided from the whole column when not given
    std::optional<char> delimiter;
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
    std::optional<std::string> dateFormat;  // e.g. "MM/DD/YYYY"
    std::string dateFormatBasis;            // given | detected | none
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
CompletenessProfile importPopulation(Engagement& e, const PopulationImportRequest& req, Progress* progress = nullptr);

CompletenessProfile loadProfile(Engagement& e, std::int64_t populationId);

struct PopulationSummary {
    std::int64_t id;
    std::string control, name, fileName;
    std::int64_t rows, inPeriod;
};
std::vector<PopulationSummary> listPopulations(Engagement& e);

// Packs and unpacks a record's cells (see the layout above).
void packRecord(const std::vector<std::string_view>& cells, std::string& out);
std::vector<std::string> unpackRecord(std::string_view blob);

// Finds a header column by name: exact, then ignoring case and surrounding spaces.
std::size_t findColumn(const std::vector<std::string>& header, std::string_view name, std::string_view role,
                       const std::string& file);

}  // namespace tickmark

#pragma once
// Reads a client's table (CSV/TSV text, XLSX, ODS) as a header and a stream of records, never the
// whole file at once. Errors name the file, the line or row, and the column.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/progress.h"

namespace tickmark {

struct SourceInfo {
    std::string fileName;  // as given, for messages and the record
    std::uint64_t size = 0;
    std::string sha256;    // of the file's bytes exactly as delivered
    std::string format;    // "csv", "xlsx", "ods"
    std::string encoding;  // "UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", ...
    std::string delimiter; // text files: "," ";" "\t"
    std::string sheet;     // spreadsheets: the sheet read
    std::int64_t blankLines = 0;  // empty text lines passed over (recorded, they hold no data)
};

class TableHandler {
public:
    virtual ~TableHandler() = default;
    virtual void header(const std::vector<std::string>& names) = 0;
    // cells has exactly as many entries as the header; the views live until the call returns.
    // line: the text line (CSV) or sheet row (XLSX/ODS) where the record starts, 1-based.
    virtual void record(const std::vector<std::string_view>& cells, std::int64_t line) = 0;
};

struct ReadOptions {
    std::optional<std::string> sheet;     // spreadsheets: by name; default the first sheet
    std::optional<char> delimiter;        // text: default detected from the header line
    Progress* progress = nullptr;
};

SourceInfo readTable(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);

// The sheets of a workbook (XLSX or ODS), in order; empty for a text file.
std::vector<std::string> tableSheets(const std::filesystem::path& file);

struct TablePreview {
    SourceInfo source;  // sha256 and size are left empty: a preview reads only the start
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
// The header and the first `rows` records, for an import wizard to show before anything is imported.
TablePreview previewTable(const std::filesystem::path& file, const ReadOptions& options, std::size_t rows);

// Used by both readers: the offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalidUtf8At(std::string_view s);

// "column 3 (\"Approved by\")" for messages.
std::string describeColumn(const std::vector<std::string>& header, std::size_t index);

// Implementation entry points, chosen by readTable from the file's first bytes.
SourceInfo readTextTable(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);
SourceInfo readXlsx(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);
SourceInfo readOds(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);
std::vector<std::string> xlsxSheets(const std::filesystem::path& file);
std::vector<std::string> odsSheets(const std::filesystem::path& file);

}  // namespace tickmark

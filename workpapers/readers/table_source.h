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

// A row that is not a record: above the header (kind "above-header"), or among and below the records
// ("blank", "banner", "footnote", "total"). count > 1: that many empty rows in a run.
struct LayoutRow {
    std::int64_t row = 0;
    std::int64_t count = 1;
    std::string kind;
    std::string text;  // the row's non-empty cells joined with " | ", cut at 200 characters
};

struct TableLayout {
    std::int64_t headerRow = 0;  // 1-based line or sheet row
    std::string headerBasis;     // "given" (--header-row), "detected", "first row" (no better candidate)
    std::vector<LayoutRow> aboveHeader;
    std::vector<LayoutRow> skipped;  // listed up to kListed rows; the counts below are exact
    std::int64_t blankRows = 0, banners = 0, footnotes = 0, totals = 0, notListed = 0;
    std::vector<std::string> sheetsPassedOver;  // "Read me (no table)", "Lists (hidden)"
    static constexpr std::size_t kListed = 1000;
};

struct SourceInfo {
    std::string fileName;  // as given, for messages and the record
    std::uint64_t size = 0;
    std::string sha256;    // of the file's bytes exactly as delivered
    std::string format;    // "csv", "xlsx", "ods"
    std::string encoding;  // "UTF-8", "UTF-8 with BOM", "UTF-16LE with BOM", ...
    std::string delimiter; // text files: "," ";" "\t"
    std::string sheet;     // spreadsheets: the sheet read
    std::int64_t blankLines = 0;  // empty rows among the records, passed over (the layout lists them)
    TableLayout layout;
    // "line 12" for text, "row 12" for spreadsheets: what the client sees in their program.
    std::string rowName(std::int64_t at) const { return (format == "csv" ? "line " : "row ") + std::to_string(at); }
    // "file: line 12" or "file: sheet \"Data\", row 12".
    std::string where(std::int64_t at) const {
        return fileName + (sheet.empty() ? ": " : ": sheet \"" + sheet + "\", ") + rowName(at);
    }
};

class TableHandler {
public:
    virtual ~TableHandler() = default;
    virtual void header(const std::vector<std::string>& names) = 0;
    // cells has exactly as many entries as the header; the views live until the call returns.
    // line: the text line (CSV) or sheet row (XLSX/ODS) where the record starts, 1-based.
    virtual void record(const std::vector<std::string_view>& cells, std::int64_t line) = 0;
    // Called after header(): the column that identifies a record, when the handler knows it. It lets
    // the shaper tell a key-only record from a banner.
    virtual std::optional<std::size_t> keyColumn() const { return std::nullopt; }
    // Called before header(): the file being read (its format and sheet for messages, info.layout for
    // where the header was found and what lay above it). Lives until the read returns.
    virtual void source(const SourceInfo&) {}
};

struct ReadOptions {
    std::optional<std::string> sheet;     // spreadsheets: by name; default the first sheet
    std::optional<char> delimiter;        // text: default detected from the header line
    Progress* progress = nullptr;
    std::optional<std::int64_t> headerRow;  // 1-based; default found (after title, filter and blank rows)
    std::optional<std::string> encoding;  // text: an iconv name; default detected (BOM, UTF-8, else Windows-1252)
};

SourceInfo readTable(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);

// The sheets of a workbook (XLSX or ODS), in order; empty for a text file.
std::vector<std::string> tableSheets(const std::filesystem::path& file);

struct SheetInfo {
    std::string name;
    bool hidden = false;  // XLSX state="hidden"/"veryHidden"; ODS a table style with table:display="false"
};
// The sheets of a workbook with their visibility, in order; empty for a text file.
std::vector<SheetInfo> workbookSheets(const std::filesystem::path& file);

// What every reader refuses beyond, so that no file, however built, can take more than a bounded
// amount of memory (peak RSS stays under 256 MB): the message names the file, sheet, row and column.
struct ReadLimits {
    static constexpr std::size_t kMaxColumns = 16384;              // XFD, Excel's last column
    static constexpr std::int64_t kMaxRows = 1048576;              // Excel's last row
    static constexpr std::size_t kMaxCellBytes = std::size_t{1} << 20;   // 1 MiB of text in one cell
    static constexpr std::size_t kMaxRowBytes = std::size_t{16} << 20;   // all the cells of one row
    static constexpr std::size_t kMaxSheets = 4096;
};

struct TablePreview {
    SourceInfo source;  // sha256 and size are left empty: a preview reads only the start
    std::vector<std::string> header;
    std::vector<std::vector<std::string>> rows;
};
// The header and the first `rows` records, for an import wizard to show before anything is imported.
TablePreview previewTable(const std::filesystem::path& file, const ReadOptions& options, std::size_t rows);

// Used by both readers: the offset of the first byte that is not valid UTF-8, or npos.
std::size_t invalidUtf8At(std::string_view s);

// Used by every reader, per cell: the offset of the first control character a cell may not hold
// (NUL and the other C0 controls except tab, LF and CR; DEL; the C1 controls U+0080-U+009F in
// UTF-8), or npos. They print as nothing or move a terminal's cursor, so two keys that differ only
// by one look alike, and a cell could rewrite what the terminal shows.
std::size_t controlCharAt(std::string_view utf8);
// "U+001B (ESC)" for the control character at `at`.
std::string describeControl(std::string_view utf8, std::size_t at);

// "column 3 (\"Approved by\")" for messages.
std::string describeColumn(const std::vector<std::string>& header, std::size_t index);

// Implementation entry points, chosen by readTable from the file's first bytes.
SourceInfo readTextTable(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);
SourceInfo readXlsx(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);
SourceInfo readOds(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler);
std::vector<SheetInfo> xlsxSheetInfo(const std::filesystem::path& file);
std::vector<SheetInfo> odsSheetInfo(const std::filesystem::path& file);

}  // namespace tickmark

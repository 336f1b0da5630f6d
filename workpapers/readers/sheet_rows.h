#pragma once
// Shared by the spreadsheet readers: cell texts, column letters, the source record.
#include <cstdint>
#include <string>
#include <vector>

#include "workpapers/readers/row_shaper.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {

std::string columnLetters(std::size_t col);  // 0 -> "A", 27 -> "AB"
std::string numberText(double v);             // shortest text that reads back as the same double
// A spreadsheet's SourceInfo before reading: name, format, size and SHA-256 of the file as delivered.
SourceInfo spreadsheetSource(const std::filesystem::path& file, const std::string& format);

// The spreadsheet readers' side of the RowShaper: sheet rows as texts.
class SheetRows {
public:
    SheetRows(SourceInfo& info, const ReadOptions& options, TableHandler& handler)
        : shaper_(info, options, handler, false) {}

    // sheetRow is 1-based as the spreadsheet shows it; texts may be shorter than the header.
    void row(std::int64_t sheetRow, std::vector<std::string>& texts);
    // Throws when the sheet had no header row.
    void finish() { shaper_.finish(); }

private:
    RowShaper shaper_;
    std::vector<std::string_view> cells_;
};

}  // namespace tickmark

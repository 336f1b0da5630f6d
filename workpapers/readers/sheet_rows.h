#pragma once
// Shared by the spreadsheet readers: turns sheet rows into a header and records. The first
// non-empty row is the header; empty rows hold nothing and are passed over; a value to the right
// of the header is an error, never dropped.
#include <cstdint>
#include <string>
#include <vector>

#include "workpapers/readers/table_source.h"

namespace tickmark {

std::string columnLetters(std::size_t col);  // 0 -> "A", 27 -> "AB"
std::string numberText(double v);             // shortest text that reads back as the same double
// A spreadsheet's SourceInfo before reading: name, format, size and SHA-256 of the file as delivered.
SourceInfo spreadsheetSource(const std::filesystem::path& file, const std::string& format);

class SheetRows {
public:
    SheetRows(const SourceInfo& info, const ReadOptions& options, TableHandler& handler)
        : info_(info), options_(options), handler_(handler) {}

    // sheetRow is 1-based as the spreadsheet shows it; texts may be shorter than the header.
    void row(std::int64_t sheetRow, std::vector<std::string>& texts);
    // Throws when the sheet had no header row.
    void finish();

private:
    const SourceInfo& info_;
    const ReadOptions& options_;
    TableHandler& handler_;
    std::vector<std::string> header_;
    std::vector<std::string_view> cells_;
    std::int64_t rows_ = 0;
};

}  // namespace tickmark

#include "workpapers/readers/sheet_rows.h"

#include <charconv>

#include "workpapers/errors.h"
#include "workpapers/sha256.h"

namespace tickmark {

std::string columnLetters(std::size_t col) {
    std::string s;
    ++col;
    while (col) {
        s.insert(s.begin(), static_cast<char>('A' + (col - 1) % 26));
        col = (col - 1) / 26;
    }
    return s;
}

std::string numberText(double v) {
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v);
    return ec == std::errc() ? std::string(buf, p) : std::to_string(v);
}

SourceInfo spreadsheetSource(const std::filesystem::path& file, const std::string& format) {
    SourceInfo info;
    info.fileName = file.string();
    info.format = format;
    info.encoding = "UTF-8";
    info.size = std::filesystem::file_size(file);
    info.sha256 = sha256File(file);
    return info;
}

void SheetRows::row(std::int64_t sheetRow, std::vector<std::string>& texts) {
    cells_.assign(texts.begin(), texts.end());
    shaper_.row(sheetRow, cells_);
}

}  // namespace tickmark

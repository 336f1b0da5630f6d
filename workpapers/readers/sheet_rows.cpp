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
    std::size_t last = texts.size();
    while (last > 0 && texts[last - 1].empty()) --last;
    if (last == 0) return;
    const std::string where = info_.fileName + ": sheet \"" + info_.sheet + "\", row " + std::to_string(sheetRow);
    for (std::size_t c = 0; c < last; ++c)
        if (invalidUtf8At(texts[c]) != std::string_view::npos)
            throw InputError(where + ", column " + columnLetters(c) + ": text that is not valid UTF-8.");
    if (header_.empty()) {
        header_.assign(texts.begin(), texts.begin() + static_cast<std::ptrdiff_t>(last));
        handler_.header(header_);
        return;
    }
    if (last > header_.size())
        throw InputError(where + ", column " + columnLetters(last - 1) +
                         ": a value outside the header's columns (the header ends at column " +
                         columnLetters(header_.size() - 1) + "). Give the column a header or remove the value.");
    texts.resize(header_.size());
    cells_.assign(texts.begin(), texts.end());
    handler_.record(cells_, sheetRow);
    if (options_.progress && ++rows_ % 4096 == 0 && options_.progress->cancelled()) throw Cancelled();
}

void SheetRows::finish() {
    if (header_.empty())
        throw InputError(info_.fileName + ": sheet \"" + info_.sheet + "\" is empty; its first row must name the columns.");
}

}  // namespace tickmark

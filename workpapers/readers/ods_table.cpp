// ODS read as a stream, like XLSX: libzip inflates content.xml as expat parses it, and each row is
// handed on as soon as it closes, so a sheet is never held in memory. liborcus 0.17 was used before
// and was replaced because it could not be made safe: it ignored table:number-rows-repeated (rows
// lost without a word), accepted a content.xml cut short, and aborted the process (an exception on
// its parser thread, an out-of-bounds read behind an assertion).
//
// Repeats are expanded exactly: a row with content repeated n times is n rows, each with its own
// number; an empty repeated row only moves the row number on (LibreOffice writes ~1M of them at the
// end of a sheet); repeated cells likewise, trailing empty ones never materialised.
#include <charconv>
#include <cmath>
#include <optional>
#include <unordered_set>

#include "workpapers/errors.h"
#include "workpapers/readers/sheet_rows.h"
#include "workpapers/readers/table_source.h"
#include "workpapers/readers/zip_xml.h"

namespace tickmark {
namespace {

// Cells that repetition may add to a sheet beyond those written out: a small file cannot make the
// import run for hours (a 1,048,576-row sheet of 40 columns holds 42M cells).
#ifdef TICKMARK_FUZZING
constexpr std::uint64_t kMaxRepeatedCells = 1'000'000;  // the fuzz build: one small input may not run for minutes
#else
constexpr std::uint64_t kMaxRepeatedCells = 50'000'000;
#endif

std::optional<std::uint64_t> plainCount(const char* s, std::uint64_t max) {
    if (!s) return 1;
    std::string_view v(s);
    if (v.empty() || v.size() > 12) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n == 0 || n > max) return std::nullopt;
    return n;
}

bool digitsAt(std::string_view s, std::size_t at, std::size_t n) {
    if (at + n > s.size()) return false;
    for (std::size_t i = at; i < at + n; ++i)
        if (s[i] < '0' || s[i] > '9') return false;
    return true;
}

// office:date-value as delivered: "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SS" (fractions of a second cut).
std::string dateText(std::string_view v) {
    const bool date = v.size() >= 10 && digitsAt(v, 0, 4) && v[4] == '-' && digitsAt(v, 5, 2) && v[7] == '-' &&
                      digitsAt(v, 8, 2);
    if (date && v.size() > 19 && v[10] == 'T' && digitsAt(v, 11, 2) && v[13] == ':' && digitsAt(v, 14, 2) &&
        v[16] == ':' && digitsAt(v, 17, 2) && v[19] == '.') {
        std::size_t i = 20;
        while (i < v.size() && v[i] >= '0' && v[i] <= '9') ++i;
        if (i == v.size()) return std::string(v.substr(0, 19));
    }
    return std::string(v);
}

// office:time-value "PT14H30M05S" -> "14:30:05"; anything else as delivered.
std::string timeText(std::string_view v) {
    int h = 0, m = 0, s = 0;
    if (v.size() < 5 || !v.starts_with("PT")) return std::string(v);
    const char* p = v.data() + 2;
    const char* end = v.data() + v.size();
    auto number = [&](int& out, char unit) {
        auto [q, ec] = std::from_chars(p, end, out);
        if (ec != std::errc() || q == end || *q != unit) return false;
        p = q + 1;
        return true;
    };
    if (!number(h, 'H') || !number(m, 'M')) return std::string(v);
    auto [q, ec] = std::from_chars(p, end, s);
    if (ec != std::errc()) return std::string(v);
    p = q;
    if (p < end && *p == '.')
        for (++p; p < end && *p >= '0' && *p <= '9';) ++p;
    if (p + 1 != end || *p != 'S' || h < 0 || h > 23 || m < 0 || m > 59 || s < 0 || s > 59) return std::string(v);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%02d:%02d:%02d", h, m, s);
    return buf;
}

// Elements inside a cell whose text is not the cell's value: comments, shapes, notes.
bool skippedInCell(std::string_view n) {
    return n == "annotation" || n == "note" || n == "frame" || n == "custom-shape" || n == "rect" || n == "ellipse" ||
           n == "line" || n == "polyline" || n == "polygon" || n == "path" || n == "g" || n == "control" ||
           n == "connector" || n == "circle" || n == "measure" || n == "caption";
}

class ContentParser : public SaxParser {
public:
    // rows == nullptr: only list the sheets.
    ContentParser(const std::string& display, const std::optional<std::string>& wanted, SheetRows* rows,
                  SourceInfo* info)
        : display_(display), wanted_(wanted), rows_(rows), info_(info) {}

    std::vector<SheetInfo> sheets;
    bool found() const { return found_; }
    void finish() {
        if (rows_ && found_) rows_->finish();
    }

protected:
    void start(std::string_view name, const char** a) override {
        if (inCell_) return cellStart(name, a);
        if (name == "style") {
            const char* family = attr(a, "family");
            const char* n = attr(a, "name");
            styleName_ = family && std::string_view(family) == "table" && n ? n : "";
        } else if (name == "table-properties" && !styleName_.empty()) {
            const char* display = attr(a, "display");
            if (display && std::string_view(display) == "false") {
                if (hiddenStyles_.size() >= 65536) throw InputError(xmlWhere() + ": more than 65,536 table styles.");
                hiddenStyles_.insert(styleName_);
            }
        } else if (name == "table") {
            if (++tableDepth_ > 1) return;  // a table inside a cell is not a row of the sheet
            const char* n = attr(a, "name");
            const char* style = attr(a, "style-name");
            if (sheets.size() >= ReadLimits::kMaxSheets)
                throw InputError(xmlWhere() + ": more than " + std::to_string(ReadLimits::kMaxSheets) +
                                 " sheets; the file is damaged or built to exhaust memory.");
            sheets.push_back({n ? n : "", style && hiddenStyles_.count(style) > 0});
            active_ = rows_ && !found_ && (!wanted_ || sheets.back().name == *wanted_);
            if (active_) {
                found_ = true;
                info_->sheet = sheets.back().name;
                where_ = display_ + ": sheet \"" + info_->sheet + "\"";
            }
            nextRow_ = 1;
        } else if (!active_ || tableDepth_ != 1) {
            return;
        } else if (name == "table-row") {
            if (inRow_) throw InputError(where_ + ", row " + std::to_string(nextRow_) + ": a row inside a row; the file is damaged.");
            auto n = plainCount(attr(a, "number-rows-repeated"), static_cast<std::uint64_t>(ReadLimits::kMaxRows));
            if (!n)
                throw InputError(where_ + ", row " + std::to_string(nextRow_) + ": a row repeated " +
                                 quotedAttr(attr(a, "number-rows-repeated")) +
                                 " times, which is not a count from 1 to 1,048,576 (the rows a sheet has); the file is "
                                 "damaged.");
            rowRepeat_ = *n;
            inRow_ = true;
            col_ = 0;
            rowBytes_ = 0;
            filled_ = 0;
            texts_.clear();
        } else if (inRow_ && (name == "table-cell" || name == "covered-table-cell")) {
            auto n = plainCount(attr(a, "number-columns-repeated"), ReadLimits::kMaxColumns);
            if (!n)
                throw InputError(where_ + ", row " + std::to_string(nextRow_) + ", column " + columnName(col_) +
                                 ": a cell repeated " + quotedAttr(attr(a, "number-columns-repeated")) +
                                 " times, which is not a count from 1 to 16,384 (the columns a sheet has); the file is "
                                 "damaged.");
            colRepeat_ = *n;
            inCell_ = true;
            cellDepth_ = 0;
            paragraphs_ = 0;
            inP_ = skip_ = 0;
            cellText_.clear();
            valueText_.reset();
            const char* type = attr(a, "value-type");
            std::string_view t = type ? type : "";
            if (t == "float" || t == "percentage" || t == "currency") {
                if (const char* v = attr(a, "value")) {
                    double d = 0;
                    std::string_view s(v);
                    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), d);
                    valueText_ = ec == std::errc() && p == s.data() + s.size() && std::isfinite(d) ? numberText(d)
                                                                                                 : std::string(s);
                }
            } else if (t == "date") {
                if (const char* v = attr(a, "date-value")) valueText_ = dateText(v);
            } else if (t == "time") {
                if (const char* v = attr(a, "time-value")) valueText_ = timeText(v);
            } else if (t == "boolean") {
                if (const char* v = attr(a, "boolean-value"))
                    valueText_ = std::string_view(v) == "true" || std::string_view(v) == "1" ? "TRUE" : "FALSE";
            } else if (t == "string") {
                if (const char* v = attr(a, "string-value")) stringValue_ = v;
                else stringValue_.reset();
            }
            if (t != "string") stringValue_.reset();
            if (valueText_ && valueText_->size() > ReadLimits::kMaxCellBytes) throw cellTooLarge();
        }
    }

    void end(std::string_view name) override {
        if (inCell_) {
            if (cellDepth_ > 0) return cellEnd(name);
            inCell_ = false;
            return endCell();
        }
        if (name == "style") {
            styleName_.clear();
        } else if (name == "table") {
            if (tableDepth_-- > 1) return;
            active_ = false;
        } else if (active_ && tableDepth_ == 1 && name == "table-row" && inRow_) {
            inRow_ = false;
            endRow();
        }
    }

    void text(std::string_view s) override {
        if (inCell_ && inP_ > 0 && skip_ == 0) add(s);
    }

private:
    static std::string quotedAttr(const char* v) {
        std::string s(v ? v : "");
        if (s.size() > 24) s = s.substr(0, 24) + "...";
        for (char& c : s)
            if (static_cast<unsigned char>(c) < 0x20) c = '?';
        return "\"" + s + "\"";
    }
    static std::string columnName(std::uint64_t col) {
        return col < ReadLimits::kMaxColumns ? columnLetters(static_cast<std::size_t>(col))
                                             : std::to_string(col + 1) + " (beyond XFD)";
    }
    InputError cellTooLarge() const {
        return InputError(where_ + ", row " + std::to_string(nextRow_) + ", column " + columnName(col_) +
                          ": a value of more than 1 MiB, the limit per cell. Shorten it in the workbook.");
    }

    void add(std::string_view s) {
        if (cellText_.size() + s.size() > ReadLimits::kMaxCellBytes) throw cellTooLarge();
        cellText_.append(s);
    }

    void cellStart(std::string_view name, const char** a) {
        ++cellDepth_;
        if (skip_ > 0 || skippedInCell(name)) {
            ++skip_;
            return;
        }
        if (name == "p" || name == "h") {
            if (inP_ == 0 && paragraphs_++ > 0) add("\n");
            ++inP_;
        } else if (inP_ == 0) {
            return;
        } else if (name == "s") {
            auto c = plainCount(attr(a, "c"), ReadLimits::kMaxCellBytes);
            if (!c) throw cellTooLarge();
            if (cellText_.size() + *c > ReadLimits::kMaxCellBytes) throw cellTooLarge();
            cellText_.append(static_cast<std::size_t>(*c), ' ');
        } else if (name == "tab") {
            add("\t");
        } else if (name == "line-break") {
            add("\n");
        }
    }

    void cellEnd(std::string_view name) {
        --cellDepth_;
        if (skip_ > 0) {
            --skip_;
            return;
        }
        if ((name == "p" || name == "h") && inP_ > 0) --inP_;
    }

    void endCell() {
        std::string t = valueText_ ? std::move(*valueText_)
                                   : (cellText_.empty() && stringValue_ ? std::move(*stringValue_) : std::move(cellText_));
        const std::uint64_t first = col_;
        col_ += colRepeat_;
        if (t.empty()) return;  // empty cells, repeated or not, only move the column on
        if (col_ > ReadLimits::kMaxColumns)
            throw InputError(where_ + ", row " + std::to_string(nextRow_) + ", column " + columnName(col_ - 1) +
                             ": a value beyond column XFD (16,384 columns), the last a sheet has; the file is damaged.");
        if (t.size() > ReadLimits::kMaxCellBytes) throw cellTooLarge();
        for (std::uint64_t c = first; c < texts_.size() && c < col_; ++c) rowBytes_ -= texts_[c].size();
        rowBytes_ += t.size() * colRepeat_;
        if (rowBytes_ > ReadLimits::kMaxRowBytes)
            throw InputError(where_ + ", row " + std::to_string(nextRow_) + ", column " + columnName(col_ - 1) +
                             ": the row holds more than 16 MiB of text, the limit per row.");
        if (texts_.size() < col_) texts_.resize(static_cast<std::size_t>(col_));
        for (std::uint64_t c = first; c < col_; ++c) texts_[c] = t;
        filled_ += colRepeat_;
        repeated_ += colRepeat_ - 1;
    }

    void endRow() {
        const std::int64_t at = nextRow_;
        nextRow_ += static_cast<std::int64_t>(rowRepeat_);
        if (texts_.empty()) return;  // empty rows, repeated or not, only move the row number on
        if (nextRow_ - 1 > ReadLimits::kMaxRows)
            throw InputError(where_ + ", row " + std::to_string(nextRow_ - 1) +
                             ": a row with values beyond row 1,048,576, the last a sheet has; the file is damaged.");
        repeated_ += static_cast<std::uint64_t>(filled_) * (rowRepeat_ - 1);
        if (repeated_ > kMaxRepeatedCells)
            throw InputError(where_ + ", row " + std::to_string(at) + ": repeated rows and cells add more than " +
                             std::to_string(kMaxRepeatedCells) +
                             " cells to the sheet; the file is built to make the import run for hours. Export the "
                             "sheet as CSV and import that if it is genuine.");
        for (std::int64_t r = at; r < nextRow_; ++r) rows_->row(r, texts_);
    }

    std::string display_, where_;
    const std::optional<std::string>& wanted_;
    SheetRows* rows_;
    SourceInfo* info_;
    std::string styleName_;
    std::unordered_set<std::string> hiddenStyles_;
    int tableDepth_ = 0;
    bool found_ = false, active_ = false, inRow_ = false, inCell_ = false;
    std::int64_t nextRow_ = 1;
    std::uint64_t rowRepeat_ = 1, colRepeat_ = 1, col_ = 0, filled_ = 0, repeated_ = 0;
    std::size_t rowBytes_ = 0;
    int cellDepth_ = 0, inP_ = 0, skip_ = 0, paragraphs_ = 0;
    std::string cellText_;
    std::optional<std::string> valueText_, stringValue_;
    std::vector<std::string> texts_;
};

void requireContent(ZipPackage& zip) {
    if (!zip.has("content.xml"))
        throw InputError(zip.display() + ": not an OpenDocument spreadsheet (it has no content.xml). Open it in "
                                         "LibreOffice and save it again, or export it as CSV.");
}

}  // namespace

std::vector<SheetInfo> odsSheetInfo(const std::filesystem::path& file) {
    const std::string name = file.string();
    ZipPackage zip(file, name, "OpenDocument spreadsheet");
    requireContent(zip);
    std::optional<std::string> none;
    ContentParser content(name, none, nullptr, nullptr);
    content.parse(zip, "content.xml");
    return content.sheets;
}


SourceInfo readOds(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler) {
    SourceInfo info = spreadsheetSource(file, "ods");
    ZipPackage zip(file, info.fileName, "OpenDocument spreadsheet");
    requireContent(zip);
    SheetRows rows(info, options, handler);
    ContentParser content(info.fileName, options.sheet, &rows, &info);
    content.parse(zip, "content.xml", options.progress);
    if (content.sheets.empty())
        throw InputError(info.fileName + ": the workbook has no sheets. Open it in LibreOffice and check it is the file "
                                         "the client meant to send.");
    if (!content.found()) {
        std::string listing;
        for (auto& s : content.sheets) listing += (listing.empty() ? "\"" : ", \"") + s.name + "\"";
        throw InputError(info.fileName + ": no sheet named \"" + options.sheet.value_or("") + "\"; the workbook has " +
                         listing + ". Name one with --sheet.");
    }
    content.finish();
    return info;
}

}  // namespace tickmark

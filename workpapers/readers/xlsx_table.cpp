// XLSX read with libzip (inflates a part as we read it) and expat (SAX), so a sheet is never held
// whole in memory. orcus 0.17 was tried first: it drops inline strings (how openpyxl and pandas
// write text) and sheets behind absolute relationship targets, both without a word.
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <deque>
#include <exception>
#include <memory>
#include <unordered_map>

#include "workpapers/dates.h"
#include "workpapers/errors.h"
#include "workpapers/sha256.h"
#include "workpapers/readers/sheet_rows.h"
#include "workpapers/readers/table_source.h"
#include "workpapers/readers/zip_xml.h"

namespace tickmark {
namespace {

// A non-negative decimal integer with nothing else around it ("12", not "1e23", "-1" or "12a").
std::optional<std::uint64_t> plainNumber(const char* s, std::uint64_t max) {
    if (!s) return std::nullopt;
    std::string_view v(s);
    if (v.empty() || v.size() > 12) return std::nullopt;
    std::uint64_t n = 0;
    for (char c : v) {
        if (c < '0' || c > '9') return std::nullopt;
        n = n * 10 + static_cast<std::uint64_t>(c - '0');
    }
    if (n > max) return std::nullopt;
    return n;
}

std::string quoted(const char* s) {
    std::string v(s ? s : "");
    if (v.size() > 40) v = v.substr(0, 40) + "...";
    std::string out = "\"";
    for (unsigned char c : v) {
        if (c < 0x20 || c == 0x7F) {
            char b[8];
            std::snprintf(b, sizeof b, "\\x%02x", c);
            out += b;
        } else {
            out += static_cast<char>(c);
        }
    }
    return out + "\"";
}

// Excel writes characters XML cannot hold (most control characters) as "_xHHHH_", and a literal
// "_x" followed by four hex digits and "_" with its underscore as "_x005F_". Decoded here so a cell
// reads as the client's program shows it (and the control check sees what is really there).
void decodeEscapes(std::string& s) {
    if (s.find("_x") == std::string::npos) return;
    auto hex = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        if (c >= 'A' && c <= 'F') return c - 'A' + 10;
        return -1;
    };
    std::string out;
    out.reserve(s.size());
    for (std::size_t i = 0; i < s.size();) {
        if (i + 7 <= s.size() && s[i] == '_' && s[i + 1] == 'x' && s[i + 6] == '_') {
            int h[4] = {hex(s[i + 2]), hex(s[i + 3]), hex(s[i + 4]), hex(s[i + 5])};
            if (h[0] >= 0 && h[1] >= 0 && h[2] >= 0 && h[3] >= 0) {
                const unsigned cp = static_cast<unsigned>(h[0] << 12 | h[1] << 8 | h[2] << 4 | h[3]);
                if (cp < 0xD800 || cp > 0xDFFF) {
                    if (cp < 0x80) {
                        out += static_cast<char>(cp);
                    } else if (cp < 0x800) {
                        out += static_cast<char>(0xC0 | (cp >> 6));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    } else {
                        out += static_cast<char>(0xE0 | (cp >> 12));
                        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
                        out += static_cast<char>(0x80 | (cp & 0x3F));
                    }
                    i += 7;
                    continue;
                }
            }
        }
        out += s[i++];
    }
    s = std::move(out);
}

// A .rels part: relationship id -> (type, resolved part name).
struct Relationship {
    std::string type, target;
};

constexpr std::size_t kMaxRelationships = 65536;

class RelsParser : public SaxParser {
public:
    explicit RelsParser(std::string baseDir) : baseDir_(std::move(baseDir)) {}
    std::unordered_map<std::string, Relationship> rels;

protected:
    void start(std::string_view name, const char** a) override {
        if (name != "Relationship") return;
        const char* id = attr(a, "Id");
        const char* type = attr(a, "Type");
        const char* target = attr(a, "Target");
        const char* mode = attr(a, "TargetMode");
        if (!id || !type || !target || (mode && std::string_view(mode) == "External")) return;
        if (rels.size() >= kMaxRelationships)
            throw InputError(xmlWhere() + ": more than " + std::to_string(kMaxRelationships) +
                             " relationships; the file is damaged or built to exhaust memory.");
        // Absolute part names ("/xl/worksheets/sheet1.xml") are legal OPC; relative ones hang off the source's folder.
        std::filesystem::path t = target[0] == '/' ? std::filesystem::path(target + 1)
                                                   : std::filesystem::path(baseDir_) / target;
        rels[id] = {type, t.lexically_normal().generic_string()};
    }
    void end(std::string_view) override {}

private:
    std::string baseDir_;
};

std::unordered_map<std::string, Relationship> readRels(ZipPackage& zip, const std::string& part) {
    std::filesystem::path p(part);
    std::string relsPart = (p.parent_path() / "_rels" / (p.filename().string() + ".rels")).generic_string();
    if (relsPart.starts_with("/")) relsPart.erase(0, 1);
    RelsParser parser(p.parent_path().generic_string());
    if (zip.has(relsPart)) parser.parse(zip, relsPart);
    return std::move(parser.rels);
}

const Relationship* byType(const std::unordered_map<std::string, Relationship>& rels, std::string_view suffix) {
    for (auto& [id, r] : rels)
        if (std::string_view(r.type).ends_with(suffix)) return &r;
    return nullptr;
}

struct SheetEntry {
    std::string name, rid;
    bool hidden = false;
};

class WorkbookParser : public SaxParser {
public:
    std::vector<SheetEntry> sheets;
    bool date1904 = false;

protected:
    void start(std::string_view name, const char** a) override {
        if (name == "sheet") {
            const char* n = attr(a, "name");
            const char* rid = attr(a, "id");
            const char* state = attr(a, "state");
            if (sheets.size() >= ReadLimits::kMaxSheets)
                throw InputError(xmlWhere() + ": more than " + std::to_string(ReadLimits::kMaxSheets) +
                                 " sheets; the file is damaged or built to exhaust memory.");
            if (n && rid) sheets.push_back({n, rid, state && std::string_view(state) != "visible"});
        } else if (name == "workbookPr") {
            const char* d = attr(a, "date1904");
            date1904 = d && (std::string_view(d) == "1" || std::string_view(d) == "true");
        }
    }
    void end(std::string_view) override {}
};

// The shared-string table, compact: the texts end to end in fixed blocks (no reallocation, so no
// moment with two copies) and one 32-bit end offset per string. Capped in count and bytes.
class SharedStrings {
public:
    static constexpr std::size_t kMaxCount = 12'000'000;
    static constexpr std::size_t kMaxBytes = std::size_t{96} << 20;

    std::size_t size() const { return ends_.size(); }
    std::size_t bytes() const { return used_; }
    void append(std::string_view s) {
        std::size_t left = s.size();
        const char* p = s.data();
        while (left) {
            if (used_ == blocks_.size() * kBlock) blocks_.push_back(std::make_unique<char[]>(kBlock));
            const std::size_t at = used_ % kBlock, n = std::min(left, kBlock - at);
            std::memcpy(blocks_.back().get() + at, p, n);
            used_ += n, p += n, left -= n;
        }
    }
    void close() { ends_.push_back(static_cast<std::uint32_t>(used_)); }
    // Copies string i into out.
    void copy(std::size_t i, std::string& out) const {
        std::size_t begin = i ? ends_[i - 1] : 0;
        const std::size_t end = ends_[i];
        out.clear();
        out.reserve(end - begin);
        while (begin < end) {
            const std::size_t at = begin % kBlock, n = std::min(end - begin, kBlock - at);
            out.append(blocks_[begin / kBlock].get() + at, n);
            begin += n;
        }
    }

private:
    static constexpr std::size_t kBlock = std::size_t{4} << 20;
    std::vector<std::unique_ptr<char[]>> blocks_;
    std::deque<std::uint32_t> ends_;
    std::size_t used_ = 0;
};

class SharedStringsParser : public SaxParser {
public:
    SharedStrings strings;

protected:
    void start(std::string_view name, const char**) override {
        if (name == "si") {
            if (strings.size() >= SharedStrings::kMaxCount)
                throw InputError(xmlWhere() + ": more than " + std::to_string(SharedStrings::kMaxCount) +
                                 " shared strings, the limit this reader holds in memory. Export the sheet as CSV "
                                 "and import that.");
            inSi_ = true;
            cur_.clear();
        } else if (name == "t") {
            inT_ = true;
        } else if (name == "rPh") {
            inPhonetic_ = true;  // furigana guides are not part of the text
        }
    }
    void end(std::string_view name) override {
        if (name == "si" && inSi_) {
            decodeEscapes(cur_);
            if (strings.bytes() + cur_.size() > SharedStrings::kMaxBytes)
                throw InputError(xmlWhere() + ": the shared strings hold more than " +
                                 std::to_string(SharedStrings::kMaxBytes >> 20) +
                                 " MiB of text, the limit this reader holds in memory. Export the sheet as CSV and "
                                 "import that.");
            strings.append(cur_);
            strings.close();
            inSi_ = false;
        } else if (name == "t") {
            inT_ = false;
        } else if (name == "rPh") {
            inPhonetic_ = false;
        }
    }
    void text(std::string_view s) override {
        if (!inSi_ || !inT_ || inPhonetic_) return;
        if (cur_.size() + s.size() > ReadLimits::kMaxCellBytes)
            throw InputError(xmlWhere() + ": shared string " + std::to_string(strings.size()) +
                             " holds more than 1 MiB of text, the limit per cell. Shorten it in the workbook.");
        cur_.append(s);
    }

private:
    std::string cur_;
    bool inSi_ = false, inT_ = false, inPhonetic_ = false;
};

// Excel's built-in date/time number formats, and custom codes that show a day, a year or a time.
bool isDateFormat(unsigned id, std::string_view code) {
    if ((id >= 14 && id <= 22) || (id >= 45 && id <= 47) || (id >= 27 && id <= 36) || (id >= 50 && id <= 58)) return true;
    bool inQuote = false, inBracket = false;
    for (std::size_t i = 0; i < code.size(); ++i) {
        char c = static_cast<char>(std::tolower(static_cast<unsigned char>(code[i])));
        if (c == '"') inQuote = !inQuote;
        else if (inQuote) continue;
        else if (c == '\\') ++i;
        else if (c == '[') inBracket = true;
        else if (c == ']') inBracket = false;
        else if (!inBracket && (c == 'd' || c == 'y' || c == 'h' || c == 's')) return true;
    }
    return false;
}

// Excel allows 64,000 cell formats in a workbook.
constexpr std::size_t kMaxFormats = 65536;

class StylesParser : public SaxParser {
public:
    std::vector<bool> xfIsDate;

protected:
    void start(std::string_view name, const char** a) override {
        if (name == "numFmt") {
            auto id = plainNumber(attr(a, "numFmtId"), 0xFFFFFFFFu);
            const char* code = attr(a, "formatCode");
            if (custom_.size() >= kMaxFormats) throw tooMany("number formats");
            if (id) custom_[static_cast<unsigned>(*id)] = code ? code : "";
        } else if (name == "cellXfs") {
            inCellXfs_ = true;
        } else if (name == "xf" && inCellXfs_) {
            auto id = plainNumber(attr(a, "numFmtId"), 0xFFFFFFFFu);
            unsigned fmt = id ? static_cast<unsigned>(*id) : 0;
            auto it = custom_.find(fmt);
            if (xfIsDate.size() >= kMaxFormats) throw tooMany("cell formats");
            xfIsDate.push_back(isDateFormat(fmt, it == custom_.end() ? std::string_view() : std::string_view(it->second)));
        }
    }
    void end(std::string_view name) override {
        if (name == "cellXfs") inCellXfs_ = false;
    }

private:
    InputError tooMany(const char* what) const {
        return InputError(xmlWhere() + ": more than " + std::to_string(kMaxFormats) + " " + what +
                          " (Excel allows 64,000); the file is damaged or built to exhaust memory.");
    }
    std::unordered_map<unsigned, std::string> custom_;
    bool inCellXfs_ = false;
};

std::string serialDateText(double serial, bool date1904) {
    std::optional<Date> date;
    if (date1904) {
        if (serial >= 0 && serial < 2957003)
            date = dateFromDays(daysSinceEpoch(Date{std::chrono::year{1904}, std::chrono::January, std::chrono::day{1}}) +
                                static_cast<std::int64_t>(std::floor(serial)));
    } else {
        date = excelSerialToDate(serial);
    }
    if (!date) return numberText(serial);
    long secs = std::lround((serial - std::floor(serial)) * 86400.0);
    if (secs >= 86400) secs = 86399;
    if (secs == 0) return isoString(*date);
    char buf[32];
    std::snprintf(buf, sizeof buf, "T%02ld:%02ld:%02ld", secs / 3600, secs / 60 % 60, secs % 60);
    return isoString(*date) + buf;
}

// A cell reference's column, 0-based: "AB12" -> 27. At most three letters and no further than XFD
// (16,384 columns); nullopt for anything else, so "ZZZZZZ2" can neither overflow nor name a wrong column.
std::optional<std::size_t> columnOf(const char* ref) {
    std::size_t col = 0, letters = 0;
    const char* p = ref;
    for (; std::isalpha(static_cast<unsigned char>(*p)); ++p) {
        if (++letters > 3) return std::nullopt;
        col = col * 26 + static_cast<std::size_t>(std::toupper(static_cast<unsigned char>(*p)) - 'A' + 1);
    }
    if (letters == 0 || col > ReadLimits::kMaxColumns) return std::nullopt;
    for (; *p; ++p)
        if (!std::isdigit(static_cast<unsigned char>(*p))) return std::nullopt;
    return col - 1;
}

class SheetParser : public SaxParser {
public:
    SheetParser(const SharedStrings& strings, const std::vector<bool>& xfIsDate, bool date1904, SheetRows& rows,
                const std::string& where)
        : strings_(strings), xfIsDate_(xfIsDate), date1904_(date1904), rows_(rows), where_(where) {}

    void finish() { rows_.finish(); }

protected:
    void start(std::string_view name, const char** a) override {
        if (name == "row") {
            const char* r = attr(a, "r");
            std::int64_t n = row_ + 1;
            if (r) {
                auto v = plainNumber(r, static_cast<std::uint64_t>(ReadLimits::kMaxRows));
                if (!v || *v == 0)
                    throw InputError(where_ + ": a row numbered " + quoted(r) +
                                     ", which is not a row number (1 to 1,048,576, digits only); the file is damaged. "
                                     "Open it in Excel or LibreOffice and save it again.");
                n = static_cast<std::int64_t>(*v);
            }
            if (n > ReadLimits::kMaxRows)
                throw InputError(where_ + ", row " + std::to_string(n) + ": beyond row 1,048,576, the last row a sheet has.");
            if (n <= row_)
                throw InputError(where_ + ", row " + std::to_string(n) +
                                 ": rows are stored out of order; open and save the workbook in Excel or LibreOffice, "
                                 "then import again.");
            row_ = n;
            col_ = -1;
            texts_.clear();
            rowBytes_ = 0;
            inRow_ = true;
        } else if (name == "c") {
            if (!inRow_)
                throw InputError(where_ + ": a cell outside any row; the file is damaged.");
            const char* ref = attr(a, "r");
            if (ref) {
                auto c = columnOf(ref);
                if (!c)
                    throw InputError(where_ + ", row " + std::to_string(row_) + ": a cell at " + quoted(ref) +
                                     ", which is not a cell of a sheet (columns A to XFD, 16,384 at most); the file "
                                     "is damaged.");
                col_ = static_cast<long>(*c);
            } else {
                if (static_cast<std::size_t>(col_ + 1) >= ReadLimits::kMaxColumns)
                    throw InputError(where_ + ", row " + std::to_string(row_) +
                                     ": a cell beyond column XFD (16,384 columns), the last a sheet has.");
                ++col_;
            }
            const char* t = attr(a, "t");
            type_ = t ? t : "n";
            auto s = plainNumber(attr(a, "s"), 0xFFFFFFFFu);
            style_ = s ? static_cast<std::size_t>(*s) : 0;
            value_.clear();
            formula_.clear();
            inV_ = inIsT_ = inF_ = false;
        } else if (name == "f") {
            inF_ = true;
        } else if (name == "v") {
            inV_ = true;
        } else if (name == "is") {
            inIs_ = true;
        } else if (name == "t" && inIs_) {
            inIsT_ = true;
        } else if (name == "rPh") {
            inPhonetic_ = true;
        }
    }

    void end(std::string_view name) override {
        if (name == "v") inV_ = false;
        else if (name == "f") inF_ = false;
        else if (name == "t") inIsT_ = false;
        else if (name == "is") inIs_ = false;
        else if (name == "rPh") inPhonetic_ = false;
        else if (name == "c") endCell();
        else if (name == "row") {
            inRow_ = false;
            rows_.row(row_, texts_);
        }
    }

    void text(std::string_view s) override {
        std::string* into = nullptr;
        if (inV_ || (inIsT_ && !inPhonetic_)) into = &value_;
        else if (inF_) into = &formula_;
        if (!into) return;
        if (into->size() + s.size() > ReadLimits::kMaxCellBytes) throw cellTooLarge();
        into->append(s);
    }

private:
    std::string cellWhere() const {
        return where_ + ", row " + std::to_string(row_) + ", column " + columnLetters(static_cast<std::size_t>(col_));
    }
    InputError cellTooLarge() const {
        return InputError(cellWhere() + ": a value of more than 1 MiB, the limit per cell. Shorten it in the workbook.");
    }

    void endCell() {
        std::string t;
        if (type_ == "s") {
            auto i = plainNumber(value_.c_str(), 0xFFFFFFFFu);
            if (!i || *i >= strings_.size())
                throw InputError(cellWhere() + ": refers to a shared string the workbook does not have; the file is damaged.");
            strings_.copy(static_cast<std::size_t>(*i), t);
        } else if (type_ == "b") {
            t = value_ == "1" ? "TRUE" : (value_.empty() ? "" : "FALSE");
        } else if (type_ == "n" && !value_.empty()) {
            double v = 0;
            auto [p, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), v);
            if (ec != std::errc() || !std::isfinite(v)) t = value_;
            else if (style_ < xfIsDate_.size() && xfIsDate_[style_]) t = serialDateText(v, date1904_);
            else t = value_;  // the number exactly as Excel stored it
        } else {
            t = std::move(value_);  // inlineStr, str (a formula's text), e (#N/A...), d (ISO date)
            if (type_ == "inlineStr" || type_ == "str") decodeEscapes(t);
        }
        // A formula saved without its result (as openpyxl writes them) keeps its text, not a blank.
        if (t.empty() && !formula_.empty()) t = "=" + formula_;
        if (t.size() > ReadLimits::kMaxCellBytes) throw cellTooLarge();
        auto c = static_cast<std::size_t>(col_);
        if (c < texts_.size()) rowBytes_ -= texts_[c].size();
        rowBytes_ += t.size();
        if (rowBytes_ > ReadLimits::kMaxRowBytes)
            throw InputError(cellWhere() + ": the row holds more than 16 MiB of text, the limit per row.");
        if (c >= texts_.size()) texts_.resize(c + 1);
        texts_[c] = std::move(t);
        value_.clear();
    }

    const SharedStrings& strings_;
    const std::vector<bool>& xfIsDate_;
    bool date1904_;
    SheetRows& rows_;
    std::string where_;
    std::int64_t row_ = 0;
    long col_ = -1;
    std::string type_, value_, formula_;
    std::size_t style_ = 0, rowBytes_ = 0;
    bool inRow_ = false, inV_ = false, inF_ = false, inIs_ = false, inIsT_ = false, inPhonetic_ = false;
    std::vector<std::string> texts_;
};

struct Workbook {
    std::string workbookPart;
    WorkbookParser parsed;
};

void readWorkbookPart(ZipPackage& zip, Workbook& wb) {
    auto root = readRels(zip, "");
    const Relationship* doc = byType(root, "/officeDocument");
    wb.workbookPart = doc ? doc->target : "xl/workbook.xml";
    if (!zip.has(wb.workbookPart))
        throw InputError(zip.display() + ": not an XLSX workbook (no " + wb.workbookPart + "). Save it as .xlsx or CSV.");
    wb.parsed.parse(zip, wb.workbookPart);
}

}  // namespace

std::vector<SheetInfo> xlsxSheetInfo(const std::filesystem::path& file) {
    ZipPackage zip(file, file.string(), "XLSX workbook");
    Workbook wb;
    readWorkbookPart(zip, wb);
    std::vector<SheetInfo> out;
    for (auto& s : wb.parsed.sheets) out.push_back({s.name, s.hidden});
    return out;
}


SourceInfo readXlsx(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler) {
    SourceInfo info = spreadsheetSource(file, "xlsx");
    const std::string& name = info.fileName;

    ZipPackage zip(file, name, "XLSX workbook");
    Workbook wb;
    readWorkbookPart(zip, wb);
    auto& workbook = wb.parsed;
    auto rels = readRels(zip, wb.workbookPart);

    if (workbook.sheets.empty())
        throw InputError(name + ": the workbook has no sheets. Open it in Excel or LibreOffice and check it is the file "
                                "the client meant to send.");
    const SheetEntry* chosen = nullptr;
    std::string listing;
    for (auto& s : workbook.sheets) {
        listing += (listing.empty() ? "\"" : ", \"") + s.name + "\"";
        if (!chosen && (!options.sheet || s.name == *options.sheet)) chosen = &s;
    }
    if (!chosen)
        throw InputError(name + ": no sheet named \"" + options.sheet.value_or("") + "\"; the workbook has " + listing +
                         ". Name one with --sheet.");
    auto sheetRel = rels.find(chosen->rid);
    if (sheetRel == rels.end() || !zip.has(sheetRel->second.target))
        throw InputError(name + ": the data of sheet \"" + chosen->name + "\" is missing; the file is damaged.");
    info.sheet = chosen->name;

    SharedStringsParser strings;
    if (auto* r = byType(rels, "/sharedStrings"); r && zip.has(r->target)) strings.parse(zip, r->target);
    StylesParser styles;
    if (auto* r = byType(rels, "/styles"); r && zip.has(r->target)) styles.parse(zip, r->target);

    SheetRows rows(info, options, handler);
    SheetParser sheet(strings.strings, styles.xfIsDate, workbook.date1904, rows,
                      name + ": sheet \"" + chosen->name + "\"");
    sheet.parse(zip, sheetRel->second.target, options.progress);
    sheet.finish();
    return info;
}

}  // namespace tickmark

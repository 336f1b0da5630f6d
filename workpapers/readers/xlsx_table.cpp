// XLSX read with libzip (inflates a part as we read it) and expat (SAX), so a sheet is never held
// whole in memory. orcus 0.17 was tried first: it drops inline strings (how openpyxl and pandas
// write text) and sheets behind absolute relationship targets, both without a word.
#include <expat.h>
#include <zip.h>

#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <exception>
#include <unordered_map>

#include "workpapers/dates.h"
#include "workpapers/errors.h"
#include "workpapers/sha256.h"
#include "workpapers/readers/sheet_rows.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {
namespace {

std::string_view localName(const char* qname) {
    std::string_view n(qname);
    auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attr(const char** attrs, std::string_view local) {
    for (int i = 0; attrs[i]; i += 2)
        if (localName(attrs[i]) == local) return attrs[i + 1];
    return nullptr;
}

class ZipPackage {
public:
    ZipPackage(const std::filesystem::path& file, const std::string& display) : display_(display) {
        int err = 0;
        za_ = zip_open(file.c_str(), ZIP_RDONLY, &err);
        if (!za_)
            throw InputError(display_ + ": not a readable XLSX workbook (the zip container is damaged). Open it in "
                                        "Excel or LibreOffice and save it again, or export it as CSV.");
    }
    ~ZipPackage() { zip_discard(za_); }
    ZipPackage(const ZipPackage&) = delete;
    ZipPackage& operator=(const ZipPackage&) = delete;

    bool has(const std::string& name) const { return zip_name_locate(za_, name.c_str(), 0) >= 0; }

    // Streams the part through `feed(data, size, total)`.
    template <typename Feed>
    void stream(const std::string& name, Feed&& feed) {
        zip_stat_t st;
        if (zip_stat(za_, name.c_str(), 0, &st) != 0)
            throw InputError(display_ + ": the workbook part " + name + " is missing; the file is damaged.");
        zip_file_t* zf = zip_fopen(za_, name.c_str(), 0);
        if (!zf) throw InputError(display_ + ": the workbook part " + name + " cannot be opened; the file is damaged.");
        std::unique_ptr<zip_file_t, decltype(&zip_fclose)> guard(zf, &zip_fclose);
        std::vector<char> buf(1 << 16);
        for (;;) {
            zip_int64_t got = zip_fread(zf, buf.data(), buf.size());
            if (got < 0) throw InputError(display_ + ": the workbook part " + name + " cannot be inflated; the file is damaged.");
            feed(buf.data(), static_cast<std::size_t>(got), static_cast<std::uint64_t>(st.size));
            if (got == 0) break;
        }
    }

private:
    zip_t* za_ = nullptr;
    std::string display_;
};

// Runs expat over a part. Callbacks must not throw through expat's C frames: a failure is kept,
// the parser stopped, and the failure rethrown once XML_Parse returns.
class SaxParser {
public:
    virtual ~SaxParser() = default;

    void parse(ZipPackage& zip, const std::string& part, const std::string& display, Progress* progress = nullptr) {
        XML_Parser p = XML_ParserCreate("UTF-8");
        std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> guard(p, &XML_ParserFree);
        XML_SetUserData(p, this);
        XML_SetElementHandler(p, &SaxParser::onStart, &SaxParser::onEnd);
        XML_SetCharacterDataHandler(p, &SaxParser::onText);
        parser_ = p;
        std::uint64_t done = 0;
        zip.stream(part, [&](const char* data, std::size_t n, std::uint64_t total) {
            done += n;
            if (XML_Parse(p, data, static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
                if (failure_) std::rethrow_exception(failure_);
                throw InputError(display + ": " + part + " line " + std::to_string(XML_GetCurrentLineNumber(p)) +
                                 ": malformed XML (" + XML_ErrorString(XML_GetErrorCode(p)) +
                                 "). Open the workbook in Excel or LibreOffice and save it again.");
            }
            if (progress) {
                progress->update(done, total);
                if (progress->cancelled()) throw Cancelled();
            }
        });
    }

protected:
    virtual void start(std::string_view name, const char** attrs) = 0;
    virtual void end(std::string_view name) = 0;
    virtual void text(std::string_view) {}

private:
    template <typename F>
    static void guarded(void* self, F&& f) {
        auto* s = static_cast<SaxParser*>(self);
        if (s->failure_) return;
        try {
            f(*s);
        } catch (...) {
            s->failure_ = std::current_exception();
            XML_StopParser(s->parser_, XML_FALSE);
        }
    }
    static void XMLCALL onStart(void* self, const char* name, const char** attrs) {
        guarded(self, [&](SaxParser& s) { s.start(localName(name), attrs); });
    }
    static void XMLCALL onEnd(void* self, const char* name) {
        guarded(self, [&](SaxParser& s) { s.end(localName(name)); });
    }
    static void XMLCALL onText(void* self, const char* s, int len) {
        guarded(self, [&](SaxParser& p) { p.text(std::string_view(s, static_cast<std::size_t>(len))); });
    }

    XML_Parser parser_ = nullptr;
    std::exception_ptr failure_;
};

// A .rels part: relationship id -> (type, resolved part name).
struct Relationship {
    std::string type, target;
};

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
        // Absolute part names ("/xl/worksheets/sheet1.xml") are legal OPC; relative ones hang off the source's folder.
        std::filesystem::path t = target[0] == '/' ? std::filesystem::path(target + 1)
                                                   : std::filesystem::path(baseDir_) / target;
        rels[id] = {type, t.lexically_normal().generic_string()};
    }
    void end(std::string_view) override {}

private:
    std::string baseDir_;
};

std::unordered_map<std::string, Relationship> readRels(ZipPackage& zip, const std::string& part,
                                                       const std::string& display) {
    std::filesystem::path p(part);
    std::string relsPart = (p.parent_path() / "_rels" / (p.filename().string() + ".rels")).generic_string();
    if (relsPart.starts_with("/")) relsPart.erase(0, 1);
    RelsParser parser(p.parent_path().generic_string());
    if (zip.has(relsPart)) parser.parse(zip, relsPart, display);
    return std::move(parser.rels);
}

const Relationship* byType(const std::unordered_map<std::string, Relationship>& rels, std::string_view suffix) {
    for (auto& [id, r] : rels)
        if (std::string_view(r.type).ends_with(suffix)) return &r;
    return nullptr;
}

struct SheetEntry {
    std::string name, rid;
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
            if (n && rid) sheets.push_back({n, rid});
        } else if (name == "workbookPr") {
            const char* d = attr(a, "date1904");
            date1904 = d && (std::string_view(d) == "1" || std::string_view(d) == "true");
        }
    }
    void end(std::string_view) override {}
};

class SharedStringsParser : public SaxParser {
public:
    std::vector<std::string> strings;

protected:
    void start(std::string_view name, const char**) override {
        if (name == "si") cur_.clear();
        else if (name == "t") inT_ = true;
        else if (name == "rPh") inPhonetic_ = true;  // furigana guides are not part of the text
    }
    void end(std::string_view name) override {
        if (name == "si") strings.push_back(std::move(cur_));
        else if (name == "t") inT_ = false;
        else if (name == "rPh") inPhonetic_ = false;
    }
    void text(std::string_view s) override {
        if (inT_ && !inPhonetic_) cur_.append(s);
    }

private:
    std::string cur_;
    bool inT_ = false, inPhonetic_ = false;
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

class StylesParser : public SaxParser {
public:
    std::vector<bool> xfIsDate;

protected:
    void start(std::string_view name, const char** a) override {
        if (name == "numFmt") {
            const char* id = attr(a, "numFmtId");
            const char* code = attr(a, "formatCode");
            if (id) custom_[static_cast<unsigned>(std::atoi(id))] = code ? code : "";
        } else if (name == "cellXfs") {
            inCellXfs_ = true;
        } else if (name == "xf" && inCellXfs_) {
            const char* id = attr(a, "numFmtId");
            unsigned fmt = id ? static_cast<unsigned>(std::atoi(id)) : 0;
            auto it = custom_.find(fmt);
            xfIsDate.push_back(isDateFormat(fmt, it == custom_.end() ? std::string_view() : std::string_view(it->second)));
        }
    }
    void end(std::string_view name) override {
        if (name == "cellXfs") inCellXfs_ = false;
    }

private:
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

// A cell reference's column: "AB12" -> 27; -1 when there is none.
long columnOf(const char* ref) {
    if (!ref) return -1;
    long col = 0;
    const char* p = ref;
    for (; std::isalpha(static_cast<unsigned char>(*p)); ++p) col = col * 26 + (std::toupper(static_cast<unsigned char>(*p)) - 'A' + 1);
    return p == ref ? -1 : col - 1;
}

class SheetParser : public SaxParser {
public:
    SheetParser(const std::vector<std::string>& strings, const std::vector<bool>& xfIsDate, bool date1904,
                SheetRows& rows, const std::string& where)
        : strings_(strings), xfIsDate_(xfIsDate), date1904_(date1904), rows_(rows), where_(where) {}

    void finish() { rows_.finish(); }

protected:
    void start(std::string_view name, const char** a) override {
        if (name == "row") {
            const char* r = attr(a, "r");
            std::int64_t n = r ? std::atoll(r) : row_ + 1;
            if (n <= row_)
                throw InputError(where_ + ", row " + std::to_string(n) +
                                 ": rows are stored out of order; open and save the workbook in Excel or LibreOffice, "
                                 "then import again.");
            row_ = n;
            col_ = -1;
            texts_.clear();
        } else if (name == "c") {
            long c = columnOf(attr(a, "r"));
            col_ = c >= 0 ? c : col_ + 1;
            const char* t = attr(a, "t");
            type_ = t ? t : "n";
            const char* s = attr(a, "s");
            style_ = s ? static_cast<std::size_t>(std::atol(s)) : 0;
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
        else if (name == "row") rows_.row(row_, texts_);
    }

    void text(std::string_view s) override {
        if (inV_ || (inIsT_ && !inPhonetic_)) value_.append(s);
        else if (inF_) formula_.append(s);
    }

private:
    void endCell() {
        std::string t;
        if (type_ == "s") {
            char* end = nullptr;
            unsigned long i = std::strtoul(value_.c_str(), &end, 10);
            if (value_.empty() || *end || i >= strings_.size())
                throw InputError(where_ + ", row " + std::to_string(row_) + ", column " +
                                 columnLetters(static_cast<std::size_t>(col_)) +
                                 ": refers to a shared string the workbook does not have; the file is damaged.");
            t = strings_[i];
        } else if (type_ == "b") {
            t = value_ == "1" ? "TRUE" : (value_.empty() ? "" : "FALSE");
        } else if (type_ == "n" && !value_.empty()) {
            double v = 0;
            auto [p, ec] = std::from_chars(value_.data(), value_.data() + value_.size(), v);
            if (ec != std::errc()) t = value_;
            else if (style_ < xfIsDate_.size() && xfIsDate_[style_]) t = serialDateText(v, date1904_);
            else t = value_;  // the number exactly as Excel stored it
        } else {
            t = std::move(value_);  // inlineStr, str (a formula's text), e (#N/A...), d (ISO date)
        }
        // A formula saved without its result (as openpyxl writes them) keeps its text, not a blank.
        if (t.empty() && !formula_.empty()) t = "=" + formula_;
        if (col_ >= 0) {
            auto c = static_cast<std::size_t>(col_);
            if (c >= texts_.size()) texts_.resize(c + 1);
            texts_[c] = std::move(t);
        }
        value_.clear();
    }

    const std::vector<std::string>& strings_;
    const std::vector<bool>& xfIsDate_;
    bool date1904_;
    SheetRows& rows_;
    std::string where_;
    std::int64_t row_ = 0;
    long col_ = -1;
    std::string type_, value_, formula_;
    std::size_t style_ = 0;
    bool inV_ = false, inF_ = false, inIs_ = false, inIsT_ = false, inPhonetic_ = false;
    std::vector<std::string> texts_;
};

}  // namespace

std::vector<std::string> xlsxSheets(const std::filesystem::path& file) {
    const std::string name = file.string();
    ZipPackage zip(file, name);
    auto root = readRels(zip, "", name);
    const Relationship* doc = byType(root, "/officeDocument");
    const std::string workbookPart = doc ? doc->target : "xl/workbook.xml";
    if (!zip.has(workbookPart)) throw InputError(name + ": not an XLSX workbook (no " + workbookPart + ")");
    WorkbookParser workbook;
    workbook.parse(zip, workbookPart, name);
    std::vector<std::string> out;
    for (auto& s : workbook.sheets) out.push_back(s.name);
    return out;
}

SourceInfo readXlsx(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler) {
    SourceInfo info = spreadsheetSource(file, "xlsx");
    const std::string& name = info.fileName;

    ZipPackage zip(file, name);
    auto root = readRels(zip, "", name);
    const Relationship* doc = byType(root, "/officeDocument");
    const std::string workbookPart = doc ? doc->target : "xl/workbook.xml";
    if (!zip.has(workbookPart))
        throw InputError(name + ": not an XLSX workbook (no " + workbookPart + "). Save it as .xlsx or CSV.");
    WorkbookParser workbook;
    workbook.parse(zip, workbookPart, name);
    auto rels = readRels(zip, workbookPart, name);

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
    if (auto* r = byType(rels, "/sharedStrings"); r && zip.has(r->target)) strings.parse(zip, r->target, name);
    StylesParser styles;
    if (auto* r = byType(rels, "/styles"); r && zip.has(r->target)) styles.parse(zip, r->target, name);

    SheetRows rows(info, options, handler);
    SheetParser sheet(strings.strings, styles.xfIsDate, workbook.date1904, rows,
                      name + ": sheet \"" + chosen->name + "\"");
    sheet.parse(zip, sheetRel->second.target, name, options.progress);
    sheet.finish();
    return info;
}

}  // namespace tickmark

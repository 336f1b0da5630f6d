// Which reader a file needs, which sheet of a workbook holds the table, and a preview of it.
#include <fcntl.h>
#include <unistd.h>

#include <cstring>

#include "workpapers/errors.h"
#include "workpapers/readers/file_descriptor.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {

namespace {
struct PreviewFull {};
struct PreviewCollector : TableHandler {
    TablePreview& p;
    std::size_t max;
    PreviewCollector(TablePreview& preview, std::size_t rows) : p(preview), max(rows) {}
    void header(const std::vector<std::string>& names) override {
        p.header = names;
        if (max == 0) throw PreviewFull{};
    }
    void record(const std::vector<std::string_view>& cells, std::int64_t) override {
        p.rows.emplace_back(cells.begin(), cells.end());
        if (p.rows.size() >= max) throw PreviewFull{};
    }
};
enum class Package { None, Xlsx, Ods };

// A zip package is XLSX unless its uncompressed "mimetype" entry, first in the file, says OpenDocument.
Package packageOf(const std::filesystem::path& file) {
    char head[256] = {};
    FileDescriptor fd(file);
    auto n = ::read(fd.get(), head, sizeof head);
    std::string_view h(head, n > 0 ? static_cast<std::size_t>(n) : 0);
    if (h.size() < 4 || h.substr(0, 4) != std::string_view("PK\x03\x04", 4)) return Package::None;
    if (h.find("mimetype") != std::string_view::npos && h.find("application/vnd.oasis.opendocument.spreadsheet") != std::string_view::npos)
        return Package::Ods;
    return Package::Xlsx;
}
}  // namespace

std::vector<SheetInfo> workbookSheets(const std::filesystem::path& file) {
    switch (packageOf(file)) {
    case Package::Ods: return odsSheetInfo(file);
    case Package::Xlsx: return xlsxSheetInfo(file);
    case Package::None: break;
    }
    return {};
}

std::vector<std::string> tableSheets(const std::filesystem::path& file) {
    std::vector<std::string> names;
    for (auto& s : workbookSheets(file)) names.push_back(s.name);
    return names;
}

TablePreview previewTable(const std::filesystem::path& file, const ReadOptions& options, std::size_t rows) {
    TablePreview p;
    PreviewCollector c(p, rows);
    try {
        p.source = readTable(file, options, c);
    } catch (const PreviewFull&) {
        p.source.fileName = file.string();
    }
    return p;
}

namespace {
struct ProbeDone {};
// Reads a sheet only as far as its header: whether it holds a table at all.
struct SheetProbe : TableHandler {
    std::string basis;
    void source(const SourceInfo& info) override { basis = info.layout.headerBasis; }
    void header(const std::vector<std::string>&) override { throw ProbeDone{}; }
    void record(const std::vector<std::string_view>&, std::int64_t) override {}
};

// Without --sheet, the first sheet that holds a table: a cover sheet, a "How to use this workbook"
// page or a title page before the data is passed over, and the layout says so.
SourceInfo readWorkbook(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler, bool ods) {
    auto read = ods ? &readOds : &readXlsx;
    if (options.sheet) return read(file, options, handler);
    const auto sheets = ods ? odsSheetInfo(file) : xlsxSheetInfo(file);
    std::vector<std::string> passed;
    std::optional<std::string> chosen;
    for (std::size_t i = 0; sheets.size() > 1 && i < sheets.size() && !chosen; ++i) {
        // A hidden sheet (lookup lists, a pivot's cache) is not what the client meant to deliver.
        if (sheets[i].hidden) {
            passed.push_back("\"" + sheets[i].name + "\" (hidden)");
            continue;
        }
        ReadOptions probe = options;
        probe.sheet = sheets[i].name;
        probe.progress = nullptr;
        SheetProbe p;
        try {
            read(file, probe, p);
        } catch (const ProbeDone&) {
        } catch (const InputError&) {
        }
        if (p.basis == "detected" || p.basis == "given") chosen = sheets[i].name;
        else passed.push_back("\"" + sheets[i].name + "\" (no row names two or more columns over the rows below it)");
    }
    ReadOptions o = options;
    if (chosen) o.sheet = chosen;
    else passed.clear();  // no sheet holds a table: the first one's error says what is wrong
    SourceInfo info = read(file, o, handler);
    info.layout.sheetsPassedOver = std::move(passed);
    return info;
}
}  // namespace

SourceInfo readTable(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler) {
    switch (packageOf(file)) {
    case Package::Ods: return readWorkbook(file, options, handler, true);
    case Package::Xlsx: return readWorkbook(file, options, handler, false);
    case Package::None: break;
    }
    unsigned char magic[4] = {};
    {
        FileDescriptor fd(file);
        [[maybe_unused]] auto n = ::read(fd.get(), magic, sizeof magic);
    }
    if (magic[0] == 0xD0 && magic[1] == 0xCF && magic[2] == 0x11 && magic[3] == 0xE0)
        throw InputError(file.string() + ": a legacy Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV and import that.");
    return readTextTable(file, options, handler);
}

}  // namespace tickmark

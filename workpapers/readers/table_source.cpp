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
bool isZip(const std::filesystem::path& file) {
    unsigned char magic[4] = {};
    FileDescriptor fd(file);
    return ::read(fd.get(), magic, 4) == 4 && magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4;
}
}  // namespace

std::vector<std::string> tableSheets(const std::filesystem::path& file) {
    if (!isZip(file)) return {};
    char head[256] = {};
    FileDescriptor fd(file);
    auto n = ::read(fd.get(), head, sizeof head);
    std::string_view h(head, n > 0 ? static_cast<std::size_t>(n) : 0);
    if (h.find("application/vnd.oasis.opendocument.spreadsheet") != std::string_view::npos) return odsSheets(file);
    return xlsxSheets(file);
}

std::vector<SheetInfo> workbookSheets(const std::filesystem::path& file) {
    if (!isZip(file)) return {};
    char head[256] = {};
    FileDescriptor fd(file);
    auto n = ::read(fd.get(), head, sizeof head);
    std::string_view h(head, n > 0 ? static_cast<std::size_t>(n) : 0);
    if (h.find("application/vnd.oasis.opendocument.spreadsheet") != std::string_view::npos) return odsSheetInfo(file);
    return xlsxSheetInfo(file);
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
    const auto sheets = ods ? odsSheets(file) : xlsxSheets(file);
    std::vector<std::string> passed;
    std::optional<std::string> chosen;
    for (std::size_t i = 0; sheets.size() > 1 && i < sheets.size() && !chosen; ++i) {
        ReadOptions probe = options;
        probe.sheet = sheets[i];
        probe.progress = nullptr;
        SheetProbe p;
        try {
            read(file, probe, p);
        } catch (const ProbeDone&) {
        } catch (const InputError&) {
        }
        if (p.basis == "detected" || p.basis == "given") chosen = sheets[i];
        else passed.push_back("\"" + sheets[i] + "\" (no row names two or more columns over the rows below it)");
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
    unsigned char magic[8] = {};
    {
        FileDescriptor fd(file);
        [[maybe_unused]] auto n = ::read(fd.get(), magic, sizeof magic);
    }
    if (magic[0] == 'P' && magic[1] == 'K' && magic[2] == 3 && magic[3] == 4) {
        // An OpenDocument package starts with its uncompressed "mimetype" entry.
        char head[256] = {};
        FileDescriptor fd(file);
        auto n = ::read(fd.get(), head, sizeof head);
        std::string_view h(head, n > 0 ? static_cast<std::size_t>(n) : 0);
        if (h.find("mimetype") != std::string_view::npos &&
            h.find("application/vnd.oasis.opendocument.spreadsheet") != std::string_view::npos)
            return readWorkbook(file, options, handler, true);
        return readWorkbook(file, options, handler, false);
    }
    if (magic[0] == 0xD0 && magic[1] == 0xCF && magic[2] == 0x11 && magic[3] == 0xE0)
        throw InputError(file.string() + ": a legacy Excel 97-2003 (.xls) workbook; save it as .xlsx or CSV and import that.");
    return readTextTable(file, options, handler);
}

}  // namespace tickmark

// ODS through liborcus's import interfaces. orcus pushes cells as it parses content.xml; formula
// results may come after the sheet, so rows are kept (packed) until the document is read.
#include <orcus/orcus_ods.hpp>
#include <orcus/spreadsheet/import_interface.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <unordered_map>

#include "workpapers/errors.h"
#include "workpapers/sha256.h"
#include "workpapers/readers/sheet_rows.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {
namespace {

namespace iface = orcus::spreadsheet::iface;
using namespace orcus::spreadsheet;

std::string dateTimeText(int y, int mo, int d, int h, int mi, double s) {
    char buf[40];
    if (h == 0 && mi == 0 && s == 0) std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, mo, d);
    else std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d", y, mo, d, h, mi, static_cast<int>(std::lround(s)));
    return buf;
}

class SharedStrings : public iface::import_shared_strings {
public:
    std::size_t append(std::string_view s) override {
        strings_.emplace_back(s);
        return strings_.size() - 1;
    }
    std::size_t add(std::string_view s) override {
        auto it = index_.find(std::string(s));
        if (it != index_.end()) return it->second;
        std::size_t i = append(s);
        index_.emplace(strings_.back(), i);
        return i;
    }
    void set_segment_font(std::size_t) override {}
    void set_segment_bold(bool) override {}
    void set_segment_italic(bool) override {}
    void set_segment_font_name(std::string_view) override {}
    void set_segment_font_size(double) override {}
    void set_segment_font_color(color_elem_t, color_elem_t, color_elem_t, color_elem_t) override {}
    void append_segment(std::string_view s) override { segments_.append(s); }
    std::size_t commit_segments() override {
        std::size_t i = append(segments_);
        segments_.clear();
        return i;
    }
    const std::string& at(std::size_t i) const {
        static const std::string empty;
        return i < strings_.size() ? strings_[i] : empty;
    }

private:
    std::vector<std::string> strings_;
    std::unordered_map<std::string, std::size_t> index_;
    std::string segments_;
};

// One sheet's cells, as text, by row and column.
class CellStore : public iface::import_sheet, public iface::import_formula {
public:
    explicit CellStore(const SharedStrings& strings) : strings_(strings) {}

    iface::import_formula* get_formula() override { return this; }
    void set_auto(row_t r, col_t c, std::string_view s) override { put(r, c, std::string(s)); }
    void set_string(row_t r, col_t c, string_id_t i) override { put(r, c, strings_.at(i)); }
    void set_value(row_t r, col_t c, double v) override { put(r, c, numberText(v)); }
    void set_bool(row_t r, col_t c, bool v) override { put(r, c, v ? "TRUE" : "FALSE"); }
    void set_date_time(row_t r, col_t c, int y, int mo, int d, int h, int mi, double s) override {
        put(r, c, dateTimeText(y, mo, d, h, mi, s));
    }
    void set_format(row_t, col_t, std::size_t) override {}
    void set_format(row_t, col_t, row_t, col_t, std::size_t) override {}
    void fill_down_cells(row_t, col_t, row_t) override {}
    range_size_t get_sheet_size() const override { return range_size_t{1048576, 16384}; }

    void set_position(row_t r, col_t c) override { fr_ = r, fc_ = c; }
    void set_formula(formula_grammar_t, std::string_view) override {}
    void set_shared_formula_index(std::size_t) override {}
    void set_result_string(std::string_view v) override { put(fr_, fc_, std::string(v)); }
    void set_result_value(double v) override { put(fr_, fc_, numberText(v)); }
    void set_result_bool(bool v) override { put(fr_, fc_, v ? "TRUE" : "FALSE"); }
    void set_result_empty() override {}
    void commit() override {}

    void emit(SheetRows& out) {
        std::vector<std::string> texts;
        for (auto& [r, cols] : cells_) {
            texts.clear();
            for (auto& [c, v] : cols) {
                if (static_cast<std::size_t>(c) >= texts.size()) texts.resize(static_cast<std::size_t>(c) + 1);
                texts[static_cast<std::size_t>(c)] = v;
            }
            out.row(r + 1, texts);
        }
        out.finish();
    }

private:
    void put(row_t r, col_t c, std::string v) {
        if (r >= 0 && c >= 0) cells_[r][c] = std::move(v);
    }
    const SharedStrings& strings_;
    row_t fr_ = 0;
    col_t fc_ = 0;
    std::map<row_t, std::map<col_t, std::string>> cells_;
};

// The sheets not asked for: orcus insists on a sheet object for each, so this one ignores all.
class IgnoredSheet : public iface::import_sheet {
public:
    void set_auto(row_t, col_t, std::string_view) override {}
    void set_string(row_t, col_t, string_id_t) override {}
    void set_value(row_t, col_t, double) override {}
    void set_bool(row_t, col_t, bool) override {}
    void set_date_time(row_t, col_t, int, int, int, int, int, double) override {}
    void set_format(row_t, col_t, std::size_t) override {}
    void set_format(row_t, col_t, row_t, col_t, std::size_t) override {}
    void fill_down_cells(row_t, col_t, row_t) override {}
    range_size_t get_sheet_size() const override { return range_size_t{1048576, 16384}; }
};

class Factory : public iface::import_factory {
public:
    Factory(SourceInfo& info, const ReadOptions& options) : info_(info), options_(options), store_(strings_) {}

    iface::import_shared_strings* get_shared_strings() override { return &strings_; }
    iface::import_sheet* append_sheet(sheet_t index, std::string_view name) override {
        sheets_.emplace_back(name);
        bool wanted = options_.sheet ? name == *options_.sheet : chosen_ < 0;
        if (wanted && chosen_ < 0) {
            chosen_ = index;
            info_.sheet = std::string(name);
            return &store_;
        }
        return &ignored_;
    }
    iface::import_sheet* get_sheet(std::string_view name) override {
        if (chosen_ >= 0 && name == info_.sheet) return &store_;
        return std::find(sheets_.begin(), sheets_.end(), name) != sheets_.end() ? &ignored_ : nullptr;
    }
    iface::import_sheet* get_sheet(sheet_t index) override {
        if (index == chosen_) return &store_;
        return index >= 0 && static_cast<std::size_t>(index) < sheets_.size() ? &ignored_ : nullptr;
    }
    void finalize() override {}

    bool found() const { return chosen_ >= 0; }
    CellStore& store() { return store_; }
    const std::vector<std::string>& sheets() const { return sheets_; }
    std::string sheetList() const {
        std::string s;
        for (auto& n : sheets_) s += (s.empty() ? "\"" : ", \"") + n + "\"";
        return s;
    }

private:
    SourceInfo& info_;
    const ReadOptions& options_;
    SharedStrings strings_;
    CellStore store_;
    IgnoredSheet ignored_;
    std::vector<std::string> sheets_;
    sheet_t chosen_ = -1;
};

}  // namespace

std::vector<std::string> odsSheets(const std::filesystem::path& file) {
    SourceInfo info;
    info.fileName = file.string();
    ReadOptions none;
    Factory factory(info, none);
    try {
        orcus::orcus_ods loader(&factory);
        loader.read_file(file.string());
    } catch (const std::exception& e) {
        throw InputError(info.fileName + ": cannot be read as an OpenDocument spreadsheet (" + e.what() + ")");
    }
    return factory.sheets();
}

SourceInfo readOds(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler) {
    SourceInfo info = spreadsheetSource(file, "ods");
    Factory factory(info, options);
    try {
        orcus::orcus_ods loader(&factory);
        loader.read_file(file.string());
    } catch (const std::exception& e) {
        throw InputError(info.fileName + ": cannot be read as an OpenDocument spreadsheet (" + e.what() +
                         "). Open it in LibreOffice and save it again, or export it as CSV.");
    }
    if (!factory.found())
        throw InputError(info.fileName + ": no sheet named \"" + options.sheet.value_or("") + "\"; the workbook has " +
                         factory.sheetList() + ". Name one with --sheet.");
    SheetRows rows(info, options, handler);
    factory.store().emit(rows);
    return info;
}

}  // namespace tickmark

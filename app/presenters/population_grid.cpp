#include "app/presenters/population_grid.h"

#include "app/presenters/text_match.h"

#include <algorithm>
#include <cctype>
#include <numeric>
#include <string_view>

#include "workpapers/errors.h"

namespace tickmark::desk {

std::string flagText(std::uint32_t f) {
    std::string s;
    auto add = [&](const char* t) { s += (s.empty() ? "" : ", ") + std::string(t); };
    if (f & kBeforePeriod) add("before period");
    if (f & kAfterPeriod) add("after period");
    if (f & kDuplicateKey) add("duplicate key");
    if (f & kBlankKey) add("blank key");
    if (f & kBadDate) add("bad date");
    if (f & kBlankDate) add("blank date");
    if (f & kBadAmount) add("bad amount");
    return s;
}

PopulationGrid::PopulationGrid(Engagement& e, std::int64_t id) : items_(e, id) {}

std::int64_t PopulationGrid::rowCount() const { return delivered() ? items_.rows() : static_cast<std::int64_t>(order_.size()); }

std::int64_t PopulationGrid::sourceRow(std::int64_t viewRow) const {
    return delivered() ? viewRow + 1 : order_.at(static_cast<std::size_t>(viewRow));
}

std::string PopulationGrid::columnLabel(int col) const {
    if (col == 0) return "Row";
    if (col == 1) return "Line";
    if (col == 2) return "Flags";
    return items_.columns().at(static_cast<std::size_t>(col - 3));
}

std::string PopulationGrid::cell(std::int64_t viewRow, int col) {
    ++reads_;
    const auto& it = items_.at(sourceRow(viewRow));
    if (col == 0) return std::to_string(it.row);
    if (col == 1) return std::to_string(it.line);
    if (col == 2) return flagText(it.flags);
    return std::string(it.cells.at(static_cast<std::size_t>(col - 3)));
}

std::uint32_t PopulationGrid::flags(std::int64_t viewRow) { return items_.at(sourceRow(viewRow)).flags; }

void PopulationGrid::setFilter(Filter f, Progress* progress) {
    filter_ = f;
    narrowed_ = false;
    order_.clear();
    if (f == Filter::All) return;
    for (std::int64_t r = 1; r <= items_.rows(); ++r) {
        auto fl = items_.at(r).flags;
        bool keep = f == Filter::OutOfPeriod ? (fl & (kBeforePeriod | kAfterPeriod)) != 0
                  : f == Filter::Duplicates  ? (fl & kDuplicateKey) != 0
                                             : fl != 0;
        if (keep) order_.push_back(r);
        if (progress && r % 65536 == 0) {
            progress->update(static_cast<std::uint64_t>(r), static_cast<std::uint64_t>(items_.rows()));
            if (progress->cancelled()) throw Cancelled();
        }
    }
}

void PopulationGrid::sortBy(int column, bool ascending, Progress* progress) {
    if (delivered()) {
        order_.resize(static_cast<std::size_t>(items_.rows()));
        std::iota(order_.begin(), order_.end(), 1);
    }
    std::vector<std::pair<std::string, std::int64_t>> keyed;
    keyed.reserve(order_.size());
    for (std::size_t i = 0; i < order_.size(); ++i) {
        keyed.emplace_back(std::string(items_.at(order_[i]).cells.at(static_cast<std::size_t>(column))), order_[i]);
        if (progress && i % 65536 == 0 && progress->cancelled()) throw Cancelled();
    }
    std::stable_sort(keyed.begin(), keyed.end(), [&](auto& a, auto& b) { return ascending ? a.first < b.first : b.first < a.first; });
    for (std::size_t i = 0; i < keyed.size(); ++i) order_[i] = keyed[i].second;
}

void PopulationGrid::clearOrder() {
    order_.clear();
    filter_ = Filter::All;
    narrowed_ = false;
}

void PopulationGrid::narrow(int column, const std::string& text, Progress* progress) {
    const std::string needle = foldCase(text);
    const std::int64_t shown = rowCount();
    std::vector<std::int64_t> kept;
    for (std::int64_t v = 0; v < shown; ++v) {
        const std::int64_t r = sourceRow(v);
        const auto& it = items_.at(r);
        bool hit = false;
        for (std::size_t c = 0; c < it.cells.size() && !hit; ++c)
            if (column < 0 || c == static_cast<std::size_t>(column)) hit = containsFolded(it.cells[c], needle);
        if (hit) kept.push_back(r);
        if (progress && v % 65536 == 0) {
            progress->update(static_cast<std::uint64_t>(v), static_cast<std::uint64_t>(shown));
            if (progress->cancelled()) throw Cancelled();
        }
    }
    order_ = std::move(kept);
    narrowed_ = true;
}

}  // namespace tickmark::desk

#pragma once
// The population grid's model: a virtual table over the stored records. Only the rows asked for are
// read; sorting and filtering build a row order (8 bytes a row) and never reorder what is stored.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "workpapers/population.h"
#include "workpapers/progress.h"

namespace tickmark::desk {

class PopulationGrid {
public:
    PopulationGrid(Engagement& e, std::int64_t populationId);

    std::int64_t rowCount() const;
    // Row number, line, flags, then the delivered columns.
    int columnCount() const { return 3 + static_cast<int>(items_.columns().size()); }
    std::string columnLabel(int col) const;
    std::string cell(std::int64_t viewRow, int col);
    std::uint32_t flags(std::int64_t viewRow);
    std::int64_t sourceRow(std::int64_t viewRow) const;  // 1-based population row

    enum class Filter { All, OutOfPeriod, Duplicates, Problems };
    void setFilter(Filter f, Progress* progress = nullptr);
    // Sort by a delivered column (0-based), as text; stable, so equal values keep delivered order.
    void sortBy(int deliveredColumn, bool ascending, Progress* progress = nullptr);
    void clearOrder();
    // Keeps the rows shown whose cell in a delivered column (0-based; -1: any column) contains `text`,
    // case-insensitively: the column value filter and the find box. Applies on top of the order shown.
    void narrow(int deliveredColumn, const std::string& text, Progress* progress = nullptr);
    // The key column (0-based among the delivered columns), for a find that goes to a key.
    int keyColumn() const { return static_cast<int>(items_.keyColumn()); }

    std::int64_t reads() const { return reads_; }  // rows fetched from the file so far

    // A row order computed elsewhere (on a worker's own connection), taken over by the view's model.
    struct Order {
        std::vector<std::int64_t> rows;
        Filter filter = Filter::All;
        bool narrowed = false;
    };
    Order order() const { return {order_, filter_, narrowed_}; }
    void adopt(Order o) {
        order_ = std::move(o.rows);
        filter_ = o.filter;
        narrowed_ = o.narrowed;
    }
    bool narrowed() const { return narrowed_; }

private:
    PopulationItems items_;
    std::vector<std::int64_t> order_;  // empty: delivered order, no filter
    std::int64_t reads_ = 0;
    Filter filter_ = Filter::All;
    bool narrowed_ = false;
    bool delivered() const { return order_.empty() && filter_ == Filter::All && !narrowed_; }
};

std::string flagText(std::uint32_t flags);

}  // namespace tickmark::desk

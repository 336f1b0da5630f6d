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

    std::int64_t reads() const { return reads_; }  // rows fetched from the file so far

    // A row order computed elsewhere (on a worker's own connection), taken over by the view's model.
    struct Order {
        std::vector<std::int64_t> rows;
        Filter filter = Filter::All;
    };
    Order order() const { return {order_, filter_}; }
    void adopt(Order o) {
        order_ = std::move(o.rows);
        filter_ = o.filter;
    }

private:
    PopulationItems items_;
    std::vector<std::int64_t> order_;  // empty: delivered order, no filter
    std::int64_t reads_ = 0;
    Filter filter_ = Filter::All;
};

std::string flagText(std::uint32_t flags);

}  // namespace tickmark::desk

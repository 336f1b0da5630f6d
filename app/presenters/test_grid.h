#pragma once
// The testing grid's model: sampled items x attributes, with keyboard entry (p pass, d deviation,
// n not applicable) that records through the same library call as the CLI.
#include <string>
#include <vector>

#include "workpapers/fieldwork.h"

namespace tickmark::desk {

class TestGrid {
public:
    TestGrid(Engagement& e, std::string control);
    void reload();

    int rows() const { return static_cast<int>(test_.items.size()); }
    int columns() const { return 1 + static_cast<int>(test_.attributes.size()); }  // key, then one per attribute
    std::string columnLabel(int col) const;
    std::string cell(int row, int col) const;
    const TestView& test() const { return test_; }
    std::string progressText() const;

    // A key pressed on a cell: 'p', 'd' or 'n' (with the reason for n/a). Returns false for other keys.
    bool key(const Actor& a, int row, int col, char k, const std::string& naReason = "");
    // A comment and tick mark on a result already recorded (its outcome kept).
    void annotate(const Actor& a, int row, int col, const std::string& comment, const std::string& tickMark);
    std::vector<std::string> tickMarks() const;

    // The deviation just recorded opened (or joined) this exception, for the exception form.
    std::optional<std::int64_t> lastException() const { return lastException_; }

private:
    Engagement& e_;
    std::string control_;
    TestView test_;
    std::vector<ResultView> results_;
    std::optional<std::int64_t> lastException_;
};

}  // namespace tickmark::desk

#include "app/presenters/test_grid.h"

#include "workpapers/errors.h"

namespace tickmark::desk {

TestGrid::TestGrid(Engagement& e, std::string control) : e_(e), control_(std::move(control)) { reload(); }

void TestGrid::reload() {
    test_ = loadTest(e_, control_);
    results_ = loadResults(e_, control_);
}

std::string TestGrid::columnLabel(int col) const {
    if (col == 0) return "Item";
    auto& a = test_.attributes.at(static_cast<std::size_t>(col - 1));
    return a.first + ": " + a.second;
}

std::string TestGrid::cell(int row, int col) const {
    const auto& item = test_.items.at(static_cast<std::size_t>(row));
    if (col == 0) return std::to_string(item.position) + "  " + item.key;
    const std::string& letter = test_.attributes.at(static_cast<std::size_t>(col - 1)).first;
    for (auto& r : results_)
        if (r.position == item.position && r.letter == letter)
            return (r.outcome == "pass" ? "✓ pass" : r.outcome == "deviation" ? "✗ deviation" : "n/a") +
                   (r.comment.empty() ? "" : " — " + r.comment);
    return "";
}

std::string TestGrid::progressText() const {
    return std::to_string(test_.itemsDone) + " of " + std::to_string(test_.items.size()) + " items done, " +
           std::to_string(test_.recorded) + " of " + std::to_string(test_.expected) + " results, " +
           std::to_string(test_.deviations) + " deviation" + (test_.deviations == 1 ? "" : "s");
}

bool TestGrid::key(const Actor& a, int row, int col, char k, const std::string& naReason) {
    if (col < 1 || row < 0 || row >= rows()) return false;
    std::string outcome = k == 'p' || k == 'P' ? "pass" : k == 'd' || k == 'D' ? "deviation" : k == 'n' || k == 'N' ? "na" : "";
    if (outcome.empty()) return false;
    const auto& item = test_.items.at(static_cast<std::size_t>(row));
    const std::string letter = test_.attributes.at(static_cast<std::size_t>(col - 1)).first;
    recordResults(e_, a, {{control_, item.position, letter, outcome, outcome == "na" ? naReason : "", "",
                           outcome == "pass" ? "✓" : outcome == "deviation" ? "⊗" : "N/A"}});
    lastException_.reset();
    if (outcome == "deviation")
        for (auto& x : listExceptions(e_, control_))
            if (x.letter == letter) lastException_ = x.id;
    reload();
    return true;
}

void TestGrid::annotate(const Actor& a, int row, int col, const std::string& comment, const std::string& tickMark) {
    if (col < 1 || row < 0 || row >= rows()) throw InputError("choose a result cell (an attribute column) first");
    const auto& item = test_.items.at(static_cast<std::size_t>(row));
    const std::string letter = test_.attributes.at(static_cast<std::size_t>(col - 1)).first;
    for (auto& r : results_)
        if (r.position == item.position && r.letter == letter) {
            recordResults(e_, a, {{control_, item.position, letter, r.outcome, r.naReason, comment, tickMark}});
            reload();
            return;
        }
    throw InputError("record the result (P, D or N) before commenting on it");
}

std::vector<std::string> TestGrid::tickMarks() const {
    std::vector<std::string> out;
    for (auto& m : tickMarkLegend(e_)) out.push_back(m.symbol + "  " + m.meaning);
    return out;
}

}  // namespace tickmark::desk

#pragma once
// The testing grid's model: sampled items x attributes, with keyboard entry that records through the
// same library calls as the CLI. A range is recorded in one transaction; every entry this session made
// can be undone, last first, by recording what the cells held before (new trail entries: the trail
// is never rewritten).
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <utility>
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
    // "<mark> pass", "<mark> deviation", "<mark> n/a" with the tick mark chosen (none: the outcome alone),
    // then " — comment". The item column: position and key.
    std::string cell(int row, int col) const;
    enum class Outcome { None, Pass, Deviation, NotApplicable };
    Outcome outcome(int row, int col) const;
    std::string comment(int row, int col) const;
    std::string mark(int row, int col) const;
    const TestView& test() const { return test_; }
    // The trail head when the grid last loaded: what a judgement made on this page was made on.
    std::int64_t seen() const { return seen_; }
    std::string progressText() const;

    using Cells = std::vector<std::pair<int, int>>;  // (row, col); col 0 (the item) is passed over
    // Records the outcome on every cell in one transaction; returns how many results changed. A cell
    // whose tick mark is the default of its outcome (✓, ⊗, N/A) or none takes the new outcome's default;
    // a mark chosen from the palette stays. The comment stays.
    int fill(const Actor& a, const Cells& cells, Outcome outcome, const std::string& naReason = "");
    // Withdraws the results of the cells (Delete); returns how many there were.
    int clear(const Actor& a, const Cells& cells);
    // A comment on a result already recorded (its outcome and mark kept).
    void annotate(const Actor& a, int row, int col, const std::string& comment, const std::string& tickMark);
    // The palette: this mark on every recorded result among the cells, in one transaction.
    int markCells(const Actor& a, const Cells& cells, const std::string& tickMark);
    // Undoes the last entry (fill, clear, comment, mark) of this session, in one transaction:
    // "Undid: 25 results recorded as pass". InputError when there is nothing to undo, or when a cell of
    // that entry was changed since (by another member or program): nothing is then put back.
    std::string undo(const Actor& a);
    bool canUndo() const { return !undo_.empty(); }
    // Review notes raised on one result carry this subject ("item 4, attribute A"); the cell shows how
    // many of them are open.
    static std::string resultSubject(std::int64_t position, const std::string& letter);
    std::string subject(int row, int col) const;
    int openNotes(int row, int col) const;

    // Where the cursor goes after a single cell is keyed: down the column, then the top of the next
    // attribute; it stays on the last cell.
    std::pair<int, int> nextCell(int row, int col) const;

    std::vector<TickMark> legend() const;

    // The deviation just recorded opened (or joined) this exception, for the exception form.
    std::optional<std::int64_t> lastException() const { return lastException_; }

private:
    struct Before {
        std::int64_t position;
        std::string letter;
        std::optional<ResultView> result;  // none: nothing was recorded
        std::optional<ResultView> after;   // what the entry left in the cell (none: withdrawn)
    };
    const ResultView* find(int row, int col) const;
    Before before(int row, int col) const;
    void remember(std::vector<Before> entry, std::string what);
    // Runs a write decided on what the grid shows: refused (ConflictError) when another member changed one of
    // its cells since the grid loaded; the grid then reloads, so it shows what they recorded.
    void write(const std::function<void()>& f);

    Engagement& e_;
    std::string control_;
    TestView test_;
    std::vector<ResultView> results_;
    std::int64_t seen_ = 0;  // the trail head when the grid loaded: what its writes were decided on
    std::map<std::string, int> openNotes_;  // subject -> open notes
    std::optional<std::int64_t> lastException_;
    std::vector<std::pair<std::string, std::vector<Before>>> undo_;  // what, the cells as they were
};

}  // namespace tickmark::desk

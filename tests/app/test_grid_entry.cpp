// Fast entry in the testing grid against a model of the cells kept by the test: random sequences of
// range fills, withdrawals, palette marks, comments and undos, each checked cell by cell against the
// model and against the results read back from the file; the trail only ever grows.
#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <random>

#include "app/demo.h"
#include "app/presenters/test_grid.h"
#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;
using O = desk::TestGrid::Outcome;

namespace {

struct Cell {
    std::string outcome, naReason, comment, mark;
    bool operator==(const Cell&) const = default;
};
using Model = std::map<std::pair<int, int>, Cell>;  // (row, col) -> what is recorded; absent: nothing

// The rule the test holds the grid to, written apart from it: a new outcome takes its default mark
// unless the cell carries one chosen from the palette; the comment stays.
std::string defaultMark(const std::string& o) { return o == "pass" ? "✓" : o == "deviation" ? "⊗" : "N/A"; }
bool chosenMark(const std::string& m) { return !m.empty() && m != "✓" && m != "⊗" && m != "N/A"; }

Model readBack(Engagement& e, const std::string& control) {
    auto t = loadTest(e, control);
    Model m;
    for (auto& r : loadResults(e, control)) {
        int col = 0;
        for (std::size_t i = 0; i < t.attributes.size(); ++i)
            if (t.attributes[i].first == r.letter) col = static_cast<int>(i) + 1;
        m[{static_cast<int>(r.position) - 1, col}] = {r.outcome, r.naReason, r.comment, r.tickMark};
    }
    return m;
}

std::string outcomeOf(O o) { return o == O::Pass ? "pass" : o == O::Deviation ? "deviation" : o == O::NotApplicable ? "na" : ""; }

}  // namespace

TEST_CASE("range entry, withdrawal, marks, comments and undo hold to a model of the cells, and the trail only grows") {
    TempDir d;
    auto e = Engagement::open(buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile);
    auto pr = authenticate(e, "PR", "prepare-2026");
    const std::string control = "CM-03";
    desk::TestGrid g(e, control);
    REQUIRE(g.rows() >= 25);
    REQUIRE(g.columns() >= 3);

    // A range fill of a whole column is one call: 25 results, one trail entry each (no exception: pass).
    {
        desk::TestGrid fresh(e, control);
        desk::TestGrid::Cells column;
        for (int r = 0; r < 25; ++r) column.emplace_back(r, 1);
        const auto before = readBack(e, control);
        std::size_t changing = 0;
        for (int r = 0; r < 25; ++r) {
            auto it = before.find({r, 1});
            changing += it == before.end() || it->second.outcome != "pass" || it->second.mark != (chosenMark(it->second.mark) ? it->second.mark : "✓");
        }
        const auto head = trailHead(e);
        CHECK(fresh.fill(pr, column, O::Pass) == static_cast<int>(changing));
        CHECK(trailHead(e) - head == static_cast<std::int64_t>(changing));
        for (int r = 0; r < 25; ++r) CHECK(fresh.outcome(r, 1) == O::Pass);
        fresh.undo(pr);
        CHECK(readBack(e, control) == before);
        CHECK(trailHead(e) > head + static_cast<std::int64_t>(changing));  // the undo is new entries, nothing erased
    }

    Model model = readBack(e, control);
    std::vector<Model> history;  // the model before each undoable entry
    std::mt19937 rng(20261205);
    auto pick = [&](int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); };
    const std::vector<std::string> palette = {"✓", "⊗", "Ⓘ", "Ⓡ", "Ⓞ", "N/A"};
    std::int64_t head = trailHead(e);
    for (int step = 0; step < 160; ++step) {
        // A small window of rows and attributes, so entries overlap.
        desk::TestGrid::Cells cells;
        const int r0 = pick(0, 5), r1 = r0 + pick(0, 3), c0 = pick(1, 2), c1 = std::min(g.columns() - 1, c0 + pick(0, 1));
        for (int c = c0; c <= c1; ++c)
            for (int r = r0; r <= r1; ++r) cells.emplace_back(r, c);
        const int op = pick(0, 9);
        INFO("step " << step << " op " << op << " rows " << r0 << ".." << r1 << " cols " << c0 << ".." << c1);
        Model next = model;
        if (op <= 4) {
            const O o = op <= 2 ? O::Pass : op == 3 ? O::Deviation : O::NotApplicable;
            const std::string name = outcomeOf(o);
            int changed = 0;
            for (auto& rc : cells) {
                auto it = model.find(rc);
                Cell c{name, name == "na" ? "does not apply" : "", it == model.end() ? "" : it->second.comment,
                       it != model.end() && chosenMark(it->second.mark) ? it->second.mark : defaultMark(name)};
                if (it == model.end() || !(it->second == c)) ++changed, next[rc] = c;
            }
            CHECK(g.fill(pr, cells, o, "does not apply") == changed);
            if (changed) history.push_back(model);
        } else if (op == 5) {
            int there = 0;
            for (auto& rc : cells) there += next.erase(rc) ? 1 : 0;
            if (there) {
                CHECK(g.clear(pr, cells) == there);
                history.push_back(model);
            } else {
                CHECK_THROWS_AS(g.clear(pr, cells), InputError);
            }
        } else if (op == 6) {
            const std::string mark = palette[static_cast<std::size_t>(pick(0, 5))];
            int changed = 0, recorded = 0;
            for (auto& rc : cells)
                if (auto it = next.find(rc); it != next.end()) {
                    ++recorded;
                    if (it->second.mark != mark) ++changed, it->second.mark = mark;
                }
            if (recorded == 0) CHECK_THROWS_AS(g.markCells(pr, cells, mark), InputError);
            else CHECK(g.markCells(pr, cells, mark) == changed);
            if (changed) history.push_back(model);
        } else if (op == 7) {
            auto rc = cells.front();
            auto it = next.find(rc);
            const std::string text = "checked step " + std::to_string(step);
            if (it == next.end()) {
                CHECK_THROWS_AS(g.annotate(pr, rc.first, rc.second, text, ""), InputError);
            } else {
                g.annotate(pr, rc.first, rc.second, text, it->second.mark);
                it->second.comment = text;
                history.push_back(model);
            }
        } else {
            if (history.empty()) {
                CHECK_FALSE(g.canUndo());
                CHECK_THROWS_AS(g.undo(pr), InputError);
            } else {
                g.undo(pr);
                next = history.back();
                history.pop_back();
            }
        }
        model = next;
        // Cell by cell: the grid, the file and the model agree.
        REQUIRE(readBack(e, control) == model);
        for (int r = 0; r <= 8; ++r)
            for (int c = 1; c < g.columns(); ++c) {
                auto it = model.find({r, c});
                CHECK(outcomeOf(g.outcome(r, c)) == (it == model.end() ? "" : it->second.outcome));
                CHECK(g.mark(r, c) == (it == model.end() ? "" : it->second.mark));
            }
        const auto now = trailHead(e);
        CHECK(now >= head);
        head = now;
    }
    CHECK(verifyTrail(e).intact);
}

TEST_CASE("an undo is refused, nothing put back, when a cell of that entry was changed since by someone else") {
    TempDir d;
    auto e = Engagement::open(buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile);
    auto pr = authenticate(e, "PR", "prepare-2026");
    auto je = authenticate(e, "JE", "staff-2026");
    desk::TestGrid mine(e, "IC-02"), theirs(e, "IC-02");
    REQUIRE(mine.outcome(1, 1) == O::None);  // the demo leaves item 2 of IC-02 to record
    REQUIRE(mine.outcome(1, 2) == O::None);
    CHECK(mine.fill(pr, {{1, 1}, {1, 2}}, O::Pass) == 2);
    theirs.reload();
    CHECK(theirs.fill(je, {{1, 2}}, O::Deviation) == 1);  // another member, in their own window
    const auto head = trailHead(e);
    CHECK_THROWS_WITH(mine.undo(pr), Catch::Matchers::Contains("attribute B was changed since by Jordan Ellis"));
    CHECK(trailHead(e) == head);  // nothing was put back, not even A
    mine.reload();
    CHECK(mine.outcome(1, 1) == O::Pass);
    CHECK(mine.outcome(1, 2) == O::Deviation);
    CHECK_FALSE(mine.canUndo());  // the refused entry is gone from the history
    // Their own entry is theirs to undo, and it is intact.
    CHECK(theirs.undo(je) == "Undid: 1 result recorded as deviation");
    mine.reload();
    CHECK(mine.outcome(1, 2) == O::Pass);
}

TEST_CASE("an entry on a cell another member changed since the grid loaded is refused, naming them, and the grid then shows theirs") {
    TempDir d;
    auto e = Engagement::open(buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile);
    auto pr = authenticate(e, "PR", "prepare-2026");
    auto je = authenticate(e, "JE", "staff-2026");
    desk::TestGrid mine(e, "IC-02"), theirs(e, "IC-02");  // two windows on the same workpaper
    REQUIRE(mine.outcome(1, 1) == O::None);
    REQUIRE(mine.outcome(1, 2) == O::None);
    CHECK(theirs.fill(je, {{1, 1}}, O::Deviation) == 1);
    const auto head = trailHead(e);
    CHECK(mine.outcome(1, 1) == O::None);  // mine has not seen it: a pass over it would overwrite it unseen
    try {
        mine.fill(pr, {{1, 1}, {1, 2}}, O::Pass);
        FAIL("their deviation was overwritten by a grid that never showed it");
    } catch (const ConflictError& x) {
        CHECK_THAT(x.what(), Catch::Matchers::Contains("was changed by Jordan Ellis") && Catch::Matchers::Contains("deviation") &&
                                 Catch::Matchers::Contains("nothing was saved"));
    }
    CHECK(trailHead(e) == head);               // nothing of the call, not even item 2 B
    CHECK(mine.outcome(1, 1) == O::Deviation);  // the grid reloaded: it shows theirs
    CHECK(mine.outcome(1, 2) == O::None);
    // They comment on their cell again; a cell nobody else touched still goes in from the older view...
    theirs.annotate(je, 1, 1, "Approval missing in the ticket", "");
    CHECK(mine.fill(pr, {{1, 2}}, O::Pass) == 1);
    CHECK(mine.comment(1, 1) == "Approval missing in the ticket");  // (each entry reloads the grid)
    // ... and, decided on what it now shows, theirs is changed knowingly: the trail says from what.
    CHECK(mine.fill(pr, {{1, 1}}, O::Pass) == 1);
    std::optional<TrailEntry> last;
    forEachTrailEntry(e, {std::string("test:IC-02"), 0, true, 1}, [&](const TrailEntry& t) { last = t; });
    REQUIRE(last);
    CHECK(last->actor == "Priya Raman");
    CHECK(last->oldValue.value_or("").rfind("deviation", 0) == 0);
}

#include <catch2/catch.hpp>

#include "app/demo.h"
#include "app/presenters/navigator.h"
#include "app/presenters/population_grid.h"
#include "app/presenters/test_grid.h"
#include "support.h"
#include "workpapers/errors.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
struct Demo {
    TempDir d;
    Engagement e;
    Demo() : e(Engagement::open(buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile)) {}
};
}  // namespace

TEST_CASE("the navigator: criteria groups in TSC order, each control's workpapers, statuses") {
    Demo demo;
    auto root = desk::buildNavigator(demo.e);
    REQUIRE(root.children.size() >= 3);
    CHECK(root.children.front().label == "CC1  Control environment");
    CHECK(root.children.back().kind == desk::NavNode::Kind::Report);
    auto* notes = desk::findNode(root, desk::NavNode::Kind::Notes);
    REQUIRE(notes);
    CHECK(notes->label == "Review notes (2 open)");
    auto* cm03 = desk::findNode(root, desk::NavNode::Kind::Control, "CM-03");
    REQUIRE(cm03);
    std::vector<desk::NavNode::Kind> kinds;
    for (auto& c : cm03->children) kinds.push_back(c.kind);
    CHECK(kinds == std::vector<desk::NavNode::Kind>{desk::NavNode::Kind::Population, desk::NavNode::Kind::Sample,
                                                    desk::NavNode::Kind::Sample, desk::NavNode::Kind::Test, desk::NavNode::Kind::Exceptions});
    CHECK(cm03->status == desk::Status::Exceptions);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "LA-02")->status == desk::Status::Stale);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "RM-02")->status == desk::Status::OpenNotes);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "AV-03")->status == desk::Status::Reviewed);
    CHECK(desk::findNode(root, desk::NavNode::Kind::Control, "CF-02")->status == desk::Status::InProgress);
}

TEST_CASE("the population grid is virtual: it reads only what is shown, and filters and sorts without reordering storage") {
    Demo demo;
    desk::PopulationGrid g(demo.e, 1);
    CHECK(g.rowCount() == 2407);
    CHECK(g.columnLabel(3) == "Ticket ID");
    CHECK(g.cell(0, 3) == "CHG0100188");  // the first delivered record, before the period
    CHECK(g.cell(0, 2) == "before period");
    for (int r = 0; r < 30; ++r)
        for (int c = 0; c < g.columnCount(); ++c) g.cell(r, c);
    CHECK(g.reads() == 2 + 30 * g.columnCount());

    g.setFilter(desk::PopulationGrid::Filter::OutOfPeriod);
    CHECK(g.rowCount() == 5);  // 2 before and 3 after the period, as the demo planted them
    for (int r = 0; r < 5; ++r) CHECK((g.flags(r) & (kBeforePeriod | kAfterPeriod)) != 0);
    g.setFilter(desk::PopulationGrid::Filter::Duplicates);
    CHECK(g.rowCount() == 4);
    g.setFilter(desk::PopulationGrid::Filter::All);
    g.sortBy(0, false);
    CHECK(g.cell(0, 3) >= g.cell(1, 3));
    CHECK(g.cell(0, 3) == "CHG0102702");  // the highest ticket id: the last post-period ticket
    PopulationItems stored(demo.e, 1);
    CHECK(stored.at(1).key == "CHG0100188");  // storage unchanged
}

TEST_CASE("the testing grid records with the keyboard, as the signed-in preparer") {
    Demo demo;
    auto pr = authenticate(demo.e, "PR", "prepare-2026");
    auto ml = authenticate(demo.e, "ML", "review-2026");
    desk::TestGrid g(demo.e, "RM-03");
    REQUIRE(g.rows() == 1);
    CHECK(g.columns() == 3);
    CHECK(g.cell(0, 1).empty());
    CHECK_FALSE(g.key(pr, 0, 1, 'x'));
    CHECK_FALSE(g.key(pr, 0, 0, 'p'));  // the item column takes no result
    CHECK(g.key(pr, 0, 1, 'p'));
    CHECK(g.cell(0, 1) == "✓ pass");
    CHECK_THROWS_WITH(g.key(ml, 0, 2, 'p'), Contains("does not hold the preparer role"));
    CHECK(g.key(pr, 0, 2, 'd'));
    CHECK(g.cell(0, 2) == "✗ deviation");
    REQUIRE(g.lastException().has_value());
    CHECK(g.progressText() == "1 of 1 items done, 2 of 2 results, 1 deviation");
    CHECK(g.key(pr, 0, 2, 'n', "no evidence expected for this occurrence"));
    CHECK(g.cell(0, 2) == "n/a");
}

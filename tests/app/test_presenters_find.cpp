// Finding things and reading a population file in the desktop app's presenters: the value filter and
// the engagement-wide find checked against a separate reading of the demo's CSV; the completeness
// profile's lines against a profile written by hand; the import wizard's header row and encoding.
#include <catch2/catch.hpp>

#include <atomic>
#include <fstream>
#include <sstream>
#include <thread>

#include "app/demo.h"
#include "app/presenters/background_job.h"
#include "app/presenters/completeness_profile.h"
#include "app/presenters/finder.h"
#include "app/presenters/import_wizard.h"
#include "app/presenters/population_grid.h"
#include "support.h"
#include "workpapers/errors.h"

using namespace tickmark;
using namespace testsupport;

namespace {
struct Demo {
    TempDir d;
    Engagement e;
    Demo() : e(Engagement::open(buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile)) {}
};

// The demo's change tickets read apart from the library: the first field of every record.
std::vector<std::string> ticketKeys() {
    std::ifstream in(sourceDir() / "demo" / "data" / "change-tickets.csv");
    std::string line;
    std::getline(in, line);
    std::vector<std::string> keys;
    // A record starts with its ticket; a line that does not continues a quoted multi-line field.
    while (std::getline(in, line))
        if (line.rfind("CHG", 0) == 0) keys.push_back(line.substr(0, line.find(',')));
    return keys;
}
std::size_t countContaining(const std::vector<std::string>& keys, const std::string& part) {
    std::size_t n = 0;
    for (auto& k : keys) n += k.find(part) != std::string::npos;
    return n;
}

struct CancelAfter : Progress {
    int calls = 0;
    void update(std::uint64_t, std::uint64_t) override { ++calls; }
    bool cancelled() const override { return true; }
};
}  // namespace

TEST_CASE("the value filter keeps exactly the rows whose cell contains the text, case aside, and nothing when none does") {
    Demo demo;
    desk::PopulationGrid g(demo.e, 1);
    const auto keys = ticketKeys();
    REQUIRE(keys.size() == 2407);
    REQUIRE(g.columnLabel(3 + g.keyColumn()) == "Ticket ID");
    g.narrow(g.keyColumn(), "chg01002");
    CHECK(static_cast<std::size_t>(g.rowCount()) == countContaining(keys, "CHG01002"));
    for (std::int64_t r = 0; r < g.rowCount(); ++r) CHECK(g.cell(r, 3 + g.keyColumn()).find("CHG01002") != std::string::npos);
    // Rows in delivered order: each kept row's number is above the one before.
    for (std::int64_t r = 1; r < g.rowCount(); ++r) CHECK(g.sourceRow(r) > g.sourceRow(r - 1));

    g.narrow(-1, "no such value anywhere");
    CHECK(g.rowCount() == 0);  // an empty result, not every row

    // On top of the flag filter: the duplicate keys, then one of them (rows 812 and 813, as planted).
    g.setFilter(desk::PopulationGrid::Filter::Duplicates);
    CHECK(g.rowCount() == 4);
    g.narrow(g.keyColumn(), "CHG0101877");
    REQUIRE(g.rowCount() == 2);
    CHECK(g.sourceRow(0) == 812);
    CHECK(g.sourceRow(1) == 813);
    g.clearOrder();
    CHECK(g.rowCount() == 2407);
}

TEST_CASE("find goes across controls, notes, selections and every population's keys, and can be cancelled") {
    Demo demo;
    auto r = desk::findInEngagement(demo.e, "CHG0101877");
    std::size_t records = 0;
    for (auto& f : r.found)
        if (f.kind == desk::Found::Kind::PopulationRecord) {
            ++records;
            CHECK(f.workpaper == "population:1");
            CHECK((f.row == 812 || f.row == 813));
        }
    CHECK(records == countContaining(ticketKeys(), "CHG0101877"));
    CHECK(records == 2);

    auto controls = desk::findInEngagement(demo.e, "cm-03");
    REQUIRE(!controls.found.empty());
    CHECK(controls.found.front().kind == desk::Found::Kind::Control);
    CHECK(controls.found.front().workpaper == "test:CM-03");

    auto many = desk::findInEngagement(demo.e, "CHG", 25);
    CHECK(many.found.size() == 25);
    CHECK(many.truncated);
    CHECK(desk::findInEngagement(demo.e, "").found.empty());

    CancelAfter stop;
    CHECK_THROWS_AS(desk::findInEngagement(demo.e, "CHG01", 100000, &stop), Cancelled);
}

TEST_CASE("the completeness profile reads the same in both front ends: its lines for a profile written by hand") {
    CompletenessProfile p;
    p.populationId = 7;
    p.name = "Terminations";
    p.control = "LA-03";
    p.source.fileName = "terms.csv";
    p.source.format = "csv";
    p.source.encoding = "UTF-8";
    p.source.delimiter = ",";
    p.source.size = 1234;
    p.source.sha256 = "ab12";
    p.keyColumn = "Employee";
    p.dateColumn = "Left on";
    p.dateFormat = "MM/DD/YYYY";
    p.dateFormatBasis = "given";
    p.period = {*parseIsoDate("2025-07-01"), *parseIsoDate("2026-06-30")};
    p.rows = 0;
    auto lines = desk::profileLines(p);
    REQUIRE(lines.size() >= 12);
    CHECK(lines[0] == "Population 7: Terminations (control LA-03)");
    CHECK(lines[1] == "  Source      terms.csv");
    CHECK(lines[2] == "              csv, UTF-8, delimiter \",\", 1234 bytes");
    CHECK(lines[4] == "  Key / date  \"Employee\" / \"Left on\" (MM/DD/YYYY, given)");
    CHECK(lines[5] == "  Period      2025-07-01 .. 2026-06-30");
    CHECK(lines[6] == "  Rows        0  (header only: the control did not operate in the period)");
    p.rows = 3;
    p.badDateRows.push_back({2, 4, "E-2", "31/02/2026"});
    lines = desk::profileLines(p);
    CHECK(lines[6] == "  Rows        3");
    CHECK(lines.back() == "  ! unreadable date \"31/02/2026\" on row 2 (line 4, key E-2)");
}

TEST_CASE("the import wizard reads the header from the row chosen and the text in the encoding chosen") {
    TempDir d;
    auto file = write(d.path() / "hires.csv", "Hires report,\n,\nEmployee,Caf\xC3\xA9 start\nE-1,2025-08-01\nE-2,2025-09-01\n");
    desk::PopulationImportWizard w;
    w.chooseFile(file);
    REQUIRE(w.preview().header.size() == 2);
    CHECK(w.preview().header[0] == "Employee");  // found below the title and the blank row
    CHECK(w.preview().header[1] == "Caf\xC3\xA9 start");
    w.chooseReading(4, std::nullopt);  // the user says the header is on row 4: E-1's row becomes the header
    CHECK(w.preview().header[0] == "E-1");
    CHECK(w.preview().rows.size() == 1);
    CHECK(w.request("HR-01", "hires", "E-1", "2025-08-01", "", "").headerRow == 4);
    w.chooseReading(3, std::string("Windows-1252"));  // the UTF-8 bytes read as Windows-1252: two characters
    CHECK(w.preview().header[1] == "Caf\xC3\x83\xC2\xA9 start");
    CHECK(w.request("HR-01", "hires", "Employee", "Caf", "", "").encoding == std::string("Windows-1252"));
    CHECK_THROWS_AS(w.chooseReading(0, std::nullopt), InputError);
}

TEST_CASE("a background job calls back once when it ends, and remembers a Cancel it never saw") {
    std::atomic<int> calls{0};
    {
        desk::BackgroundJob job([](Progress&) {}, [&] { ++calls; });
        job.wait();
        CHECK(calls == 1);
        CHECK_FALSE(job.cancelRequested());
        job.cancel();  // too late for the work: it had ended
        CHECK(job.cancelRequested());
        CHECK_NOTHROW(job.rethrow());
    }
    CHECK(calls == 1);
}

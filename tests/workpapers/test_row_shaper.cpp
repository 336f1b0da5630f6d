// Property test of the rule that turns rows into a header and records: random exports (title
// blocks, blank and delimiter-only rows, section banners, lone-key records, total rows, footnotes)
// are written as CSV by a generator that knows what each row is, and the reader must find exactly
// the generator's header, records and non-records, row for row.
#include <catch2/catch.hpp>

#include <random>

#include "support.h"
#include "workpapers/readers/row_shaper.h"
#include "workpapers/readers/table_source.h"

using namespace tickmark;
using namespace testsupport;

namespace {

struct Keeper : TableHandler {
    std::vector<std::string> names;
    std::vector<std::vector<std::string>> rows;
    std::vector<std::int64_t> lines;
    void header(const std::vector<std::string>& h) override { names = h; }
    std::optional<std::size_t> keyColumn() const override { return 0; }
    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        rows.emplace_back(cells.begin(), cells.end());
        lines.push_back(line);
    }
};

struct Expected {
    std::int64_t headerRow = 0;
    std::vector<std::int64_t> above;
    std::vector<std::vector<std::string>> records;
    std::vector<std::int64_t> recordLines;
    std::vector<LayoutRow> skipped;  // kind, row, count (blank runs merged)
};

std::string joinCsv(const std::vector<std::string>& cells) {
    std::string s;
    for (std::size_t i = 0; i < cells.size(); ++i) s += (i ? "," : "") + cells[i];
    return s + "\n";
}

// One random export and what it holds, decided as it is written.
std::pair<std::string, Expected> randomExport(std::mt19937_64& rng) {
    auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<std::uint64_t>(n)); };
    const int width = 3 + pick(6);
    Expected x;
    std::string text;
    std::int64_t line = 0;
    auto emit = [&](const std::vector<std::string>& cells) {
        text += joinCsv(cells);
        return ++line;
    };
    auto padded = [&](std::vector<std::string> cells) {
        if (pick(2)) cells.resize(static_cast<std::size_t>(width));
        return cells;
    };
    auto addSkip = [&](std::int64_t at, const char* kind) {
        if (std::string(kind) == "blank" && !x.skipped.empty() && x.skipped.back().kind == "blank" &&
            x.skipped.back().row + x.skipped.back().count == at) {
            ++x.skipped.back().count;
            return;
        }
        x.skipped.push_back({at, 1, kind, ""});
    };
    // Above the header: titles (one cell), filter lines (two cells), blank lines.
    for (int t = pick(4); t > 0; --t) {
        int kind = pick(3);
        if (kind == 0) x.above.push_back(emit(padded({"Report title " + std::to_string(pick(100))})));
        else if (kind == 1) x.above.push_back(emit(padded({"Filters:", "Status = Done"})));
        else emit({""});
    }
    std::vector<std::string> header;
    for (int c = 0; c < width; ++c) header.push_back("Column " + std::string(1, static_cast<char>('A' + c)));
    x.headerRow = emit(header);
    int records = 0;
    for (int r = pick(40); r > 0; --r) {
        int kind = pick(10);
        std::vector<std::string> cells(static_cast<std::size_t>(width));
        if (kind <= 4) {  // a record: its key and at least one more value
            cells[0] = "K" + std::to_string(1000 + pick(9000));
            for (int c = 1; c < width; ++c)
                if (c == 1 || pick(2)) cells[static_cast<std::size_t>(c)] = pick(2) ? std::to_string(pick(500)) : "v" + std::to_string(c);
            auto at = emit(cells);
            x.records.push_back(cells), x.recordLines.push_back(at), ++records;
        } else if (kind == 5) {  // a record whose only value is its key
            cells[0] = "K" + std::to_string(pick(100));
            auto at = emit(cells);
            x.records.push_back(cells), x.recordLines.push_back(at), ++records;
        } else if (kind == 6) {  // empty or delimiter-only
            addSkip(emit(pick(2) ? std::vector<std::string>{""} : cells), "blank");
        } else if (kind == 7) {  // a section banner in any column
            cells[static_cast<std::size_t>(pick(width))] = "SECTION " + std::to_string(pick(9));
            addSkip(emit(cells), "banner");
        } else {  // a total row: the label, then figures
            cells[0] = pick(2) ? "Total" : "Grand total:";
            for (int c = 1; c < width; ++c)
                if (pick(2)) cells[static_cast<std::size_t>(c)] = pick(2) ? "\"1,234.50\"" : "(12)";
            addSkip(emit(cells), "total");
        }
    }
    for (int f = pick(3); f > 0; --f) {
        std::vector<std::string> cells(static_cast<std::size_t>(width));
        cells[0] = "* note " + std::to_string(f);
        addSkip(emit(cells), "banner");
    }
    // Banners below the last record are footnotes.
    const std::int64_t last = x.recordLines.empty() ? x.headerRow : x.recordLines.back();
    for (auto& s : x.skipped)
        if (s.kind == "banner" && s.row > last) s.kind = "footnote";
    return {text, x};
}

}  // namespace

TEST_CASE("random exports: the header, the records and every row that is not one, as the generator wrote them") {
    TempDir d;
    std::mt19937_64 rng(20261204);
    for (int round = 0; round < 400; ++round) {
        auto [text, x] = randomExport(rng);
        INFO("round " << round << "\n" << text);
        auto f = write(d / "t.csv", text);
        Keeper k;
        auto info = readTable(f, {}, k);
        CHECK(info.layout.headerRow == x.headerRow);
        CHECK(info.layout.headerBasis == "detected");
        std::vector<std::int64_t> above;
        for (auto& a : info.layout.aboveHeader) above.push_back(a.row);
        CHECK(above == x.above);
        CHECK(k.lines == x.recordLines);
        CHECK(k.rows == x.records);
        REQUIRE(info.layout.skipped.size() == x.skipped.size());
        std::int64_t blank = 0, banners = 0, footnotes = 0, totals = 0;
        for (std::size_t i = 0; i < x.skipped.size(); ++i) {
            CHECK(info.layout.skipped[i].row == x.skipped[i].row);
            CHECK(info.layout.skipped[i].count == x.skipped[i].count);
            CHECK(info.layout.skipped[i].kind == x.skipped[i].kind);
            const auto& k2 = x.skipped[i].kind;
            (k2 == "blank" ? blank : k2 == "banner" ? banners : k2 == "footnote" ? footnotes : totals) += x.skipped[i].count;
        }
        CHECK(info.layout.blankRows == blank);
        CHECK(info.layout.banners == banners);
        CHECK(info.layout.footnotes == footnotes);
        CHECK(info.layout.totals == totals);
    }
}

TEST_CASE("total labels and summary figures") {
    for (auto t : {"Total", "TOTAL", "Totals", "Grand total", "Grand Total:", "Subtotal", "Sub-total", "sub total", "Total (47)"})
        CHECK(looksLikeTotalLabel(t));
    for (auto t : {"Totally", "Subtotalled", "T-100", "Net", "Totaled"}) {
        INFO(t);
        CHECK_FALSE(looksLikeTotalLabel(t));
    }
    for (auto n : {"1,234.50", "(12.00)", "$ 3", "45%", "-7", "€ 1.000", "£12"}) CHECK(looksNumeric(n));
    for (auto n : {"", "n/a", "12 items", "1.2.3", "--"}) CHECK_FALSE(looksNumeric(n));
}

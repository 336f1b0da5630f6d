// Population blocks as stored: LZ4 frames read back exactly, damage refused, blocks of files from
// before compression read as they are, the stored format decoded independently by Python (sqlite3,
// lz4.frame, csv) from what population.h documents, and a failure on the storing thread ending the
// import with the engagement as it was.
#include <catch2/catch.hpp>

#include <optional>
#include <random>

#include "support.h"
#include "workpapers/block_codec.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/sha256.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

std::string randomBytes(std::mt19937& rng, std::size_t n, bool compressible) {
    std::string s(n, '\0');
    const char* words[] = {"CHG", "Approved", ",", "2025-03-", "Avery Chen", "\"", "é", "\n", "0", "1"};
    if (compressible) {
        s.clear();
        while (s.size() < n) s += words[rng() % 10];
        s.resize(n);
    } else {
        for (auto& c : s) c = static_cast<char>(rng());
    }
    return s;
}

PopulationImportRequest request(const fs::path& file) {
    PopulationImportRequest r;
    r.file = file;
    r.control = "CM-03";
    r.name = "Tickets";
    r.keyColumn = "Ticket";
    r.dateColumn = "Opened";
    return r;
}

void addControl(Engagement& e, const Actor& a, const TempDir& d) {
    ControlImportRequest r;
    r.file = write(d / "controls.csv",
                   "Control ID,Description,Criteria,Frequency,Nature\n"
                   "CM-03,Changes are approved,CC8.1,Multiple times a day,IT-dependent manual\n");
    importControls(e, a, r);
}

}  // namespace

TEST_CASE("a packed block comes back byte for byte, compressible or not, and starts with the LZ4 frame magic") {
    std::mt19937 rng(20261204);
    std::string packed, scratch;
    for (std::size_t n : {std::size_t{1}, std::size_t{3}, std::size_t{4096}, std::size_t{43157}, std::size_t{300000}}) {
        for (bool compressible : {true, false}) {
            const std::string raw = randomBytes(rng, n, compressible);
            packBlock(raw, packed);
            REQUIRE(packed.size() >= 4);
            CHECK(packed.substr(0, 4) == std::string("\x04\x22\x4d\x18", 4));
            if (compressible && n > 4096) CHECK(packed.size() * 2 < raw.size());
            CHECK(unpackBlock(packed, scratch) == raw);
        }
    }
}

TEST_CASE("a block stored before compression is read as it is") {
    // u32 count 2, two offsets, then records: the layout's third and fourth bytes are zero.
    const std::string raw("\x02\x00\x00\x00\x00\x00\x00\x00\x05\x00\x00\x00" "abcdefgh", 20);
    std::string scratch;
    auto got = unpackBlock(raw, scratch);
    CHECK(got.data() == raw.data());
    CHECK(scratch.empty());
}

TEST_CASE("a damaged frame is refused, never read as other records") {
    std::mt19937 rng(7);
    const std::string raw = randomBytes(rng, 20000, true);
    std::string packed, scratch;
    packBlock(raw, packed);
    SECTION("cut short at any point") {
        for (std::size_t cut = 4; cut < packed.size(); cut += packed.size() / 37 + 1)
            CHECK_THROWS_WITH(unpackBlock(std::string_view(packed).substr(0, cut), scratch), Contains("population block is damaged"));
    }
    SECTION("any flipped byte after the magic is refused by the frame's checksums, or changes nothing read") {
        // A bit LZ4 does not read back (a match could be encoded either way) may leave the records as they
        // were; the records digest still sees the stored bytes changed. Never other records.
        int tried = 0, refused = 0;
        for (std::size_t at = 4; at < packed.size(); at += 53, ++tried) {
            std::string bad = packed;
            bad[at] = static_cast<char>(bad[at] ^ 0x10);
            std::optional<std::string> got;
            std::string error;
            try {
                got = std::string(unpackBlock(bad, scratch));
            } catch (const std::runtime_error& e) {
                error = e.what();
            }
            if (got) {
                CHECK(*got == raw);
            } else {
                CHECK_THAT(error, Contains("population block is damaged"));
                ++refused;
            }
        }
        CHECK(tried > 20);
        CHECK(refused >= tried - 2);
    }
    SECTION("a frame stating more than a block can hold is refused before anything is allocated") {
        std::string big;
        packBlock("x", big);
        // Frame descriptor: FLG (content size present) then BD, then the 8-byte content size.
        REQUIRE((static_cast<unsigned char>(big[4]) & 0x08) != 0);
        for (int i = 0; i < 8; ++i) big[6 + i] = static_cast<char>(i == 5 ? 0x01 : 0x00);  // 2^40 bytes
        CHECK_THROWS_WITH(unpackBlock(big, scratch), Contains("population block is damaged"));
        CHECK(scratch.capacity() < (std::size_t{1} << 30));
    }
}

TEST_CASE("the stored population decodes independently (Python: sqlite3, lz4.frame, the layout of population.h) to the cells csv reads") {
    TempDir d;
    auto f = d / "e.tickmark";
    {
        auto e = newEngagement(f);
        auto me = testPartner(e);
        addControl(e, me, d);
        // 700 rows: three blocks, the last one partial; quoting, a line break, accents, blank cells, bad dates.
        std::string csv = "Ticket,Opened,Summary\n";
        for (int i = 1; i <= 700; ++i)
            csv += "T" + std::to_string(i) + "," + (i % 97 == 0 ? std::string("someday") : "2025-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 10)) +
                   "," + (i % 5 == 0 ? "\"José, \"\"Peña\"\"\nline " + std::to_string(i) + "\"" : i % 7 == 0 ? "" : "plain " + std::to_string(i)) + "\n";
        write(d / "t.csv", csv);
        importPopulation(e, me, request(d / "t.csv"));
    }
    auto r = sh("/usr/bin/python3 -c " +
                quote("import sqlite3, sys, csv, struct, lz4.frame\n"
                      "def uvarint(b, p):\n"
                      "    v = s = 0\n"
                      "    while True:\n"
                      "        x = b[p]; p += 1; v |= (x & 0x7f) << s; s += 7\n"
                      "        if not x & 0x80: return v, p\n"
                      "c = sqlite3.connect(sys.argv[1])\n"
                      "ncols = len(c.execute('SELECT columns FROM population').fetchone()[0].split(','))\n"
                      "rows = []\n"
                      "for first, count, data in c.execute('SELECT first_row, row_count, data FROM population_block ORDER BY first_row'):\n"
                      "    assert data[:4] == b'\\x04\\x22\\x4d\\x18'\n"
                      "    b = lz4.frame.decompress(data)\n"
                      "    n = struct.unpack_from('<I', b, 0)[0]; assert n == count\n"
                      "    base = 4 + 4 * n\n"
                      "    for i in range(n):\n"
                      "        p = base + struct.unpack_from('<I', b, 4 + 4 * i)[0]\n"
                      "        line, p = uvarint(b, p); flags, p = uvarint(b, p); days, p = uvarint(b, p)\n"
                      "        cells = []\n"
                      "        for _ in range(ncols):\n"
                      "            L, p = uvarint(b, p); cells.append(b[p:p + L].decode()); p += L\n"
                      "        rows.append(cells)\n"
                      "src = list(csv.reader(open(sys.argv[2], newline='', encoding='utf-8')))[1:]\n"
                      "print(len(rows), len(src), rows == src)\n") +
                " " + quote(f.string()) + " " + quote((d / "t.csv").string()));
    INFO(r.err);
    REQUIRE(r.status == 0);
    CHECK(r.out == "700 700 True\n");
}

TEST_CASE("blocks stored before compression (an engagement from an earlier version) read as before") {
    TempDir d;
    auto f = d / "e.tickmark";
    {
        auto e = newEngagement(f);
        auto me = testPartner(e);
        addControl(e, me, d);
        std::string csv = "Ticket,Opened,Summary\n";
        for (int i = 1; i <= 300; ++i) csv += "T" + std::to_string(i) + ",2025-02-0" + std::to_string(1 + i % 9) + ",row " + std::to_string(i) + "\n";
        importPopulation(e, me, request(write(d / "t.csv", csv)));
    }
    auto rowsNow = [&] {
        auto e = Engagement::open(f);
        PopulationItems items(e, 1);
        std::vector<std::string> out;
        for (std::int64_t r = 1; r <= items.rows(); ++r) {
            const auto& it = items.at(r);
            out.push_back(std::to_string(it.line) + "|" + std::string(it.key) + "|" + isoString(*it.date) + "|" + std::string(it.cells[2]));
        }
        return out;
    };
    const auto compressed = rowsNow();
    REQUIRE(compressed.size() == 300);
    CHECK(compressed[299] == "301|T300|2025-02-04|row 300");
    auto r = sh("/usr/bin/python3 -c " +
                quote("import sqlite3, sys, lz4.frame\n"
                      "c = sqlite3.connect(sys.argv[1])\n"
                      "for rowid, data in c.execute('SELECT rowid, data FROM population_block').fetchall():\n"
                      "    c.execute('UPDATE population_block SET data = ? WHERE rowid = ?', (lz4.frame.decompress(data), rowid))\n"
                      "c.commit()\n") +
                " " + quote(f.string()));
    REQUIRE(r.status == 0);
    CHECK(rowsNow() == compressed);
}

TEST_CASE("a failure while blocks are stored on their own thread ends the import and leaves the engagement as it was") {
    TempDir d;
    auto f = d / "e.tickmark";
    std::string csv = "Ticket,Opened\n";
    for (int i = 1; i <= 2000; ++i) csv += "T" + std::to_string(i) + ",2025-03-0" + std::to_string(1 + i % 9) + "\n";
    write(d / "t.csv", csv);
    {
        auto e = newEngagement(f);
        auto me = testPartner(e);
        addControl(e, me, d);
    }
    const auto before = sha256File(f);
    {
        auto e = Engagement::open(f);
        auto me = testPartner(e);
        // The storing thread's third block fails, as a full disk would make it.
        e.db().exec("CREATE TEMP TRIGGER fail_third BEFORE INSERT ON population_block WHEN NEW.first_row > 512 "
                    "BEGIN SELECT RAISE(ABORT, 'disk full (simulated)'); END");
        CHECK_THROWS_WITH(importPopulation(e, me, request(d / "t.csv")), Contains("disk full (simulated)"));
        e.db().exec("DROP TRIGGER fail_third");
        CHECK(listPopulations(e).empty());
    }
    CHECK(sha256File(f) == before);
    {
        auto e = Engagement::open(f);
        auto me = testPartner(e);
        auto p = importPopulation(e, me, request(d / "t.csv"));  // and the same import then succeeds
        CHECK(p.rows == 2000);
    }
}

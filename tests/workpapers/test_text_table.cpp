#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/collect.h"
#include "workpapers/errors.h"
#include "workpapers/readers/table_source.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
Collected readText(const fs::path& f, SourceInfo* info = nullptr) {
    Collected c;
    auto i = readTable(f, ReadOptions{}, c);
    if (info) *info = i;
    return c;
}

std::string utf16le(const std::string& ascii) {
    std::string out = "\xFF\xFE";
    for (char ch : ascii) {
        out += ch;
        out += '\0';
    }
    return out;
}
}  // namespace

TEST_CASE("RFC 4180: quotes, doubled quotes, embedded line breaks, CRLF") {
    TempDir d;
    auto f = write(d / "t.csv",
                   "id,text,date\r\n"
                   "A1,\"plain, with comma\",2025-01-01\r\n"
                   "A2,\"say \"\"hi\"\"\",2025-01-02\r\n"
                   "A3,\"two\r\nlines\",2025-01-03\r\n"
                   "A4,,2025-01-04\r\n");
    SourceInfo info;
    auto c = readText(f, &info);
    REQUIRE(c.names == std::vector<std::string>{"id", "text", "date"});
    REQUIRE(c.rows.size() == 4);
    CHECK(c.rows[0][1] == "plain, with comma");
    CHECK(c.rows[1][1] == "say \"hi\"");
    CHECK(c.rows[2][1] == "two\r\nlines");
    CHECK(c.rows[3][1] == "");
    CHECK(c.rows[3][2] == "2025-01-04");  // no stray \r on the last field of a CRLF line
    CHECK(c.lines == std::vector<std::int64_t>{2, 3, 4, 6});  // the record after the embedded break starts on line 6
    CHECK(info.delimiter == ",");
    CHECK(info.encoding == "UTF-8");
    // SHA-256 of exactly these bytes, computed independently with Python's hashlib.
    CHECK(info.sha256 == "8bb2a00addcde085883020c611a8ab0fb019950a172dc348da0ac62acea17b67");
}

TEST_CASE("UTF-8 with BOM, semicolons and tabs are recognised") {
    TempDir d;
    SECTION("BOM and semicolons") {
        SourceInfo info;
        auto c = readText(write(d / "s.csv", "\xEF\xBB\xBFNr;Name;Datum\n1;Müller;31.12.2025\n"), &info);
        CHECK(c.names[0] == "Nr");  // the BOM is not part of the first header
        CHECK(c.rows[0][1] == "Müller");
        CHECK(info.delimiter == ";");
        CHECK(info.encoding == "UTF-8 with BOM");
    }
    SECTION("tabs") {
        SourceInfo info;
        auto c = readText(write(d / "t.txt", "a\tb\n1\t\"x\ty\"\n"), &info);
        CHECK(c.rows[0][1] == "x\ty");
        CHECK(info.delimiter == "\\t");
    }
}

TEST_CASE("UTF-16LE with BOM, as Excel's \"Unicode text\" writes it") {
    TempDir d;
    SourceInfo info;
    auto c = readText(write(d / "u.txt", utf16le("Job\tDate\r\nBK-1\t2025-03-01\r\nBK-2\t2025-03-02\r\n")), &info);
    CHECK(info.encoding == "UTF-16LE with BOM");
    CHECK(info.delimiter == "\\t");
    REQUIRE(c.rows.size() == 2);
    CHECK(c.rows[1][0] == "BK-2");
    CHECK(c.rows[1][1] == "2025-03-02");
}

TEST_CASE("a header-only file is a valid table with no records") {
    TempDir d;
    auto c = readText(write(d / "h.csv", "id,date\n"));
    CHECK(c.names.size() == 2);
    CHECK(c.rows.empty());
}

TEST_CASE("empty lines are passed over and counted: a last line without newline is read") {
    TempDir d;
    SourceInfo info;
    auto c = readText(write(d / "b.csv", "id,date\n\nA,2025-01-01\n\nB,2025-01-02"), &info);
    REQUIRE(c.rows.size() == 2);
    CHECK(c.rows[1][0] == "B");
    CHECK(c.lines == std::vector<std::int64_t>{3, 5});
    CHECK(info.blankLines == 2);
}

TEST_CASE("Windows-1252 is detected when the file is not UTF-8 and has no byte order mark") {
    TempDir d;
    Collected c;
    // Plain ASCII for more than a chunk (1 MiB), then cp1252: the ASCII read before stands.
    std::string bytes = "id,name\n";
    for (int i = 0; i < 40000; ++i) bytes += std::to_string(i) + ",plain ascii name number " + std::to_string(i) + "\n";
    bytes += "x,Caf\xE9 \x80 \x93quoted\x94\n";  // é, the euro sign, curly quotes
    bytes += "y,M\xFC";                               // ü as the file's very last byte
    auto f = write(d / "w.csv", bytes);
    REQUIRE(bytes.size() > (1u << 20));
    auto info = readTable(f, {}, c);
    CHECK(info.encoding == "Windows-1252 (detected: not UTF-8, no byte order mark)");
    REQUIRE(c.rows.size() == 40002);
    CHECK(c.rows[39999][1] == "plain ascii name number 39999");
    CHECK(c.rows[40000][1] == "Caf\u00e9 \u20ac \u201cquoted\u201d");
    CHECK(c.rows[40001][1] == "M\u00fc");
    // A lead byte cut by the end of a chunk, then the rest: judged whole, still UTF-8.
    auto g = write(d / "u.csv", "id,name\nq,\xE2\x82\xAC\n" + std::string((1u << 20) - 17, 'b') + ",x\xE2\x82\xAC\n");
    Collected u;
    auto ui = readTable(g, {}, u);
    CHECK(ui.encoding == "UTF-8");
    CHECK(u.rows[0][1] == "\u20ac");
    CHECK(u.rows[1][1] == "x\u20ac");
}

TEST_CASE("malformed text files are refused with the file, line and column named") {
    TempDir d;
    Collected c;
    SECTION("a ragged row") {
        auto f = write(d / "r.csv", "a,b,c\n1,2,3\n4,5\n");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("r.csv: line 3: 2 fields where the header has 3"));
    }
    SECTION("an unterminated quote names the line where it opens") {
        auto f = write(d / "q.csv", "a,b\n1,2\n3,\"never closed\n4,5\n");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("q.csv: line 3, field 2: a quoted field opens here and is never closed"));
    }
    SECTION("text after a closing quote") {
        auto f = write(d / "x.csv", "a,b\n1,\"ab\"c\n");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("x.csv: line 2, field 2: unexpected character 'c' after a closing quote"));
    }
    SECTION("UTF-8 text, then bytes that are not UTF-8: two encodings in one file") {
        auto f = write(d / "w.csv", "id,name\n1,Caf\xC3\xA9\n2,Caf\xE9\n");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("w.csv: line 3: bytes that are not valid UTF-8 after UTF-8 text"));
    }
    SECTION("an unpaired UTF-16 surrogate") {
        std::string bytes = utf16le("a\tb\r\n1\t");
        bytes += std::string("\x00\xD8", 2);  // a high surrogate followed by an ordinary character
        bytes += std::string("x\0\r\0\n\0", 6);
        auto f = write(d / "s.txt", bytes);
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("s.txt: near line 2: bytes that are not valid UTF-16LE"));
    }
    SECTION("an empty file") {
        auto f = write(d / "e.csv", "");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("e.csv: the file is empty"));
    }
    SECTION("a file that is not there") {
        CHECK_THROWS_AS(readTable(d / "missing.csv", {}, c), InputError);
        CHECK_THROWS_WITH(readTable(d / "missing.csv", {}, c), Contains("missing.csv: cannot be opened"));
    }
    SECTION("a legacy .xls workbook") {
        auto f = write(d / "old.xls", std::string("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8) + "rest");
        CHECK_THROWS_WITH(readTable(f, {}, c), Contains("legacy Excel 97-2003"));
    }
}

TEST_CASE("records arrive whole across the reader's 1 MiB chunks") {
    TempDir d;
    std::string big = "id,text\n";
    const int n = 40000;
    for (int i = 0; i < n; ++i) big += std::to_string(i) + ",\"value, \"\"" + std::to_string(i) + "\"\"\nsecond line\"\n";
    REQUIRE(big.size() > (1u << 20));
    auto c = readText(write(d / "big.csv", big));
    REQUIRE(c.rows.size() == static_cast<std::size_t>(n));
    CHECK(c.rows[n - 1][1] == "value, \"" + std::to_string(n - 1) + "\"\nsecond line");
    CHECK(c.lines[n - 1] == 2 + 2 * static_cast<std::int64_t>(n - 1));
}

TEST_CASE("UTF-8 validation") {
    CHECK(invalidUtf8At("plain ascii") == std::string_view::npos);
    CHECK(invalidUtf8At("Zażółć 東京 😀") == std::string_view::npos);
    CHECK(invalidUtf8At("ab\xC3") == 2);                 // cut short
    CHECK(invalidUtf8At("\xC0\xAF") == 0);               // overlong '/'
    CHECK(invalidUtf8At("x\xED\xA0\x80") == 1);          // an encoded surrogate
    CHECK(invalidUtf8At(std::string_view("a\0b", 3)) == 1);  // NUL: UTF-16 read as UTF-8
}

// Readers that hold: ODS streamed with its repeats expanded exactly, sheet visibility, the control
// character check, finite amounts, and the limits. Files are written here by Python (zipfile,
// openpyxl) or byte by byte; expected values are worked out by hand.
#include <catch2/catch.hpp>

#include "support.h"
#include "workpapers/collect.h"
#include "workpapers/errors.h"
#include "workpapers/readers/amount.h"
#include "workpapers/readers/table_source.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

const char* kOdsNs =
    "xmlns:office=\"urn:oasis:names:tc:opendocument:xmlns:office:1.0\" "
    "xmlns:style=\"urn:oasis:names:tc:opendocument:xmlns:style:1.0\" "
    "xmlns:table=\"urn:oasis:names:tc:opendocument:xmlns:table:1.0\" "
    "xmlns:text=\"urn:oasis:names:tc:opendocument:xmlns:text:1.0\"";

// An ODS package around the given automatic styles and office:spreadsheet body, zipped by Python.
fs::path writeOds(const TempDir& d, const std::string& name, const std::string& styles, const std::string& body) {
    const std::string content = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<office:document-content ") +
                                kOdsNs + " office:version=\"1.2\"><office:automatic-styles>" + styles +
                                "</office:automatic-styles><office:body><office:spreadsheet>" + body +
                                "</office:spreadsheet></office:body></office:document-content>";
    auto xml = write(d / (name + ".content.xml"), content);
    auto out = d / name;
    auto r = sh("/usr/bin/python3 -c " +
                quote("import sys, zipfile\n"
                      "with zipfile.ZipFile(sys.argv[2], 'w') as z:\n"
                      "    z.writestr(zipfile.ZipInfo('mimetype'), 'application/vnd.oasis.opendocument.spreadsheet')\n"
                      "    z.writestr('content.xml', open(sys.argv[1], 'rb').read(), compress_type=zipfile.ZIP_DEFLATED)\n") +
                " " + quote(xml.string()) + " " + quote(out.string()));
    if (r.status != 0) throw std::runtime_error(r.err);
    return out;
}

std::string cell(const std::string& text, const std::string& extra = "") {
    return "<table:table-cell office:value-type=\"string\"" + extra + "><text:p>" + text + "</text:p></table:table-cell>";
}

}  // namespace

TEST_CASE("ODS: repeated rows are expanded exactly, each with its own number, empty ones only counted") {
    TempDir d;
    // Rows 1 header; 2 A; 3-4 B twice (repeated); 5-7 empty (repeated); 8 C; then LibreOffice's
    // 1,048,568 trailing empty rows.
    auto f = writeOds(d, "r.ods", "",
                      "<table:table table:name=\"Data\">"
                      "<table:table-row>" + cell("Key") + cell("When") + "</table:table-row>"
                      "<table:table-row>" + cell("A") + cell("1") + "</table:table-row>"
                      "<table:table-row table:number-rows-repeated=\"2\">" + cell("B") + cell("2") + "</table:table-row>"
                      "<table:table-row table:number-rows-repeated=\"3\"><table:table-cell table:number-columns-repeated=\"1024\"/></table:table-row>"
                      "<table:table-row>" + cell("C") + cell("3") + "</table:table-row>"
                      "<table:table-row table:number-rows-repeated=\"1048568\"><table:table-cell/></table:table-row>"
                      "</table:table>");
    Collected c;
    auto info = readTable(f, {}, c);
    REQUIRE(c.rows.size() == 4);
    CHECK(c.rows[1] == std::vector<std::string>{"B", "2"});
    CHECK(c.rows[2] == std::vector<std::string>{"B", "2"});
    CHECK(c.lines == std::vector<std::int64_t>{2, 3, 4, 8});
    CHECK(info.layout.blankRows == 3);  // rows 5-7, between records
}

TEST_CASE("ODS: repeated cells expanded, covered cells read, trailing empty repeats not materialised") {
    TempDir d;
    auto f = writeOds(d, "c.ods", "",
                      "<table:table table:name=\"Data\">"
                      "<table:table-row>" + cell("Key") + cell("X") + cell("Y") + cell("Z") + "</table:table-row>"
                      "<table:table-row>" + cell("K1") + cell("same", " table:number-columns-repeated=\"2\"") +
                      "<table:covered-table-cell office:value-type=\"string\"><text:p>under</text:p></table:covered-table-cell>"
                      "<table:table-cell table:number-columns-repeated=\"16000\"/></table:table-row>"
                      "<table:table-row>" + cell("K2") + "<table:table-cell table:number-columns-repeated=\"2\"/>" + cell("z") +
                      "</table:table-row></table:table>");
    Collected c;
    readTable(f, {}, c);
    REQUIRE(c.rows.size() == 2);
    CHECK(c.rows[0] == std::vector<std::string>{"K1", "same", "same", "under"});
    CHECK(c.rows[1] == std::vector<std::string>{"K2", "", "", "z"});
}

TEST_CASE("ODS: value types and text as LibreOffice writes them") {
    TempDir d;
    auto f = writeOds(d, "v.ods", "",
                      "<table:table table:name=\"Types\">"
                      "<table:table-row>" + cell("Key") + cell("Num") + cell("Pct") + cell("Cur") + cell("Date") +
                      cell("Stamp") + cell("Time") + cell("Bool") + cell("Text") + "</table:table-row>"
                      "<table:table-row>" + cell("K1") +
                      "<table:table-cell office:value-type=\"float\" office:value=\"0.1\"><text:p>0.10</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"percentage\" office:value=\"0.125\"><text:p>12.5%</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"currency\" office:currency=\"USD\" office:value=\"1234.5\"><text:p>$1,234.50</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"date\" office:date-value=\"2025-03-31\"><text:p>03/31/25</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"date\" office:date-value=\"2025-03-31T23:59:58.25\"><text:p>x</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"time\" office:time-value=\"PT14H05M09S\"><text:p>02:05 PM</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"boolean\" office:boolean-value=\"false\"><text:p>FALSE</text:p></table:table-cell>"
                      "<table:table-cell office:value-type=\"string\"><text:p>a<text:s text:c=\"3\"/>b<text:tab/>c<text:s/>"
                      "<text:span text:style-name=\"T1\">bold</text:span><text:line-break/>"
                      "<text:a xlink:href=\"http://x\" xmlns:xlink=\"http://www.w3.org/1999/xlink\">link</text:a></text:p>"
                      "<office:annotation><text:p>a reviewer's comment</text:p></office:annotation>"
                      "<text:p>second &amp; last</text:p></table:table-cell>"
                      "</table:table-row></table:table>");
    Collected c;
    readTable(f, {}, c);
    REQUIRE(c.rows.size() == 1);
    CHECK(c.rows[0] == std::vector<std::string>{"K1", "0.1", "0.125", "1234.5", "2025-03-31", "2025-03-31T23:59:58",
                                                "14:05:09", "FALSE", "a   b\tc bold\nlink\nsecond & last"});
}

TEST_CASE("workbookSheets: names in order with their visibility, XLSX by openpyxl and ODS by hand") {
    TempDir d;
    auto x = d / "h.xlsx";
    REQUIRE(sh("/usr/bin/python3 -c " +
               quote("import sys, openpyxl\n"
                     "wb = openpyxl.Workbook(); wb.active.title = 'Lists'; wb.active.sheet_state = 'hidden'\n"
                     "wb.create_sheet('Data'); s = wb.create_sheet('Secret'); s.sheet_state = 'veryHidden'\n"
                     "wb.active = 1; wb.save(sys.argv[1])\n") +
               " " + quote(x.string()))
                .status == 0);
    auto xs = workbookSheets(x);
    REQUIRE(xs.size() == 3);
    CHECK((xs[0].name == "Lists" && xs[0].hidden));
    CHECK((xs[1].name == "Data" && !xs[1].hidden));
    CHECK((xs[2].name == "Secret" && xs[2].hidden));
    CHECK(tableSheets(x) == std::vector<std::string>{"Lists", "Data", "Secret"});

    auto o = writeOds(d, "h.ods",
                      "<style:style style:name=\"ta1\" style:family=\"table\"><style:table-properties table:display=\"true\"/></style:style>"
                      "<style:style style:name=\"ta2\" style:family=\"table\"><style:table-properties table:display=\"false\"/></style:style>",
                      "<table:table table:name=\"Hidden\" table:style-name=\"ta2\"/>"
                      "<table:table table:name=\"Shown\" table:style-name=\"ta1\"/><table:table table:name=\"Plain\"/>");
    auto os = workbookSheets(o);
    REQUIRE(os.size() == 3);
    CHECK((os[0].name == "Hidden" && os[0].hidden));
    CHECK((os[1].name == "Shown" && !os[1].hidden));
    CHECK((os[2].name == "Plain" && !os[2].hidden));
    CHECK(workbookSheets(write(d / "t.csv", "a,b\n1,2\n")).empty());
}

TEST_CASE("Without --sheet a hidden sheet is passed over even when it holds a table, and the layout says so") {
    TempDir d;
    auto x = d / "hidden.xlsx";
    REQUIRE(sh("/usr/bin/python3 -c " +
               quote("import sys, openpyxl\n"
                     "wb = openpyxl.Workbook(); h = wb.active; h.title = 'Lookup'; h.sheet_state = 'hidden'\n"
                     "h.append(['Code', 'Meaning']); h.append(['A', 'Approved']); h.append(['R', 'Rejected'])\n"
                     "s = wb.create_sheet('Tickets'); s.append(['Ticket', 'Opened']); s.append(['CHG1', '2026-01-05'])\n"
                     "wb.active = 1; wb.save(sys.argv[1])\n") +
               " " + quote(x.string()))
                .status == 0);
    Collected c;
    auto info = readTable(x, {}, c);
    CHECK(c.names == std::vector<std::string>{"Ticket", "Opened"});
    REQUIRE(c.rows.size() == 1);
    CHECK(c.rows[0][0] == "CHG1");
    CHECK(info.layout.sheetsPassedOver == std::vector<std::string>{"\"Lookup\" (hidden)"});

    // Named with --sheet, the hidden sheet is read: the senior decided.
    Collected named;
    ReadOptions o;
    o.sheet = "Lookup";
    readTable(x, o, named);
    CHECK(named.rows.size() == 2);
}

TEST_CASE("ODS: a sheet named with --sheet, an unknown one listed, a cut content.xml refused") {
    TempDir d;
    auto body = "<table:table table:name=\"First\"><table:table-row>" + cell("x") + "</table:table-row></table:table>"
                "<table:table table:name=\"Second\"><table:table-row>" + cell("Key") + cell("When") +
                "</table:table-row><table:table-row>" + cell("K") + cell("1") + "</table:table-row></table:table>";
    auto f = writeOds(d, "s.ods", "", body);
    Collected c;
    ReadOptions o;
    o.sheet = "Second";
    auto info = readTable(f, o, c);
    CHECK(info.sheet == "Second");
    CHECK(c.rows == std::vector<std::vector<std::string>>{{"K", "1"}});
    o.sheet = "Third";
    CHECK_THROWS_WITH(readTable(f, o, c), Contains("no sheet named \"Third\"; the workbook has \"First\", \"Second\""));
}

TEST_CASE("controlCharAt: C0 but tab, LF and CR, also DEL and C1 in UTF-8, nothing else") {
    using namespace std::string_view_literals;
    CHECK(controlCharAt("plain text, long enough for the fast path") == std::string_view::npos);
    CHECK(controlCharAt("tab\there\r\nand line") == std::string_view::npos);
    CHECK(controlCharAt("Zażółć gęślą jaźń ¢ © ÿ €") == std::string_view::npos);  // U+00A2.. are C2 A2.., not C1
    CHECK(controlCharAt("0123456789abcdef\x1b[2A"sv) == 16);
    CHECK(controlCharAt("ab\0c"sv) == 2);
    CHECK(controlCharAt("abcdefgh\x7f"sv) == 8);
    CHECK(controlCharAt("abcdefghij\xc2\x85"sv) == 10);  // U+0085 NEL
    CHECK(controlCharAt("\xc2\x9f"sv) == 0);             // U+009F, the last C1
    CHECK(controlCharAt("\xc2\xa0"sv) == std::string_view::npos);  // U+00A0, no-break space
    CHECK(describeControl("\x1b", 0) == "U+001B (ESC)");
    CHECK(describeControl("x\xc2\x9b", 1) == "U+009B (a C1 control)");
    CHECK(describeControl("\x1f", 0) == "U+001F (US)");
}

TEST_CASE("control characters in a cell are refused with the row and column, in every format") {
    TempDir d;
    Collected c;
    auto csv = write(d / "e.csv", std::string("Key,When\nK1,1\nK2,x\x1b[2Ay\n"));
    CHECK_THROWS_WITH(readTable(csv, {}, c), Contains("e.csv: line 3, field 2: the control character U+001B (ESC)"));
    static const char kNul[] = "Key,When\nCHG0000001\0a,1\n";
    auto nul = write(d / "n.csv", std::string(kNul, sizeof kNul - 1));
    CHECK_THROWS_WITH(readTable(nul, {}, c), Contains("line 2, field 1: the control character U+0000 (NUL)"));
    auto o = writeOds(d, "c1.ods", "",
                      "<table:table table:name=\"D\"><table:table-row>" + cell("Key") + cell("When") +
                      "</table:table-row><table:table-row>" + cell("K") + cell("a&#133;b") + "</table:table-row></table:table>");
    CHECK_THROWS_WITH(readTable(o, {}, c), Contains("sheet \"D\", row 2, column B: the control character U+0085"));
}

TEST_CASE("amounts are finite decimals") {
    CHECK(parseAmount("1,234.50") == 1234.5);
    CHECK(parseAmount("$ 1 234.50") == 1234.5);
    CHECK(parseAmount("(12.00)") == -12.0);
    CHECK(parseAmount("-12") == -12.0);
    CHECK(parseAmount(" 7 ") == 7.0);
    CHECK(parseAmount("1.5E+06") == 1500000.0);
    CHECK(parseAmount("+3") == 3.0);
    CHECK(parseAmount(".5") == 0.5);
    for (const char* bad : {"nan", "NaN", "inf", "-inf", "infinity", "-infinity", "Infinity", "1e999", "-1e400",
                            "0x1A", "0x1p3", "", "  ", "$", "()", "1-2", "12abc", "e5", "--5", "1e", "one"})
        CHECK_FALSE(parseAmount(bad).has_value());
}

TEST_CASE("limits: a cell over 1 MiB and a record of more than 16,384 fields are refused in CSV") {
    TempDir d;
    Collected c;
    auto big = write(d / "big.csv", "Key,Note\nK1," + std::string((1 << 20) + 1, 'x') + "\n");
    CHECK_THROWS_WITH(readTable(big, {}, c), Contains("big.csv: line 2, field 2: a value of more than 1 MiB"));
    auto exact = write(d / "exact.csv", "Key,Note\nK1," + std::string(1 << 20, 'x') + "\n");
    Collected e;
    readTable(exact, {}, e);
    REQUIRE(e.rows.size() == 1);
    CHECK(e.rows[0][1].size() == (1u << 20));
    std::string wide = "Key";
    for (int i = 0; i < 16384; ++i) wide += ",c";
    auto w = write(d / "wide.csv", wide + "\n");
    CHECK_THROWS_WITH(readTable(w, {}, c), Contains("wide.csv: line 1: more than 16384 fields"));
}

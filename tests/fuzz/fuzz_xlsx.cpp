// libFuzzer harness: the XLSX reader. Input mode by the first byte: raw (the bytes are the file: the
// zip container itself is fuzzed) or parts (sheet, shared strings, styles, workbook, workbook rels
// separated by "\xff\xfe", zipped here, so the fuzzer works on the XML and not on deflate streams).
#include "tests/fuzz/fuzz_common.h"

namespace {
const char* kRootRels =
    "<?xml version=\"1.0\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" "
    "Target=\"xl/workbook.xml\"/></Relationships>";
const char* kWorkbook =
    "<workbook xmlns=\"http://schemas.openxmlformats.org/spreadsheetml/2006/main\" "
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\"><sheets>"
    "<sheet name=\"Data\" sheetId=\"1\" r:id=\"rId1\"/></sheets></workbook>";
const char* kWorkbookRels =
    "<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">"
    "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet\" Target=\"worksheets/sheet1.xml\"/>"
    "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings\" Target=\"sharedStrings.xml\"/>"
    "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles\" Target=\"styles.xml\"/>"
    "</Relationships>";
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const auto& p = fuzzing::scratch(".xlsx");
    if (data[0] & 1) {
        fuzzing::writeFile(p, data + 1, size - 1);
    } else {
        auto parts = fuzzing::splitParts(data + 1, size - 1, 5);
        parts.resize(5);
        std::vector<std::pair<std::string, std::string>> entries = {
            {"_rels/.rels", kRootRels},
            {"xl/workbook.xml", parts[3].empty() ? kWorkbook : parts[3]},
            {"xl/_rels/workbook.xml.rels", parts[4].empty() ? kWorkbookRels : parts[4]},
            {"xl/worksheets/sheet1.xml", parts[0]}};
        if (!parts[1].empty()) entries.emplace_back("xl/sharedStrings.xml", parts[1]);
        if (!parts[2].empty()) entries.emplace_back("xl/styles.xml", parts[2]);
        fuzzing::writeZip(p, entries, data[0] & 2);
    }
    fuzzing::Toucher t;
    tickmark::ReadOptions o;
    if (data[0] & 4) o.sheet = "Data";
    fuzzing::expectRefusalOnly([&] { tickmark::readXlsx(p, o, t); });
    fuzzing::expectRefusalOnly([&] { tickmark::xlsxSheetInfo(p); });
    return 0;
}

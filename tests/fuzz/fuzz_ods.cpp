// libFuzzer harness: the ODS reader. Input mode by the first byte: raw (the bytes are the file) or
// content (the bytes are content.xml, zipped here with a mimetype entry).
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    if (size < 1) return 0;
    const auto& p = fuzzing::scratch(".ods");
    if (data[0] & 1) {
        fuzzing::writeFile(p, data + 1, size - 1);
    } else {
        fuzzing::writeZip(p,
                          {{"mimetype", "application/vnd.oasis.opendocument.spreadsheet"},
                           {"content.xml", std::string(reinterpret_cast<const char*>(data + 1), size - 1)}},
                          data[0] & 2);
    }
    fuzzing::Toucher t;
    tickmark::ReadOptions o;
    if (data[0] & 4) o.sheet = "Data";
    fuzzing::expectRefusalOnly([&] { tickmark::readOds(p, o, t); });
    fuzzing::expectRefusalOnly([&] { tickmark::odsSheetInfo(p); });
    return 0;
}

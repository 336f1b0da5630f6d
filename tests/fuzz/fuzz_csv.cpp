// libFuzzer harness: the delimited-text reader (encodings, quoting, the row shaper) on any bytes.
// An input starting with a byte 0x01-0x07 uses it as options a user can give (bit 1: --header-row 2,
// bit 2: --encoding UTF-16LE, bit 4: --encoding Windows-1252), and the rest is the file.
#include "tests/fuzz/fuzz_common.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    tickmark::ReadOptions o;
    if (size > 0 && data[0] >= 1 && data[0] <= 7) {
        if (data[0] & 1) o.headerRow = 2;
        if (data[0] & 2) o.encoding = "UTF-16LE";
        else if (data[0] & 4) o.encoding = "Windows-1252";
        ++data, --size;
    }
    const auto& p = fuzzing::scratch(".csv");
    fuzzing::writeFile(p, data, size);
    fuzzing::Toucher t;
    fuzzing::expectRefusalOnly([&] { tickmark::readTextTable(p, o, t); });
    return 0;
}

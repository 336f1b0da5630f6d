// libFuzzer harness: the control-matrix import end to end (reader, row shaper, the matrix's own
// checks, the write in one unit of work) on one engagement, in memory where there is a /dev/shm.
// Every input is any file a client could send (the first bytes choose the reader, as in the CLI).
#include <optional>

#include "tests/fuzz/fuzz_common.h"
#include "workpapers/controls.h"
#include "workpapers/dates.h"
#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace {
std::filesystem::path dir;
std::optional<tickmark::Engagement> engagement;
std::optional<tickmark::Actor> partner;
}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
    dir = fuzzing::scratch(".controls");
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    tickmark::EngagementSetup s;
    s.client = "Fuzz Client";
    s.systemName = "Fuzz System";
    s.periodStart = tickmark::parseIsoDate("2025-01-01");
    s.periodEnd = tickmark::parseIsoDate("2025-12-31");
    s.categories = {"availability", "confidentiality"};
    engagement.emplace(tickmark::Engagement::create(dir / "e.tickmark", s,
                                                    std::filesystem::path(TICKMARK_SOURCE_DIR) / "templates" / "tsc-2017.csv"));
    partner.emplace(tickmark::addEngagementPartner(*engagement, "Fuzz Partner", "FP", {"partner", "reviewer"},
                                                   "fuzz-partner-pw"));
    std::atexit([] {
        partner.reset();
        engagement.reset();
        std::filesystem::remove_all(dir);
    });
    return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    const auto file = dir / "matrix";
    fuzzing::writeFile(file, data, size);
    tickmark::ControlImportRequest req;
    req.file = file;
    fuzzing::expectRefusalOnly([&] { tickmark::importControls(*engagement, *partner, req); });
    return 0;
}

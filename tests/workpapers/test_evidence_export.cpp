// Evidence export against hostile names and files (issue: "export follows a dangling symlink already
// in the export folder and writes outside it; content changed in the file is exported without checking
// its SHA-256; a 300-byte name gives an internal error; U+202E is kept; Windows device names pass").
#include <catch2/catch.hpp>

#include <unistd.h>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
struct Evidence {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor p = testPartner(e);
    std::int64_t attach(const std::string& name, const std::string& bytes) {
        auto dir = d / ("in-" + std::to_string(++n));
        fs::create_directories(dir);
        return attachEvidence(e, p, {"engagement", std::nullopt, std::nullopt}, write(dir / name, bytes));
    }
    int n = 0;
};
}  // namespace

TEST_CASE("evidence export never writes through a symbolic link") {
    Evidence x;
    auto id = x.attach("report.pdf", "%PDF-1.7 the client's report");
    auto out = x.d / "out";
    fs::create_directories(out);
    auto outside = x.d / "outside.pdf";
    fs::create_symlink(outside, out / "report.pdf");  // dangling: exists() says no, a naive open writes outside
    auto written = exportEvidence(x.e, id, out);
    CHECK(written == out / "report (2).pdf");
    CHECK_FALSE(fs::exists(outside));
    CHECK(read(written) == "%PDF-1.7 the client's report");
    // The folder itself a link: refused.
    fs::create_directory_symlink(x.d / "elsewhere", x.d / "linked");
    CHECK_THROWS_WITH(exportEvidence(x.e, id, x.d / "linked"), Contains("is a symbolic link; export into a real folder"));
    CHECK_FALSE(fs::exists(x.d / "elsewhere"));
}

TEST_CASE("evidence whose content was changed in the file is not exported") {
    Evidence x;
    auto id = x.attach("log.txt", "deployed by AB at 10:02");
    x.e.db().exec("UPDATE evidence SET content = CAST('deployed by CD at 10:02' AS BLOB)");  // the sqlite3 shell, behind Tickmark
    CHECK_THROWS_WITH(exportEvidence(x.e, id, x.d / "out"),
                      Contains("no longer matches the SHA-256 recorded when it was attached") && Contains("Nothing was exported"));
    CHECK((!fs::exists(x.d / "out") || fs::is_empty(x.d / "out")));
}

TEST_CASE("hostile evidence names: long, bidirectional, device names, reserved characters") {
    // 300 bytes of name: cut to 180 with the extension kept, never inside a UTF-8 character.
    std::string accented;
    for (int i = 0; i < 150; ++i) accented += "\xC3\xA9";  // é x 150 = 300 bytes
    auto cut = safeEvidenceName(accented + ".pdf");
    CHECK(cut.size() <= 180);
    CHECK(cut.size() % 2 == 0);  // 2-byte characters and ".pdf": a cut inside a character would leave it odd
    CHECK(cut.substr(cut.size() - 4) == ".pdf");
    // U+202E (right-to-left override) and its kin are replaced: the name displays as it is.
    CHECK(safeEvidenceName("invoice\xE2\x80\xAE" "fdp.exe") == "invoice_fdp.exe");
    CHECK(safeEvidenceName("a\xE2\x81\xA6" "b\xE2\x80\x8F" "c.txt") == "a_b_c.txt");
    // Windows device names, with or without an extension, in any case.
    CHECK(safeEvidenceName("CON") == "_CON");
    CHECK(safeEvidenceName("nul.txt") == "_nul.txt");
    CHECK(safeEvidenceName("Com3.log") == "_Com3.log");
    CHECK(safeEvidenceName("LPT9") == "_LPT9");
    CHECK(safeEvidenceName("CONSOLE.txt") == "CONSOLE.txt");  // not a device
    CHECK(safeEvidenceName("COM0") == "COM0");
    // Folders, reserved characters, leading dots and trailing dots or spaces.
    CHECK(safeEvidenceName("../../etc/passwd") == "passwd");
    CHECK(safeEvidenceName("a<b>c:d|e?f*g\"h.txt") == "a_b_c_d_e_f_g_h.txt");
    CHECK(safeEvidenceName("..hidden") == "hidden");
    CHECK(safeEvidenceName("report.pdf. . ") == "report.pdf");

    Evidence x;
    auto id = x.attach(std::string(250, 'n') + ".csv", "a,b\n");
    auto written = exportEvidence(x.e, id, x.d / "out");
    CHECK(written.filename().string().size() <= 180);
    CHECK(written.extension() == ".csv");
    CHECK(read(written) == "a,b\n");
}

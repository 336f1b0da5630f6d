// The CLI for what the report words: population describe, subservice assign and signatory, and the
// SOC 3 report; each write signed in, each refusal exit 2 with the reason.
#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.h"

using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("tickmark population describe, subservice assign and signatory, soc3: through the CLI, on the demo") {
    TempDir d;
    REQUIRE(cli("demo " + quote(d.path().string())).status == 0);
    // The demo writes every output of its draft: PDF, DOCX, XLSX, and the SOC 3 report.
    for (auto name : {"lumen-ledger-fy26-draft.pdf", "lumen-ledger-fy26-draft.docx", "lumen-ledger-fy26-draft.xlsx",
                      "lumen-ledger-fy26-soc3-draft.pdf", "lumen-ledger-fy26-soc3-draft.docx"})
        CHECK(fs::exists(d / name));
    auto f = quote((d / "lumen-ledger-fy26.tickmark").string());
    auto pr = std::string("TICKMARK_PASSWORD=prepare-2026 ") + TICKMARK_CLI + " ";

    auto r = sh(pr + "population describe " + f + " --population 3 --as 'employees who left the company' --user PR");
    REQUIRE(r.status == 0);
    CHECK_THAT(r.out, Contains("Population 3 reads in the report as \"employees who left the company\""));
    r = cli("report " + f + " --pdf " + quote((d / "r.pdf").string()));
    REQUIRE(r.status == 0);
    auto text = sh("pdftotext " + quote((d / "r.pdf").string()) + " - | tr '\\n' ' '").out;
    CHECK_THAT(text, Contains("employees who left the company sampled"));
    r = sh(pr + "population describe " + f + " --population 99 --as x --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("population 99 is not in this engagement"));

    // The demo's one subservice organization is carved out: it performs no control of the description.
    r = sh(pr + "subservice assign " + f + " --control CM-03 --subservice 'Amazon Web Services, Inc.' --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("is carved out"));
    r = sh(pr + "subservice assign " + f + " --control CM-03 --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("give either --subservice NAME or --none"));
    REQUIRE(sh(pr + "subservice add " + f + " --name 'Vaultline Backup LLC' --services 'database backups' --method inclusive --user PR").status == 0);
    // An inclusive organization with neither controls nor signatory keeps the particulars gate open.
    auto j = json::parse(cli("report " + f + " --pdf " + quote((d / "r2.pdf").string()) + " --json").out);
    std::string failing;
    for (auto& g : j["gates"])
        if (g["gate"].get<std::string>().rfind("The description and the report particulars", 0) == 0) failing = g["failing"].dump();
    CHECK_THAT(failing, Contains("Vaultline Backup LLC assertion signatory"));
    CHECK_THAT(failing, Contains("Vaultline Backup LLC controls"));
    REQUIRE(sh(pr + "subservice assign " + f + " --control AV-02 --subservice 'Vaultline Backup LLC' --user PR").status == 0);
    REQUIRE(sh(pr + "subservice signatory " + f + " --subservice 'Vaultline Backup LLC' --name 'Vera Lind' --title COO --user PR").status == 0);
    j = json::parse(cli("report " + f + " --pdf " + quote((d / "r3.pdf").string()) + " --docx " + quote((d / "r3.docx").string()) + " --json").out);
    for (auto& g : j["gates"])
        if (g["gate"].get<std::string>().rfind("The description and the report particulars", 0) == 0) CHECK(g["failing"].dump().find("Vaultline") == std::string::npos);
    text = sh("pdftotext " + quote((d / "r3.pdf").string()) + " - | tr '\\n' ' '").out;
    CHECK_THAT(text, Contains("Assertion of Vaultline Backup LLC Management"));

    // SOC 3: a draft while the gates are open; --final refused, naming them, and nothing written.
    r = cli("soc3 " + f + " --pdf " + quote((d / "s3.pdf").string()) + " --docx " + quote((d / "s3.docx").string()) + " --json");
    REQUIRE(r.status == 0);
    j = json::parse(r.out);
    CHECK(j["draft"] == true);
    CHECK(fs::exists(d / "s3.pdf"));
    CHECK(fs::exists(d / "s3.docx"));
    r = cli("soc3 " + f + " --pdf " + quote((d / "s3-final.pdf").string()) + " --final");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("the SOC 3 report cannot be issued as final; unmet gates"));
    CHECK_FALSE(fs::exists(d / "s3-final.pdf"));
    r = cli("soc3 " + f);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("name an output"));
}

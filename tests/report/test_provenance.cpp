// A report carries where it came from (issue 11): the trail's head, the digest of its inputs, the root
// key and the signers' keys, in the PDF's document information, the DOCX's custom properties and on its
// last page; `tickmark audit verify ENG --report FILE` says whether it came from this file as it stands.
// The properties are read back with other tools (poppler's pdfinfo, Python's zipfile) and compared with
// the file as the sqlite3 shell reads it.
#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "report/report.h"
#include "support.h"
#include "workpapers/presentation.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

struct Demo {
    TempDir d;
    fs::path file;
    Demo() { file = buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr).engagementFile; }
    void write(const fs::path& pdf, const fs::path& docx) {
        auto e = Engagement::open(file);
        auto r = report::assemble(e, sourceDir() / "templates");
        report::writePdf(r, pdf, report::Output{});
        report::writeDocx(r, docx, "");
    }
    std::string sql(const std::string& q) {
        auto r = sh("sqlite3 " + quote(file.string()) + " " + quote(q));
        REQUIRE(r.status == 0);
        return r.out.substr(0, r.out.find_last_not_of('\n') + 1);
    }
};

}  // namespace

TEST_CASE("report provenance: the PDF and the DOCX carry the trail head the sqlite3 shell reads, and verify against the file") {
    Demo a;
    const auto pdf = a.d / "r.pdf", docx = a.d / "r.docx";
    a.write(pdf, docx);
    const std::string head = a.sql("SELECT seq || ' ' || hash FROM audit_trail ORDER BY seq DESC LIMIT 1");
    REQUIRE(head.size() > 64);

    auto info = sh("pdfinfo -custom " + quote(pdf.string()));
    REQUIRE(info.status == 0);
    CHECK_THAT(info.out, Contains("TickmarkTrailHead:" + head));
    CHECK_THAT(info.out, Contains("TickmarkEngagementRootKey:"));
    auto custom = sh("/usr/bin/python3 -c " +
                     quote("import sys,zipfile; print(zipfile.ZipFile(sys.argv[1]).read('docProps/custom.xml').decode())") + " " +
                     quote(docx.string()));
    REQUIRE(custom.status == 0);
    CHECK_THAT(custom.out, Contains("name=\"Tickmark Trail Head\"><vt:lpwstr>" + head + "</vt:lpwstr>"));
    // The last page says it in words.
    auto text = sh("pdftotext " + quote(pdf.string()) + " -");
    CHECK_THAT(text.out, Contains("Report Record"));
    CHECK_THAT(text.out, Contains("audit trail entry " + head.substr(0, head.find(' '))));

    for (auto& report : {pdf, docx}) {
        auto r = cli("audit verify " + quote(a.file.string()) + " --report " + quote(report.string()) + " --json");
        INFO(r.err);
        CHECK(r.status == 0);
        auto j = json::parse(r.out)["report"];
        CHECK(j["from_this_file"] == true);
        CHECK(j["as_it_stands"] == true);
    }

    SECTION("a change the report rests on, made through the program: the report no longer stands for the file") {
        {
            auto e = Engagement::open(a.file);
            auto dw = authenticate(e, "DW", "partner-2026");
            describePopulation(e, dw, 1, "changes deployed to production, as corrected");
        }
        auto r = cli("audit verify " + quote(a.file.string()) + " --report " + quote(pdf.string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.out, Contains("produced from this file at trail entry") && Contains("changed what it rests on since"));
        CHECK_THAT(r.err, Contains("what the report rests on changed since it was produced (1 trail entries since"));
    }
    SECTION("another engagement's report, or a file whose trail was rewritten, is not from this file") {
        Demo other;
        auto r = cli("audit verify " + quote(other.file.string()) + " --report " + quote(pdf.string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.out, Contains("NOT produced from this file as it stands"));
        CHECK_THAT(r.err, Contains("another engagement, or this one rebuilt"));
    }
    SECTION("a file that is no report") {
        auto r = cli("audit verify " + quote(a.file.string()) + " --report " + quote(write(a.d / "x.pdf", "%PDF-1.7 garbage").string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("x.pdf: not a readable PDF"));
    }
}

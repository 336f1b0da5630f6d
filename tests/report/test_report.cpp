#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "report/report.h"
#include "report/complete_demo.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/reporting.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

fs::path templates() { return sourceDir() / "templates"; }

// pdftotext of the whole document, with line breaks and runs of spaces folded, so a wrapped
// sentence reads as one.
std::string pdfText(const fs::path& pdf) {
    auto r = sh("pdftotext " + quote(pdf.string()) + " -");
    std::string out;
    for (char c : r.out) {
        char x = c == '\n' ? ' ' : c;
        if (x == ' ' && !out.empty() && out.back() == ' ') continue;
        out += x;
    }
    return out;
}

const report::Table* tableUnder(const report::Report& r, const std::string& criterion) {
    for (auto& s : r.sections)
        if (s.number == "IV")
            for (std::size_t i = 0; i + 1 < s.content.size(); ++i)
                if (auto* b = std::get_if<report::Block>(&s.content[i]); b && b->anchor == "IV-" + criterion)
                    return std::get_if<report::Table>(&s.content[i + 1]);
    return nullptr;
}

// A Security-only engagement whose one control addresses every common criterion.
struct Small {
    TempDir d;
    Engagement e = newEngagement(d / "e.tickmark");
    Actor z = addEngagementPartner(e, "Zoe Partner", "ZP", {"partner", "reviewer"}, "partner-pw-1");
    Actor p = join("Sam Senior", "SS", {"preparer"}, "senior-pw-1");
    Actor r = join("Mia Manager", "MM", {"reviewer"}, "manager-pw-1");
    Actor join(const std::string& name, const std::string& initials, const std::vector<std::string>& roles,
               const std::string& password) {
        return joinTeam(e, z, name, initials, roles, password);
    }
    Small(const std::string& description = "Changes are approved") {
        std::string all;
        auto st = e.db().prepare("SELECT id FROM criterion WHERE category_code IN ('security', 'availability') ORDER BY ordinal");
        while (st.step()) all += (all.empty() ? "" : ";") + st.getText(0);
        ControlImportRequest c;
        c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,\"" + description + "\",\"" + all +
                                        "\",Annual,Manual\n");
        importControls(e, p, c);
        DrawRequest dr;
        dr.control = "CM-03";
        dr.method = "dates";
        dr.size = 2;
        dr.seed = 3;
        auto s = drawSample(e, p, dr);
        defineTest(e, p, {"CM-03", {"inspection"}, "Inspected the change log.", s.id, {{"A", "Approved"}}, ""});
    }
};

}  // namespace

TEST_CASE("the demo's draft report: sections, every in-scope criterion, exception sentences, gates") {
    TempDir d;
    auto demo = buildDemo(d.path(), sourceDir() / "demo", templates(), nullptr);
    auto e = Engagement::open(demo.engagementFile);
    auto r = report::assemble(e, templates());
    REQUIRE(r.sections.size() == 6);  // I-V, then the report record (where it came from)
    CHECK(r.sections[0].title == "Independent Service Auditor's Report");
    CHECK(r.sections[5].title == "Report Record");
    CHECK(r.sections[5].number.empty());
    CHECK(r.sections[3].number == "IV");
    CHECK(r.criteriaInScope.size() == 38);  // 33 common criteria + 3 availability + 2 confidentiality
    CHECK(r.opinionProposed == "unmodified");  // the exceptions were concluded with the criteria met
    CHECK_FALSE(r.issuable());
    auto gate = std::find_if(r.gates.begin(), r.gates.end(), [](auto& g) { return g.name == "No open review notes"; });
    REQUIRE(gate != r.gates.end());
    CHECK_FALSE(gate->met);
    CHECK_THAT(gate->detail, Contains("test:RM-02"));

    // A control mapped to several criteria of one group appears under each, in full once (LA-03: CC6.2
    // and CC6.3, both CC6): under the second it refers to the first.
    auto* cc62 = tableUnder(r, "CC6.2");
    auto* cc63 = tableUnder(r, "CC6.3");
    REQUIRE(cc62);
    REQUIRE(cc63);
    auto la03 = std::find_if(cc62->rows.begin(), cc62->rows.end(), [](auto& row) { return row[0] == "LA-03"; });
    REQUIRE(la03 != cc62->rows.end());
    CHECK((*la03)[2] == "Inspection, Reperformance");  // the test types the demo records for LA-03
    auto ref = std::find_if(cc63->rows.begin(), cc63->rows.end(), [](auto& row) { return row[0] == "LA-03"; });
    REQUIRE(ref != cc63->rows.end());
    CHECK((*ref)[1] == "See CC6.2 for this control, its tests and results.");
    CHECK((*ref)[4].empty());
    auto* cc81 = tableUnder(r, "CC8.1");
    REQUIRE(cc81);
    auto cm03 = std::find_if(cc81->rows.begin(), cc81->rows.end(), [](auto& row) { return row[0] == "CM-03"; });
    REQUIRE(cm03 != cc81->rows.end());
    // The demo's CM-03 population: 2,401 changes in the period, 100 selected; described to the client
    // as "changes deployed to production" (its import name, "Production changes", stays internal).
    CHECK_THAT((*cm03)[3], Contains("For a sample of 100 of 2,401 changes deployed to production, "));
    CHECK((*cm03)[4] == "Exception noted for 1 of 100 changes deployed to production sampled. The change was approved after it was deployed to production.");

    auto pdf = d / "draft.pdf";
    report::writePdf(r, pdf, report::Output{});
    CHECK(sh("qpdf --check " + quote(pdf.string())).status == 0);
    auto text = pdfText(pdf);
    for (auto& s : r.sections) CHECK_THAT(text, Contains(s.title));
    for (auto& id : r.criteriaInScope) CHECK_THAT(text, Contains(id + " "));
    CHECK_THAT(text, Contains("Exception noted for 2 of 20 terminated employees sampled. Access of two terminated employees was revoked two days after termination."));
    CHECK_THAT(text, Contains("Exception noted for 1 of 40 daily database backup jobs sampled. A failed backup was not retried within 24 hours."));
    // A periodic control's selection reads in its occurrences, not in the days its dates were drawn from.
    CHECK_THAT(text, Contains("For the annual occurrence, "));
    CHECK_THAT(text, Contains("For a sample of 2 of the 4 quarters, "));
    CHECK_THAT(text, Contains("For a sample of 2 of the 12 months, "));
    CHECK_THAT(text, Contains("For one instance of the automated control, "));
    CHECK(text.find("1 of 261 business days") == std::string::npos);
    for (auto internal : {"Production changes sampled", "production changes sampled", "Daily database backups", "daily database backups sampled"})
        CHECK(text.find(internal) == std::string::npos);  // the import names stay internal
    CHECK_THAT(text, Contains("DRAFT: not for distribution"));
    CHECK_THAT(text, Contains("Page 1 of "));
    CHECK_THAT(text, Contains("Harbor & Finch LLP"));
    CHECK_THAT(text, Contains("Lumen Ledger, Inc. and excludes"));  // no "Inc.." where a name ends in a period
}

TEST_CASE("the opinion is proposed from criteria not met, and the partner chooses, with a rationale when differing") {
    Small s;
    recordResults(s.e, s.p, {{"CM-03", 1, "A", "deviation", "", "", ""}, {"CM-03", 2, "A", "pass", "", "", ""}});
    auto x = listExceptions(s.e, "CM-03").front();
    updateException(s.e, s.p, x.id, "description", "The change was not approved.");
    updateException(s.e, s.p, x.id, "criteria", "CC8.1");
    updateException(s.e, s.p, x.id, "conclusion", "Not met.");
    updateException(s.e, s.p, x.id, "criteria-met", "no");
    auto r = report::assemble(s.e, templates());
    CHECK(r.opinionProposed == "qualified");
    REQUIRE(r.unmet.size() == 1);
    CHECK(r.unmet[0].id == "CC8.1");
    auto pdf = s.d / "q.pdf";
    report::writePdf(r, pdf, report::Output{});
    auto text = pdfText(pdf);
    CHECK_THAT(text, Contains("Basis for qualified opinion"));
    CHECK(text.find("Qualified opinion Basis for qualified opinion") == std::string::npos);  // the heading once, after its basis
    CHECK_THAT(text, Contains("except for the matters described"));
    CHECK_THAT(text, Contains("CC8.1 Authorize, design, develop, test, approve, and implement changes."));  // as templates/tsc-2017.csv names it
    CHECK_THAT(text, Contains("The description states: \"Changes are approved.\" (control CM-03)."));
    CHECK_THAT(text, Contains("Exception noted for 1 of 2 days sampled. The change was not approved."));
    CHECK_THAT(text, Contains("presented in Section IV under CC8.1."));
    CHECK_THAT(text, Contains("reasonable basis for our qualified opinion."));

    CHECK_THROWS_WITH(chooseOpinion(s.e, s.z, "unmodified", ""), Contains("needs the partner's rationale"));
    CHECK_THROWS_WITH(chooseOpinion(s.e, s.r, "qualified", ""), Contains("is not a partner"));
    chooseOpinion(s.e, s.z, "qualified", "");
    auto gates = report::assemble(s.e, templates()).gates;
    CHECK(std::find_if(gates.begin(), gates.end(), [](auto& g) { return g.name.rfind("The opinion chosen", 0) == 0; })->met);

    SECTION("a quarter or more of the criteria not met is pervasive: adverse") {
        std::string many;
        for (int i = 1; i <= 5; ++i) many += "CC1." + std::to_string(i) + ",";
        for (int i = 1; i <= 4; ++i) many += "CC2." + std::to_string(i == 4 ? 3 : i) + ",";
        updateException(s.e, s.p, x.id, "criteria", many + "CC3.1,CC3.2");  // 10 of the 36 in scope
        CHECK(report::assemble(s.e, templates()).opinionProposed == "adverse");
    }
}

TEST_CASE("criteria no control addresses are a design deficiency: adverse when pervasive, never a disclaimer") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    ControlImportRequest c;
    c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Annual,Manual\n");
    importControls(e, me, c);
    auto r = report::assemble(e, templates());
    CHECK(r.opinionProposed == "adverse");  // 35 of 36 criteria have no control: not addressed, which is not a scope limitation
    CHECK_FALSE(std::find_if(r.gates.begin(), r.gates.end(), [](auto& g) { return g.name == "Every control tested"; })->met);
}

TEST_CASE("a template with a syntax error names the template and the line") {
    TempDir d;
    fs::copy(templates(), d / "templates", fs::copy_options::recursive);
    auto path = d / "templates" / "report" / "section2.mustache";
    std::string t = read(path);
    std::size_t third = t.find('\n', t.find('\n', t.find('\n') + 1) + 1);
    t.insert(third + 1, "An {{#unfinished}} section.\n");  // becomes line 4
    write(path, t);
    Small s;
    CHECK_THROWS_WITH(report::assemble(s.e, d / "templates"), Contains("section2.mustache, line 4: the template does not parse"));
}

TEST_CASE("a missing font or an unwritable destination is a clear error, and no file is left there") {
    Small s;
    auto r = report::assemble(s.e, templates());
    report::Output bad;
    bad.fontFile = s.d / "NoSuchFont.ttf";
    CHECK_THROWS_WITH(report::writePdf(r, s.d / "x.pdf", bad), Contains("NoSuchFont.ttf: the report font is missing"));
    CHECK_FALSE(fs::exists(s.d / "x.pdf"));
    CHECK_THROWS_WITH(report::writePdf(r, s.d / "nowhere" / "x.pdf", report::Output{}), Contains("does not exist; nothing was written"));
    CHECK_THROWS_WITH(report::writeReportXlsx(r, s.d / "nowhere" / "x.xlsx"), Contains("does not exist; nothing was written"));
    for (auto& f : fs::directory_iterator(s.d.path())) CHECK(f.path().filename().string().find(".partial-") == std::string::npos);
}

TEST_CASE("with every gate met the report is final: no watermark, the partner's opinion") {
    TempDir d;
    auto demo = buildDemo(d.path(), sourceDir() / "demo", templates(), nullptr);
    auto e = Engagement::open(demo.engagementFile);
    completeDemo(e);
    auto r = report::assemble(e, templates());
    for (auto& g : r.gates) {
        INFO(g.name << ": " << g.detail);
        CHECK(g.met);
    }
    REQUIRE(r.issuable());
    auto pdf = d / "final.pdf";
    report::writePdf(r, pdf, report::Output{});
    auto text = pdfText(pdf);
    CHECK(text.find("DRAFT") == std::string::npos);
    CHECK_THAT(text, Contains("In our opinion, in all material respects"));
    CHECK(sh("qpdf --check " + quote(pdf.string())).status == 0);
    // Nothing internal on a final's cover: no gates, no proposal; the long-form title and the firm.
    CHECK(text.find("Opinion proposed") == std::string::npos);
    CHECK(text.find("Open:") == std::string::npos);
    CHECK_THAT(text, Contains("Report on Lumen Ledger, Inc.'s Description of Its Lumen Ledger Accounts Payable Platform and on the Suitability of "
                              "the Design and Operating Effectiveness of Its Controls Relevant to Security, Availability, and Confidentiality "
                              "Throughout the Period July 1, 2025 to June 30, 2026"));
    CHECK_THAT(text, Contains("Prepared by Harbor & Finch LLP"));
    // The SOC 3 report of the same engagement is final too, by the same gates.
    auto soc3 = report::assembleSoc3(e, templates());
    CHECK(soc3.issuable());
    report::writePdf(soc3, d / "soc3.pdf", report::Output{});
    auto s3 = pdfText(d / "soc3.pdf");
    CHECK(s3.find("DRAFT") == std::string::npos);
    CHECK_THAT(s3, Contains("management's assertion that the controls within Lumen Ledger, Inc.'s Lumen Ledger Accounts Payable Platform were "
                            "effective throughout the period July 1, 2025 to June 30, 2026"));
}

TEST_CASE("any client name renders: the PDF embeds a Unicode font") {
    TempDir d;
    EngagementSetup s{"Ελληνική Εταιρεία Zażółć gęślą jaźń", "Σύστημα — System", ReportType::TypeII, parseIsoDate("2025-01-01"),
                      parseIsoDate("2025-12-31"), std::nullopt, {}};
    auto e = Engagement::create(d / "u.tickmark", s, templates() / "tsc-2017.csv");
    auto r = report::assemble(e, templates());
    report::writePdf(r, d / "u.pdf", report::Output{});
    auto text = pdfText(d / "u.pdf");
    CHECK_THAT(text, Contains("Ελληνική Εταιρεία Zażółć gęślą jaźń"));
    CHECK_THAT(text, Contains("Σύστημα — System"));
    auto fonts = sh("pdffonts " + quote((d / "u.pdf").string()));
    CHECK_THAT(fonts.out, Contains("DejaVuSans"));
}

TEST_CASE("an exception the preparer wrote as a whole sentence, counts included, is printed once, as written") {
    Small s;
    recordResults(s.e, s.p, {{"CM-03", 1, "A", "deviation", "", "", ""}, {"CM-03", 2, "A", "pass", "", "", ""}});
    auto x = listExceptions(s.e, "CM-03").front();
    updateException(s.e, s.p, x.id, "description", "For 1 of 2 days sampled, the ServiceNow change was not approved.");
    auto r = report::assemble(s.e, templates());
    auto* t = tableUnder(r, "CC8.1");
    REQUIRE(t);
    REQUIRE(t->rows.size() == 1);
    // The counts once, the brand name as written ("ServiceNow", not "serviceNow").
    CHECK(t->rows[0][4] == "Exception noted. For 1 of 2 days sampled, the ServiceNow change was not approved.");
    // Without the counts, the sentence leads with them and keeps the preparer's words as written.
    updateException(s.e, s.p, x.id, "description", "ServiceNow showed no approval");
    auto again = report::assemble(s.e, templates());
    t = tableUnder(again, "CC8.1");
    REQUIRE(t);
    CHECK(t->rows[0][4] == "Exception noted for 1 of 2 days sampled. ServiceNow showed no approval.");
}

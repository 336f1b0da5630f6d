// Every scenario of the SOC 2 report, generated from an engagement built for it, and read back as a
// reader would: the PDF through pdftotext, the DOCX through python-docx. Each element of
// ../shared/reference/report-elements.md is asserted on the extracted text, in its scenario, and no
// template may leave a blank, a doubled word, an empty period or a dangling ";".
#include <catch2/catch.hpp>

#include <regex>

#include "report/report.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"
#include "workpapers/presentation.h"
#include "workpapers/proof/seal.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/scope.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using namespace std::string_literals;

namespace {

enum class Finding { None, OneNotMet, ManyNotMet, ManyNotExamined, OneNotExamined, ManyNotAddressed };

struct Scenario {
    std::string name;
    bool type2 = true;
    std::vector<std::string> categories = {"availability"};
    Finding finding = Finding::None;
    bool carveOut = false, inclusive = false, cuecs = false, notApplicable = false;
};

const char* kClient = "Northwind Payroll, Inc.";
const char* kSystem = "Northwind Payroll Cloud";

// The report's words for the five categories, in TSC order.
std::string categoriesText(const std::vector<std::string>& codes) {
    std::vector<std::string> names = {"security"};
    for (const char* c : {"availability", "processing-integrity", "confidentiality", "privacy"})
        if (std::find(codes.begin(), codes.end(), c) != codes.end())
            names.push_back(std::string(c) == "processing-integrity" ? "processing integrity" : c);
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i)
        s += (i == 0 ? "" : i + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ") + names[i];
    return s;
}

struct Built {
    TempDir d;
    std::vector<std::string> criteria;  // in scope, TSC order
    std::string notMet;                 // the criterion concluded not met (one-not-met)
};

// An engagement for the scenario, taken to its opinion: every test done, the partner's choice made.
void build(const Scenario& sc, Built& b, const fs::path& file) {
    EngagementSetup s;
    s.client = kClient;
    s.systemName = kSystem;
    s.reportType = sc.type2 ? ReportType::TypeII : ReportType::TypeI;
    if (sc.type2) {
        s.periodStart = parseIsoDate("2025-04-01");
        s.periodEnd = parseIsoDate("2026-03-31");
    } else {
        s.asOf = parseIsoDate("2026-03-31");
    }
    s.categories = sc.categories;
    auto e = Engagement::create(file, s, criteriaCsv());
    auto partner = testPartner(e);
    auto senior = joinTeam(e, partner, "Sam Senior", "SS", {"preparer"}, "senior-pw-1");
    for (auto& c : e.criteriaInScope()) b.criteria.push_back(c.id);
    std::string all;  // the criteria CM-03 addresses: all, or (many not addressed) all but the first third
    for (std::size_t i = sc.finding == Finding::ManyNotAddressed ? b.criteria.size() / 3 : 0; i < b.criteria.size(); ++i)
        all += (all.empty() ? "" : ";") + b.criteria[i];
    ControlImportRequest m;
    m.file = write(b.d / "matrix.csv", "Control ID,Description,Criteria,Frequency,Nature\n"
                                       "CM-03,Changes to production are approved before deployment,\"" + all + "\",Annual,Manual\n"
                                       "IC-07,Backups of the payroll database are replicated to a second region,A1.2,Annual,Automated\n");
    importControls(e, senior, m);
    for (const char* ref : {"CM-03", "IC-07"}) {
        TestDefinition t{ref, {"inquiry", "inspection"}, "Inspected the change ticket for an approval dated before the deployment.", std::nullopt,
                         {{"A", "Approved before deployment"}}, ""};
        if (sc.type2) {
            DrawRequest dr;
            dr.control = ref;
            dr.method = "dates";
            dr.size = 2;
            dr.seed = 7;
            t.sampleId = drawSample(e, senior, dr).id;
        }
        defineTest(e, senior, t);
        std::vector<ResultInput> rs;
        for (auto& it : loadTest(e, ref).items) rs.push_back({ref, it.position, "A", "pass", "", "", ""});
        if (sc.type2 && (sc.finding == Finding::OneNotMet || sc.finding == Finding::ManyNotMet) && std::string(ref) == "CM-03")
            rs[0].outcome = "deviation";
        recordResults(e, senior, rs);
    }
    if (sc.finding == Finding::OneNotMet || sc.finding == Finding::ManyNotMet) {
        auto x = listExceptions(e, "CM-03").front();
        updateException(e, senior, x.id, "description", "The change was deployed before its approval was recorded.");
        b.notMet = "CC8.1";
        std::string which = "CC8.1";
        if (sc.finding == Finding::ManyNotMet)
            for (std::size_t i = 0; i < b.criteria.size() / 3; ++i) which += "," + b.criteria[i];
        updateException(e, senior, x.id, "criteria", which);
        updateException(e, senior, x.id, "conclusion", "The deviation means the criteria were not met.");
        updateException(e, senior, x.id, "criteria-met", "no");
        updateException(e, senior, x.id, "management-response", "Deployment now requires a recorded approval.");
    }
    if (sc.finding == Finding::ManyNotExamined)
        for (std::size_t i = 0; i < b.criteria.size() / 3; ++i)
            markCriterion(e, partner, b.criteria[i], CriterionStatus::NotExamined, "The entity could not provide the logs for the period");
    if (sc.finding == Finding::OneNotExamined)
        markCriterion(e, partner, "CC7.2", CriterionStatus::NotExamined, "The entity could not provide the monitoring logs");
    if (sc.notApplicable) markCriterion(e, partner, "A1.3", CriterionStatus::NotApplicable, "The system has no recovery site to test");
    if (sc.carveOut) {
        e.addSubserviceOrg(senior, "Azure Cloud Services", "hosting of the production environment", "carve-out");
        e.addCsoc(senior, "Azure Cloud Services", "Physical access to the data centers is restricted.", {"CC6.4"});
    }
    if (sc.inclusive) {
        e.addSubserviceOrg(senior, "Vaultline Backup LLC", "database backup and replication", "inclusive");
        assignControlToSubservice(e, senior, "IC-07", "Vaultline Backup LLC");
        setSubserviceSignatory(e, senior, "Vaultline Backup LLC", "Vera Lind", "Chief Operating Officer");
    }
    if (sc.cuecs) e.addCuec(senior, "User entities review the payroll changes they approve.", {"CC8.1"});
    for (auto& [k, v] : std::map<std::string, std::string>{{"firm_name", "Harbor & Finch LLP"}, {"firm_city", "Boston, Massachusetts"},
                                                          {"report_date", "2026-05-15"}, {"signatory_name", "Ava Chen"},
                                                          {"signatory_title", "Chief Executive Officer"}})
        setReportSetting(e, senior, k, v);
    for (auto& h : descriptionHeadings(s.reportType)) setDescription(e, senior, h.key, std::string("Text for ") + h.key + ".");
    chooseOpinion(e, partner, toString(proposeOpinion(e).opinion), "");
    // Every write of the scenario went through the program: each workpaper as its last sealed write left it.
    auto proof = proof::verifyProof(e);
    std::string found;
    for (auto& f : proof.all()) found += f + "\n";
    INFO(found);
    REQUIRE(proof.clean());
}

// Text with every run of white space folded to one space, so a wrapped sentence reads as one.
std::string fold(const std::string& in) {
    std::string out;
    for (char c : in) {
        char x = (c == '\n' || c == '\t' || c == '\f' || c == '\r') ? ' ' : c;
        if (x == ' ' && !out.empty() && out.back() == ' ') continue;
        out += x;
    }
    return out;
}

// The body of every page: the running header and the page footer cropped away (they would split a
// sentence running over a page), and the letters of the draft's diagonal watermark taken out.
std::string pdfText(const fs::path& pdf) {
    auto r = sh("pdftotext -nopgbrk -x 0 -y 58 -W 612 -H 684 " + quote(pdf.string()) + " -");
    std::string text = fold(r.out);
    return std::regex_replace(text, std::regex("(^| )(D|RA|FT|DRAFT)(?= |$)"), "");
}

// The DOCX's paragraphs and table cells, as python-docx reads them.
std::string docxText(const fs::path& docx) {
    auto r = sh("/usr/bin/python3 -c " + quote("import docx,sys\n"
                                               "d=docx.Document(sys.argv[1])\n"
                                               "for p in d.paragraphs: print(p.text)\n"
                                               "for t in d.tables:\n"
                                               "  for row in t.rows:\n"
                                               "    print(' | '.join(c.text for c in row.cells))\n") +
                " " + quote(docx.string()));
    REQUIRE(r.status == 0);
    return fold(r.out);
}

std::size_t count(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (auto p = text.find(what); p != std::string::npos; p = text.find(what, p + 1)) ++n;
    return n;
}

// The elements of report-elements.md, by scenario, on one extracted text.
void checkElements(const Scenario& sc, const Built& b, const std::string& text, const std::string& opinion) {
    INFO("scenario: " << sc.name);
    const std::string client = kClient;
    const std::string when = sc.type2 ? "throughout the period April 1, 2025 to March 31, 2026" : "as of March 31, 2026";
    // Section I: title, addressee, scope.
    CHECK_THAT(text, Contains("Independent Service Auditor's Report"));
    CHECK_THAT(text, Contains("To the Management of " + client + ":"));
    CHECK_THAT(text, Contains("titled \"Northwind Payroll, Inc.'s Description of Its Northwind Payroll Cloud\", " + when));
    CHECK_THAT(text, Contains("Northwind Payroll, Inc.'s Description of Its Northwind Payroll Cloud"));  // Section III, that exact title
    CHECK_THAT(text, Contains("DC section 200"));
    CHECK_THAT(text, Contains("TSP section 100, 2017 Trust Services Criteria"));
    CHECK_THAT(text, Contains("trust services criteria relevant to " + categoriesText(sc.categories) + " (the applicable trust services criteria)"));
    if (sc.type2) {
        CHECK_THAT(text, Contains("suitability of the design and operating effectiveness of controls"));
        CHECK_THAT(text, Contains("Description of tests of controls"));
        CHECK_THAT(text, Contains("Section IV"));
    } else {
        CHECK(text.find("throughout the period") == std::string::npos);
        CHECK(text.find("operated effectively throughout") == std::string::npos);
        CHECK_THAT(text, Contains("We did not perform any procedures regarding the operating effectiveness"));
        CHECK(text.find("Description of tests of controls") == std::string::npos);
        CHECK(text.find("No exceptions noted") == std::string::npos);  // Type I: no tests, no results
        CHECK(text.find("Test performed") == std::string::npos);
        CHECK_THAT(text, Contains("would be achieved"));
    }
    // Subservice organizations, CUECs.
    if (sc.carveOut) {
        CHECK_THAT(text, Contains(client + " uses Azure Cloud Services for hosting of the production environment."));
        // One carved-out organization: the singular, and the types of controls expected of it.
        CHECK_THAT(text, Contains("excludes the controls of that subservice organization (the carve-out method); it presents the types of "
                                  "controls " + client + " expects of it."));
        CHECK_THAT(text, Contains("Our examination did not extend to the services provided by the subservice organization, and we have not "
                                  "evaluated the suitability of the design"));
    } else {
        CHECK(text.find("carve-out method") == std::string::npos);
    }
    if (sc.inclusive) {
        CHECK_THAT(text, Contains("The description includes the controls of Vaultline Backup LLC"));
        CHECK_THAT(text, Contains("(IC-07; the inclusive method), and our examination extended to those controls"));
        CHECK_THAT(text, Contains("Vaultline Backup LLC is responsible for designing, implementing, and operating effective controls"));
        CHECK_THAT(text, Contains("Assertion of Vaultline Backup LLC Management"));
        CHECK_THAT(text, Contains("Vera Lind"));
        CHECK_THAT(text, Contains("Chief Operating Officer"));
        if (opinion != "disclaimer") CHECK_THAT(text, Contains("The controls stated in the description, including those of Vaultline Backup LLC,"));
        CHECK_THAT(text, Contains("Backups of the payroll database are replicated to a second region (Performed by Vaultline Backup LLC.)"));  // Section IV marks the control it performs
    }
    if (sc.cuecs) {
        CHECK_THAT(text, Contains("can be met only if complementary user entity controls assumed in the design of " + client + "'s controls"));
        CHECK_THAT(text, Contains("User entities review the payroll changes they approve."));
    }
    const bool csocs = sc.carveOut, conditions = csocs || sc.cuecs;
    if (conditions && opinion != "disclaimer" && opinion != "adverse") {
        // The conditions reach every part of the opinion and of the assertion (twice each: I and II).
        std::string who = csocs && sc.cuecs ? "the subservice organizations and user entities" : csocs ? "the subservice organizations" : "user entities";
        CHECK(count(text, "and if " + who + " applied the complementary controls assumed in the design of " + client + "'s controls") >= 2);
        if (sc.type2) {
            std::string kind = csocs && sc.cuecs ? "subservice organization and user entity" : csocs ? "subservice organization" : "user entity";
            CHECK(count(text, "if complementary " + kind + " controls assumed in the design of " + client + "'s controls operated effectively throughout that period") >= 2);
        }
    }
    // Responsibilities; what an examination involves; independence and ethics.
    CHECK_THAT(text, Contains("Service organization's responsibilities"));
    CHECK_THAT(text, Contains("selecting the applicable trust services criteria and stating the related controls in the description"));
    CHECK_THAT(text, Contains("identifying the risks that threaten the achievement of its service commitments and system requirements"));
    CHECK_THAT(text, Contains("Service auditor's responsibilities"));
    CHECK_THAT(text, Contains("We are required to be independent of " + client + " and to meet our other ethical responsibilities"));
    if (opinion == "disclaimer") {
        CHECK(text.find("sufficient and appropriate to provide a reasonable basis") == std::string::npos);
        CHECK_THAT(text, Contains("we were not able to obtain sufficient appropriate evidence to provide a basis for an examination opinion"));
        CHECK(text.find("involves:") == std::string::npos);
    } else {
        CHECK_THAT(text, Contains("An examination of the description of a service organization's system"));
        CHECK_THAT(text, Contains("obtaining an understanding of the system"));
        CHECK_THAT(text, Contains("evaluating the overall presentation of the description."));
        CHECK((text.find("testing the operating effectiveness") != std::string::npos) == sc.type2);
        std::string basis = opinion == "unmodified" ? "opinion." : opinion + " opinion.";
        CHECK_THAT(text, Contains("sufficient and appropriate to provide a reasonable basis for our " + basis));
    }
    CHECK_THAT(text, Contains("Inherent limitations"));
    CHECK_THAT(text, Contains("common needs of a broad range of report users"));
    // Other information: Section V, not covered by the opinion.
    CHECK_THAT(text, Contains("The information included in Section V, \"Other Information Provided by " + client + "\""));
    CHECK_THAT(text, Contains("we express no opinion on it"));
    // The opinion, by kind; its heading printed once.
    if (opinion == "unmodified") {
        CHECK_THAT(text, Contains("In our opinion, in all material respects:"));
        CHECK(text.find("Basis for") == std::string::npos);
    } else {
        const std::string heading = opinion == "qualified" ? "Qualified opinion" : opinion == "adverse" ? "Adverse opinion" : "Disclaimer of opinion";
        const std::string basisHeading = "Basis for " + std::string(1, static_cast<char>(std::tolower(heading[0]))) + heading.substr(1);
        CHECK(count(text, basisHeading + " ") == 1 + count(text, basisHeading + " paragraph"));
        CHECK(count(text, heading + " ") == 1);
    }
    if (opinion == "qualified" && !b.notMet.empty()) {
        CHECK_THAT(text, Contains("In our opinion, except for the matters described in the Basis for qualified opinion paragraph, in all material respects:"));
        CHECK_THAT(text, Contains("CC8.1 Authorize, design, develop, test, approve, and implement changes. The description states: "
                                  "\"Changes to production are approved before deployment.\" (control CM-03). Exception noted for 1 of 2 days sampled. "
                                  "The change was deployed before its approval was recorded. The tests and their results are presented in Section IV under CC8.1."));
        CHECK_THAT(text, Contains("We confirm, to the best of our knowledge and belief, that, except for the matters described below:"));
    }
    if (opinion == "qualified" && b.notMet.empty()) {
        CHECK_THAT(text, Contains("except for the possible effects of the matters described in the Basis for qualified opinion paragraph"));
        CHECK_THAT(text, Contains("CC7.2 Monitor components for anomalies and security events. The entity could not provide the monitoring logs."));
    }
    if (opinion == "adverse") {
        CHECK_THAT(text, Contains("because of the significance of the matters described in the Basis for adverse opinion paragraph:"));
        // Every part of the opinion, each stated as it stands; the assertion mirrors them.
        CHECK(count(text, "The description presents " + client + "'s " + kSystem + " that was designed and implemented " + when) >= 2);
        CHECK_THAT(text, Contains("We confirm, to the best of our knowledge and belief, that, because of the matters described below:"));
        if (sc.finding == Finding::ManyNotMet) {
            CHECK(count(text, "did not operate effectively " + when) >= 2);  // the opinion and the assertion
            CHECK(text.find("operated effectively " + when + " to provide reasonable assurance") == std::string::npos);
        }
        if (sc.finding == Finding::ManyNotAddressed) CHECK(count(text, "were not suitably designed " + when) >= 2);
    }
    if (opinion != "unmodified") {
        CHECK(text.find("the service auditor could not obtain") == std::string::npos);  // management does not speak for the auditor
    }
    if (opinion == "adverse" && sc.finding == Finding::ManyNotMet) {
        // One exception reaches 13 criteria: its finding is told once, with every criterion it reaches.
        CHECK(count(text, "The description states: \"Changes to production are approved before deployment.\" (control CM-03).") == 1);
        CHECK_THAT(text, Contains("CC1.1 (Commitment to integrity and ethical values), CC1.2 (Board independence and oversight of internal control),"));
        CHECK_THAT(text, Contains("presented in Section IV under CC1.1, CC1.2, CC1.3,"));
    }
    if (opinion == "adverse" && sc.finding == Finding::ManyNotAddressed) {
        CHECK_THAT(text, Contains("The description does not include controls that address the following applicable trust services criteria"));
        CHECK_THAT(text, Contains("CC1.1 Commitment to integrity and ethical values. Section IV shows no control under CC1.1."));
        CHECK_THAT(text, Contains("The controls stated in the description were not suitably designed " + when + " to provide reasonable assurance that " +
                                  client + "'s service commitments and system requirements would be achieved"));
        CHECK_THAT(text, Contains("CC1.1 (Commitment to integrity and ethical values): no control included in the description addresses it."));
    }
    if (opinion == "disclaimer") CHECK_THAT(text, Contains("Accordingly, we do not express an opinion"));
    // Restricted use: the specified parties and the whole list of what they must understand.
    CHECK_THAT(text, Contains("Restricted use"));
    CHECK_THAT(text, Contains(sc.type2 ? "user entities of " + client + "'s " + kSystem + " during some or all of the period April 1, 2025 to March 31, 2026"
                                       : "user entities of " + client + "'s " + kSystem + " as of March 31, 2026"));
    for (const char* item : {"the nature of the service provided by", "internal control and its limitations", "user entity responsibilities",
                             "the applicable trust services criteria;", "the risks that may threaten the achievement"})
        CHECK_THAT(text, Contains(item));
    // The list names only what the scenario has: complementary controls, subservice organizations.
    const bool subservice = sc.carveOut || sc.inclusive;
    CHECK((text.find("interacts with user entities, business partners, subservice organizations, and other parties") != std::string::npos) == subservice);
    if (csocs && sc.cuecs)
        CHECK_THAT(text, Contains("- complementary user entity controls and complementary subservice organization controls, and how those controls interact"s.substr(2)));
    if (!conditions) CHECK(text.find("how those controls interact with the controls at") == std::string::npos);
    // The firm signs, with city and date after the period.
    CHECK_THAT(text, Contains("Harbor & Finch LLP Boston, Massachusetts May 15, 2026"));
    // Section II: the assertion mirrors the opinion; signed.
    CHECK_THAT(text, Contains("Assertion of " + client + " Management"));
    CHECK_THAT(text, Contains("We confirm, to the best of our knowledge and belief, that"));
    CHECK(text.find("operated as described") == std::string::npos);
    if (sc.type2 && opinion != "adverse")
        CHECK(count(text, "operated effectively throughout the period April 1, 2025 to March 31, 2026 to provide reasonable assurance") >= (opinion == "disclaimer" ? 1u : 2u));
    CHECK_THAT(text, Contains("Ava Chen Chief Executive Officer " + client + " May 15, 2026"));
    // Section III: criteria not applicable, each with its reason; Type II headings only in Type II.
    if (sc.notApplicable) CHECK_THAT(text, Contains("A1.3 Test recovery plan procedures: The system has no recovery site to test."));
    CHECK((text.find("Significant changes during the period") != std::string::npos) == sc.type2);
    // Section IV: criterion names with their punctuation; Type II columns; test types.
    CHECK_THAT(text, Contains("CC1.3 Structures, reporting lines, authorities, and responsibilities"));
    if (sc.type2) {
        CHECK_THAT(text, Contains("Inquiry alone was never relied upon"));
        CHECK_THAT(text, Contains("Information produced by the service organization"));
        CHECK_THAT(text, Contains("Test types"));
        CHECK_THAT(text, Contains("Inquiry, Inspection"));
        CHECK_THAT(text, Contains("For a sample of 2 of 365 days, inspected the change ticket for an approval dated before the deployment."));
    }
    if (sc.finding == Finding::ManyNotExamined) {
        // Under a criterion not examined, no result the limitation leaves without meaning.
        auto at = text.find("about the controls addressing this criterion: The entity could not provide the logs for the period.");
        REQUIRE(at != std::string::npos);
        auto next = text.find("CC1.2 Board", at);
        REQUIRE(next != std::string::npos);
        CHECK(text.substr(at, next - at).find("No exceptions noted") == std::string::npos);
    }
    if (!sc.type2) CHECK(text.find("Related Controls, and Tests of Controls") == std::string::npos);
    // Section V.
    CHECK_THAT(text, Contains("Other Information Provided by " + client));
    // Hygiene: nothing a template left blank, doubled or dangling.
    CHECK(text.find("period  to") == std::string::npos);
    CHECK(text.find("period to ,") == std::string::npos);
    CHECK(text.find("{{") == std::string::npos);
    CHECK(text.find("[Firm name]") == std::string::npos);
    CHECK(text.find("[Signatory]") == std::string::npos);
    CHECK(text.find("[Not yet provided") == std::string::npos);
    CHECK(text.find(" ,") == std::string::npos);
    CHECK(text.find(" .") == std::string::npos);
    CHECK(text.find(";.") == std::string::npos);
    CHECK(text.find(",.") == std::string::npos);
    CHECK(text.find("..") == std::string::npos);
    CHECK(text.find("; ,") == std::string::npos);
    std::smatch m;
    static const std::regex doubled("\\b([A-Za-z]{3,}) \\1\\b");
    // The cover's "... Report" above "Report on ..." is two titles; "Control | Control activity" two columns.
    const std::string body = std::regex_replace(text.substr(text.find("To the Management of")), std::regex("Control Control activity"), "");
    const bool found = std::regex_search(body, m, doubled);
    INFO("doubled: " << (found ? m.str() : std::string()));
    CHECK_FALSE(found);
}

// The model's own lists: a run of bullets never ends on ";", and a paragraph never does.
void checkLists(const report::Report& r) {
    for (auto& s : r.sections)
        for (std::size_t i = 0; i < s.content.size(); ++i) {
            auto* b = std::get_if<report::Block>(&s.content[i]);
            if (!b || b->kind == report::Block::Kind::Heading) continue;
            auto* next = i + 1 < s.content.size() ? std::get_if<report::Block>(&s.content[i + 1]) : nullptr;
            const bool lastOfList = b->kind == report::Block::Kind::Bullet && !(next && next->kind == report::Block::Kind::Bullet);
            if (b->kind == report::Block::Kind::Paragraph || lastOfList) {
                INFO("section " << s.number << ": " << b->text);
                CHECK(b->text.back() != ';');
                CHECK(b->text.back() != ',');
            }
            CHECK_FALSE(b->text.empty());
        }
}

void runScenario(const Scenario& sc, const std::string& expectedOpinion) {
    Built b;
    auto file = b.d / "e.tickmark";
    build(sc, b, file);
    auto e = Engagement::open(file);
    auto r = report::assemble(e, sourceDir() / "templates");
    REQUIRE(r.opinionUsed == expectedOpinion);
    checkLists(r);
    report::writePdf(r, b.d / "r.pdf", report::Output{});
    report::writeDocx(r, b.d / "r.docx", b.d / "no-template.docx");
    const auto pdf = pdfText(b.d / "r.pdf");
    // TICKMARK_SCENARIO_DIR=folder keeps each scenario's PDF and DOCX there, to look at.
    if (const char* keep = std::getenv("TICKMARK_SCENARIO_DIR")) {
        fs::copy_file(b.d / "r.pdf", fs::path(keep) / (sc.name + ".pdf"), fs::copy_options::overwrite_existing);
        fs::copy_file(b.d / "r.docx", fs::path(keep) / (sc.name + ".docx"), fs::copy_options::overwrite_existing);
        write(fs::path(keep) / (sc.name + ".txt"), pdf);
    }
    checkElements(sc, b, pdf, expectedOpinion);
    checkElements(sc, b, docxText(b.d / "r.docx"), expectedOpinion);
    // The PDF: 1.7, bookmarks for every section and every criterion in scope.
    auto info = sh("pdfinfo " + quote((b.d / "r.pdf").string()));
    CHECK_THAT(info.out, Contains("PDF version:     1.7"));
    CHECK_THAT(info.out, Contains("Author:          Harbor & Finch LLP"));
    auto outline = sh("/usr/bin/python3 -c " + quote("import re,sys,zlib\n"
                                                     "data=open(sys.argv[1],'rb').read()\n"
                                                     "print(len(re.findall(rb'/Title ?[(<]', data)), len(re.findall(rb'/Subtype ?/Link', data)))\n") +
                      " " + quote((b.d / "r.pdf").string()));
    REQUIRE(outline.status == 0);
    std::size_t titles = 0, links = 0;
    std::istringstream(outline.out) >> titles >> links;
    CHECK(titles >= 5 + b.criteria.size());  // each section and each criterion (and the document info's own /Title)
    CHECK(links >= 5);                       // the contents link to every section
}

}  // namespace

TEST_CASE("report scenario: Type II unmodified, carve-out with CSOCs, CUECs, a criterion not applicable") {
    runScenario({"type2-unmodified-carveout-cuecs", true, {"availability"}, Finding::None, true, false, true, true}, "unmodified");
}

TEST_CASE("report scenario: Type II qualified, one criterion not met, with CUECs") {
    runScenario({"type2-qualified", true, {"availability"}, Finding::OneNotMet, false, false, true, false}, "qualified");
}

TEST_CASE("report scenario: Type II adverse, a third of the criteria not met") {
    runScenario({"type2-adverse", true, {"availability"}, Finding::ManyNotMet, false, false, false, false}, "adverse");
}

TEST_CASE("report scenario: Type II disclaimer, a third of the criteria not examined") {
    runScenario({"type2-disclaimer", true, {"availability"}, Finding::ManyNotExamined, false, false, false, false}, "disclaimer");
}

TEST_CASE("report scenario: Type II inclusive subservice organization, all five categories") {
    runScenario({"type2-inclusive-all-five", true, {"availability", "processing-integrity", "confidentiality", "privacy"}, Finding::None, false, true,
                 false, false},
                "unmodified");
}

TEST_CASE("report scenario: Type I unmodified, carve-out and CUECs") {
    runScenario({"type1-unmodified", false, {"availability"}, Finding::None, true, false, true, true}, "unmodified");
}

TEST_CASE("report scenario: Type I adverse, a third of the criteria addressed by no control") {
    runScenario({"type1-adverse", false, {"availability"}, Finding::ManyNotAddressed, false, false, false, false}, "adverse");
}

TEST_CASE("report scenario: Type I qualified, a criterion not examined") {
    runScenario({"type1-qualified", false, {"availability"}, Finding::OneNotExamined, false, false, false, false}, "qualified");
}

TEST_CASE("SOC 3: the auditor's report on management's assertion, the assertion and the system's boundaries, no Section IV") {
    Built b;
    Scenario sc{"soc3-qualified", true, {"availability"}, Finding::OneNotMet, true, false, true, false};
    build(sc, b, b.d / "e.tickmark");
    auto e = Engagement::open(b.d / "e.tickmark");
    auto r = report::assembleSoc3(e, sourceDir() / "templates");
    REQUIRE(r.sections.size() == 4);  // the report, the assertion, the boundaries, then the report record
    CHECK(r.sections[3].title == "Report Record");
    checkLists(r);
    CHECK(r.testsOfControls.empty());
    report::writePdf(r, b.d / "s3.pdf", report::Output{});
    report::writeDocx(r, b.d / "s3.docx", b.d / "no-template.docx");
    for (const auto& text : {pdfText(b.d / "s3.pdf"), docxText(b.d / "s3.docx")}) {
        CHECK_THAT(text, Contains("SOC 3® Report"));
        CHECK_THAT(text, Contains("We have examined Northwind Payroll, Inc.'s accompanying assertion titled \"Assertion of Northwind Payroll, Inc. Management\""));
        CHECK_THAT(text, Contains("Basis for qualified opinion"));
        CHECK_THAT(text, Contains("In our opinion, except for the matters described in the Basis for qualified opinion paragraph, management's assertion"));
        CHECK_THAT(text, Contains("reasonable basis for our qualified opinion."));
        CHECK_THAT(text, Contains("We are required to be independent of Northwind Payroll, Inc."));
        CHECK_THAT(text, Contains("Northwind Payroll, Inc.'s Description of the Boundaries of Its Northwind Payroll Cloud"));
        CHECK_THAT(text, Contains("System boundaries Text for boundaries."));
        CHECK_THAT(text, Contains("except for the matters described below."));
        CHECK_THAT(text, Contains("CC8.1 (Authorize, design, develop, test, approve, and implement changes) was not met"));
        CHECK_THAT(text, Contains("Harbor & Finch LLP Boston, Massachusetts May 15, 2026"));
        CHECK(text.find("Test types") == std::string::npos);         // no Section IV detail
        CHECK(text.find("Restricted use") == std::string::npos);     // a general-use report
        CHECK(text.find("Section IV") == std::string::npos);
        CHECK(text.find("Text for incidents") == std::string::npos);  // the boundaries, not the whole description
    }
}

TEST_CASE("SOC 3 is refused for a Type I engagement, which has no period") {
    Built b;
    build({"type1", false, {"availability"}, Finding::None, false, false, false, false}, b, b.d / "e.tickmark");
    auto e = Engagement::open(b.d / "e.tickmark");
    CHECK_THROWS_WITH(report::assembleSoc3(e, sourceDir() / "templates"), Contains("this engagement is Type I (as of March 31, 2026)"));
}

TEST_CASE("the firm's logo on the cover and its signature image where the firm signs, in the PDF and the DOCX") {
    Built b;
    build({"images", true, {"availability"}, Finding::None, false, false, false, false}, b, b.d / "e.tickmark");
    auto templates = b.d / "templates";
    fs::copy(sourceDir() / "templates", templates, fs::copy_options::recursive);
    fs::create_directories(templates / "firm");
    auto tool = (sourceDir() / "tests" / "tools" / "docx_tool.py").string();
    REQUIRE(sh("/usr/bin/python3 " + quote(tool) + " png " + quote((templates / "firm" / "logo.png").string()) + " 300 100").status == 0);
    REQUIRE(sh("/usr/bin/python3 " + quote(tool) + " png " + quote((templates / "firm" / "signature.png").string()) + " 240 60").status == 0);
    auto e = Engagement::open(b.d / "e.tickmark");
    auto r = report::assemble(e, templates);
    CHECK(r.logo == templates / "firm" / "logo.png");
    report::writePdf(r, b.d / "r.pdf", report::Output{});
    auto images = sh("pdfimages -list " + quote((b.d / "r.pdf").string()));
    REQUIRE(images.status == 0);
    // pdfimages: page, num, type, width, height ... the logo on page 1, the signature once, in Section I.
    std::istringstream in(images.out);
    std::string line;
    std::vector<std::string> rows;
    while (std::getline(in, line))
        if (std::regex_search(line, std::regex("^\\s*\\d+\\s+\\d+\\s+image"))) rows.push_back(line);
    REQUIRE(rows.size() == 2);
    CHECK(std::regex_search(rows[0], std::regex("^\\s*1\\s+0\\s+image\\s+300\\s+100")));
    CHECK(std::regex_search(rows[1], std::regex("image\\s+240\\s+60")));
    // Without the files, no image at all.
    auto plain = report::assemble(e, sourceDir() / "templates");
    CHECK(plain.logo.empty());
    report::writePdf(plain, b.d / "p.pdf", report::Output{});
    auto none = sh("pdfimages -list " + quote((b.d / "p.pdf").string()));
    CHECK(none.out.find("image") == none.out.rfind("image"));  // only the header line's word
}

#include <catch2/catch.hpp>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "report/report.h"
#include "support.h"
#include "workpapers/errors.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

fs::path tool() { return sourceDir() / "tests" / "tools" / "docx_tool.py"; }

// The document as python-docx reads it (tests/tools/docx_tool.py dump).
json dump(const fs::path& docx) {
    auto r = sh("/usr/bin/python3 " + quote(tool().string()) + " dump " + quote(docx.string()));
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

fs::path png(const fs::path& out, int w, int h) {
    REQUIRE(sh("/usr/bin/python3 " + quote(tool().string()) + " png " + quote(out.string()) + " " + std::to_string(w) + " " +
               std::to_string(h)).status == 0);
    return out;
}

std::vector<std::pair<std::string, std::string>> headings(const json& d) {
    std::vector<std::pair<std::string, std::string>> out;
    for (auto& p : d["paragraphs"])
        if (p["style"].get<std::string>().rfind("Heading ", 0) == 0) out.emplace_back(p["style"], p["text"]);
    return out;
}

bool anyParagraph(const json& d, const std::string& needle) {
    for (auto& p : d["paragraphs"])
        if (p["text"].get<std::string>().find(needle) != std::string::npos) return true;
    return false;
}

const char* kClient = "Acme <&> \"Quoted\"\x01 Co";  // \x01: XML 1.0 cannot carry it
const char* kClientShown = "Acme <&> \"Quoted\" Co";

// A report made by hand: two sections, headings with anchors, a paragraph with a line break,
// bullets, a 3-column table of 60 rows, a signature, draft notes.
report::Report synthetic(const fs::path& dir) {
    report::Report r;
    r.client = kClient;
    r.system = "Ledger Platform";
    r.title = "SOC 2 Type II Report";
    r.longTitle = "Report on Acme's Description of Its Ledger Platform Throughout the Period";
    r.periodText = "For the period July 1, 2025 to June 30, 2026";
    r.firm = "Harbor & Finch LLP";
    r.gates = {{"Every control tested", true, "", {}}, {"No open review notes", false, "2 open", {}}};
    r.draftNotes = {"Two review notes are open.", "The opinion is proposed, not chosen."};
    r.logo = png(dir / "logo.png", 400, 100);

    report::Section one{"I", "Independent Service Auditor's Report", "I", {}};
    one.content.push_back(report::Block{report::Block::Kind::Heading, "Scope", 2, "I-scope"});
    one.content.push_back(report::Block{report::Block::Kind::Paragraph, "First line\nSecond line", 2, ""});
    one.content.push_back(report::Block{report::Block::Kind::Bullet, "the first bullet", 2, ""});
    one.content.push_back(report::Block{report::Block::Kind::Bullet, "the second bullet", 2, ""});
    one.content.push_back(report::Block{report::Block::Kind::Heading, "An anchor Word would refuse", 3, "1st heading & more"});
    one.content.push_back(report::Signature{{"Harbor & Finch LLP", "Boston, Massachusetts", "June 14, 2026"}, png(dir / "sig.png", 300, 150)});

    report::Section four{"IV", "Trust Services Criteria, Controls, Tests and Results", "IV", {}};
    four.content.push_back(report::Block{report::Block::Kind::Heading, "CC6  Logical and physical access", 2, "IV-CC6"});
    four.content.push_back(report::Block{report::Block::Kind::Heading, "CC6.1  Logical access software", 3, "IV-CC6.1"});
    report::Table t{{"Control", "Test performed", "Result"}, {0.2, 0.5, 0.3}, {}};
    for (int i = 1; i <= 60; ++i)
        t.rows.push_back({"AC-" + std::to_string(i), "Inspected access list " + std::to_string(i) + "\nand its approval", i == 7 ? "Exception noted." : "No exceptions noted."});
    four.content.push_back(t);
    r.sections = {one, four};
    return r;
}

}  // namespace

TEST_CASE("DOCX: headings, a repeating table, fields, bookmarks, properties and escaping, as python-docx reads them") {
    TempDir d;
    auto r = synthetic(d.path());
    auto out = d / "report.docx";
    report::writeDocx(r, out, d / "no-template.docx");
    auto doc = dump(out);

    using P = std::pair<std::string, std::string>;
    CHECK(headings(doc) == std::vector<P>{{"Heading 1", "Section I  Independent Service Auditor's Report"},
                                          {"Heading 2", "Scope"},
                                          {"Heading 3", "An anchor Word would refuse"},
                                          {"Heading 1", "Section IV  Trust Services Criteria, Controls, Tests and Results"},
                                          {"Heading 2", "CC6  Logical and physical access"},
                                          {"Heading 3", "CC6.1  Logical access software"}});
    // Word's navigation pane lists what has an outline level; the styles say so.
    auto xml = sh("/usr/bin/python3 -c " + quote("import zipfile,sys;print(zipfile.ZipFile(sys.argv[1]).read('word/styles.xml').decode())") +
                  " " + quote(out.string()));
    REQUIRE(xml.status == 0);
    for (auto lvl : {0, 1, 2}) CHECK_THAT(xml.out, Contains("<w:outlineLvl w:val=\"" + std::to_string(lvl) + "\"/>"));

    CHECK(anyParagraph(doc, "First line\nSecond line"));
    int bullets = 0;
    for (auto& p : doc["paragraphs"])
        if (p["style"] == "List Bullet" && (p["text"] == "the first bullet" || p["text"] == "the second bullet")) ++bullets;
    CHECK(bullets == 2);

    REQUIRE(doc["tables"].size() == 1);
    auto& t = doc["tables"][0];
    CHECK(t["header_repeats"] == true);
    CHECK(t["repeating_rows"] == 1);
    REQUIRE(t["rows"].size() == 61);
    CHECK(t["rows"][0] == json::array({"Control", "Test performed", "Result"}));
    CHECK(t["rows"][7] == json::array({"AC-7", "Inspected access list 7\nand its approval", "Exception noted."}));
    CHECK(t["rows"][60][0] == "AC-60");

    CHECK(doc["core"]["title"] == r.longTitle);
    CHECK(doc["core"]["author"] == "Harbor & Finch LLP");
    CHECK(std::find(doc["footer_fields"].begin(), doc["footer_fields"].end(), " PAGE ") != doc["footer_fields"].end());
    CHECK(std::find(doc["footer_fields"].begin(), doc["footer_fields"].end(), " NUMPAGES ") != doc["footer_fields"].end());
    CHECK(doc["footer"][0].get<std::string>().rfind("Page ", 0) == 0);
    bool toc = false;
    for (auto& f : doc["fields"]) toc = toc || f.get<std::string>().find("TOC \\o \"1-3\" \\h") != std::string::npos;
    CHECK(toc);
    // The field's result already lists the headings, so the contents show before any update.
    std::vector<std::pair<std::string, std::string>> contents;
    for (auto& e : doc["contents"]) contents.emplace_back(e["style"], e["text"]);
    CHECK(contents == std::vector<P>{{"toc 1", "Section I  Independent Service Auditor's Report"},
                                     {"toc 2", "Scope"},
                                     {"toc 3", "An anchor Word would refuse"},
                                     {"toc 1", "Section IV  Trust Services Criteria, Controls, Tests and Results"},
                                     {"toc 2", "CC6  Logical and physical access"},
                                     {"toc 3", "CC6.1  Logical access software"}});

    auto bm = doc["bookmarks"].get<std::vector<std::string>>();
    for (auto name : {"I", "I_scope", "IV", "IV_CC6", "IV_CC6_1", "B1st_heading___more"})
        CHECK(std::count(bm.begin(), bm.end(), name) == 1);
    for (auto& b : bm) {
        CHECK(b.size() <= 40);
        CHECK(b.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_") == std::string::npos);
    }

    // The client's name with <&>" and a control character: escaped, the control character dropped.
    bool client = false;
    for (auto& p : doc["paragraphs"]) client = client || p["text"] == kClientShown;
    CHECK(client);
    CHECK_THAT(doc["header"][0].get<std::string>(), Contains(std::string(kClientShown) + " \xE2\x80\x94 SOC 2 Type II Report"));

    // A draft says so on the cover and in the header, and lists its notes.
    CHECK(anyParagraph(doc, "DRAFT: not for distribution"));
    CHECK_THAT(doc["header"][0].get<std::string>(), Contains("DRAFT"));
    for (auto& n : r.draftNotes) CHECK(anyParagraph(doc, n));

    // The logo (400 x 100) fitted to 2 inches wide, the signature (300 x 150) to 1.75 inches; aspect kept.
    REQUIRE(doc["pictures"].size() == 2);
    CHECK(doc["pictures"][0]["cx"] == 2 * 914400);
    CHECK(doc["pictures"][0]["cy"] == 914400 / 2);
    CHECK(doc["pictures"][1]["cx"] == 7 * 914400 / 4);
    CHECK(doc["pictures"][1]["cy"] == 7 * 914400 / 8);
    CHECK(doc["pictures"][1]["content_type"] == "image/png");
    CHECK(doc["pictures"][1]["bytes"] == fs::file_size(d / "sig.png"));
    // The signature's lines follow its image, each its own paragraph.
    auto& ps = doc["paragraphs"];
    auto firm = std::find_if(ps.begin(), ps.end(), [](auto& p) { return p["text"] == "Harbor & Finch LLP" && p["style"] == "Signature"; });
    REQUIRE(firm != ps.end());
    CHECK((*(firm + 1))["text"] == "Boston, Massachusetts");
    CHECK((*(firm + 2))["text"] == "June 14, 2026");

    SECTION("a final shows no draft marks and no notes") {
        for (auto& g : r.gates) g.met = true;
        report::writeDocx(r, out, "");
        auto f = dump(out);
        CHECK_FALSE(anyParagraph(f, "DRAFT"));
        for (auto& n : r.draftNotes) CHECK_FALSE(anyParagraph(f, n));
        CHECK_THAT(f["header"][0].get<std::string>(), !Contains("DRAFT"));
        CHECK(f["header"][0].get<std::string>().find(r.periodText) != std::string::npos);
    }
}

TEST_CASE("DOCX: the firm's Word template gives its styles, and the styles it lacks are added") {
    TempDir d;
    auto tpl = d / "word-template.docx";
    REQUIRE(sh("/usr/bin/python3 " + quote(tool().string()) + " template " + quote(tpl.string()) + " Georgia").status == 0);
    REQUIRE(dump(tpl)["normal_font"] == "Georgia");
    auto r = synthetic(d.path());
    auto out = d / "report.docx";
    report::writeDocx(r, out, tpl);
    auto doc = dump(out);
    CHECK(doc["normal_font"] == "Georgia");
    // python-docx's template names its styles as Word does; Heading 3 was removed and comes back.
    CHECK(doc["styles"]["Heading1"] == "Heading 1");
    CHECK(doc["styles"]["Heading2"] == "Heading 2");
    CHECK(doc["styles"]["Heading3"] == "Heading 3");
    CHECK(doc["styles"].contains("Title"));
    CHECK(doc["styles"]["TableText"] == "Table Text");
    auto h = headings(doc);
    REQUIRE(h.size() == 6);
    CHECK(h[2] == std::pair<std::string, std::string>{"Heading 3", "An anchor Word would refuse"});
    CHECK(doc["tables"][0]["rows"].size() == 61);
}

TEST_CASE("DOCX: a missing folder or a template that is not a DOCX is a clear error, and nothing is left behind") {
    TempDir d;
    auto r = synthetic(d.path());
    CHECK_THROWS_WITH(report::writeDocx(r, d / "nowhere" / "r.docx", ""), Contains("nowhere does not exist; nothing was written"));
    CHECK_FALSE(fs::exists(d / "nowhere"));
    auto bad = write(d / "word-template.docx", "this is not a zip");
    auto out = d / "out" / "r.docx";
    fs::create_directories(out.parent_path());
    CHECK_THROWS_WITH(report::writeDocx(r, out, bad), Contains("word-template.docx: not a readable Word template"));
    CHECK(fs::is_empty(out.parent_path()));
    r.logo = write(d / "logo.png", "GIF89a not a png");
    CHECK_THROWS_WITH(report::writeDocx(r, out, ""), Contains("logo.png: not a PNG image"));
    CHECK(fs::is_empty(out.parent_path()));
}

TEST_CASE("DOCX: the demo's report, every section and table of the model, through the CLI") {
    TempDir d;
    auto demo = buildDemo(d.path(), sourceDir() / "demo", sourceDir() / "templates", nullptr);
    auto e = Engagement::open(demo.engagementFile);
    auto r = report::assemble(e, sourceDir() / "templates");
    auto out = d / "demo.docx";
    report::writeDocx(r, out, "");
    auto doc = dump(out);

    std::vector<std::string> h1;
    for (auto& [style, text] : headings(doc))
        if (style == "Heading 1") h1.push_back(text);
    REQUIRE(h1.size() == r.sections.size());
    for (std::size_t i = 0; i < r.sections.size(); ++i)
        CHECK(h1[i] == (r.sections[i].number.empty() ? "" : "Section " + r.sections[i].number + "  ") + r.sections[i].title);

    std::vector<std::size_t> rows;
    for (auto& s : r.sections)
        for (auto& el : s.content)
            if (auto* t = std::get_if<report::Table>(&el)) rows.push_back(t->rows.size() + 1);
    REQUIRE(doc["tables"].size() == rows.size());
    for (std::size_t i = 0; i < rows.size(); ++i) {
        CHECK(doc["tables"][i]["rows"].size() == rows[i]);
        CHECK(doc["tables"][i]["header_repeats"] == true);
    }
    bool sentence = false;
    for (auto& t : doc["tables"])
        for (auto& row : t["rows"])
            for (auto& c : row)
                sentence = sentence || c.get<std::string>().find("Exception noted for 1 of 100 changes deployed to production sampled.") != std::string::npos;
    CHECK(sentence);
    CHECK(anyParagraph(doc, "DRAFT: not for distribution"));

    auto cli = testsupport::cli("report " + quote(demo.engagementFile.string()) + " --docx " + quote((d / "cli.docx").string()) + " --json");
    INFO(cli.err);
    REQUIRE(cli.status == 0);
    CHECK(json::parse(cli.out)["docx"] == (d / "cli.docx").string());
    CHECK(dump(d / "cli.docx")["tables"].size() == rows.size());
}

// The two workbooks, read back with openpyxl (tests/tools/xlsx_dump.py) as a user's tools would read
// them: the client-ready report workbook (Summary, Section IV) and the internal workpapers workbook.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cctype>
#include <set>

#include <nlohmann/json.hpp>

#include "app/demo.h"
#include "report/report.h"
#include "report/xlsx_sheet.h"
#include "report/complete_demo.h"
#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/reporting.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {

fs::path templates() { return sourceDir() / "templates"; }

json dump(const fs::path& xlsx) {
    auto r = sh("/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "xlsx_dump.py").string()) + " " + quote(xlsx.string()));
    INFO(r.err);
    REQUIRE(r.status == 0);
    return json::parse(r.out);
}

std::string str(const json& cell) { return cell.is_array() && cell[0].is_string() ? cell[0].get<std::string>() : ""; }

// Every text a workbook shows or carries: cells, sheet names, page headers and footers, properties.
std::string everything(const json& book) {
    std::string all = book["properties"].dump() + "\n";
    for (auto& name : book["sheetnames"]) all += name.get<std::string>() + "\n";
    for (auto& [name, sh] : book["sheets"].items()) {
        all += sh["header"].dump() + sh["footer"].dump() + "\n";
        for (auto& row : sh["rows"])
            for (auto& c : row)
                if (!c[0].is_null()) all += (c[0].is_string() ? c[0].get<std::string>() : c[0].dump()) + "\n";
    }
    return all;
}

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

// The summary sheet as label -> cell.
std::map<std::string, json> summary(const json& sheet) {
    std::map<std::string, json> out;
    for (auto& row : sheet["rows"])
        if (row.size() >= 2 && row[0][0].is_string()) out[row[0][0].get<std::string>()] = row[1];
    return out;
}

// The column of a table sheet by its header.
std::size_t column(const json& sheet, const std::string& header) {
    auto& head = sheet["rows"][0];
    for (std::size_t i = 0; i < head.size(); ++i)
        if (str(head[i]) == header) return i;
    FAIL("no column \"" << header << "\"");
    return 0;
}

// What every sheet of both workbooks shares: print setup, frozen header (and first column when wide),
// date columns wide enough for their format, the page header.
void checkLayout(const json& book, const std::string& headerLeft) {
    for (auto& [name, sh] : book["sheets"].items()) {
        INFO("sheet " << name);
        CHECK(sh["orientation"] == "landscape");
        CHECK(sh["paper_size"] == 1);  // Letter
        CHECK(sh["fit_to_page"] == true);
        CHECK(sh["fit_to_width"] == 1);
        CHECK(sh["fit_to_height"] == 0);
        CHECK(sh["footer"]["center"] == "Page &P of &N");
        CHECK_THAT(sh["header"]["left"].get<std::string>(), Contains(headerLeft));
        for (auto& [col, d] : sh["date_columns"].items()) {
            INFO("column " << col << " format " << d["format"]);
            REQUIRE(d["width"].is_number());
            // "yyyy-mm-dd hh:mm" renders 16 characters: the column holds them and a margin.
            CHECK(d["width"].get<double>() >= d["format"].get<std::string>().size() + 1.0);
        }
        const bool table = !sh["auto_filter"].is_null();
        if (!table) continue;
        CHECK(sh["print_title_rows"] == "$1:$1");
        double total = 0;
        for (auto& w : sh["widths"]) total += w.is_number() ? w.get<double>() - 0.71 : 8.43;
        CHECK(sh["freeze_panes"] == (total > 100 ? "B2" : "A2"));
    }
}

}  // namespace

TEST_CASE("the demo writes two workbooks, the client's report and the internal workpapers, marked DRAFT until final") {
    TempDir d;
    auto demo = buildDemo(d.path(), sourceDir() / "demo", templates(), nullptr);
    CHECK(fs::exists(d / "lumen-ledger-fy26-draft.xlsx"));
    CHECK(fs::exists(d / "lumen-ledger-fy26-workpapers.xlsx"));
    auto e = Engagement::open(demo.engagementFile);
    auto r = report::assemble(e, templates());
    REQUIRE_FALSE(r.issuable());
    REQUIRE(!r.testsOfControls.empty());

    // The report workbook, as `tickmark report --xlsx` writes it.
    auto cli1 = cli("report " + quote(demo.engagementFile.string()) + " --xlsx " + quote((d / "report.xlsx").string()));
    INFO(cli1.err);
    REQUIRE(cli1.status == 0);
    auto book = dump(d / "report.xlsx");
    CHECK(book["sheetnames"] == json({"Summary", "Section IV"}));
    checkLayout(book, r.client);

    // Nothing internal: no seeds, reviewers, review notes, sign-offs, imported file names.
    const auto all = everything(book);
    CHECK(lower(all).find("seed") == std::string::npos);
    CHECK(all.find("Marcus Lee") == std::string::npos);  // the demo's reviewer
    CHECK(all.find("\nML\n") == std::string::npos);      // ... and his initials as a cell
    CHECK(all.find("Priya Raman") == std::string::npos);
    CHECK(all.find("vendor list is from March") == std::string::npos);  // an open review note
    CHECK(lower(all).find("sign-off") == std::string::npos);
    CHECK(all.find("change-tickets.csv") == std::string::npos);
    REQUIRE(!listNotes(e).empty());
    REQUIRE(!listSignOffs(e).empty());

    // The summary says what the report says.
    auto& sum = book["sheets"]["Summary"];
    auto s = summary(sum);
    CHECK(str(s["Service organization"]) == r.client);
    CHECK(str(s["System"]) == r.system);
    CHECK(str(s["Period"]) == r.periodText);
    CHECK(str(s["Opinion"]) == r.opinionUsed);
    CHECK(str(s["Service auditor"]) == r.firm);
    CHECK(str(s["Report date"]) == r.reportDate);
    CHECK(str(s["Trust services categories"]) == r.categories);
    CHECK_THAT(str(s["Status"]), Contains("DRAFT"));
    CHECK(s["Section IV rows"][0] == r.testsOfControls.size());
    std::set<std::string> controls, withException;
    for (auto& t : r.testsOfControls) {
        controls.insert(t.control);
        if (t.exception) withException.insert(t.control);
    }
    CHECK(s["Controls"][0] == controls.size());
    CHECK(s["Controls with exceptions noted"][0] == withException.size());
    CHECK(sum["freeze_panes"].is_null());

    // Section IV: one filterable table, a row per criterion x control.
    auto& iv = book["sheets"]["Section IV"];
    REQUIRE(iv["rows"].size() == r.testsOfControls.size() + 1);
    CHECK(iv["auto_filter"] == "A1:" + std::string(1, static_cast<char>('A' + iv["rows"][0].size() - 1)) +
                                   std::to_string(r.testsOfControls.size() + 1));
    CHECK(iv["freeze_panes"] == "B2");
    const std::size_t cCrit = column(iv, "Criterion"), cName = column(iv, "Criterion name"), cCtl = column(iv, "Control"),
                      cAct = column(iv, "Control activity"), cTypes = column(iv, "Test types"), cTest = column(iv, "Test performed"),
                      cRes = column(iv, "Results"), cExc = column(iv, "Exception noted");
    std::vector<std::size_t> sampled = {0, r.testsOfControls.size() / 2, r.testsOfControls.size() - 1};
    for (std::size_t i = 0; i < r.testsOfControls.size(); ++i)
        if (r.testsOfControls[i].exception) sampled.push_back(i);
    for (auto i : sampled) {
        auto& t = r.testsOfControls[i];
        auto& row = iv["rows"][i + 1];
        INFO("Section IV row " << i + 2);
        CHECK(str(row[cCrit]) == t.criterion);
        CHECK(str(row[cName]) == t.criterionName);
        CHECK(str(row[cCtl]) == t.control);
        if (t.referencedFrom.empty()) {
            CHECK(str(row[cAct]) == t.activity);
            CHECK(str(row[cTest]) == t.test);
            CHECK(str(row[cRes]) == t.result);
        }
        CHECK(str(row[cTypes]) == t.testTypes);
        CHECK(str(row[cExc]) == (t.exception ? "yes" : "no"));
    }
    // The long-text columns wrap (those that hold any text).
    using Field = std::string report::TestOfControl::*;
    for (auto [c, field] : {std::pair<std::size_t, Field>{cName, &report::TestOfControl::criterionName}, {cAct, &report::TestOfControl::activity},
                            {cTest, &report::TestOfControl::test}, {cRes, &report::TestOfControl::result}}) {
        if (std::all_of(r.testsOfControls.begin(), r.testsOfControls.end(), [&](auto& t) { return (t.*field).empty(); })) continue;
        INFO("column " << c + 1);
        CHECK(std::count(iv["wrapped_columns"].begin(), iv["wrapped_columns"].end(), c + 1) == 1);
    }
    // ... and a row is as high as its longest wrapped text needs (LibreOffice prints the height written).
    for (std::size_t i = 0; i < r.testsOfControls.size(); ++i) {
        auto& t = r.testsOfControls[i];
        int lines = 1;
        for (auto [c, text] : {std::pair<std::size_t, const std::string*>{cName, &t.criterionName}, {cAct, &t.activity}, {cTest, &t.test}, {cRes, &t.result}})
            lines = std::max(lines, report::xlsx::wrappedLines(*text, iv["widths"][c].get<double>() - 0.7109375));
        const std::string key = std::to_string(i + 2);
        INFO("Section IV row " << key);
        if (lines > 1) CHECK(iv["row_heights"][key] == std::min(409.0, 15.0 * lines));
        else CHECK_FALSE(iv["row_heights"].contains(key));
    }

    // Drafts say so on every printed page and in the properties.
    for (auto& [name, sh] : book["sheets"].items()) CHECK(sh["header"]["right"] == "&BDRAFT&B");
    CHECK_THAT(book["properties"]["description"].get<std::string>(), Contains("DRAFT"));
    CHECK(book["properties"]["status"] == "Draft");
    CHECK(book["properties"]["title"] == (r.longTitle.empty() ? r.title + ": " + r.client : r.longTitle));

    // The internal workbook, as `tickmark workpapers export` writes it.
    auto wpFile = d / "workpapers.xlsx";
    const std::string before = read(demo.engagementFile);
    auto cli2 = cli("workpapers export " + quote(demo.engagementFile.string()) + " --xlsx " + quote(wpFile.string()));
    INFO(cli2.err);
    REQUIRE(cli2.status == 0);
    CHECK_THAT(cli2.out, Contains("Workpapers written: " + wpFile.string()));
    CHECK(read(demo.engagementFile) == before);  // it only reads
    auto wp = dump(wpFile);
    CHECK(wp["sheetnames"] == json({"About", "Control matrix", "Tests", "Samples", "Sample items", "Results", "Exceptions",
                                    "Review notes", "Sign-offs", "Populations", "Population findings", "Evidence"}));
    checkLayout(wp, r.client);
    CHECK_THAT(wp["properties"]["title"].get<std::string>(), Contains("Internal workpapers"));
    CHECK_THAT(wp["properties"]["description"].get<std::string>(), Contains("not for distribution"));
    for (auto& [name, sh] : wp["sheets"].items()) {
        CHECK(sh["header"]["center"] == "Internal workpapers: not for distribution");
        CHECK(sh["header"]["right"] == "&BDRAFT&B");
    }
    CHECK(wp["sheets"]["Review notes"]["rows"].size() == listNotes(e).size() + 1);
    CHECK(wp["sheets"]["Sign-offs"]["rows"].size() == listSignOffs(e).size() + 1);
    CHECK(everything(wp).find("\nML\n") != std::string::npos);  // what the report workbook must not show is here

    // Then every gate met: the final report workbook carries no DRAFT anywhere.
    completeDemo(e);
    auto fin = report::assemble(e, templates());
    REQUIRE(fin.issuable());
    report::writeReportXlsx(fin, d / "final.xlsx");
    auto finBook = dump(d / "final.xlsx");
    CHECK(everything(finBook).find("DRAFT") == std::string::npos);
    CHECK(str(summary(finBook["sheets"]["Summary"])["Status"]) == "Final");
    CHECK(finBook["properties"]["status"] == "Final");
    report::writeWorkpapersXlsx(e, d / "final-workpapers.xlsx");
    auto finWp = dump(d / "final-workpapers.xlsx");
    CHECK(everything(finWp).find("DRAFT") == std::string::npos);
    CHECK(everything(finWp).find("Internal workpapers: not for distribution") != std::string::npos);
}

TEST_CASE("the workpapers workbook: the control matrix, seeds as text, populations' profiles, evidence with SHA-256") {
    TempDir d;
    auto demo = buildDemo(d.path(), sourceDir() / "demo", templates(), nullptr);
    auto e = Engagement::open(demo.engagementFile);
    auto pr = authenticate(e, "PR", "prepare-2026");
    attachEvidence(e, pr, {"test:CM-03", 7, "A"}, write(d / "ticket 7.txt", "abc"));
    report::writeWorkpapersXlsx(e, d / "wp.xlsx");
    auto wp = dump(d / "wp.xlsx");

    auto& cm = wp["sheets"]["Control matrix"];
    CHECK(cm["freeze_panes"] == "B2");
    const auto criteria = e.criteriaInScope();
    const auto controls = listControls(e);
    REQUIRE(cm["rows"].size() == controls.size() + 1);
    REQUIRE(cm["rows"][0].size() == 5 + criteria.size());
    for (std::size_t k = 0; k < criteria.size(); ++k) CHECK(str(cm["rows"][0][5 + k]) == criteria[k].id);
    for (std::size_t i = 0; i < controls.size(); ++i)
        for (std::size_t k = 0; k < criteria.size(); ++k) {
            bool mapped = std::count(controls[i].criteria.begin(), controls[i].criteria.end(), criteria[k].id) > 0;
            CHECK(str(cm["rows"][i + 1][5 + k]) == (mapped ? "X" : ""));
        }

    auto& sm = wp["sheets"]["Samples"];
    const auto samples = listSamples(e);
    REQUIRE(sm["rows"].size() == samples.size() + 1);
    const std::size_t cSeed = column(sm, "Seed"), cPlan = column(sm, "Plan");
    for (std::size_t i = 0; i < samples.size(); ++i) {
        CHECK(sm["rows"][i + 1][cSeed][1] == "s");  // a string: 64-bit seeds do not survive a double
        CHECK(str(sm["rows"][i + 1][cSeed]) == std::to_string(samples[i].seed));
        CHECK(str(sm["rows"][i + 1][cPlan]) == samples[i].planJson);
    }
    std::size_t items = 0;
    for (auto& s : samples) items += loadSample(e, s.id).items.size();
    CHECK(wp["sheets"]["Sample items"]["rows"].size() == items + 1);
    CHECK(!wp["sheets"]["Sample items"]["date_columns"].empty());

    auto& pops = wp["sheets"]["Populations"];
    const auto list = listPopulations(e);
    REQUIRE(pops["rows"].size() == list.size() + 1);
    for (std::size_t i = 0; i < list.size(); ++i) {
        auto p = loadProfile(e, list[i].id);
        auto& row = pops["rows"][i + 1];
        INFO("population " << p.name);
        CHECK(row[column(pops, "Id")][0] == p.populationId);
        CHECK(str(row[column(pops, "SHA-256")]) == p.source.sha256);
        CHECK(row[column(pops, "Rows")][0] == p.rows);
        CHECK(row[column(pops, "In period")][0] == p.inPeriod);
        CHECK(row[column(pops, "Duplicate keys")][0] == p.duplicateKeys);
        CHECK(row[column(pops, "Dates not read")][0] == p.badDates);
        if (p.minDate) CHECK(str(row[column(pops, "Earliest date")]).substr(0, 10) == isoString(*p.minDate));
    }

    auto& ev = wp["sheets"]["Evidence"];
    REQUIRE(ev["rows"].size() == 2);
    CHECK(str(ev["rows"][1][column(ev, "SHA-256")]) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    CHECK(str(ev["rows"][1][column(ev, "File")]) == "ticket 7.txt");
    CHECK(ev["rows"][1][column(ev, "Item")][0] == 7);
    CHECK(str(ev["rows"][1][column(ev, "Added at")]).size() >= 16);  // a real date-time, read back as ISO
}

TEST_CASE("the report workbook from a report as assembled: summary fields, Type I, references, formula-looking text") {
    TempDir d;
    report::Report r;
    r.client = "=cmd|' /C calc'!A0";
    r.system = "Ledger & Payments";
    r.title = "SOC 2 Type I Report";
    r.longTitle = "Report on the Description of Its Ledger System and the Suitability of the Design of Its Controls";
    r.periodText = "As of June 30, 2026";
    r.type2 = false;
    r.firm = "Harbor & Finch LLP";
    r.reportDate = "July 14, 2026";
    r.categories = "security and availability";
    r.opinionUsed = "qualified";
    r.criteriaInScope = {"CC1.1", "CC6.1"};
    r.gates = {report::Gate{"Every control tested", true, "", {}}};
    r.testsOfControls = {{"CC1.1", "COSO Principle 1", "CC1", "Control Environment", "HR-01", "=1+1", "", "", "", false, "", ""},
                         {"CC6.1", "Logical access", "CC6", "Logical and Physical Access", "HR-01", "", "", "", "", false, "CC1.1", ""}};
    REQUIRE(r.issuable());
    report::writeReportXlsx(r, d / "t1.xlsx");
    auto book = dump(d / "t1.xlsx");
    auto s = summary(book["sheets"]["Summary"]);
    CHECK(s["Service organization"][0] == r.client);
    CHECK(s["Service organization"][1] == "s");  // a string, never a formula
    CHECK(s["Report type"][0] == "SOC 2 Type I");
    CHECK(s["As of"][0] == r.periodText);
    CHECK(s.count("Period") == 0);
    CHECK(s["Service auditor"][0] == r.firm);
    CHECK(s["Report date"][0] == r.reportDate);
    CHECK(s["Trust services categories"][0] == r.categories);
    CHECK(s["Opinion"][0] == "qualified");
    CHECK(s["Status"][0] == "Final");
    CHECK(s.count("Controls with exceptions noted") == 0);  // Type I: no tests of operating effectiveness
    CHECK(book["properties"]["title"] == r.longTitle);
    CHECK(book["properties"]["creator"] == r.firm);
    CHECK(everything(book).find("DRAFT") == std::string::npos);
    CHECK(book["sheets"]["Summary"]["header"]["left"] == "=cmd|' /C calc'!A0");
    CHECK(book["sheets"]["Summary"]["header"]["center"] == "SOC 2 Type I Report");

    auto& iv = book["sheets"]["Section IV"];
    CHECK(iv["rows"][0].size() == 5);  // Type I: no test columns; the reference column
    CHECK(str(iv["rows"][0][4]) == "Shown in full under");
    CHECK(iv["rows"][1][3] == json({"=1+1", "s"}));
    CHECK(str(iv["rows"][2][3]) == "Shown in full under CC1.1.");
    CHECK(str(iv["rows"][2][4]) == "CC1.1");
    checkLayout(book, "=cmd|' /C calc'!A0");

    r.gates[0].met = false;  // a draft: DRAFT in the status cell, every page header and the properties
    report::writeReportXlsx(r, d / "t1-draft.xlsx");
    auto draft = dump(d / "t1-draft.xlsx");
    CHECK_THAT(str(summary(draft["sheets"]["Summary"])["Status"]), Contains("DRAFT"));
    CHECK(draft["sheets"]["Section IV"]["header"]["right"] == "&BDRAFT&B");
    CHECK(draft["properties"]["description"] == "DRAFT: not for distribution");
}

TEST_CASE("an unwritable destination is a clear error for either workbook, and no file is left there") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto r = report::assemble(e, templates());
    CHECK_THROWS_WITH(report::writeReportXlsx(r, d / "nowhere" / "x.xlsx"), Contains("does not exist; nothing was written"));
    CHECK_THROWS_WITH(report::writeWorkpapersXlsx(e, d / "nowhere" / "x.xlsx"), Contains("does not exist; nothing was written"));
    auto bad = cli("workpapers export " + quote((d / "e.tickmark").string()) + " --xlsx " + quote((d / "nowhere" / "x.xlsx").string()));
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Contains("does not exist; nothing was written"));
    for (auto& f : fs::directory_iterator(d.path())) CHECK(f.path().filename().string().find(".partial-") == std::string::npos);
}

TEST_CASE("a text longer than an Excel cell holds is cut with a note, not dropped") {
    TempDir d;
    auto e = newEngagement(d / "e.tickmark");
    auto me = testPartner(e);
    ControlImportRequest c;
    c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03," + std::string(40000, 'x') + ",CC8.1,Annual,Manual\n");
    importControls(e, me, c);
    report::writeWorkpapersXlsx(e, d / "long.xlsx");
    auto book = dump(d / "long.xlsx");
    auto cell = str(book["sheets"]["Control matrix"]["rows"][1][1]);
    CHECK(cell.size() <= 32767);
    CHECK_THAT(cell, Contains("[cut: 40000 bytes in all; the full text is in the engagement file]"));
    CHECK(cell.substr(0, 100) == std::string(100, 'x'));
}

TEST_CASE("wrapped text: how many lines a text takes in a column") {
    using report::xlsx::wrappedLines;
    CHECK(wrappedLines("", 10) == 1);
    CHECK(wrappedLines("short", 10) == 1);
    CHECK(wrappedLines("one two three four", 8) == 3);   // 8.2 characters a line: "one two", "three", "four"
    CHECK(wrappedLines("a\nb\nc", 40) == 3);            // line breaks count
    CHECK(wrappedLines(std::string(30, 'x'), 10) == 3);    // 10.5: a word longer than the line breaks anywhere
    CHECK(wrappedLines("ééééé ééééé", 6) == 2);            // characters, not bytes
    CHECK(report::xlsx::neededWidth(report::xlsx::Kind::DateTime) >= 17);  // "2026-03-01 12:34" and a margin
}

// Report benchmark: 100 controls and 2,000 tested items (20 per control, two attributes each), the
// PDF and the XLSX written together. Target: under 2 s. The same run times pdftotext reading the PDF
// back, as a reference for the size of the document.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "report/report.h"
#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"
#include "workpapers/samples.h"

using namespace tickmark;
using Clock = std::chrono::steady_clock;

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "tickmark-bench-report";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const std::filesystem::path templates = std::filesystem::path(TICKMARK_SOURCE_DIR) / "templates";
    EngagementSetup s{"Bench Co., Inc.", "Bench Platform", ReportType::TypeII, parseIsoDate("2025-01-01"), parseIsoDate("2025-12-31"),
                      std::nullopt, {"availability"}, {}};
    auto e = Engagement::create(dir / "bench.tickmark", s, templates / "tsc-2017.csv");
    std::vector<std::string> criteria;
    {
        auto st = e.db().prepare("SELECT id FROM criterion WHERE category_code IN ('security','availability') ORDER BY ordinal");
        while (st.step()) criteria.push_back(st.getText(0));
    }
    {
        std::ofstream m(dir / "m.csv");
        m << "Control ID,Description,Criteria,Frequency,Nature\n";
        for (int i = 1; i <= 100; ++i)
            m << "C-" << (i < 10 ? "00" : i < 100 ? "0" : "") << i << ",\"Control activity " << i
              << ": the owner reviews the evidence, approves it, and files it with the ticket, as the policy requires.\",\""
              << criteria[i % criteria.size()] << ";" << criteria[(i * 7) % criteria.size()] << "\",Daily,Manual\n";
    }
    auto who = addEngagementPartner(e, "Bench Partner", "BP", {"partner", "preparer"}, "bench-password");
    ControlImportRequest c;
    c.file = dir / "m.csv";
    importControls(e, who, c);
    std::uint64_t seed = 1;
    for (auto& ctl : listControls(e)) {
        DrawRequest d;
        d.control = ctl.ref;
        d.method = "dates";
        d.size = 20;
        d.seed = seed++;
        auto sample = drawSample(e, who, d).id;
        defineTest(e, who, {ctl.ref, {"inquiry", "inspection"}, "Inspected evidence for the selected occurrences to determine that the control operated as described.",
                            sample, {{"A", "Performed as described"}, {"B", "Evidence retained"}}, ""});
        std::vector<ResultInput> rs;
        for (int i = 1; i <= 20; ++i)
            for (auto l : {"A", "B"}) rs.push_back({ctl.ref, i, l, "pass", "", "", "✓"});
        recordResults(e, who, rs);
    }
    auto t = Clock::now();
    auto r = report::assemble(e, templates);
    report::writePdf(r, dir / "report.pdf", report::Output{});
    report::writeDocx(r, dir / "report.docx", "");
    report::writeReportXlsx(r, dir / "report.xlsx");
    double secs = std::chrono::duration<double>(Clock::now() - t).count();
    std::printf("report of 100 controls, 2,000 tested items (4,000 results): assemble + PDF + DOCX + XLSX in %.3f s (target < 2 s): %s\n",
                secs, secs < 2.0 ? "MET" : "NOT MET");
    std::printf("  PDF %.0f KB, DOCX %.0f KB, XLSX %.0f KB\n", std::filesystem::file_size(dir / "report.pdf") / 1024.0,
                std::filesystem::file_size(dir / "report.docx") / 1024.0, std::filesystem::file_size(dir / "report.xlsx") / 1024.0);
    t = Clock::now();
    auto soc3 = report::assembleSoc3(e, templates);
    report::writePdf(soc3, dir / "soc3.pdf", report::Output{});
    std::printf("  the SOC 3 report (assemble + PDF) in %.3f s\n", std::chrono::duration<double>(Clock::now() - t).count());
    std::fflush(stdout);
    t = Clock::now();
    std::system(("pdftotext " + (dir / "report.pdf").string() + " /dev/null").c_str());
    std::printf("  reference: pdftotext reads it back in %.3f s\n", std::chrono::duration<double>(Clock::now() - t).count());
    t = Clock::now();
    report::writeWorkpapersXlsx(e, dir / "workpapers.xlsx");
    std::printf("  the workpapers workbook in %.3f s, %.0f KB\n", std::chrono::duration<double>(Clock::now() - t).count(),
                std::filesystem::file_size(dir / "workpapers.xlsx") / 1024.0);
    return 0;
}

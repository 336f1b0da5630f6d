#include "app/demo.h"

#include "workpapers/controls.h"
#include "workpapers/engagement.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"

#include <nlohmann/json.hpp>

#include "sampling/frequency.h"

namespace tickmark {

namespace {

struct DemoPopulation {
    const char* file;
    const char* control;
    const char* name;
    const char* key;
    const char* date;
    const char* frequency;  // how the senior sizes it with the firm table
    sampling::Risk risk;
    const char* method;
    std::uint64_t seed;     // fixed, so the demo's selections are the same on every machine
};

const DemoPopulation kPopulations[] = {
    {"change-tickets.csv", "CM-03", "Production changes", "Ticket ID", "Deployed At", "multiple-daily",
     sampling::Risk::Higher, "random", 20250701},
    {"new-hires.xlsx", "LA-02", "New hires", "Employee ID", "Hire Date", "as-needed", sampling::Risk::Lower, "random",
     20250702},
    {"terminations.csv", "LA-03", "Terminations", "Personnel No", "Termination Date", "as-needed",
     sampling::Risk::Lower, "random", 20250703},
    {"access-reviews.xlsx", "LA-04", "Quarterly access reviews", "Review ID", "Completed On", "quarterly",
     sampling::Risk::Lower, "random", 20250704},
    {"backup-log.txt", "AV-02", "Daily database backups", "Job ID", "Started", "daily", sampling::Risk::Lower,
     "stratified", 20250705},
};

}  // namespace

DemoResult buildDemo(const std::filesystem::path& dir, const std::filesystem::path& demoData,
                     const std::filesystem::path& templates, std::FILE* log) {
    auto say = [&](const std::string& s) {
        if (log) std::fprintf(log, "%s\n", s.c_str());
    };
    if (!std::filesystem::exists(demoData / "data" / "control-matrix.xlsx"))
        throw InputError(demoData.string() + ": the demo's client files are missing (set TICKMARK_DATA_DIR to the "
                                             "folder holding demo/ and templates/)");
    std::filesystem::create_directories(dir);
    DemoResult result{dir / "lumen-ledger-fy26.tickmark"};
    for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(result.engagementFile.string() + suffix);

    EngagementSetup setup;
    setup.client = "Lumen Ledger, Inc.";
    setup.systemName = "Lumen Ledger Accounts Payable Platform";
    setup.reportType = ReportType::TypeII;
    setup.periodStart = parseIsoDate("2025-07-01");
    setup.periodEnd = parseIsoDate("2026-06-30");
    setup.categories = {"security", "availability", "confidentiality"};
    auto e = Engagement::create(result.engagementFile, setup, templates / "tsc-2017.csv");
    say("Created " + result.engagementFile.string() + ": " + setup.client + ", SOC 2 Type II 2025-07-01..2026-06-30");

    e.addSubserviceOrg("Amazon Web Services, Inc.", "Cloud infrastructure hosting (IaaS), data center physical security",
                       "carve-out");
    e.addCsoc("Amazon Web Services, Inc.",
              "Physical access to data centers housing the system is restricted to authorized personnel.", {"CC6.4"});
    e.addCsoc("Amazon Web Services, Inc.",
              "Environmental protections (power, cooling, fire suppression) are maintained and monitored.", {"A1.2"});
    e.addCsoc("Amazon Web Services, Inc.", "Storage media is securely destroyed at the end of its life.", {"CC6.5"});
    e.addCuec("User entities grant access to the platform only to authorized personnel and review it periodically.",
              {"CC6.1", "CC6.2", "CC6.3"});
    e.addCuec("User entities notify Lumen Ledger promptly of terminated users who had platform access.", {"CC6.2"});
    e.addCuec("User entities review the accuracy of vendor bank details they upload.", {"CC2.3"});
    say("Recorded 1 subservice organization (carve-out), 3 CSOCs, 3 CUECs");

    ControlImportRequest creq;
    creq.file = demoData / "data" / "control-matrix.xlsx";
    auto cres = importControls(e, creq);
    say("Imported control matrix: " + std::to_string(cres.added) + " controls");

    for (const auto& p : kPopulations) {
        PopulationImportRequest req;
        req.file = demoData / "data" / p.file;
        req.control = p.control;
        req.name = p.name;
        req.keyColumn = p.key;
        req.dateColumn = p.date;
        auto prof = importPopulation(e, req);
        std::string flags;
        if (prof.duplicateKeys) flags += ", " + std::to_string(prof.duplicateKeys) + " duplicate keys";
        if (prof.beforePeriod + prof.afterPeriod)
            flags += ", " + std::to_string(prof.beforePeriod + prof.afterPeriod) + " outside the period";
        if (prof.badDates) flags += ", " + std::to_string(prof.badDates) + " unreadable dates";
        say("Imported population " + std::to_string(prof.populationId) + " \"" + p.name + "\" for " + p.control + ": " +
            std::to_string(prof.rows) + " rows, " + std::to_string(prof.inPeriod) + " in period" + flags);

        // Plan from the engagement's copy of the firm table, then draw with a recorded seed.
        auto table = engagementFrequencyTable(e, templates / "frequency-table.csv");
        auto plan = sampling::planByFrequency(table, {p.frequency, p.risk, prof.inPeriod, 12});
        nlohmann::json planJson{{"method", "frequency"},   {"frequency", p.frequency},
                                {"risk", p.risk == sampling::Risk::Higher ? "higher" : "lower"},
                                {"population_size", prof.inPeriod}, {"period_months", 12},
                                {"sample_size", plan.sampleSize}, {"test_all", plan.testAll},
                                {"table_row", plan.row},           {"basis", plan.basis}};
        if (plan.extendTo) planJson["extend_to"] = *plan.extendTo;
        DrawRequest draw;
        draw.populationId = prof.populationId;
        draw.method = p.method;
        draw.size = plan.sampleSize;
        draw.seed = p.seed;
        draw.planJson = planJson.dump();
        draw.user = "Priya Raman";
        auto s = drawSample(e, draw);
        say("  drew selection " + std::to_string(s.id) + ": " + std::to_string(s.size) + " of " +
            std::to_string(s.frameSize) + " (" + plan.basis + "; " + p.method + ", seed " + std::to_string(s.seed) + ")");
    }

    // A daily control with no listing: days drawn from the period's business days.
    auto table = engagementFrequencyTable(e, templates / "frequency-table.csv");
    auto dailyPlan = sampling::planByFrequency(table, {"daily", sampling::Risk::Lower, std::nullopt, 12});
    DrawRequest days;
    days.control = "OP-02";
    days.method = "dates";
    days.size = dailyPlan.sampleSize;
    days.seed = 20250706;
    days.businessDaysOnly = true;
    days.planJson = nlohmann::json{{"method", "frequency"}, {"frequency", "daily"}, {"risk", "lower"},
                                   {"sample_size", dailyPlan.sampleSize}, {"basis", dailyPlan.basis}}
                        .dump();
    days.user = "Priya Raman";
    auto d = drawSample(e, days);
    say("Drew selection " + std::to_string(d.id) + " for OP-02: " + std::to_string(d.size) +
        " business days of the period (seed 20250706)");
    say("Demo engagement ready: " + result.engagementFile.string());
    say("Look at it with: tickmark info " + result.engagementFile.string());
    return result;
}

}  // namespace tickmark

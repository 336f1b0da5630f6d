// Fieldwork benchmark: recording 10,000 results (one call, one transaction, with their trail entries)
// and verifying an audit trail of 100,000 entries; targets under 1 s each. The same run times the
// SQLite shell inserting 10,000 comparable rows and reading the trail table, as the storage floor.
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"

using namespace tickmark;
using Clock = std::chrono::steady_clock;

namespace {
std::int64_t auditTrailSize(Engagement& e) {
    auto st = e.db().prepare("SELECT count(*) FROM audit_trail");
    st.step();
    return st.getInt(0);
}
double since(Clock::time_point t) { return std::chrono::duration<double>(Clock::now() - t).count(); }
const char* verdict(double s) { return s < 1.0 ? "MET" : "NOT MET"; }
}  // namespace

int main(int argc, char** argv) {
    std::filesystem::path dir = argc > 1 ? argv[1] : std::filesystem::temp_directory_path() / "tickmark-bench-fieldwork";
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    EngagementSetup s{"Bench", "S", ReportType::TypeII, parseIsoDate("2025-01-01"), parseIsoDate("2025-12-31"), std::nullopt, {}, {}};
    auto e = Engagement::create(dir / "bench.tickmark", s, std::filesystem::path(TICKMARK_SOURCE_DIR) / "templates" / "tsc-2017.csv");
    std::ofstream(dir / "m.csv") << "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Multiple times a day,Manual\n";
    auto who = addEngagementPartner(e, "Bench Partner", "BP", {"partner", "preparer"}, "bench-password");
    ControlImportRequest c;
    c.file = dir / "m.csv";
    importControls(e, who, c);
    {
        std::ofstream p(dir / "p.csv");
        p << "Ticket,Opened\n";
        for (int i = 1; i <= 10000; ++i) p << "T" << i << ",2025-0" << (1 + i % 9) << "-15\n";
    }
    PopulationImportRequest pr;
    pr.file = dir / "p.csv";
    pr.control = "CM-03";
    pr.name = "Tickets";
    pr.keyColumn = "Ticket";
    pr.dateColumn = "Opened";
    auto pop = importPopulation(e, who, pr).populationId;
    DrawRequest d;
    d.populationId = pop;
    d.size = 5000;
    d.seed = 1;
    auto sample = drawSample(e, who, d).id;
    defineTest(e, who, {"CM-03", {"inspection"}, "Inspected.", sample, {{"A", "Approved"}, {"B", "Tested"}}, ""});

    std::vector<ResultInput> rs;
    for (int i = 1; i <= 5000; ++i)
        for (auto l : {"A", "B"}) rs.push_back({"CM-03", i, l, "pass", "", "agreed to the ticket", "✓"});
    auto t = Clock::now();
    recordResults(e, who, rs);
    double record = since(t);
    std::printf("recording 10,000 results (with 10,000 trail entries), one transaction: %.3f s (target < 1 s): %s\n",
                record, verdict(record));

    for (int round = 1; auditTrailSize(e) < 100000; ++round) {
        for (auto& r : rs) r.comment = "reviewed again, round " + std::to_string(round);
        recordResults(e, who, rs);
    }
    std::int64_t entries = 0;
    t = Clock::now();
    auto v = verifyTrail(e.db());
    double verify = since(t);
    entries = v.entries;
    std::printf("verifying an audit trail of %lld entries: %.3f s, %s (target < 1 s): %s\n", static_cast<long long>(entries),
                verify, v.intact ? "intact" : "BROKEN", verdict(verify));

    // The SQLite shell, same machine, same run: 10,000 comparable inserts, and reading the whole trail.
    {
        std::ofstream sql(dir / "ref.sql");
        sql << "CREATE TABLE r(test_id, position, letter, outcome, comment, tick, by, at, PRIMARY KEY(test_id, position, letter)) WITHOUT ROWID;\nBEGIN;\n";
        for (int i = 1; i <= 5000; ++i)
            for (auto l : {"A", "B"})
                sql << "INSERT INTO r VALUES (1," << i << ",'" << l << "','pass','agreed to the ticket','✓','Bench Senior','2026-01-01T00:00:00Z');\n";
        sql << "COMMIT;\n";
    }
    std::string db = (dir / "ref.db").string();
    t = Clock::now();
    std::system(("sqlite3 " + db + " < " + (dir / "ref.sql").string()).c_str());
    double shellInsert = since(t);
    t = Clock::now();
    std::system(("sqlite3 " + (dir / "bench.tickmark").string() + " 'SELECT * FROM audit_trail' > /dev/null").c_str());
    double shellRead = since(t);
    std::printf("reference, sqlite3 shell: 10,000 plain inserts %.3f s; reading the %lld-entry trail %.3f s\n", shellInsert,
                static_cast<long long>(entries), shellRead);
    return 0;
}

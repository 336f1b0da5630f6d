#include "app/demo.h"

#include <functional>
#include <set>

#include "workpapers/controls.h"
#include "workpapers/engagement.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"
#include "workpapers/sampling_plan.h"

#include <nlohmann/json.hpp>

#include "sampling/frequency.h"
#include "workpapers/fieldwork.h"
#include "workpapers/people.h"
#include "workpapers/reporting.h"
#include "report/report.h"
#include "workpapers/presentation.h"

#include <map>

namespace tickmark {

namespace {

struct DemoPopulation {
    const char* file;
    const char* control;
    const char* name;
    const char* described;  // as the report words it: "For 2 of 25 <described> sampled"
    const char* key;
    const char* date;
    const char* frequency;  // how the senior sizes it with the firm table
    sampling::Risk risk;
    const char* method;
    std::uint64_t seed;     // fixed, so the demo's selections are the same on every machine
};

const DemoPopulation kPopulations[] = {
    {"change-tickets.csv", "CM-03", "Production changes", "changes deployed to production", "Ticket ID", "Deployed At", "multiple-daily",
     sampling::Risk::Higher, "random", 20250701},
    {"new-hires.xlsx", "LA-02", "New hires", "new hires", "Employee ID", "Hire Date", "as-needed", sampling::Risk::Lower, "random",
     20250702},
    {"terminations.csv", "LA-03", "Terminations", "terminated employees", "Personnel No", "Termination Date", "as-needed",
     sampling::Risk::Lower, "random", 20250703},
    {"access-reviews.xlsx", "LA-04", "Quarterly access reviews", "quarterly user access reviews", "Review ID", "Completed On", "quarterly",
     sampling::Risk::Lower, "random", 20250704},
    {"backup-log.txt", "AV-02", "Daily database backups", "daily database backup jobs", "Job ID", "Started", "daily", sampling::Risk::Lower,
     "stratified", 20250705},
};

// The procedures the senior wrote for the controls with populations, with their test types; the other
// controls get a procedure from their own description, by nature (see below).
const std::map<std::string, std::pair<std::vector<std::string>, std::string>> kProcedures = {
    {"CM-03", {{"inspection", "reperformance"},
               "Inspected the change ticket for an approval recorded before deployment and evidence of testing, and compared "
               "the engineer who deployed the change in the pipeline log with the ticket's developer."}},
    {"LA-02", {{"inquiry", "inspection"},
               "Inspected the access request ticket for the hiring manager's approval and compared the access granted in the "
               "identity provider with the role approved."}},
    {"LA-03", {{"inspection", "reperformance"},
               "Compared the termination date in the HR system with the date the identity provider disabled the user's "
               "accounts, and inspected the deprovisioning ticket."}},
    {"LA-04", {{"inquiry", "inspection"},
               "Inspected the quarterly access review for the system owner's approval and traced each removal requested to its "
               "completion in the identity provider."}},
    {"AV-02", {{"inspection"},
               "Inspected the backup job log for a successful completion, or a retry within 24 hours, and the on-call alert "
               "raised for each failure."}},
};

// The attributes the senior tests, by control; others get the generic pair below.
const std::map<std::string, std::vector<std::pair<std::string, std::string>>> kAttributes = {
    {"CM-03", {{"A", "Change approved before deployment"}, {"B", "Change tested before deployment"},
               {"C", "Deployed by someone other than the developer"}}},
    {"LA-02", {{"A", "Access requested by ticket and approved by the manager"}, {"B", "Access matches the approved role"}}},
    {"LA-03", {{"A", "Access revoked within one business day of termination"}}},
    {"LA-04", {{"A", "Review completed by the system owner"}, {"B", "Removals actioned within 5 business days"}}},
    {"AV-02", {{"A", "Backup completed successfully or retried within 24 hours"}, {"B", "Failure alerted to the on-call engineer"}}},
};

std::string lowerFirst(std::string s) {
    if (!s.empty()) s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    if (!s.empty() && s.back() == '.') s.pop_back();
    return s;
}

}  // namespace

const std::vector<DemoPerson>& demoTeam() {
    static const std::vector<DemoPerson> t = {
        {"Dana Whitfield", "DW", "partner,reviewer", "partner-2026"},
        {"Marcus Lee", "ML", "reviewer", "review-2026"},
        {"Priya Raman", "PR", "preparer", "prepare-2026"},
        {"Jordan Ellis", "JE", "preparer", "staff-2026"},
    };
    return t;
}

namespace {

std::vector<std::string> splitRoles(const char* roles) {
    std::vector<std::string> out;
    std::string cur;
    for (const char* p = roles;; ++p) {
        if (*p == ',' || *p == 0) {
            out.push_back(cur);
            cur.clear();
            if (!*p) break;
        } else {
            cur += *p;
        }
    }
    return out;
}

// Fieldwork as it stands some weeks into the engagement: most controls tested and signed, a few
// exceptions with management's responses, review notes open and cleared, one stale sign-off.
void buildFieldwork(Engagement& e, const std::filesystem::path& /*templates: the table is the engagement's copy by now*/,
                    const std::function<void(const std::string&)>& say, const std::map<std::string, Actor>& people) {
    const Actor &dw = people.at("DW"), &ml = people.at("ML"), &pr = people.at("PR"), &je = people.at("JE");

    // Every control gets a selection: its population's, or days of the period sized by the firm table.
    std::map<std::string, std::int64_t> selection;
    for (auto& s : listSamples(e))
        if (!s.extendsSampleId && !selection.count(s.control)) selection[s.control] = s.id;
    std::uint64_t seed = 20250800;
    for (auto& c : listControls(e)) {
        if (selection.count(c.ref)) continue;
        std::string freq = c.nature == "automated" ? "automated" : c.frequency == "as-needed" ? "monthly" : c.frequency;
        auto plan = planByFrequency(e, freq, sampling::Risk::Lower, std::nullopt);
        DrawRequest d;
        d.control = c.ref;
        d.method = "dates";
        d.size = plan.sampleSize;
        d.seed = ++seed;
        d.businessDaysOnly = true;
        d.planJson = plan.toJson();
        selection[c.ref] = drawSample(e, pr, d).id;
    }

    // Test plans and results. Planted: CM-03 item 7 approved after deployment (extended, isolated);
    // LA-03 items 4 and 11 revoked late (not isolated); AV-02 item 9 failed without a retry (extended).
    const std::map<std::string, std::vector<std::pair<std::int64_t, std::string>>> deviations = {
        {"CM-03", {{7, "A"}}}, {"LA-03", {{4, "A"}, {11, "A"}}}, {"AV-02", {{9, "A"}}}};
    const std::set<std::string> inProgress = {"RM-02", "RM-03", "CF-02", "OP-05", "IC-02"};
    int tested = 0;
    for (auto& c : listControls(e)) {
        const Actor& preparer = (tested++ % 3 == 2) ? je : pr;
        auto attrs = kAttributes.count(c.ref) ? kAttributes.at(c.ref)
                                              : std::vector<std::pair<std::string, std::string>>{
                                                    {"A", "Control performed as described"},
                                                    {"B", "Evidence of performance retained"}};
        auto procedure = kProcedures.count(c.ref) ? kProcedures.at(c.ref)
                         : c.nature == "automated"
                             ? std::pair<std::vector<std::string>, std::string>{{"inspection", "reperformance"},
                                   "Inspected the configuration that enforces the control and reperformed it for the selected dates, "
                                   "to determine that " + lowerFirst(c.description) + "."}
                             : std::pair<std::vector<std::string>, std::string>{{"inquiry", "inspection"},
                                   "Inquired of the control owner and inspected the evidence retained for the selected dates, to "
                                   "determine that " + lowerFirst(c.description) + "."};
        defineTest(e, preparer, {c.ref, procedure.first, procedure.second, selection[c.ref], attrs, ""});
        auto v = loadTest(e, c.ref);
        std::vector<ResultInput> rs;
        auto dev = deviations.count(c.ref) ? deviations.at(c.ref) : std::vector<std::pair<std::int64_t, std::string>>{};
        for (auto& it : v.items) {
            if (inProgress.count(c.ref) && it.position > static_cast<std::int64_t>(v.items.size()) / 2) break;
            for (auto& [letter, q] : attrs) {
                bool deviates = std::find(dev.begin(), dev.end(), std::make_pair(it.position, letter)) != dev.end();
                rs.push_back({c.ref, it.position, letter, deviates ? "deviation" : "pass", "",
                              deviates ? "see exception" : "", deviates ? "⊗" : "✓"});
            }
        }
        recordResults(e, preparer, rs);
    }

    // Extensions the firm's rule proposes after one isolated deviation, tested clean.
    for (const char* ref : {"CM-03", "AV-02"}) {
        auto v = loadTest(e, ref);
        auto root = loadSample(e, *v.sampleId);
        auto plan = SamplingPlan::fromJson(root.planJson, "selection " + std::to_string(root.id));
        std::int64_t to = plan.extendTo.value_or(root.size * 2);
        extendSample(e, pr, root.id, to - root.size, 20250900 + root.id);
        v = loadTest(e, ref);
        std::vector<ResultInput> rs;
        for (auto& it : v.items)
            if (it.position > root.size)
                for (auto& [letter, q] : v.attributes) rs.push_back({ref, it.position, letter, "pass", "", "", "✓"});
        recordResults(e, pr, rs);
        say("Extended " + std::string(ref) + " from " + std::to_string(root.size) + " to " + std::to_string(to) +
            " items after one deviation, as the firm's table proposes");
    }

    // The exceptions, with management's responses and the auditor's conclusions.
    for (auto& x : listExceptions(e)) {
        if (x.control == "CM-03") {
            updateException(e, pr, x.id, "description", "The change was approved after it was deployed to production.");
            updateException(e, pr, x.id, "cause", "An emergency fix was deployed before the approver was available.");
            updateException(e, pr, x.id, "nature", "isolated");
            updateException(e, pr, x.id, "management-response",
                            "Management reviewed all emergency changes in the period; the deployment pipeline now blocks "
                            "unapproved deployments (since 2026-04-01).");
            updateException(e, pr, x.id, "criteria", "CC8.1");
            updateException(e, pr, x.id, "conclusion", "Isolated: no further deviation in the 40 added items; CC8.1 is met.");
            updateException(e, pr, x.id, "criteria-met", "yes");
        } else if (x.control == "LA-03") {
            updateException(e, je, x.id, "description", "Access of two terminated employees was revoked two days after termination.");
            updateException(e, je, x.id, "cause", "Termination tickets were raised late by People Operations.");
            updateException(e, je, x.id, "nature", "systemic");
            updateException(e, je, x.id, "management-response",
                            "People Operations now raises the termination ticket on the day of notice; IT reviews "
                            "terminations weekly against the HR system.");
            updateException(e, je, x.id, "criteria", "CC6.2, CC6.3");
            updateException(e, je, x.id, "conclusion",
                            "Not isolated; the quarterly access review (LA-04) found no access used after termination, so "
                            "CC6.2 and CC6.3 are met through it.");
            updateException(e, je, x.id, "criteria-met", "yes");
        } else if (x.control == "AV-02") {
            updateException(e, pr, x.id, "description", "A failed backup was not retried within 24 hours.");
            updateException(e, pr, x.id, "cause", "The retry job was paused during a storage migration.");
            updateException(e, pr, x.id, "nature", "isolated");
            updateException(e, pr, x.id, "management-response", "Retry jobs are now monitored; a paused job pages the on-call engineer.");
            updateException(e, pr, x.id, "criteria", "A1.2");
            updateException(e, pr, x.id, "conclusion", "Isolated: no further deviation in the 20 added items; A1.2 is met.");
            updateException(e, pr, x.id, "criteria-met", "yes");
        }
    }
    overrideConclusion(e, ml, "LA-03", "exceptions-noted",
                       "Two late revocations; the quarterly access review (LA-04) mitigates and no access was used after termination");

    // Review: notes raised and cleared, two still open; sign-offs on every finished workpaper.
    int signedCount = 0;
    for (auto& t : listTests(e)) {
        if (inProgress.count(t.control)) continue;
        const std::string wp = testWorkpaper(t.control);
        auto recorded = loadResults(e, t.control);
        const Actor& who = recorded.empty() ? pr : (recorded.front().recordedBy == je.name ? je : pr);
        signOff(e, who, wp, "preparer");
        if (t.control == "CM-03" || t.control == "LA-03") {
            auto id = raiseNote(e, ml, wp, "exception", "Document why the exception does not change the conclusion.");
            respondToNote(e, who, id, "Documented in the exception record and the conclusion.");
            clearNote(e, ml, id);
        }
        signOff(e, ml, wp, "reviewer");
        if (t.control == "CM-03" || t.control == "LA-03" || t.control == "AV-02") signOff(e, dw, wp, "partner");
        ++signedCount;
    }
    raiseNote(e, ml, "test:RM-02", "", "The vendor list is from March; obtain the list as of the period end.");
    raiseNote(e, ml, "test:OP-05", "item 2", "Attach the post-incident review for item 2.");
    // A comment added after review: the preparer's and reviewer's sign-offs on LA-02 become stale.
    recordResults(e, pr, {{"LA-02", 3, "A", "pass", "", "Approval found in the ticket's history, not its summary", "✓"}});
    say("Fieldwork: " + std::to_string(tested) + " controls tested, " + std::to_string(signedCount) +
        " signed by preparer and reviewer, 3 exceptions, 2 open review notes; LA-02 changed after review, so its sign-offs are stale");
}

}  // namespace

DemoResult buildDemo(const std::filesystem::path& dir, const std::filesystem::path& demoData,
                     const std::filesystem::path& templates, std::FILE* log, const std::string& location) {
    auto say = [&](const std::string& s) {
        if (log) std::fprintf(log, "%s\n", s.c_str());
    };
    if (!std::filesystem::exists(demoData / "data" / "control-matrix.xlsx"))
        throw InputError(demoData.string() + ": the demo's client files are missing (set TICKMARK_DATA_DIR to the "
                                             "folder holding demo/ and templates/)");
    DemoResult result{location};
    std::filesystem::create_directories(dir);  // the draft reports go there
    if (location.empty()) {
        result.engagementFile = dir / "lumen-ledger-fy26.tickmark";
        for (const char* suffix : {"", "-wal", "-shm"}) std::filesystem::remove(result.engagementFile.string() + suffix);
    }

    EngagementSetup setup;
    setup.client = "Lumen Ledger, Inc.";
    setup.systemName = "Lumen Ledger Accounts Payable Platform";
    setup.reportType = ReportType::TypeII;
    setup.periodStart = parseIsoDate("2025-07-01");
    setup.periodEnd = parseIsoDate("2026-06-30");
    setup.categories = {"security", "availability", "confidentiality"};
    // The engagement partner creates the file; she adds the team, and each member signs in.
    const DemoPerson& lead = demoTeam().front();
    auto created = createEngagement(result.engagementFile, setup, templates / "tsc-2017.csv", lead.name, lead.initials,
                                    splitRoles(lead.roles), lead.password);
    Engagement& e = created.engagement;
    say("Created " + result.engagementFile.string() + ": " + setup.client + ", SOC 2 Type II 2025-07-01..2026-06-30");
    std::map<std::string, Actor> people;
    people.emplace(lead.initials, created.partner);
    for (auto& p : demoTeam()) {
        if (people.count(p.initials)) continue;
        addPerson(e, created.partner, p.name, p.initials, splitRoles(p.roles), p.password);
        people.emplace(p.initials, authenticate(e, p.initials, p.password));
    }
    say("Team: " + std::to_string(people.size()) + " people (names, roles and demo passwords below)");
    const Actor& pr = people.at("PR");

    e.addSubserviceOrg(pr, "Amazon Web Services, Inc.", "cloud infrastructure hosting (IaaS) and the physical security of its data centers",
                       "carve-out");
    e.addCsoc(pr, "Amazon Web Services, Inc.",
              "Physical access to data centers housing the system is restricted to authorized personnel.", {"CC6.4"});
    e.addCsoc(pr, "Amazon Web Services, Inc.",
              "Environmental protections (power, cooling, fire suppression) are maintained and monitored.", {"A1.2"});
    e.addCsoc(pr, "Amazon Web Services, Inc.", "Storage media is securely destroyed at the end of its life.", {"CC6.5"});
    e.addCuec(pr, "User entities grant access to the platform only to authorized personnel and review it periodically.",
              {"CC6.1", "CC6.2", "CC6.3"});
    e.addCuec(pr, "User entities notify Lumen Ledger promptly of terminated users who had platform access.", {"CC6.2"});
    e.addCuec(pr, "User entities review the accuracy of vendor bank details they upload.", {"CC2.3"});
    say("Recorded 1 subservice organization (carve-out), 3 CSOCs, 3 CUECs");

    ControlImportRequest creq;
    creq.file = demoData / "data" / "control-matrix.xlsx";
    auto cres = importControls(e, pr, creq);
    say("Imported control matrix: " + std::to_string(cres.added) + " controls");

    for (const auto& p : kPopulations) {
        PopulationImportRequest req;
        req.file = demoData / "data" / p.file;
        req.control = p.control;
        req.name = p.name;
        req.keyColumn = p.key;
        req.dateColumn = p.date;
        auto prof = importPopulation(e, pr, req);
        describePopulation(e, pr, prof.populationId, p.described);
        std::string flags;
        if (prof.duplicateKeys) flags += ", " + std::to_string(prof.duplicateKeys) + " duplicate keys";
        if (prof.beforePeriod + prof.afterPeriod)
            flags += ", " + std::to_string(prof.beforePeriod + prof.afterPeriod) + " outside the period";
        if (prof.badDates) flags += ", " + std::to_string(prof.badDates) + " unreadable dates";
        say("Imported population " + std::to_string(prof.populationId) + " \"" + p.name + "\" for " + p.control + ": " +
            std::to_string(prof.rows) + " rows, " + std::to_string(prof.inPeriod) + " in period" + flags);

        // Plan from the firm table (the first draw keeps the engagement's copy of it), then draw with a recorded seed.
        auto plan = planByFrequency(e, p.frequency, p.risk, prof.inPeriod);
        DrawRequest draw;
        draw.populationId = prof.populationId;
        draw.method = p.method;
        draw.size = plan.sampleSize;
        draw.seed = p.seed;
        draw.planJson = plan.toJson();
        auto s = drawSample(e, pr, draw);
        say("  drew selection " + std::to_string(s.id) + ": " + std::to_string(s.size) + " of " +
            std::to_string(s.frameSize) + " (" + plan.basis + "; " + p.method + ", seed " + std::to_string(s.seed) + ")");
    }

    // A daily control with no listing: days drawn from the period's business days.
    auto dailyPlan = planByFrequency(e, "daily", sampling::Risk::Lower, std::nullopt);
    DrawRequest days;
    days.control = "OP-02";
    days.method = "dates";
    days.size = dailyPlan.sampleSize;
    days.seed = 20250706;
    days.businessDaysOnly = true;
    days.planJson = dailyPlan.toJson();
    auto d = drawSample(e, pr, days);
    say("Drew selection " + std::to_string(d.id) + " for OP-02: " + std::to_string(d.size) +
        " business days of the period (seed 20250706)");
    buildFieldwork(e, templates, say, people);

    // The report's particulars and the system description, as management and the team wrote them.
    const Actor& partner = people.at("DW");
    const Actor& senior = pr;
    setReportSetting(e, partner, "firm_name", "Harbor & Finch LLP");
    setReportSetting(e, partner, "firm_city", "Boston, Massachusetts");
    // Dated after the fieldwork it reports: the demo's sign-offs are made today.
    setReportSetting(e, partner, "report_date", isoString(dateFromDays(daysSinceEpoch(today()) + 14)));
    setReportSetting(e, partner, "signatory_name", "Elena Park");
    setReportSetting(e, partner, "signatory_title", "Chief Executive Officer");
    const std::pair<const char*, const char*> description[] = {
        {"services", "Lumen Ledger provides a cloud accounts-payable platform: invoice capture with OCR, approval workflows, "
                     "vendor management and payment file generation for mid-sized companies in North America."},
        {"commitments", "Lumen Ledger commits to its customers to keep their data confidential and available (99.9% monthly "
                        "uptime), to process approved payments only, and to notify customers of security incidents within 72 hours. "
                        "System requirements derive from these commitments, from contracts, and from applicable laws."},
        {"infrastructure", "The platform runs on Amazon Web Services in two availability zones of the us-east-1 region: "
                           "container workloads on Amazon ECS, PostgreSQL on Amazon RDS, object storage on Amazon S3."},
        {"software", "The Lumen Ledger application (Kotlin services and a React front end), the OCR service, and supporting "
                     "tools: the identity provider, the ticketing system, the CI/CD pipeline, and centralized logging."},
        {"people", "About 180 employees in engineering, security, IT, customer support and corporate functions. The Chief "
                   "Technology Officer owns the system; a security team of six reports to the CEO."},
        {"procedures", "Documented policies and procedures for change management, access management, incident response, "
                       "backup and recovery, vendor management and data classification, reviewed annually."},
        {"data", "Customer invoices, vendor master data including bank details, approval records and payment files; all "
                 "classified Confidential and encrypted at rest and in transit."},
        {"boundaries", "The system comprises the production environment and the people, processes and tools that support it. "
                       "Customer-side configuration, the customers' banks and the AWS data centers are outside its boundaries."},
        {"incidents", "No security incident in the period required notification of customers. One availability incident on "
                      "2026-02-14 (backup job paused during a storage migration) had no customer impact."},
        {"criteria-not-applicable", "Processing integrity and privacy were not in scope."},
        {"changes", "The deployment pipeline began enforcing change approvals on 2026-04-01. No other significant change to the "
                    "system occurred in the period."},
    };
    for (auto& [heading, text] : description) setDescription(e, senior, heading, text);

    // The draft report, as it stands: the gates it does not yet meet are listed on its first page.
    auto draft = report::assemble(e, templates);
    report::writePdf(draft, dir / "lumen-ledger-fy26-draft.pdf", report::Output{});
    report::writeReportXlsx(draft, dir / "lumen-ledger-fy26-draft.xlsx");
    report::writeWorkpapersXlsx(e, dir / "lumen-ledger-fy26-workpapers.xlsx");
    say("Draft report: " + (dir / "lumen-ledger-fy26-draft.pdf").string() + " and " + (dir / "lumen-ledger-fy26-draft.xlsx").string() +
        " (opinion proposed: " + draft.opinionProposed + ")");
    report::writeDocx(draft, dir / "lumen-ledger-fy26-draft.docx", templates / "firm" / "word-template.docx");
    say("Draft report in Word: " + (dir / "lumen-ledger-fy26-draft.docx").string());
    auto soc3 = report::assembleSoc3(e, templates);
    report::writePdf(soc3, dir / "lumen-ledger-fy26-soc3-draft.pdf", report::Output{});
    report::writeDocx(soc3, dir / "lumen-ledger-fy26-soc3-draft.docx", templates / "firm" / "word-template.docx");
    say("Draft SOC 3 report: " + (dir / "lumen-ledger-fy26-soc3-draft.pdf").string() + " and .docx");
    say("Internal workpapers: " + (dir / "lumen-ledger-fy26-workpapers.xlsx").string());
    say("Demo engagement ready: " + result.engagementFile.string());
    say("Demo team (sign in with --user INITIALS; the password via TICKMARK_PASSWORD or the prompt):");
    for (auto& p : demoTeam())
        say(std::string("  ") + p.initials + "  " + p.name + " (" + p.roles + "), password " + p.password);
    say("Look at it with: tickmark info " + result.engagementFile.string());
    return result;
}

}  // namespace tickmark

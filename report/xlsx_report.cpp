// The client-ready report workbook: "Summary" (who, what, when, which opinion, draft or final) and
// "Section IV" (the criteria, controls, tests and results as one filterable table). It carries only
// what the report says: no seeds, reviewers, review notes, sign-offs or names of imported files.
#include <set>

#include "report/report.h"
#include "report/xlsx_sheet.h"

namespace tickmark::report {

namespace {

std::string reportType(const Report& r) {
    if (r.kind == Kind::Soc3) return "SOC 3";
    return r.type2 ? "SOC 2 Type II" : "SOC 2 Type I";
}

}  // namespace

void writeReportXlsx(const Report& r, const std::filesystem::path& out, Progress* progress) {
    const bool draft = !r.issuable();
    xlsx::Properties props;
    props.title = !r.longTitle.empty() ? r.longTitle : r.title + ": " + r.client;
    props.subject = reportType(r) + " report on " + r.system + ", " + r.client + " (" + r.periodText + ")";
    props.author = r.firm;
    props.company = r.firm;
    props.category = reportType(r) + " report";
    props.keywords = "SOC, Section IV, tests of controls";
    props.status = draft ? "Draft" : "Final";
    props.comments = draft ? "DRAFT: not for distribution" : "";
    props.headerLeft = r.client;
    props.headerCenter = r.title;
    props.headerRight = draft ? "DRAFT" : "";
    xlsx::Book book(out, props);

    std::set<std::string> controls, withException;
    for (auto& t : r.testsOfControls) {
        controls.insert(t.control);
        if (t.exception) withException.insert(t.control);
    }
    {
        auto s = book.summary("Summary", 30, 90);
        s.pair("Report", r.title);
        if (!r.longTitle.empty()) s.pair("Title", r.longTitle);
        s.pair("Service organization", r.client);
        s.pair("System", r.system);
        s.pair("Report type", reportType(r));
        s.pair(r.type2 ? "Period" : "As of", r.periodText);
        s.pair("Trust services categories", r.categories);
        s.pair("Opinion", r.opinionUsed);
        s.pair("Service auditor", r.firm);
        if (!r.firmCity.empty()) s.pair("Service auditor's city", r.firmCity);
        s.pair("Report date", r.reportDate);
        s.pair("Status", draft ? "DRAFT: not for distribution" : "Final", draft);
        s.pair("Criteria in scope", static_cast<double>(r.criteriaInScope.size()));
        s.pair("Controls", static_cast<double>(controls.size()));
        if (r.type2) s.pair("Controls with exceptions noted", static_cast<double>(withException.size()));
        s.pair("Section IV rows", static_cast<double>(r.testsOfControls.size()));
    }
    if (progress) progress->update(1, 3);
    {
        bool referenced = false, performedBy = false;
        for (auto& t : r.testsOfControls) referenced |= !t.referencedFrom.empty(), performedBy |= !t.performedBy.empty();
        using xlsx::Kind;
        std::vector<xlsx::Column> cols = {{"Criterion", 10}, {"Criterion name", 28, Kind::LongText}, {"Control", 10},
                                          {"Control activity", 48, Kind::LongText}};
        if (r.type2) {
            cols.push_back({"Test types", 14, Kind::LongText});
            cols.push_back({"Test performed", 48, Kind::LongText});
            cols.push_back({"Results", 42, Kind::LongText});
            cols.push_back({"Exception noted", 10});
        }
        const std::size_t refCol = cols.size();
        if (referenced) cols.push_back({"Shown in full under", 12});
        const std::size_t byCol = cols.size();
        if (performedBy) cols.push_back({"Performed by", 20, Kind::LongText});
        auto s = book.table("Section IV", cols);
        for (auto& t : r.testsOfControls) {
            s.text(0, t.criterion);
            s.text(1, t.criterionName);
            s.text(2, t.control);
            const std::string see = "Shown in full under " + t.referencedFrom + ".";
            s.text(3, t.activity.empty() && !t.referencedFrom.empty() ? see : t.activity);
            if (r.type2) {
                s.text(4, t.testTypes);
                s.text(5, t.test.empty() && !t.referencedFrom.empty() ? see : t.test);
                s.text(6, t.result.empty() && !t.referencedFrom.empty() ? see : t.result);
                s.text(7, t.exception ? "yes" : "no");
            }
            if (referenced) s.text(refCol, t.referencedFrom);
            if (performedBy) s.text(byCol, t.performedBy);
            s.next();
        }
        s.finish();
    }
    book.close();
    if (progress) progress->update(3, 3);
}

}  // namespace tickmark::report

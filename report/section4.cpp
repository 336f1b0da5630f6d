// Section IV: the criteria in TSC order, each with the controls that address it; Type II adds the
// test types, the procedure as the preparer wrote it, and the results. A control mapped to several
// criteria of one group is shown in full once in that group and referred to from the others.
#include <algorithm>
#include <set>

#include "report/assembly.h"

namespace tickmark::report::assembly {

namespace {

std::string testTypes(const std::vector<std::string>& types) {
    static const std::vector<std::string> order = {"inquiry", "observation", "inspection", "reperformance"};
    std::vector<std::string> out;
    for (auto& o : order)
        if (std::find(types.begin(), types.end(), o) != types.end()) {
            std::string t = o;
            t[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(t[0])));
            out.push_back(t);
        }
    std::string s;
    for (auto& t : out) s += (s.empty() ? "" : ", ") + t;
    return s;
}

// "For a sample of 25 of 2,401 changes, inspected ...": the procedure as written, after the sample it
// was applied to. A procedure that does not open with the verb of a test keeps its own first word.
std::string testPerformed(const Facts& f, const Control& c, const TestView& t) {
    std::string proc = t.procedure;
    if (!t.sampleId || t.designOnly) return wording::sentence(proc);
    const std::string noun = f.itemNouns.at(c.ref);
    const auto n = static_cast<std::int64_t>(t.items.size());
    const auto frame = f.frameSizes.count(c.ref) ? f.frameSizes.at(c.ref) : 0;
    std::string lead;
    // The singular of "quarters", "annual occurrences", "instances of the automated control".
    std::string singular = noun;
    const auto of = singular.find(" of ");
    const std::size_t end = of == std::string::npos ? singular.size() : of;
    if (end > 1 && singular[end - 1] == 's') singular.erase(end - 1, 1);
    if (frame == 1 && n >= 1) lead = "For the " + singular;
    else if (frame > 0 && n >= frame) lead = "For all " + wording::withThousands(frame) + " " + noun;
    else if (frame > 0 && frame <= 52) lead = "For a sample of " + wording::withThousands(n) + " of the " + wording::withThousands(frame) + " " + noun;
    else if (frame > 0) lead = "For a sample of " + wording::withThousands(n) + " of " + wording::withThousands(frame) + " " + noun;
    else if (n == 1) lead = "For " + std::string(singular.rfind("instance", 0) == 0 ? "one " : "a sample of 1 ") + singular;
    else lead = "For a sample of " + wording::withThousands(n) + " " + noun;
    static const std::set<std::string> verbs = {"Inspected", "Observed", "Inquired", "Reperformed", "Examined", "Reviewed", "Compared",
                                                "Obtained", "Selected", "Traced", "Verified", "Confirmed", "Determined", "Read", "Tested",
                                                "Recalculated", "Agreed", "Vouched", "Evaluated", "Checked", "Reconciled", "Inspect",
                                                "Observe", "Reperform", "Examine", "Review", "Compare", "Obtain", "Trace", "Verify"};
    auto sp = proc.find(' ');
    if (verbs.count(proc.substr(0, sp))) {
        proc[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(proc[0])));
        return lead + ", " + wording::sentence(proc);
    }
    return lead + ": " + wording::sentence(proc);
}

std::string results(const Facts& f, const Control& c, const TestView& t, bool* exception) {
    auto conc = f.conclusions.find(c.ref);
    if (conc != f.conclusions.end() && conc->second.computed == "in-progress" && t.recorded < t.expected) return "Testing in progress.";
    std::string s;
    for (auto& x : f.exceptions) {
        if (x.control != c.ref || x.deviations == 0) continue;
        std::string sentence = exceptionSentence(f, x);
        if (s.empty() && sentence.rfind("Exception noted", 0) != 0) s = "Exception noted. ";
        s += (s.empty() || s.back() == ' ' ? "" : " ") + sentence;
    }
    *exception = !s.empty();
    return s.empty() ? "No exceptions noted." : s;
}

}  // namespace

Section section4(const Facts& f, Report& r) {
    Section s4{"IV", f.type2 ? "Trust Services Criteria, Related Controls, and Tests of Controls" : "Trust Services Criteria and Related Controls",
               "IV", {}};
    const std::string client = f.setup.client;
    if (f.type2) {
        wording::appendBlocks(s4.content,
            "## Tests of operating effectiveness\n"
            "Our tests of the operating effectiveness of controls covered the period " + f.start + " to " + f.end +
            ". For each control, the table shows the types of test performed, the procedure applied and the results.\n\n"
            "- Inquiry: we asked personnel of " + client + " about the performance of the control.\n"
            "- Observation: we watched the control being performed.\n"
            "- Inspection: we examined documents, records and system configurations showing the control's performance.\n"
            "- Reperformance: we performed the control again, independently, and compared the outcome.\n\n"
            "Inquiry alone was never relied upon: each inquiry was combined with observation, inspection or reperformance.\n\n"
            "## Information produced by the service organization\n"
            "Where a test used information produced by " + client + " (system-generated populations, reports and listings), "
            "we evaluated whether the information was sufficiently reliable for our purposes, by obtaining evidence about its "
            "completeness and accuracy, including the source of the listing, the parameters used to generate it and its record "
            "counts over the period.\n\n"
            "## Sampling\n"
            "Where a control operated many times during the period, we selected a sample of its occurrences at random (or "
            "systematically from a random start) from the complete population, in sizes that consider the frequency of the "
            "control. The sample and the population are stated with each test.");
    } else {
        wording::appendBlocks(s4.content,
            "The criteria and the controls that address them are listed below, as of " + f.asOf + ". In a Type I examination "
            "the suitability of the design of the controls is evaluated; no procedures were performed on their operating "
            "effectiveness, and no tests or results are reported.");
    }
    std::string group;
    std::map<std::string, std::string> shownIn;  // within the current group: control -> the criterion it was shown under
    std::map<std::string, bool> exceptionShown;  // control -> its results note an exception
    for (auto& a : f.proposal.criteria) {
        const std::string& id = a.id;
        const Criterion& crit = f.criteria.at(id);
        if (crit.groupId != group) {
            group = crit.groupId;
            shownIn.clear();
            s4.content.push_back(Block{Block::Kind::Heading, crit.groupId + " " + crit.groupName, 2, "IV-" + crit.groupId});
        }
        Block h{Block::Kind::Heading, id + " " + a.name, 3, "IV-" + id};
        s4.content.push_back(h);
        Table t = f.type2 ? Table{{"Control", "Control activity", "Test types", "Test performed", "Results"}, {0.09, 0.26, 0.145, 0.285, 0.22}, {}}
                          : Table{{"Control", "Control activity"}, {0.14, 0.86}, {}};
        // A criterion not examined shows its controls, not results the limitation leaves without meaning.
        const bool showTests = f.type2 && a.standing != Standing::NotExamined;
        if (f.type2 && !showTests) t = Table{{"Control", "Control activity"}, {0.14, 0.86}, {}};
        for (auto& c : f.controls) {
            if (std::find(c.criteria.begin(), c.criteria.end(), id) == c.criteria.end()) continue;
            TestOfControl row{id, a.name, group, crit.groupName, c.ref, c.description, "", "", "", false, "", ""};
            if (auto p = f.performedBy.find(c.ref); p != f.performedBy.end()) row.performedBy = p->second;
            const std::string label = c.ref;
            const std::string activity = c.description + (row.performedBy.empty() ? "" : " (Performed by " + row.performedBy + ".)");
            if (auto seen = shownIn.find(c.ref); seen != shownIn.end() && showTests) {
                row.referencedFrom = seen->second;
                row.activity = "See " + seen->second + " for this control, its tests and results.";
                row.exception = exceptionShown[c.ref];
                r.testsOfControls.push_back(row);
                t.rows.push_back({label, row.activity, "", "", ""});
                continue;
            }
            if (!showTests) {
                t.rows.push_back({label, activity});
                r.testsOfControls.push_back(row);
                continue;
            }
            shownIn[c.ref] = id;
            if (f.type2) {
                const auto& tv = f.tests.at(c.ref);
                if (tv) {
                    row.testTypes = testTypes(tv->types);
                    row.test = testPerformed(f, c, *tv);
                    row.result = results(f, c, *tv, &row.exception);
                    exceptionShown[c.ref] = row.exception;
                } else {
                    row.test = "Not tested.";
                    row.result = "Not tested.";
                }
                t.rows.push_back({label, activity, row.testTypes, row.test, row.result});
            } else {
                t.rows.push_back({label, activity});
            }
            r.testsOfControls.push_back(row);
        }
        if (a.standing == Standing::NotExamined)
            s4.content.push_back(Block{Block::Kind::Paragraph, "We were unable to obtain sufficient appropriate evidence about the "
                                                               "controls addressing this criterion: " + wording::sentence(a.reason)});
        if (a.standing == Standing::NotApplicable)
            s4.content.push_back(Block{Block::Kind::Paragraph, "Not applicable to the system: " + wording::sentence(a.reason)});
        else if (t.rows.empty() && !a.csocs.empty())
            s4.content.push_back(Block{Block::Kind::Paragraph, "Addressed by the controls of the carved-out subservice organization "
                                                               "that the description expects (see Section III): " +
                                                               wording::sentence(wording::joinNames(a.csocs))});
        else if (t.rows.empty())
            s4.content.push_back(Block{Block::Kind::Paragraph, "No control included in the description addresses this criterion."});
        else s4.content.push_back(t);
    }
    return s4;
}

}  // namespace tickmark::report::assembly

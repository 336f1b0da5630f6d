#include "workpapers/rules/gates.h"

#include <algorithm>
#include <map>

#include <boost/algorithm/string/join.hpp>

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/presentation.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/frequency_adequacy.h"
#include "workpapers/rules/population_currency.h"

namespace tickmark {

bool changesReportBasis(const TrailEntry& t) {
    if (t.action == "signoff" || t.action == "note" || t.action == "lock") return false;
    if (t.workpaper == "report" || t.workpaper.rfind("test:", 0) == 0) return true;
    if (t.workpaper == "engagement")
        return t.entity.rfind("person", 0) != 0 && t.field != "release_date" && t.field != "evidence_limit";
    return false;  // populations: what is tested of them reaches the report through a test workpaper
}

std::vector<TrailEntry> reportBasisChangesAfter(Engagement& e, std::int64_t seq) {
    std::vector<TrailEntry> out;
    forEachTrailEntry(e.db(), {std::nullopt, seq}, [&](const TrailEntry& t) {
        if (changesReportBasis(t)) out.push_back(t);
    });
    return out;
}

bool allMet(const std::vector<Gate>& gates) {
    return std::all_of(gates.begin(), gates.end(), [](const Gate& g) { return g.met; });
}

namespace {

Gate gate(std::string name, std::vector<std::string> failing, const std::string& whenMet, const std::string& whenOpen,
          const std::vector<std::string>& workpapers = {}) {
    Gate g{std::move(name), failing.empty(), "", std::move(failing), {}};
    if (!g.met)
        for (auto& w : workpapers)
            if (std::find(g.workpapers.begin(), g.workpapers.end(), w) == g.workpapers.end()) g.workpapers.push_back(w);
    if (g.met) {
        g.detail = whenMet;
    } else {
        std::vector<std::string> shown(g.failing.begin(), g.failing.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(g.failing.size(), 12)));
        g.detail = whenOpen + ": " + boost::algorithm::join(shown, ", ") + (g.failing.size() > 12 ? ", and " + std::to_string(g.failing.size() - 12) + " more" : "");
    }
    return g;
}

std::string dateOf(const std::string& utc) { return utc.substr(0, 10); }  // timestamps are ISO 8601, UTC

}  // namespace

std::vector<Gate> issuanceGates(Engagement& e, const OpinionProposal& proposal) {
    std::vector<Gate> gates;
    const auto controls = listControls(e);
    const auto signoffs = listSignOffs(e);
    auto states = signOffStates(signoffs);

    std::vector<std::string> untested, incomplete, notFinal, unsigned_;
    std::vector<std::string> untestedAt, incompleteAt, notFinalAt, unsignedAt;  // their workpapers
    for (auto& c : controls) {
        const std::string wp = testWorkpaper(c.ref);
        std::optional<TestView> t;
        try {
            t = loadTest(e, c.ref);
        } catch (const InputError&) {
            untested.push_back(c.ref);
            untestedAt.push_back(wp);
            continue;
        }
        if (t->recorded < t->expected) {
            incomplete.push_back(c.ref + " (" + std::to_string(t->expected - t->recorded) + " of " + std::to_string(t->expected) + " missing)");
            incompleteAt.push_back(wp);
        }
        auto conclusion = controlConclusion(e, c.ref);
        if (!isFinalConclusion(conclusion.effective())) notFinal.push_back(c.ref + " (" + conclusion.effective() + ")"), notFinalAt.push_back(wp);
        auto& st = states[wp];
        if (!st.preparedAndReviewed()) unsigned_.push_back(c.ref + (st.anyStale ? " (stale)" : "")), unsignedAt.push_back(wp);
    }
    gates.push_back(gate("Every control tested", untested, "every control has a test plan", "no test plan", untestedAt));
    gates.push_back(gate("Every selected item and attribute has a result or a reasoned N/A", incomplete, "complete", "results missing",
                         incompleteAt));
    gates.push_back(gate("Every conclusion final", notFinal, "every control concluded", "not concluded", notFinalAt));
    gates.push_back(gate("Every tested control signed by preparer and reviewer (current)", unsigned_, "all signed",
                         "not signed by both, or signed before a change", unsignedAt));

    std::vector<std::string> inadequate, inadequateAt;
    for (auto& f : adequacyFindings(e))
        if (f.open()) {
            inadequate.push_back(f.control + " selection " + std::to_string(f.sampleId) + " " + adequacyKindName(f.kind));
            inadequateAt.push_back(testWorkpaper(f.control));
        }
    gates.push_back(gate("Every selection as large and as spread as the frequency table requires, or accepted by a reviewer", inadequate,
                         "adequate", "open findings (see `tickmark test show`)", inadequateAt));
    gates.push_back(gate("Every selection tested drawn from the population in force (or accepted by a reviewer), every stated total reconciled",
                         populationGateFailures(e), "current and reconciled",
                         "open (see `tickmark sample show` and `tickmark population show`)"));

    std::vector<std::string> notes, notesAt;
    for (auto& n : listNotes(e))
        if (n.open()) notes.push_back(n.workpaper + " note " + std::to_string(n.id)), notesAt.push_back(n.workpaper);
    gates.push_back(gate("No open review notes", notes, "none open", "open", notesAt));

    std::vector<std::string> pending, pendingAt;
    for (auto& x : listExceptions(e))
        if (x.deviations > 0 && !x.concluded()) {
            pending.push_back(x.control + " " + x.letter + (x.criteriaMet && !*x.criteriaMet && x.criteria.empty() ? " (criteria not met: name them)" : ""));
            pendingAt.push_back(testWorkpaper(x.control));
        }
    gates.push_back(gate("Every exception concluded", pending, "all concluded", "awaiting the auditor's conclusion", pendingAt));

    auto choice = opinionChoice(e);
    std::vector<std::string> opinion;
    if (!choice) opinion.push_back("not chosen (proposed: " + toString(proposal.opinion) + ")");
    else if (choice->stale) opinion.push_back(choice->opinion + " chosen " + dateOf(choice->chosenAt) + ": stale, " + choice->staleReason);
    gates.push_back(gate("The opinion chosen by the partner (current)", opinion,
                         choice ? choice->opinion + " (proposed " + choice->proposed + ")" : "", "choose the opinion", {"report"}));

    auto settings = reportSettings(e);
    auto texts = descriptionTexts(e);
    std::vector<std::string> missing;
    const auto type = e.setup().reportType;
    for (auto& h : descriptionHeadings(type))
        if (descriptionHeadingRequired(h.key, type) && texts[h.key].empty()) missing.push_back(h.key);
    for (const char* k : {"firm_name", "firm_city", "report_date", "signatory_name", "signatory_title"})
        if (settings[k].empty()) missing.push_back(k);
    // An inclusive subservice organization: its controls are in the description and its management
    // asserts on them in Section II.
    const auto performedBy = controlsPerformedBySubservice(e);
    for (auto& o : e.subserviceOrgs()) {
        if (o.method != "inclusive") continue;
        if (o.signatoryName.empty()) missing.push_back(o.name + " assertion signatory");
        bool any = false;
        for (auto& [ref, org] : performedBy) any |= org == o.name;
        if (!any) missing.push_back(o.name + " controls (inclusive: assign the controls it performs)");
    }
    gates.push_back(gate("The description and the report particulars complete", missing, "complete", "missing", {"report"}));

    // The report is dated after the period (or the as-of date), and not before the fieldwork it reports.
    std::vector<std::string> dating;
    auto reportDate = parseIsoDate(settings["report_date"]);
    auto release = assemblyStatus(e, today()).releaseDate;
    if (reportDate) {
        auto setup = e.setup();
        const Date end = setup.reportType == ReportType::TypeII ? *setup.periodEnd : *setup.asOf;
        if (*reportDate <= end)
            dating.push_back("report date " + isoString(*reportDate) + " is not after the " +
                             (setup.reportType == ReportType::TypeII ? "period end " : "as-of date ") + isoString(end));
        std::string lastFieldwork;
        for (auto& s : signoffs)
            if (s.workpaper.rfind("test:", 0) == 0) lastFieldwork = std::max(lastFieldwork, dateOf(s.signedAt));
        if (!lastFieldwork.empty() && isoString(*reportDate) < lastFieldwork)
            dating.push_back("report date " + isoString(*reportDate) + " is before the last fieldwork sign-off (" + lastFieldwork + ")");
        if (release && *release < *reportDate)
            dating.push_back("release date " + isoString(*release) + " is before the report date " + isoString(*reportDate));
    }
    gates.push_back(gate("The report date after the period and the fieldwork, the release on or after it", dating,
                         reportDate ? "dated " + isoString(*reportDate) : "no report date yet (see the particulars)", "wrong", {"report"}));

    std::vector<std::string> partner;
    if (!states["report"].partner)
        partner.push_back(states["report"].anyStale ? "signed before a change to what the report follows: sign again" : "not signed");
    gates.push_back(gate("Partner sign-off on the report (current)", partner, "signed", "open", {"report"}));
    return gates;
}

}  // namespace tickmark

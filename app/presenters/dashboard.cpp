#include "app/presenters/dashboard.h"

#include <algorithm>
#include <map>

#include "workpapers/controls.h"
#include "workpapers/db.h"
#include "workpapers/people.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/gates.h"
#include "workpapers/rules/opinion.h"

namespace tickmark::desk {

std::int64_t Dashboard::tested() const {
    return std::count_if(controls.begin(), controls.end(), [](const ControlProgress& c) {
        return c.status == WorkpaperStatus::Reviewed || c.status == WorkpaperStatus::Exceptions;
    });
}

std::int64_t Dashboard::notStarted() const {
    return std::count_if(controls.begin(), controls.end(), [](const ControlProgress& c) { return c.status == WorkpaperStatus::NotStarted; });
}

Dashboard dashboardOf(Engagement& e) {
    db::ReadSnapshot snapshot(e.db());  // every count from one state of the file
    Dashboard d;
    const auto statuses = controlStatuses(e);
    const auto notes = listNotes(e);
    const auto signoffs = listSignOffs(e);
    const auto states = signOffStates(signoffs);
    std::map<std::string, TestView> tests;
    for (auto& t : listTests(e)) tests.emplace(t.control, t);

    // Who holds each workpaper's preparer and reviewer sign-off now (the latest that is not stale).
    std::map<std::string, std::pair<std::string, std::string>> holders;  // workpaper -> preparer, reviewer
    for (auto& s : signoffs) {
        if (s.stale) {
            d.staleSignOffs.push_back(s);
            continue;
        }
        if (s.role == "preparer") holders[s.workpaper].first = s.person;
        if (s.role == "reviewer") holders[s.workpaper].second = s.person;
    }
    for (auto& n : notes)
        if (n.open()) d.openNotes.push_back(n);

    std::map<std::string, std::int64_t> resultsBy;
    for (auto& c : listControls(e)) {
        ControlProgress p;
        p.control = c.ref;
        p.description = c.description;
        p.status = statuses.at(c.ref);
        const std::string wp = testWorkpaper(c.ref);
        if (auto t = tests.find(c.ref); t != tests.end()) {
            p.planned = true;
            p.items = static_cast<std::int64_t>(t->second.items.size());
            p.itemsDone = t->second.itemsDone;
            p.expected = t->second.expected;
            p.recorded = t->second.recorded;
            p.deviations = t->second.deviations;
            for (auto& r : loadResults(e, c.ref))
                if (r.position > 0) ++resultsBy[r.recordedBy];  // results kept out of the test do not count
        }
        p.openNotes = std::count_if(d.openNotes.begin(), d.openNotes.end(), [&](const NoteView& n) { return n.workpaper == wp; });
        if (auto h = holders.find(wp); h != holders.end()) p.preparedBy = h->second.first, p.reviewedBy = h->second.second;
        if (auto s = states.find(wp); s != states.end()) p.staleSignOff = s->second.anyStale;
        d.controls.push_back(std::move(p));
    }

    for (auto& person : team(e)) {
        MemberProgress m{person.name, person.initials, person.roles, 0, 0, 0, 0};
        if (auto r = resultsBy.find(person.name); r != resultsBy.end()) m.resultsRecorded = r->second;
        for (auto& [wp, h] : holders) {
            m.prepared += h.first == person.name;
            m.reviewed += h.second == person.name;
        }
        m.notesRaisedOpen = std::count_if(d.openNotes.begin(), d.openNotes.end(), [&](const NoteView& n) { return n.raisedBy == person.name; });
        d.team.push_back(std::move(m));
    }

    for (auto& x : listExceptions(e))
        if (x.deviations > 0 && !x.concluded()) d.awaitingConclusion.push_back(x);

    const auto proposal = proposeOpinion(e);
    d.proposedOpinion = toString(proposal.opinion);
    d.proposalBasis = proposal.basis;
    for (auto& g : issuanceGates(e, proposal)) {
        GateLine line{g.name, g.detail, g.met, g.failing, g.workpapers};
        d.gatesOpen += !g.met;
        d.gates.push_back(std::move(line));
    }
    if (auto choice = opinionChoice(e)) {
        d.chosenOpinion = choice->opinion;
        d.chosenBy = choice->chosenBy;
        d.choiceStale = choice->stale;
    }
    return d;
}

}  // namespace tickmark::desk

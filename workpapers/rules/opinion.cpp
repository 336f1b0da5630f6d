#include "workpapers/rules/opinion.h"

#include <algorithm>
#include <map>
#include <sstream>

#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"
#include "workpapers/rules/scope.h"

namespace tickmark {

std::string toString(Opinion o) {
    switch (o) {
        case Opinion::Unmodified: return "unmodified";
        case Opinion::Qualified: return "qualified";
        case Opinion::Adverse: return "adverse";
        case Opinion::Disclaimer: return "disclaimer";
    }
    return "unmodified";
}

std::optional<Opinion> parseOpinion(std::string_view t) {
    for (auto o : {Opinion::Unmodified, Opinion::Qualified, Opinion::Adverse, Opinion::Disclaimer})
        if (t == toString(o)) return o;
    return std::nullopt;
}

std::string toString(Standing s) {
    switch (s) {
        case Standing::Addressed: return "addressed";
        case Standing::NotAddressed: return "not-addressed";
        case Standing::NotMet: return "not-met";
        case Standing::NotExamined: return "not-examined";
        case Standing::NotApplicable: return "not-applicable";
    }
    return "addressed";
}

std::vector<const CriterionAssessment*> OpinionProposal::with(Standing s) const {
    std::vector<const CriterionAssessment*> out;
    for (auto& c : criteria)
        if (c.standing == s) out.push_back(&c);
    return out;
}

std::string OpinionProposal::fingerprint() const {
    // Length-prefixed fields: no text can make two different proposals read alike.
    std::ostringstream o;
    auto field = [&](const std::string& s) { o << s.size() << ':' << s; };
    field(toString(opinion));
    for (auto& c : criteria) {
        field(c.id);
        field(toString(c.standing));
        field(c.reason);
        for (auto& x : c.exceptions) field(x.control + " " + x.letter + " " + std::to_string(x.deviations) + "/" + std::to_string(x.tested));
        o << ';';
    }
    return o.str();
}

OpinionProposal proposeOpinion(Engagement& e) {
    OpinionProposal p;
    std::map<std::string, CriterionAssessment*> byId;
    for (auto& c : e.criteriaInScope()) p.criteria.push_back({c.id, c.shortName, Standing::Addressed, {}, {}, {}, ""});
    for (auto& c : p.criteria) byId[c.id] = &c;

    for (auto& c : listControls(e))
        for (auto& id : c.criteria)
            if (byId.count(id)) byId[id]->controls.push_back(c.ref);
    std::map<std::string, std::string> method;
    for (auto& o : e.subserviceOrgs()) method[o.name] = o.method;
    for (auto& c : e.csocs())
        if (method[c.subserviceOrg] == "carve-out")
            for (auto& id : c.criteria)
                if (byId.count(id)) byId[id]->csocs.push_back(c.subserviceOrg + ": " + c.description);
    for (auto& x : listExceptions(e))
        if (x.deviations > 0 && x.criteriaMet && !*x.criteriaMet)
            for (auto& id : x.criteria)
                if (byId.count(id)) byId[id]->exceptions.push_back({x.id, x.control, x.letter, x.deviations, x.tested});
    auto statuses = criterionStatuses(e);

    for (auto& c : p.criteria) {
        auto st = statuses.find(c.id);
        if (st != statuses.end() && st->second.status == CriterionStatus::NotApplicable) {
            c.standing = Standing::NotApplicable;
            c.reason = st->second.reason;
        } else if (st != statuses.end() && st->second.status == CriterionStatus::NotExamined) {
            c.standing = Standing::NotExamined;
            c.reason = st->second.reason;
        } else if (!c.exceptions.empty()) {
            c.standing = Standing::NotMet;
        } else if (c.controls.empty() && c.csocs.empty()) {
            c.standing = Standing::NotAddressed;
        }
    }

    p.applicable = std::count_if(p.criteria.begin(), p.criteria.end(), [](auto& c) { return c.standing != Standing::NotApplicable; });
    p.pervasiveAt = std::max<std::int64_t>(1, (p.applicable + 3) / 4);
    const auto notExamined = static_cast<std::int64_t>(p.with(Standing::NotExamined).size());
    const auto notMet = static_cast<std::int64_t>(p.with(Standing::NotMet).size());
    const auto notAddressed = static_cast<std::int64_t>(p.with(Standing::NotAddressed).size());
    const auto misstated = notMet + notAddressed;
    // "2 not met and 1 not examined of 38 applicable criteria": only the kinds there are.
    auto listed = [&](std::vector<std::pair<std::int64_t, const char*>> parts) {
        std::vector<std::string> said;
        for (auto& [n, what] : parts)
            if (n > 0) said.push_back(std::to_string(n) + " " + what);
        std::string out;
        for (std::size_t i = 0; i < said.size(); ++i) out += (i == 0 ? "" : i + 1 == said.size() ? " and " : ", ") + said[i];
        return out + " of " + std::to_string(p.applicable) + " applicable criteria";
    };
    if (notExamined >= p.pervasiveAt) {
        p.opinion = Opinion::Disclaimer;
        p.basis = listed({{notExamined, "could not be examined"}}) + ": pervasive";
    } else if (misstated >= p.pervasiveAt) {
        p.opinion = Opinion::Adverse;
        p.basis = listed({{notMet, "not met"}, {notAddressed, "addressed by no control"}}) + ": pervasive";
    } else if (notExamined + misstated > 0) {
        p.opinion = Opinion::Qualified;
        p.basis = listed({{notMet, "not met"}, {notAddressed, "addressed by no control"}, {notExamined, "not examined"}}) +
                  ": not pervasive";
    } else {
        p.opinion = Opinion::Unmodified;
        p.basis = "every applicable criterion is addressed and none was concluded as not met";
    }
    return p;
}

}  // namespace tickmark

#include "app/presenters/navigator.h"

#include <functional>
#include <algorithm>
#include <map>
#include <set>

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/rules/status.h"
#include "workpapers/samples.h"

namespace tickmark::desk {

static_assert(static_cast<int>(Status::Exceptions) == static_cast<int>(WorkpaperStatus::Exceptions) + 1, "Status mirrors WorkpaperStatus");

const char* statusLabel(Status s) { return s == Status::None ? "" : tickmark::statusLabel(static_cast<WorkpaperStatus>(static_cast<int>(s) - 1)); }

std::string workpaperOf(const NavNode& n) {
    switch (n.kind) {
        case NavNode::Kind::Control:
        case NavNode::Kind::Test:
        case NavNode::Kind::Exceptions: return testWorkpaper(n.control);
        case NavNode::Kind::Population: return n.id ? "population:" + std::to_string(*n.id) : "";
        case NavNode::Kind::Sample: return n.id ? "sample:" + std::to_string(*n.id) : "";
        case NavNode::Kind::Notes: return "notes";
        case NavNode::Kind::Report: return "report";
        default: return "engagement";
    }
}

namespace {
std::string who(const db::Holder& h) { return h.member.empty() ? h.program + " (nobody signed in)" : h.member; }
}  // namespace

std::vector<std::string> whoIsHere(Engagement& e) {
    std::vector<std::string> out;
    for (auto& h : e.othersHere()) out.push_back(who(h) + (h.workpaper.empty() ? "" : " on " + h.workpaper));
    return out;
}

namespace {
// Each node's `here`, from who has the engagement open and where; the root lists them all.
void markPresence(NavNode& n, const std::multimap<std::string, std::string>& byWorkpaper) {
    // A control carries its test workpaper's (seen while collapsed); its Exceptions node would repeat it.
    if (n.kind != NavNode::Kind::Engagement && n.kind != NavNode::Kind::Group && n.kind != NavNode::Kind::Exceptions) {
        auto [a, b] = byWorkpaper.equal_range(workpaperOf(n));
        for (auto it = a; it != b; ++it) n.here.push_back(it->second);
    }
    for (auto& c : n.children) markPresence(c, byWorkpaper);
}
}  // namespace

NavNode buildNavigator(Engagement& e) {
    auto setup = e.setup();
    NavNode root{NavNode::Kind::Engagement, setup.client + " — " + setup.systemName, "", std::nullopt, Status::None, {}};
    auto controls = listControls(e);
    auto pops = listPopulations(e);
    auto samples = listSamples(e);
    auto notes = listNotes(e);
    auto exceptions = listExceptions(e);
    // The status is the domain's (workpapers/rules/status.h); the navigator only shows it.
    auto statuses = controlStatuses(e);
    auto controlStatus = [&](const std::string& ref) { return static_cast<Status>(static_cast<int>(statuses.at(ref)) + 1); };
    std::set<std::string> withExceptions;
    for (auto& x : exceptions)
        if (x.deviations > 0) withExceptions.insert(x.control);

    // Criteria groups in TSC order; a control sits under the group of its first criterion.
    std::vector<std::pair<std::string, std::string>> groups;
    std::map<std::string, std::string> groupOfCriterion;
    for (auto& c : e.criteriaInScope()) {
        if (groups.empty() || groups.back().first != c.groupId) groups.emplace_back(c.groupId, c.groupName);
        groupOfCriterion[c.id] = c.groupId;
    }
    auto groupOf = [&](const Control& c) {
        auto it = c.criteria.empty() ? groupOfCriterion.end() : groupOfCriterion.find(c.criteria.front());
        return it == groupOfCriterion.end() ? std::string() : it->second;
    };
    std::map<std::string, std::vector<NavNode>> controlsByGroup;
    for (auto& c : controls) {
        NavNode n{NavNode::Kind::Control, c.ref + "  " + c.description, c.ref, std::nullopt, controlStatus(c.ref), {}};
        for (auto& p : pops)
            if (p.control == c.ref)
                n.children.push_back({NavNode::Kind::Population, "Population " + std::to_string(p.id) + ": " + p.name + " (" +
                                                                      std::to_string(p.rows) + " rows)",
                                      c.ref, p.id, Status::None, {}});
        for (auto& s : samples)
            if (s.control == c.ref)
                n.children.push_back({NavNode::Kind::Sample, "Selection " + std::to_string(s.id) + ": " + s.method + ", " +
                                                                 std::to_string(s.size) + " of " + std::to_string(s.frameSize),
                                      c.ref, s.id, Status::None, {}});
        n.children.push_back({NavNode::Kind::Test, "Test workpaper", c.ref, std::nullopt, n.status, {}});
        if (withExceptions.count(c.ref))
            n.children.push_back({NavNode::Kind::Exceptions, "Exceptions", c.ref, std::nullopt, Status::Exceptions, {}});
        controlsByGroup[groupOf(c)].push_back(std::move(n));
    }
    for (auto& [gid, gname] : groups) {
        auto it = controlsByGroup.find(gid);
        if (it == controlsByGroup.end()) continue;
        root.children.push_back({NavNode::Kind::Group, gid + "  " + gname, "", std::nullopt, Status::None, std::move(it->second)});
        controlsByGroup.erase(it);
    }
    // A control mapped to no criterion in scope still shows, never left out of the tree.
    std::vector<NavNode> unmapped;
    for (auto& [gid, nodes] : controlsByGroup)
        for (auto& n : nodes) unmapped.push_back(std::move(n));
    if (!unmapped.empty())
        root.children.push_back({NavNode::Kind::Group, "Not mapped to a criterion in scope", "", std::nullopt, Status::None,
                                 std::move(unmapped)});
    std::int64_t open = static_cast<std::int64_t>(std::count_if(notes.begin(), notes.end(), [](auto& n) { return n.open(); }));
    root.children.push_back({NavNode::Kind::Notes, "Review notes (" + std::to_string(open) + " open)", "", std::nullopt,
                             open ? Status::OpenNotes : Status::None, {}});
    root.children.push_back({NavNode::Kind::Report, "Report", "", std::nullopt, Status::None, {}});
    markWhoIsHere(e, root);
    return root;
}

void markWhoIsHere(Engagement& e, NavNode& root) {
    std::function<void(NavNode&)> clear = [&](NavNode& n) {
        n.here.clear();
        for (auto& c : n.children) clear(c);
    };
    clear(root);
    std::multimap<std::string, std::string> byWorkpaper;
    for (auto& h : e.othersHere()) {
        byWorkpaper.emplace(h.workpaper.empty() ? "engagement" : h.workpaper, who(h));
        root.here.push_back(who(h) + (h.workpaper.empty() ? "" : " on " + h.workpaper));
    }
    markPresence(root, byWorkpaper);
}

const NavNode* findNode(const NavNode& root, NavNode::Kind kind, const std::string& control) {
    if (root.kind == kind && (control.empty() || root.control == control)) return &root;
    for (auto& c : root.children)
        if (auto* f = findNode(c, kind, control)) return f;
    return nullptr;
}

}  // namespace tickmark::desk

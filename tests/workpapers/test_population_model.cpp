// Random sequences of import, replace, link, draw, define, add-item, record, accept and delete, each
// checked against a small independent model of what must be flagged (workpapers/rules/population_currency.h):
// a selection is flagged when its population was superseded, names the keys of its items the version in
// force lacks, is open unless accepted against that version, and keeps the report from issuing while a
// test points at it. Refused operations must be exactly those the model refuses, and leave results as
// they were; recorded results never change on a replace.
#include <catch2/catch.hpp>

#include <map>
#include <random>
#include <set>
#include <sstream>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/judgmental_items.h"
#include "workpapers/population.h"
#include "workpapers/population_life.h"
#include "workpapers/proof/seal.h"
#include "workpapers/rules/gates.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/rules/population_currency.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;

namespace {

const std::vector<std::string> kControls = {"CM-03", "CM-04"};

std::string keyName(int k) { return "K" + std::to_string(k); }

std::string csvOf(const std::set<int>& keys) {
    std::string csv = "Key,Date\n";
    for (int k : keys) {
        char date[16];
        std::snprintf(date, sizeof date, "2025-%02d-15", (k - 1) % 12 + 1);
        csv += keyName(k) + "," + date + "\n";
    }
    return csv;
}

struct MPop {
    std::string control;
    std::set<int> keys;
    std::optional<std::int64_t> supersededBy;
    std::set<std::string> serves;
    bool deleted = false;
    bool acceptedAgainst = false;  // a reviewer once accepted a selection against this version
};
struct MSel {
    std::int64_t pop = 0;
    std::string control;
    std::vector<std::string> keys;  // drawn, then judgmental
    std::optional<std::int64_t> acceptedAgainst;
};

struct Model {
    std::map<std::int64_t, MPop> pops;
    std::map<std::int64_t, MSel> sels;
    std::map<std::string, std::int64_t> tests;  // control -> selection
    std::int64_t current(std::int64_t p) const {
        while (pops.at(p).supersededBy) p = *pops.at(p).supersededBy;
        return p;
    }
    struct Flag {
        std::int64_t current;
        std::set<std::string> missing;
        bool open;
        bool operator==(const Flag& o) const { return current == o.current && missing == o.missing && open == o.open; }
    };
    std::map<std::int64_t, Flag> flags() const {
        std::map<std::int64_t, Flag> out;
        for (auto& [id, s] : sels) {
            if (!pops.at(s.pop).supersededBy) continue;
            Flag f{current(s.pop), {}, true};
            for (auto& k : s.keys)
                if (!pops.at(f.current).keys.count(std::stoi(k.substr(1)))) f.missing.insert(k);
            f.open = s.acceptedAgainst != f.current;
            out[id] = f;
        }
        return out;
    }
    std::size_t gateFailures() const {
        std::size_t n = 0;
        for (auto& [id, f] : flags()) {
            bool tested = false;
            for (auto& [c, s] : tests) tested |= s == id;
            n += f.open && tested;
        }
        return n;
    }
};

}  // namespace

TEST_CASE("population lives: random import, replace, draw, add-item, record, accept and delete against a model of the flags") {
    // What the sequences reached, so the model is known to have been exercised.
    std::map<std::string, int> seen;
    for (std::uint32_t seed : {1u, 2u, 3u, 4u, 5u, 6u}) {
        TempDir d;
        Engagement e = newEngagement(d / "e.tickmark");
        Actor partner = testPartner(e);
        Actor preparer = joinTeam(e, partner, "Priya Preparer", "PR", {"preparer"}, "preparer-pw-1");
        ControlImportRequest c;
        c.file = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Weekly,Manual\n"
                                    "CM-04,Changes tested,CC8.1,Weekly,Manual\n");
        importControls(e, partner, c);
        std::mt19937 rng(seed);
        auto pick = [&](std::size_t n) { return static_cast<std::size_t>(std::uniform_int_distribution<std::size_t>(0, n - 1)(rng)); };
        auto keysRandom = [&] {
            std::set<int> k;
            const auto n = 4 + pick(9);
            while (k.size() < n) k.insert(1 + static_cast<int>(pick(12)));
            return k;
        };
        Model m;
        std::ostringstream log;
        int files = 0, names = 0;
        std::map<std::string, std::vector<ResultView>> recorded;  // control -> results as recorded

        for (int step = 0; step < 40; ++step) {
            const auto op = pick(9);
            INFO(log.str());
            std::vector<std::int64_t> current, live;
            for (auto& [id, p] : m.pops)
                if (!p.deleted) {
                    live.push_back(id);
                    if (!p.supersededBy) current.push_back(id);
                }
            if (op == 0 || live.empty()) {  // import
                const auto control = kControls[pick(2)];
                const auto keys = keysRandom();
                PopulationImportRequest r;
                r.file = write(d / ("f" + std::to_string(++files) + ".csv"), csvOf(keys));
                r.control = control;
                r.name = "P" + std::to_string(++names);
                r.keyColumn = "Key";
                r.dateColumn = "Date";
                const auto id = importPopulation(e, partner, r).populationId;
                m.pops[id] = MPop{control, keys, std::nullopt, {control}};
                log << "import " << id << " for " << control << "\n";
            } else if (op == 1 && !current.empty()) {  // replace
                const auto old = current[pick(current.size())];
                const auto keys = keysRandom();
                PopulationImportRequest r;
                r.file = write(d / ("f" + std::to_string(++files) + ".csv"), csvOf(keys));
                const auto id = replacePopulation(e, partner, old, r, "corrected by the client").populationId;
                m.pops[id] = MPop{m.pops[old].control, keys, std::nullopt, m.pops[old].serves};
                m.pops[old].supersededBy = id;
                log << "replace " << old << " by " << id << "\n";
                for (auto& [control, before] : recorded) {  // never a result changed by a replace
                    auto now = loadResults(e, control);
                    REQUIRE(now.size() == before.size());
                    for (std::size_t i = 0; i < now.size(); ++i) {
                        REQUIRE(now[i].itemKey == before[i].itemKey);
                        REQUIRE(now[i].recordedAt == before[i].recordedAt);
                    }
                }
            } else if (op == 2 && !current.empty()) {  // link
                const auto id = current[pick(current.size())];
                const auto control = kControls[pick(2)];
                const bool ok = !m.pops[id].serves.count(control);
                INFO(log.str() << "link " << id << " to " << control);
                if (ok) {
                    linkPopulation(e, partner, id, control, "");
                    m.pops[id].serves.insert(control);
                } else {
                    REQUIRE_THROWS_AS(linkPopulation(e, partner, id, control, ""), InputError);
                }
                log << "link " << id << " " << control << (ok ? "" : " refused") << "\n";
            } else if (op == 3 && !current.empty()) {  // draw
                const auto id = current[pick(current.size())];
                DrawRequest r;
                r.populationId = id;
                r.size = 3;
                r.seed = rng();
                auto s = drawSample(e, partner, r);
                MSel sel{id, m.pops[id].control, {}, std::nullopt};
                for (auto& it : s.items) sel.keys.push_back(it.key);
                m.sels[s.id] = sel;
                log << "draw " << s.id << " from " << id << "\n";
            } else if (op == 4 && !m.sels.empty()) {  // define
                auto it = m.sels.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(pick(m.sels.size())));
                const auto control = kControls[pick(2)];
                const bool ok = it->second.control == control || m.pops[it->second.pop].serves.count(control);
                TestDefinition t{control, {"inspection"}, "Inspected", it->first, {{"A", "Approved?"}}, ""};
                INFO(log.str() << "define " << control << " on " << it->first);
                if (ok) {
                    defineTest(e, preparer, t);
                    m.tests[control] = it->first;
                    recorded.erase(control);
                } else {
                    REQUIRE_THROWS_AS(defineTest(e, preparer, t), InputError);
                }
                log << "define " << control << " on " << it->first << (ok ? "" : " refused") << "\n";
            } else if (op == 5 && !m.sels.empty()) {  // add a judgmental item
                auto it = m.sels.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(pick(m.sels.size())));
                std::vector<int> free;
                for (int k : m.pops[it->second.pop].keys)
                    if (std::find(it->second.keys.begin(), it->second.keys.end(), keyName(k)) == it->second.keys.end()) free.push_back(k);
                if (free.empty()) continue;
                const auto k = keyName(free[pick(free.size())]);
                addJudgmentalItem(e, partner, it->first, k, "chosen");
                it->second.keys.push_back(k);
                log << "add-item " << k << " to " << it->first << "\n";
            } else if (op == 6 && !m.tests.empty()) {  // record every item of a test
                auto it = m.tests.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(pick(m.tests.size())));
                const auto v = loadTest(e, it->first);
                std::vector<ResultInput> in;
                for (auto& item : v.items) in.push_back({it->first, item.position, "A", "pass", "", "", ""});
                recordResults(e, preparer, in);
                recorded[it->first] = loadResults(e, it->first);
                log << "record " << it->first << "\n";
            } else if (op == 7 && !m.sels.empty()) {  // accept
                auto it = m.sels.begin();
                std::advance(it, static_cast<std::ptrdiff_t>(pick(m.sels.size())));
                auto flags = m.flags();
                const bool ok = flags.count(it->first) && flags.at(it->first).open;
                INFO(log.str() << "accept " << it->first);
                if (ok) {
                    acceptSupersededSelection(e, partner, it->first, "the items tested stand");
                    ++seen["accepted"];
                    it->second.acceptedAgainst = flags.at(it->first).current;
                    m.pops[flags.at(it->first).current].acceptedAgainst = true;
                } else {
                    REQUIRE_THROWS_AS(acceptSupersededSelection(e, partner, it->first, "x"), InputError);
                }
                log << "accept " << it->first << (ok ? "" : " refused") << "\n";
            } else if (op == 8) {  // delete
                const auto id = live[pick(live.size())];
                bool used = m.pops[id].acceptedAgainst;
                for (auto& [sid, s] : m.sels) used |= s.pop == id;
                INFO(log.str() << "delete " << id);
                if (!used) {
                    deletePopulation(e, partner, id, "not needed");
                    ++seen["deleted"];
                    m.pops[id].deleted = true;
                    for (auto& [pid, p] : m.pops)
                        if (p.supersededBy == id) p.supersededBy.reset();
                } else {
                    REQUIRE_THROWS_AS(deletePopulation(e, partner, id, "not needed"), InputError);
                    ++seen["delete refused"];
                }
                log << "delete " << id << (used ? " refused" : "") << "\n";
            }

            INFO(log.str());
            std::map<std::int64_t, Model::Flag> actual;
            for (auto& f : supersededSelections(e))
                actual[f.sampleId] = {f.current, std::set<std::string>(f.missingKeys.begin(), f.missingKeys.end()), f.open()};
            REQUIRE(actual == m.flags());
            REQUIRE(populationGateFailures(e).size() == m.gateFailures());
            for (auto& [id, f] : actual) {
                ++seen[f.open ? "flagged open" : "flagged accepted"];
                if (!f.missing.empty()) ++seen["missing keys named"];
            }
            if (m.gateFailures() > 0) ++seen["gate open"];
        }
        INFO(log.str());
        CHECK(proof::verifyProof(e).clean());
    }
    for (const char* what : {"accepted", "deleted", "delete refused", "flagged open", "flagged accepted", "missing keys named", "gate open"}) {
        INFO(what);
        CHECK(seen[what] > 0);
    }
}

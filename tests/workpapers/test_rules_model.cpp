// A model-based property test of the rules the report follows. Random sequences of operations on a
// small engagement (record results, conclude and change exceptions, re-import the matrix, re-point a
// test, mark criteria not applicable, choose the opinion, sign, release) run against the store and,
// side by side, against an independent model written here from the rules as the README states them.
// After every step: the proposal's criteria not met and not addressed, the proposed opinion, whether
// `report --final` may pass, and that no result is ever attached to a key other than its own.
#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <optional>
#include <random>
#include <set>
#include <sstream>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/gates.h"
#include "workpapers/proof/seal.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/rules/scope.h"
#include "workpapers/samples.h"

using namespace tickmark;
using namespace testsupport;

namespace {

// Security only: the 33 common criteria, in TSC order.
std::vector<std::string> commonCriteria() {
    std::vector<std::string> v;
    const std::vector<std::pair<int, int>> groups = {{1, 5}, {2, 3}, {3, 4}, {4, 2}, {5, 3}, {6, 8}, {7, 5}, {8, 1}, {9, 2}};
    for (auto [g, n] : groups)
        for (int i = 1; i <= n; ++i) v.push_back("CC" + std::to_string(g) + "." + std::to_string(i));
    return v;
}
const std::vector<std::string> kCC = commonCriteria();
const std::vector<std::string> kControls = {"C1", "C2"};
const std::vector<std::string> kLetters = {"A", "B"};

// Three control matrices the sequences re-import: C1 and C2 map slices of the criteria.
using Matrix = std::map<std::string, std::set<std::string>>;
Matrix matrixVariant(int v) {
    auto slice = [](std::size_t from, std::size_t to, std::set<std::string> leaveOut = {}) {
        std::set<std::string> s;
        for (std::size_t i = from; i < to; ++i)
            if (!leaveOut.count(kCC[i])) s.insert(kCC[i]);
        return s;
    };
    if (v == 0) return {{"C1", slice(0, 20)}, {"C2", slice(20, 32)}};              // CC9.2 unaddressed
    if (v == 1) return {{"C1", slice(0, 10)}, {"C2", slice(10, 33, {"CC6.4", "CC9.1"})}};
    return {{"C1", slice(0, 5)}, {"C2", slice(5, 13)}};                              // 20 unaddressed: pervasive
}
std::string matrixCsv(const Matrix& m) {
    std::string csv = "Control ID,Description,Criteria,Frequency,Nature\n";
    for (auto& [c, crit] : m) {
        std::string list;
        for (auto& id : crit) list += (list.empty() ? "" : ";") + id;
        csv += c + ",Control " + c + " (" + std::to_string(crit.size()) + " criteria),\"" + list + "\",Annual,Manual\n";
    }
    return csv;
}

// The engagement every sequence starts from, made once: a copy of its file is cheap, a sign-in is not.
struct Template {
    TempDir d;
    fs::path file = d / "template.tickmark";
    std::optional<Actor> preparer, reviewer, partner;
    std::map<std::string, std::vector<std::int64_t>> selections;  // control -> its two selections
    Template() {
        EngagementSetup s{"Model Co.", "Model System", ReportType::TypeII, parseIsoDate("2025-01-01"), parseIsoDate("2025-12-31"),
                          std::nullopt, {}};
        auto e = Engagement::create(file, s, criteriaCsv());
        // The partner starts the team; the others sign in once here (copies of the file keep the team).
        partner.emplace(addEngagementPartner(e, "Pat Partner", "PP", {"partner", "reviewer"}, "partner-pw-1"));
        addPerson(e, *partner, "Sam Senior", "SS", {"preparer"}, "senior-pw-1");
        addPerson(e, *partner, "Mia Manager", "MM", {"reviewer"}, "manager-pw-1");
        preparer.emplace(authenticate(e, "SS", "senior-pw-1"));
        reviewer.emplace(authenticate(e, "MM", "manager-pw-1"));
        ControlImportRequest c;
        c.file = write(d / "m0.csv", matrixCsv(matrixVariant(0)));
        importControls(e, *preparer, c);
        for (auto& ctl : kControls) {
            // Keys repeat (K3 twice): a result belongs to a key's n-th occurrence, not just the key.
            std::string csv = "Key,Date\n";
            for (int i = 1; i <= 12; ++i) csv += "K" + std::to_string(i == 12 ? 3 : i) + ",2025-0" + std::to_string(1 + i % 9) + "-10\n";
            auto pop = importPopulation(e, *preparer, {write(d / (ctl + ".csv"), csv), ctl, "Items of " + ctl, "Key", "Date"}).populationId;
            for (std::uint64_t seed : {1u, 2u}) {
                DrawRequest r;
                r.populationId = pop;
                r.size = 4;
                r.seed = seed;
                r.frame = "all";
                selections[ctl].push_back(drawSample(e, *preparer, r).id);
            }
            defineTest(e, *preparer, {ctl, {"inspection"}, "Inspected.", selections[ctl][0], {{"A", "First"}, {"B", "Second"}}, ""});
        }
        for (auto& h : descriptionHeadings()) setDescription(e, *preparer, h.key, "Text for " + std::string(h.key) + ".");
        setReportSetting(e, *partner, "firm_name", "Firm LLP");
        setReportSetting(e, *partner, "firm_city", "Boston");
        setReportSetting(e, *partner, "report_date", isoString(dateFromDays(daysSinceEpoch(today()) + 30)));
        setReportSetting(e, *partner, "signatory_name", "CEO");
        setReportSetting(e, *partner, "signatory_title", "Chief Executive Officer");
    }
};

// The model: the engagement as the rules describe it, kept apart from the store.
struct Model {
    Matrix matrix = matrixVariant(0);
    std::map<std::string, int> pointedAt;  // control -> which of its two selections (0, 1)
    std::map<std::string, std::vector<std::string>> items[2];  // selection index -> control -> keys in order
    // Results by (control, key, occurrence, letter): outcome.
    std::map<std::tuple<std::string, std::string, int, std::string>, std::string> results;
    struct Exception {
        std::string conclusion;
        std::optional<bool> met;
        std::set<std::string> criteria;
    };
    std::map<std::pair<std::string, std::string>, Exception> exceptions;  // opened by a first deviation
    std::set<std::string> notApplicable;
    std::map<std::string, bool> preparerCurrent, reviewerCurrent;
    std::optional<std::string> choice;  // the opinion chosen
    std::string proposedAtChoice;
    bool choiceCurrent = false, reportSigned = false;
    std::optional<Date> release;
    Date reportDate;

    std::vector<std::pair<std::string, int>> keysOf(const std::string& c) const {
        std::vector<std::pair<std::string, int>> out;
        std::map<std::string, int> seen;
        for (auto& k : items[pointedAt.at(c)].at(c)) out.emplace_back(k, ++seen[k]);
        return out;
    }
    // Deviations and tested (not N/A) of an attribute, over the items the test now points at.
    std::pair<int, int> counts(const std::string& c, const std::string& letter) const {
        int dev = 0, n = 0;
        for (auto& [k, occ] : keysOf(c)) {
            auto it = results.find({c, k, occ, letter});
            if (it == results.end()) continue;
            ++n;
            dev += it->second == "deviation";
        }
        return {dev, n};
    }
    bool concluded(const Exception& x) const { return x.met && !x.conclusion.empty() && (*x.met || !x.criteria.empty()); }

    std::set<std::string> notMet() const {
        std::set<std::string> s;
        for (auto& [key, x] : exceptions)
            if (counts(key.first, key.second).first > 0 && x.met && !*x.met)
                for (auto& id : x.criteria)
                    if (!notApplicable.count(id)) s.insert(id);
        return s;
    }
    std::set<std::string> notAddressed() const {
        auto nm = notMet();
        std::set<std::string> s;
        for (auto& id : kCC) {
            if (notApplicable.count(id) || nm.count(id)) continue;
            bool mapped = false;
            for (auto& [c, crit] : matrix) mapped |= crit.count(id) > 0;
            if (!mapped) s.insert(id);
        }
        return s;
    }
    std::string opinion() const {
        const int applicable = static_cast<int>(kCC.size() - notApplicable.size());
        const int pervasiveAt = std::max(1, (applicable + 3) / 4);
        const int misstated = static_cast<int>(notMet().size() + notAddressed().size());
        if (misstated >= pervasiveAt) return "adverse";
        return misstated > 0 ? "qualified" : "unmodified";
    }
    bool complete(const std::string& c) const {
        for (auto& [k, occ] : keysOf(c))
            for (auto& l : kLetters)
                if (!results.count({c, k, occ, l})) return false;
        return true;
    }
    bool conclusionFinal(const std::string& c) const {
        if (!complete(c)) return false;
        bool anyDev = false, anyNotMet = false, allConcluded = true;
        for (auto& l : kLetters) {
            if (counts(c, l).first == 0) continue;
            anyDev = true;
            auto it = exceptions.find({c, l});
            anyNotMet |= it->second.met && !*it->second.met;
            allConcluded &= concluded(it->second);
        }
        return !anyDev || anyNotMet || allConcluded;
    }
    bool finalMayPass() const {
        for (auto& c : kControls) {
            if (!complete(c) || !conclusionFinal(c) || !preparerCurrent.at(c) || !reviewerCurrent.at(c)) return false;
            for (auto& l : kLetters)
                if (counts(c, l).first > 0 && !concluded(exceptions.at({c, l}))) return false;
        }
        if (!choice || !choiceCurrent || proposedAtChoice != opinion()) return false;
        if (release && *release < reportDate) return false;
        return reportSigned;
    }
    // Something the report follows changed: decisions made before it are no longer current.
    void basisChanged() { choiceCurrent = reportSigned = false; }
    void contentChanged(const std::string& c) {
        preparerCurrent[c] = reviewerCurrent[c] = false;
        basisChanged();
    }
};

fs::path fastFolder() { return fs::is_directory("/dev/shm") ? fs::path("/dev/shm") : fs::temp_directory_path(); }

struct Sequence {
    Template& t;
    std::mt19937_64 rng;
    TempDir d{fastFolder()};
    Engagement e;
    Model m;
    std::ostringstream log;
    int matrixFile = 0;

    Sequence(Template& tmpl, std::uint64_t seed) : t(tmpl), rng(seed), e(open(tmpl, d)) {
        for (int s = 0; s < 2; ++s)
            for (auto& c : kControls)
                for (auto& it : loadSample(e, t.selections[c][static_cast<std::size_t>(s)]).items) m.items[s][c].push_back(it.key);
        for (auto& c : kControls) m.pointedAt[c] = 0, m.preparerCurrent[c] = m.reviewerCurrent[c] = false;
        m.reportDate = *parseIsoDate(reportSettings(e)["report_date"]);
    }
    static Engagement open(Template& tmpl, TempDir& d) {
        fs::copy_file(tmpl.file, d / "e.tickmark");
        return Engagement::open(d / "e.tickmark");
    }
    int pick(int n) { return std::uniform_int_distribution<int>(0, n - 1)(rng); }
    const std::string& control() { return kControls[static_cast<std::size_t>(pick(2))]; }

    void step() {
        switch (pick(13)) {
            case 0: case 1: record(); break;
            case 2: complete(); break;
            case 3: case 4: conclude(); break;
            case 5: reimport(); break;
            case 6: repoint(); break;
            case 7: markNotApplicable(); break;
            case 8: choose(); break;
            case 9: case 10: sign(); break;
            case 11: signReport(); break;
            case 12: releaseReport(); break;
        }
    }
    void record() {
        auto c = control();
        auto keys = m.keysOf(c);
        std::vector<ResultInput> batch;
        bool changed = false;
        for (int n = 1 + pick(4); n > 0; --n) {
            auto i = static_cast<std::size_t>(pick(static_cast<int>(keys.size())));
            auto l = kLetters[static_cast<std::size_t>(pick(2))];
            std::string outcome = pick(5) == 0 ? "deviation" : "pass";
            batch.push_back({c, static_cast<std::int64_t>(i + 1), l, outcome, "", "", ""});
            auto& slot = m.results[{c, keys[i].first, keys[i].second, l}];
            changed |= slot != outcome;
            slot = outcome;
            if (outcome == "deviation" && !m.exceptions.count({c, l})) m.exceptions[{c, l}] = {}, changed = true;
        }
        log << "record " << c << " x" << batch.size() << "; ";
        recordResults(e, *t.preparer, batch);
        if (changed) m.contentChanged(c);
    }
    // Every result still missing on a control, as a pass: sequences can then reach a final report.
    void complete() { fillMissing(control()); }
    void fillMissing(const std::string& c) {
        auto keys = m.keysOf(c);
        std::vector<ResultInput> batch;
        for (std::size_t i = 0; i < keys.size(); ++i)
            for (auto& l : kLetters)
                if (!m.results.count({c, keys[i].first, keys[i].second, l})) {
                    batch.push_back({c, static_cast<std::int64_t>(i + 1), l, "pass", "", "", ""});
                    m.results[{c, keys[i].first, keys[i].second, l}] = "pass";
                }
        log << "complete " << c << " x" << batch.size() << "; ";
        if (batch.empty()) return;
        recordResults(e, *t.preparer, batch);
        m.contentChanged(c);
    }
    void conclude() {
        if (m.exceptions.empty()) return;
        auto it = m.exceptions.begin();
        std::advance(it, pick(static_cast<int>(m.exceptions.size())));
        auto [c, l] = it->first;
        auto& x = it->second;
        std::int64_t exceptionId = 0;
        for (auto& v : listExceptions(e, c))
            if (v.letter == l) exceptionId = v.id;
        REQUIRE(exceptionId != 0);
        bool changed = false;
        switch (pick(3)) {
            case 0: {  // the criteria: a few, or a pervasive handful
                std::set<std::string> crit;
                for (int n = pick(3) == 0 ? 9 : pick(3); n > 0; --n) crit.insert(kCC[static_cast<std::size_t>(pick(33))]);
                std::string list;
                for (auto& id : crit) list += (list.empty() ? "" : ",") + id;
                updateException(e, *t.preparer, exceptionId, "criteria", list);
                changed = crit != x.criteria;
                x.criteria = crit;
                log << "criteria " << c << l << "=" << list << "; ";
                break;
            }
            case 1: {
                bool met = pick(2);
                updateException(e, *t.preparer, exceptionId, "criteria-met", met ? "yes" : "no");
                changed = x.met != met;
                x.met = met;
                log << "met " << c << l << "=" << met << "; ";
                break;
            }
            case 2: {
                std::string text = pick(2) ? "Isolated." : "Systemic.";
                updateException(e, *t.preparer, exceptionId, "conclusion", text);
                changed = x.conclusion != text;
                x.conclusion = text;
                log << "conclusion " << c << l << "; ";
                break;
            }
        }
        if (changed) m.contentChanged(c);
    }
    void reimport() {
        auto next = matrixVariant(pick(3));
        ControlImportRequest r;
        r.file = write(d / ("m" + std::to_string(++matrixFile) + ".csv"), matrixCsv(next));
        importControls(e, *t.preparer, r);
        for (auto& c : kControls)
            if (next[c] != m.matrix[c]) m.contentChanged(c);
        m.basisChanged();  // the import itself is in the trail of the engagement
        m.matrix = next;
        log << "reimport; ";
    }
    void repoint() {
        auto c = control();
        int to = 1 - m.pointedAt[c];
        defineTest(e, *t.preparer, {c, {"inspection"}, "Inspected.", t.selections[c][static_cast<std::size_t>(to)], {{"A", "First"}, {"B", "Second"}}, ""});
        m.pointedAt[c] = to;
        m.contentChanged(c);
        log << "repoint " << c << " to " << to << "; ";
    }
    void markNotApplicable() {
        const std::string id = kCC[static_cast<std::size_t>(27 + pick(6))];  // CC7.3 .. CC9.2
        const bool undo = m.notApplicable.count(id) > 0;
        markCriterion(e, *t.partner, id, CriterionStatus::NotApplicable, "not relevant to the system", undo);
        undo ? (void)m.notApplicable.erase(id) : (void)m.notApplicable.insert(id);
        m.basisChanged();
        log << (undo ? "undo n/a " : "n/a ") << id << "; ";
    }
    void choose() {
        const std::string proposed = m.opinion();
        const bool differ = pick(4) == 0;
        const std::string chosen = differ ? (proposed == "qualified" ? "unmodified" : "qualified") : proposed;
        chooseOpinion(e, *t.partner, chosen, differ ? "the partner's judgement" : "");
        m.basisChanged();
        m.choice = chosen;
        m.proposedAtChoice = proposed;
        m.choiceCurrent = true;
        log << "choose " << chosen << "; ";
    }
    void sign() {
        auto c = control();
        if (!m.preparerCurrent[c] || pick(3) == 0) {
            signOff(e, *t.preparer, testWorkpaper(c), "preparer");
            m.preparerCurrent[c] = true;
            log << "prepare " << c << "; ";
        } else {
            signOff(e, *t.reviewer, testWorkpaper(c), "reviewer");
            m.reviewerCurrent[c] = true;
            log << "review " << c << "; ";
        }
    }
    void signReport() {
        const bool allowed = m.choice && m.choiceCurrent && m.proposedAtChoice == m.opinion();
        log << "sign report (" << (allowed ? "allowed" : "refused") << "); ";
        if (allowed) {
            signOff(e, *t.partner, "report", "partner");
            m.reportSigned = true;
        } else {
            CHECK_THROWS_AS(signOff(e, *t.partner, "report", "partner"), InputError);
        }
    }
    void releaseReport() {
        Date when = dateFromDays(daysSinceEpoch(m.reportDate) + pick(3) - 1);  // the day before, of, or after
        recordRelease(e, *t.partner, when);
        m.release = when;
        log << "release " << isoString(when) << "; ";
    }

    // The team closes the file: every result, every exception concluded, both sign-offs, the
    // proposed opinion, the partner's sign-off, the release on the report date.
    void close() {
        log << "| close: ";
        for (auto& c : kControls) {
            fillMissing(c);
            check();
            for (auto& [key, x] : m.exceptions) {
                if (key.first != c || m.concluded(x)) continue;
                for (auto& v : listExceptions(e, c)) {
                    if (v.letter != key.second) continue;
                    if (x.conclusion.empty()) updateException(e, *t.preparer, v.id, "conclusion", "Concluded."), x.conclusion = "Concluded.";
                    if (!x.met) {
                        const bool met = pick(2);
                        updateException(e, *t.preparer, v.id, "criteria-met", met ? "yes" : "no");
                        x.met = met;
                    }
                    if (!*x.met && x.criteria.empty()) updateException(e, *t.preparer, v.id, "criteria", "CC8.1"), x.criteria = {"CC8.1"};
                    m.contentChanged(c);
                }
                check();
            }
        }
        for (auto& c : kControls) {
            signOff(e, *t.preparer, testWorkpaper(c), "preparer");
            signOff(e, *t.reviewer, testWorkpaper(c), "reviewer");
            m.preparerCurrent[c] = m.reviewerCurrent[c] = true;
            check();
        }
        const std::string proposed = m.opinion();
        chooseOpinion(e, *t.partner, proposed, "");
        m.basisChanged();
        m.choice = m.proposedAtChoice = proposed;
        m.choiceCurrent = true;
        check();
        signReport();
        check();
        recordRelease(e, *t.partner, m.reportDate);
        m.release = m.reportDate;
        check();
        REQUIRE(m.finalMayPass());
    }

    void check() {
        INFO(log.str());
        auto p = proposeOpinion(e);
        std::set<std::string> notMet, notAddressed;
        for (auto* c : p.with(Standing::NotMet)) notMet.insert(c->id);
        for (auto* c : p.with(Standing::NotAddressed)) notAddressed.insert(c->id);
        REQUIRE(notMet == m.notMet());
        REQUIRE(notAddressed == m.notAddressed());
        REQUIRE(toString(p.opinion) == m.opinion());
        auto gates = issuanceGates(e, p);
        std::string open;
        for (auto& g : gates)
            if (!g.met) open += g.name + ": " + g.detail + "\n";
        INFO(open);
        REQUIRE(allMet(gates) == m.finalMayPass());
        for (auto& c : kControls) {
            auto v = loadTest(e, c);
            auto keys = m.keysOf(c);
            for (auto& r : loadResults(e, c)) {
                const auto& item = v.items.at(static_cast<std::size_t>(r.position - 1));
                REQUIRE(r.itemKey == item.key);
                REQUIRE(r.itemKey == keys.at(static_cast<std::size_t>(r.position - 1)).first);
                REQUIRE(r.occurrence == item.occurrence);
                REQUIRE(m.results.at({c, r.itemKey, static_cast<int>(r.occurrence), r.letter}) == r.outcome);
            }
        }
    }
};

}  // namespace

TEST_CASE("model: after every step of random sequences, the proposal, --final and each result's item match an independent model") {
    Template t;
    const int sequences = 1000, steps = 14;
    int finals = 0, adverse = 0, qualified = 0, staleAfterFinal = 0;
    for (int s = 0; s < sequences; ++s) {
        Sequence q(t, 0x9e3779b97f4a7c15ULL * static_cast<std::uint64_t>(s + 1));
        INFO("sequence " << s);
        for (int k = 0; k < steps; ++k) {
            q.step();
            q.check();
        }
        adverse += q.m.opinion() == "adverse";
        qualified += q.m.opinion() == "qualified";
        if (s % 2 == 0) {  // half the sequences close the file, then take a few more random steps
            q.close();
            ++finals;
            for (int k = 0; k < 3; ++k) {
                q.step();
                q.check();
            }
            staleAfterFinal += !q.m.finalMayPass();
        }
        if (s % 5 == 0) {
            // Every write went through the program: nothing reads as changed outside it, every seal and
            // sign-off verifies (no write may leave a workpaper in a state its seal did not record).
            auto proof = proof::verifyProof(q.e);
            std::string all;
            for (auto& f : proof.all()) all += f + "\n";
            INFO(all);
            REQUIRE(proof.clean());
        }
    }
    // The sequences reach the states that matter, not only the easy ones.
    CHECK(adverse > 0);
    CHECK(qualified > 0);
    CHECK(staleAfterFinal > 0);
    WARN("model: " << sequences << " sequences x " << steps << " steps; ended adverse " << adverse << ", qualified " << qualified
                   << "; closed " << finals << ", of which " << staleAfterFinal << " no longer final after three more steps");
}

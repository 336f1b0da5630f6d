// Eight auditors at once on one engagement (issue 14, "Must show"): eight programs (processes), each
// signed in as its own member, make 200 writes each (results, evidence, review notes and their
// responses and clearing, sign-offs) at the same time. Every write either commits whole or is refused
// by a rule with its reason (a note cleared by someone else meanwhile, a sign-off whose preparer
// sign-off went stale): never lost, never half-made, never a storage error. Each program keeps a log of
// what it committed; the engagement is then checked against those logs, and the trail and every
// seal verify. Tagged [engines]: ctest runs it on a file and on the private server.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <set>

#include "support.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/proof/seal.h"

using namespace tickmark;
using namespace testsupport;

namespace {

struct Member {
    std::string name, initials, password;
    bool reviewer;
};

struct Cell {
    std::string control;
    std::int64_t position;
    std::string letter, outcome, naReason;
};

constexpr int kWrites = 200;

// One auditor's 200 writes; each committed one is logged as a line, each refused one with its reason.
void work(const std::string& at, const Member& m, int index, const std::vector<Cell>& cells, std::int64_t sharedNote,
          const fs::path& evidenceDir, std::ofstream& log) {
    auto e = Engagement::open(at);
    const Actor a = authenticate(e, m.initials, m.password);
    std::vector<std::int64_t> myNotes;
    for (int i = 0; i < kWrites; ++i) {
        const std::string tag = m.initials + "-" + std::to_string(i);
        try {
            if (!m.reviewer) {
                const Cell& c = cells[static_cast<std::size_t>(i) % cells.size()];
                if (i % 10 == 7) {
                    const fs::path f = write(evidenceDir / (tag + ".txt"), "evidence " + tag + "\n");
                    attachEvidence(e, a, {testWorkpaper(c.control), c.position, c.letter}, f);
                    log << "evidence " << tag << ".txt\n";
                } else if (i % 10 == 8) {
                    std::optional<NoteView> open;
                    for (auto& n : listNotes(e))
                        if (n.open() && !n.response && n.id != sharedNote) open = n;
                    if (!open) continue;
                    respondToNote(e, a, open->id, "answered " + tag, open->version);
                    log << "respond " << open->id << " answered " << tag << "\n";
                } else if (i % 10 == 9) {
                    signOff(e, a, testWorkpaper(c.control), "preparer");
                    log << "signoff " << testWorkpaper(c.control) << " preparer\n";
                } else {
                    ResultInput r{c.control, c.position, c.letter, c.outcome, c.naReason, "checked " + tag, ""};
                    recordResults(e, a, {r});
                    log << "result " << c.control << " " << c.position << " " << c.letter << " checked " << tag << "\n";
                }
            } else {
                const Cell& c = cells[static_cast<std::size_t>(i * 7 + index) % cells.size()];
                if (i == 100) {  // the four reviewers clear the same note at once: one does
                    std::int64_t version = 0;
                    for (auto& n : listNotes(e))
                        if (n.id == sharedNote) version = n.version;
                    clearNote(e, a, sharedNote, version);
                    log << "clear " << sharedNote << "\n";
                } else if (i % 4 == 1 && !myNotes.empty()) {
                    clearNote(e, a, myNotes.front());
                    log << "clear " << myNotes.front() << "\n";
                    myNotes.erase(myNotes.begin());
                } else if (i % 4 == 2) {
                    signOff(e, a, testWorkpaper(c.control), "reviewer");
                    log << "signoff " << testWorkpaper(c.control) << " reviewer\n";
                } else {
                    const auto id = raiseNote(e, a, testWorkpaper(c.control), "", "question " + tag);
                    myNotes.push_back(id);
                    log << "note " << id << " question " << tag << "\n";
                }
            }
        } catch (const InputError& x) {
            log << "refused " << x.what() << "\n";
        } catch (const std::exception& x) {
            log << "error " << x.what() << "\n";
        }
        log.flush();
    }
}

}  // namespace

TEST_CASE("eight auditors write at once: nothing lost, conflicts refused with their reason, the trail verifies", "[engines]") {
    TempDir d;
    const std::string at = cliDemo(d);
    const std::vector<Member> members{
        {"Priya Raman", "PR", "prepare-2026", false},   {"Jordan Ellis", "JE", "staff-2026", false},
        {"Ana Preparer", "AP", "ana-prepares-1", false}, {"Bo Preparer", "BP", "bo-prepares-1", false},
        {"Marcus Lee", "ML", "review-2026", true},       {"Dana Whitfield", "DW", "partner-2026", true},
        {"Cy Reviewer", "CR", "cy-reviews-1", true},     {"Di Reviewer", "DR", "di-reviews-1", true}};
    std::vector<Cell> cells[4];
    std::int64_t sharedNote = 0, headBefore = 0;
    std::size_t evidenceBefore = 0;
    {
        auto e = Engagement::open(at);
        const Actor dw = authenticate(e, "DW", "partner-2026");
        for (auto& m : members)
            if (m.password.find("-2026") == std::string::npos)
                addPerson(e, dw, m.name, m.initials, {m.reviewer ? "reviewer" : "preparer"}, m.password);
        // The cells each preparer keeps to (disjoint: the last comment of each is known), as recorded now.
        int k = 0;
        for (auto& t : listTests(e)) {
            if (t.designOnly) continue;
            for (auto& r : loadResults(e, t.control))
                if (r.position > 0) cells[k++ % 4].push_back({t.control, r.position, r.letter, r.outcome, r.naReason});
        }
        REQUIRE(cells[3].size() >= 20);
        const Actor ml = authenticate(e, "ML", "review-2026");
        sharedNote = raiseNote(e, ml, testWorkpaper(cells[0][0].control), "", "the note all four reviewers clear");
        respondToNote(e, authenticate(e, "PR", "prepare-2026"), sharedNote, "done");
        headBefore = trailHead(e);
        evidenceBefore = listEvidence(e).size();
    }

    // Eight programs, started together.
    std::vector<pid_t> children;
    int go[2];
    REQUIRE(::pipe(go) == 0);
    for (int i = 0; i < 8; ++i) {
        const pid_t pid = ::fork();
        REQUIRE(pid >= 0);
        if (pid == 0) {
            ::close(go[1]);
            char c;
            (void)!::read(go[0], &c, 1);  // returns when the parent closes its end: all start at once
            std::ofstream log(d / ("log-" + std::to_string(i)));
            try {
                work(at, members[static_cast<std::size_t>(i)], i, cells[i % 4], sharedNote, d.path(), log);
            } catch (const std::exception& x) {
                log << "error " << x.what() << "\n";
            }
            log.close();
            ::_exit(0);
        }
        children.push_back(pid);
    }
    ::close(go[0]);
    ::close(go[1]);
    for (auto pid : children) {
        int status = 0;
        ::waitpid(pid, &status, 0);
        CHECK(WIFEXITED(status));
    }

    // What the programs say they committed, against what the engagement holds.
    std::map<std::string, std::string> lastComment;  // control position letter -> comment
    std::map<std::int64_t, std::string> notes, responses;
    std::multiset<std::string> signoffs;
    std::set<std::string> evidence;
    std::int64_t committed = 0, refused = 0, clearsOfShared = 0;
    std::set<std::int64_t> cleared;
    std::vector<std::string> errors, reasons;
    for (int i = 0; i < 8; ++i) {
        std::ifstream in(d / ("log-" + std::to_string(i)));
        std::string kind;
        while (in >> kind) {
            std::string rest;
            std::getline(in, rest);
            if (!rest.empty() && rest[0] == ' ') rest.erase(0, 1);
            std::istringstream s(rest);
            if (kind == "error") {
                errors.push_back(members[static_cast<std::size_t>(i)].initials + ": " + rest);
                continue;
            }
            if (kind == "refused") {
                ++refused;
                reasons.push_back(rest);
                continue;
            }
            ++committed;
            if (kind == "result") {
                std::string control, letter, comment;
                std::int64_t pos;
                s >> control >> pos >> letter;
                std::getline(s, comment);
                lastComment[control + " " + std::to_string(pos) + " " + letter] = comment.substr(1);
            } else if (kind == "note") {
                std::int64_t id;
                std::string text;
                s >> id;
                std::getline(s, text);
                notes[id] = text.substr(1);
            } else if (kind == "respond") {
                std::int64_t id;
                std::string text;
                s >> id;
                std::getline(s, text);
                responses[id] = text.substr(1);
            } else if (kind == "clear") {
                std::int64_t id;
                s >> id;
                CHECK(cleared.insert(id).second);  // no note is cleared twice
                clearsOfShared += id == sharedNote;
            } else if (kind == "signoff") {
                signoffs.insert(rest);
            } else if (kind == "evidence") {
                evidence.insert(rest);
            }
        }
    }
    INFO("unexpected errors: " << errors.size() << (errors.empty() ? "" : " first: " + errors.front()));
    CHECK(errors.empty());
    CHECK(committed + refused <= 8 * kWrites);  // a preparer with no note to answer skips that turn
    CHECK(committed > 1000);
    CHECK(clearsOfShared == 1);  // four reviewers at once: one clears, three are told it was cleared
    for (auto& r : reasons) {
        INFO(r);
        // "... after you read it; nothing was saved": a note answered or cleared by another member meanwhile.
        const bool known = r.find("after you read it; nothing was saved") != std::string::npos || r.find("was cleared by") != std::string::npos || r.find("is already cleared") != std::string::npos ||
                           r.find("no current preparer sign-off") != std::string::npos ||
                           r.find("open review note") != std::string::npos || r.find("segregation of duties") != std::string::npos;
        CHECK(known);
    }

    auto e = Engagement::open(at);
    for (auto& [cell, comment] : lastComment) {
        std::istringstream s(cell);
        std::string control, letter;
        std::int64_t pos;
        s >> control >> pos >> letter;
        bool found = false;
        for (auto& r : loadResults(e, control))
            if (r.position == pos && r.letter == letter) found = r.comment == comment;
        INFO(cell);
        CHECK(found);
    }
    std::int64_t notesFound = 0;
    for (auto& n : listNotes(e)) {
        if (notes.count(n.id)) {
            ++notesFound;
            CHECK(n.text == notes[n.id]);
            CHECK(n.open() == !cleared.count(n.id));
            if (responses.count(n.id)) CHECK(n.response.value_or("") == responses[n.id]);
        }
    }
    CHECK(notesFound == static_cast<std::int64_t>(notes.size()));
    CHECK_FALSE(listNotes(e, testWorkpaper(cells[0][0].control)).empty());
    std::multiset<std::string> signedNow;
    for (auto& s : listSignOffs(e))
        if (s.trailSeq > headBefore) signedNow.insert(s.workpaper + " " + s.role);
    CHECK(signedNow == signoffs);
    std::set<std::string> evidenceNow;
    for (auto& v : listEvidence(e))
        if (evidence.count(v.originalName)) evidenceNow.insert(v.originalName);
    CHECK(evidenceNow == evidence);
    CHECK(listEvidence(e).size() == evidenceBefore + evidence.size());
    // One trail entry per committed write, in one chain, each write sealed by its member.
    CHECK(trailHead(e) - headBefore == committed);
    auto t = verifyTrail(e);
    CHECK(t.intact);
    CHECK(proof::verifyProof(e).all().empty());
}

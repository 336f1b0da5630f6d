#include "app/presenters/test_grid.h"

#include <set>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"

namespace tickmark::desk {

namespace {
const char* outcomeName(TestGrid::Outcome o) {
    switch (o) {
        case TestGrid::Outcome::Pass: return "pass";
        case TestGrid::Outcome::Deviation: return "deviation";
        case TestGrid::Outcome::NotApplicable: return "na";
        default: return "";
    }
}
// The mark an outcome gets when none was chosen from the palette.
std::string defaultMark(const std::string& outcome) { return outcome == "pass" ? "✓" : outcome == "deviation" ? "⊗" : "N/A"; }
bool isDefaultMark(const std::string& mark) { return mark.empty() || mark == "✓" || mark == "⊗" || mark == "N/A"; }
std::string plural(std::size_t n, const char* what) { return std::to_string(n) + " " + what + (n == 1 ? "" : "s"); }
}  // namespace

TestGrid::TestGrid(Engagement& e, std::string control) : e_(e), control_(std::move(control)) { reload(); }

void TestGrid::reload() {
    seen_ = trailHead(e_);  // first: a change made while loading is then taken for one made after (refused, never lost)
    test_ = loadTest(e_, control_);
    results_ = loadResults(e_, control_);
    openNotes_.clear();
    for (auto& n : listNotes(e_, testWorkpaper(control_)))
        if (n.open() && !n.subject.empty()) ++openNotes_[n.subject];
}

void TestGrid::write(const std::function<void()>& f) {
    try {
        f();
    } catch (const ConflictError&) {
        reload();
        throw;
    }
}

std::string TestGrid::resultSubject(std::int64_t position, const std::string& letter) {
    return "item " + std::to_string(position) + ", attribute " + letter;
}

std::string TestGrid::subject(int row, int col) const {
    if (row < 0 || row >= rows() || col < 1 || col >= columns()) return "";
    return resultSubject(test_.items[static_cast<std::size_t>(row)].position, test_.attributes[static_cast<std::size_t>(col - 1)].first);
}

int TestGrid::openNotes(int row, int col) const {
    auto it = openNotes_.find(subject(row, col));
    return it == openNotes_.end() ? 0 : it->second;
}

std::string TestGrid::columnLabel(int col) const {
    if (col == 0) return "Item";
    auto& a = test_.attributes.at(static_cast<std::size_t>(col - 1));
    return a.first + ": " + a.second;
}

const ResultView* TestGrid::find(int row, int col) const {
    if (row < 0 || row >= rows() || col < 1 || col >= columns()) return nullptr;
    const auto position = test_.items[static_cast<std::size_t>(row)].position;
    const std::string& letter = test_.attributes[static_cast<std::size_t>(col - 1)].first;
    for (auto& r : results_)
        if (r.position == position && r.letter == letter) return &r;
    return nullptr;
}

std::string TestGrid::cell(int row, int col) const {
    if (col == 0) {
        const auto& item = test_.items.at(static_cast<std::size_t>(row));
        return std::to_string(item.position) + "  " + item.key;
    }
    const int notes = openNotes(row, col);
    const std::string flag = notes ? "✎" + (notes > 1 ? std::to_string(notes) : std::string()) + " " : "";
    const auto* r = find(row, col);
    if (!r) return flag;
    // "N/A" says it all for a result not applicable; any other mark is followed by the outcome.
    const std::string word = r->outcome == "na" ? (r->tickMark == "N/A" ? "" : "n/a") : r->outcome;
    const std::string text = r->tickMark + (r->tickMark.empty() || word.empty() ? "" : " ") + word;
    return flag + text + (r->comment.empty() ? "" : " — " + r->comment);
}

TestGrid::Outcome TestGrid::outcome(int row, int col) const {
    const auto* r = find(row, col);
    if (!r) return Outcome::None;
    return r->outcome == "pass" ? Outcome::Pass : r->outcome == "deviation" ? Outcome::Deviation : Outcome::NotApplicable;
}

std::string TestGrid::comment(int row, int col) const {
    const auto* r = find(row, col);
    return r ? r->comment : "";
}

std::string TestGrid::mark(int row, int col) const {
    const auto* r = find(row, col);
    return r ? r->tickMark : "";
}

std::string TestGrid::progressText() const {
    return std::to_string(test_.itemsDone) + " of " + std::to_string(test_.items.size()) + " items done, " +
           std::to_string(test_.recorded) + " of " + std::to_string(test_.expected) + " results, " +
           plural(static_cast<std::size_t>(test_.deviations), "deviation");
}

TestGrid::Before TestGrid::before(int row, int col) const {
    Before b{test_.items.at(static_cast<std::size_t>(row)).position, test_.attributes.at(static_cast<std::size_t>(col - 1)).first, std::nullopt, std::nullopt};
    if (const auto* r = find(row, col)) b.result = *r;
    return b;
}

void TestGrid::remember(std::vector<Before> entry, std::string what) {
    reload();
    if (entry.empty()) return;
    // What each cell holds now: an undo puts the cell back only if nobody changed it since.
    for (auto& b : entry)
        for (auto& r : results_)
            if (r.position == b.position && r.letter == b.letter) b.after = r;
    undo_.emplace_back(std::move(what), std::move(entry));
}

int TestGrid::fill(const Actor& a, const Cells& cells, Outcome outcome, const std::string& naReason) {
    if (outcome == Outcome::None) throw InputError("choose pass, deviation or not applicable");
    const std::string name = outcomeName(outcome);
    if (name == "na" && naReason.empty()) throw InputError("not applicable needs the reason why the attribute does not apply");
    std::vector<ResultInput> inputs;
    std::vector<Before> was;
    std::set<std::pair<int, int>> seen;
    for (auto [row, col] : cells) {
        if (col < 1 || row < 0 || row >= rows() || col >= columns() || !seen.emplace(row, col).second) continue;
        const auto* r = find(row, col);
        const std::string mark = r && !isDefaultMark(r->tickMark) ? r->tickMark : defaultMark(name);
        ResultInput in{control_, test_.items[static_cast<std::size_t>(row)].position, test_.attributes[static_cast<std::size_t>(col - 1)].first,
                       name, name == "na" ? naReason : "", r ? r->comment : "", mark};
        if (r && r->outcome == in.outcome && r->naReason == in.naReason && r->tickMark == in.tickMark) continue;  // already so
        was.push_back(before(row, col));
        inputs.push_back(std::move(in));
    }
    if (inputs.empty()) return 0;
    write([&] { recordResults(e_, a, inputs, "", seen_); });
    lastException_.reset();
    if (outcome == Outcome::Deviation)
        for (auto& x : listExceptions(e_, control_))
            if (x.letter == inputs.back().letter) lastException_ = x.id;
    const auto n = inputs.size();
    remember(std::move(was), plural(n, "result") + " recorded as " + (name == "na" ? "not applicable" : name));
    return static_cast<int>(n);
}

int TestGrid::clear(const Actor& a, const Cells& cells) {
    std::vector<Before> was;
    std::set<std::pair<int, int>> seen;
    for (auto [row, col] : cells)
        if (seen.emplace(row, col).second && find(row, col)) was.push_back(before(row, col));
    if (was.empty()) throw InputError("the cells chosen hold no result to withdraw");
    std::vector<std::pair<std::int64_t, std::string>> which;
    for (auto& b : was) which.emplace_back(b.position, b.letter);
    write([&] { withdrawResults(e_, a, control_, which, "", seen_); });
    const auto n = was.size();
    remember(std::move(was), plural(n, "result") + " withdrawn");
    return static_cast<int>(n);
}

void TestGrid::annotate(const Actor& a, int row, int col, const std::string& comment, const std::string& tickMark) {
    const auto* r = find(row, col);
    if (col < 1 || row < 0 || row >= rows()) throw InputError("choose a result cell (an attribute column) first");
    if (!r) throw InputError("record the result (P, D or N) before commenting on it");
    if (r->comment == comment && r->tickMark == tickMark) return;
    auto was = before(row, col);
    const ResultInput in{control_, r->position, r->letter, r->outcome, r->naReason, comment, tickMark};
    write([&] { recordResults(e_, a, {in}, "", seen_); });
    remember({was}, "comment on " + std::to_string(was.position) + was.letter);
}

int TestGrid::markCells(const Actor& a, const Cells& cells, const std::string& tickMark) {
    std::vector<ResultInput> inputs;
    std::vector<Before> was;
    std::set<std::pair<int, int>> seen;
    for (auto [row, col] : cells) {
        const auto* r = find(row, col);
        if (!r || !seen.emplace(row, col).second || r->tickMark == tickMark) continue;
        was.push_back(before(row, col));
        inputs.push_back({control_, r->position, r->letter, r->outcome, r->naReason, r->comment, tickMark});
    }
    if (inputs.empty()) {
        if (seen.empty()) throw InputError("record the results (P, D or N) before marking them");
        return 0;
    }
    write([&] { recordResults(e_, a, inputs, "", seen_); });
    const auto n = inputs.size();
    remember(std::move(was), plural(n, "result") + " marked " + tickMark);
    return static_cast<int>(n);
}

std::string TestGrid::undo(const Actor& a) {
    if (undo_.empty()) throw InputError("nothing to undo: no entry was made in this workpaper since it was opened");
    auto [what, cells] = undo_.back();
    reload();
    auto same = [](const std::optional<ResultView>& a, const ResultView* b) {
        if (!a || !b) return !a && !b;
        return a->outcome == b->outcome && a->naReason == b->naReason && a->comment == b->comment && a->tickMark == b->tickMark;
    };
    for (auto& b : cells) {
        const ResultView* now = nullptr;
        for (auto& r : results_)
            if (r.position == b.position && r.letter == b.letter) now = &r;
        if (!same(b.after, now)) {
            undo_.pop_back();  // that entry can no longer be taken back as a whole
            throw InputError("cannot undo \"" + what + "\": item " + std::to_string(b.position) + ", attribute " + b.letter +
                             " was changed since" + (now ? " by " + now->recordedBy : std::string()) +
                             "; change it by hand if it must go back");
        }
    }
    // What was recorded before goes back in one transaction; what was not recorded is withdrawn.
    std::vector<ResultInput> back;
    for (auto& b : cells)
        if (b.result)
            back.push_back({control_, b.position, b.letter, b.result->outcome, b.result->naReason, b.result->comment, b.result->tickMark});
    std::vector<std::pair<std::int64_t, std::string>> withdraw;
    for (auto& b : cells)
        if (!b.result)
            for (auto& r : results_)
                if (r.position == b.position && r.letter == b.letter) withdraw.emplace_back(b.position, b.letter);
    write([&] {
        UnitOfWork tx(e_, a);  // put back and taken back together: one transaction, each call a savepoint in it
        recordResults(e_, a, back, "", seen_);  // and refused if a cell changed after the check above
        withdrawResults(e_, a, control_, withdraw, "", seen_);
        tx.commit();
    });
    undo_.pop_back();
    reload();
    return "Undid: " + what;
}

std::pair<int, int> TestGrid::nextCell(int row, int col) const {
    if (row + 1 < rows()) return {row + 1, col};
    if (col + 1 < columns()) return {0, col + 1};
    return {row, col};
}

std::vector<TickMark> TestGrid::legend() const { return tickMarkLegend(e_); }


}  // namespace tickmark::desk

#include "app/presenters/finder.h"

#include "app/presenters/text_match.h"

#include <cctype>
#include <string_view>

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/samples.h"

namespace tickmark::desk {

FindResult findInEngagement(Engagement& e, const std::string& text, std::size_t limit, Progress* progress) {
    FindResult r;
    const std::string needle = foldCase(text);
    if (needle.empty()) return r;
    auto has = [&](std::string_view hay) { return containsFolded(hay, needle); };
    auto add = [&](Found f) {
        if (r.found.size() >= limit) return r.truncated = true, false;
        r.found.push_back(std::move(f));
        return true;
    };
    for (auto& c : listControls(e))
        if (has(c.ref) || has(c.description)) add({Found::Kind::Control, c.ref + "  " + c.description, "test:" + c.ref});
    for (auto& n : listNotes(e))
        if (has(n.text) || has(n.subject) || (n.response && has(*n.response)))
            add({Found::Kind::Note, "Note " + std::to_string(n.id) + " on " + n.workpaper + ": " + n.text, n.workpaper});
    for (auto& x : listExceptions(e))
        if (has(x.description) || has(x.cause) || has(x.managementResponse) || has(x.auditorConclusion))
            add({Found::Kind::Exception, "Exception " + x.control + " " + x.letter + ": " + x.description, "test:" + x.control});
    for (auto& s : listSamples(e)) {
        auto full = loadSample(e, s.id);
        for (auto& it : full.items)
            if (has(it.key))
                add({Found::Kind::SelectionItem, it.key + " (selection " + std::to_string(s.id) + " for " + s.control + ", item " +
                                                     std::to_string(it.position) + ")",
                     "sample:" + std::to_string(s.id)});
    }
    // Population keys last: the long part, with progress over every record of every population.
    auto pops = listPopulations(e);
    std::uint64_t total = 0, done = 0;
    for (auto& p : pops) total += static_cast<std::uint64_t>(p.rows);
    for (auto& p : pops) {
        PopulationItems items(e, p.id);
        const auto key = items.keyColumn();
        for (std::int64_t row = 1; row <= items.rows(); ++row, ++done) {
            const auto& it = items.at(row);
            if (key < it.cells.size() && has(it.cells[key]))
                if (!add({Found::Kind::PopulationRecord, std::string(it.cells[key]) + " (population " + std::to_string(p.id) + " for " + p.control +
                                                             ", row " + std::to_string(row) + ")",
                          "population:" + std::to_string(p.id), row}))
                    return r;
            if (progress && done % 65536 == 0) {
                progress->update(done, total);
                if (progress->cancelled()) throw Cancelled();
            }
        }
    }
    return r;
}

}  // namespace tickmark::desk

#include "workpapers/rules/status.h"

#include <optional>
#include <set>

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"

namespace tickmark {

const char* statusLabel(WorkpaperStatus s) {
    switch (s) {
        case WorkpaperStatus::NotStarted: return "not started";
        case WorkpaperStatus::InProgress: return "in progress";
        case WorkpaperStatus::Prepared: return "prepared";
        case WorkpaperStatus::Reviewed: return "reviewed";
        case WorkpaperStatus::Stale: return "stale sign-off";
        case WorkpaperStatus::OpenNotes: return "open notes";
        case WorkpaperStatus::Exceptions: return "exceptions";
    }
    return "";
}

std::map<std::string, WorkpaperStatus> controlStatuses(Engagement& e) {
    auto signed_ = signOffStates(listSignOffs(e));
    std::set<std::string> openNotes, withExceptions;
    for (auto& n : listNotes(e))
        if (n.open()) openNotes.insert(n.workpaper);
    for (auto& x : listExceptions(e))
        if (x.deviations > 0) withExceptions.insert(x.control);
    std::map<std::string, WorkpaperStatus> out;
    for (auto& c : listControls(e)) {
        const std::string wp = testWorkpaper(c.ref);
        std::optional<TestView> t;
        try {
            t = loadTest(e, c.ref);
        } catch (const InputError&) {
            out[c.ref] = WorkpaperStatus::NotStarted;
            continue;
        }
        const SignOffState s = signed_[wp];
        WorkpaperStatus st;
        if (openNotes.count(wp)) st = WorkpaperStatus::OpenNotes;
        else if (s.anyStale && !s.preparedAndReviewed()) st = WorkpaperStatus::Stale;
        else if (s.preparedAndReviewed()) st = withExceptions.count(c.ref) ? WorkpaperStatus::Exceptions : WorkpaperStatus::Reviewed;
        else if (s.preparer) st = WorkpaperStatus::Prepared;
        else if (t->recorded == 0) st = WorkpaperStatus::NotStarted;
        else st = WorkpaperStatus::InProgress;
        out[c.ref] = st;
    }
    return out;
}

}  // namespace tickmark

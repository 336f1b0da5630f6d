#pragma once
// Long work off the GUI thread, Poedit's way: the work (a presenter or library call taking a Progress)
// runs on its own thread behind a progress dialog with Cancel, and the caller gets a callback on the
// GUI thread when it has ended. The event loop keeps running meanwhile (no waiting loop); the rest of
// the window is held modal, so nothing else touches the engagement while the work runs.
#include <wx/wx.h>

#include <exception>
#include <functional>

#include "workpapers/progress.h"

namespace tickmark::desk {

struct JobEnd {
    enum Kind { Done, Cancelled, Failed } kind = Done;
    std::exception_ptr error;      // Failed: what the work threw
    bool cancelRequested = false;  // Done with this set: the work ended before it saw the Cancel
    // Failed: rethrows (inside guarded() it becomes the usual message).
    void rethrow() const {
        if (error) std::rethrow_exception(error);
    }
};

// `done` runs on the GUI thread, once. `parent` must outlive the work (a dialog waits for its job).
void runInBackground(wxWindow* parent, const wxString& title, std::function<void(Progress&)> work,
                     std::function<void(const JobEnd&)> done);

// How many are running, and asking them all to stop (closing the window during an import).
int runningJobs();
void cancelRunningJobs();

}  // namespace tickmark::desk

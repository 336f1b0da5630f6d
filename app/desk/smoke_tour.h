#pragma once
// `tickmark-desk --smoke FILE [--screenshots DIR]`: visits every view and dialog of the window as a
// user would, one event-loop turn apart so each really paints, and writes one PNG per view named
// after it (dashboard.png, test-plan.png, exception.png, review-notes.png, ...), then the main views
// again at the minimum window size (dashboard-min.png, ...). Exits 0 when every step found what it
// looked for; otherwise prints the step and exits 1.
#include <wx/string.h>

#include <functional>

namespace tickmark::desk {

class MainFrame;

struct SmokeOptions {
    wxString file, shots, importFile;
    bool signedIn = false;
};

// `done(exitCode)` is called once, from the event loop.
void runSmokeTour(MainFrame* frame, SmokeOptions options, std::function<void(int)> done);

}  // namespace tickmark::desk

#pragma once
// The desk's half of the sharing scenario (tests/app/desk_sharing.sh): with the engagement open and
// a member signed in, the desk writes, then waits while the script opens and closes the File > Open
// dialog on the engagement's folder (GTK opens and closes the files it lists) and runs the CLI on
// the same file; when the script creates GO_FILE the desk writes again, checks it sees the CLI's
// write, and reports. Every line it prints starts with "sharing:".
#include <wx/string.h>

#include <functional>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

// `done(exitCode)` is called once, from the event loop: 0 when every step worked.
void runSharingSmoke(Engagement& engagement, const Actor& who, const wxString& goFile, std::function<void(int)> done);

}  // namespace tickmark::desk

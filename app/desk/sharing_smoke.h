#pragma once
// The desk's half of the sharing scenario (tests/app/desk_sharing.sh): with the engagement open and
// a member signed in, the desk writes "Desk write 1 (sharing scenario)", then follows the script
// through GO_FILE: when it holds a number N the desk writes "Desk write N (sharing scenario)";
// "dialog": the desk shows File > Open's dialog on the engagement's folder and closes it after
// 2.5 s; "end": the desk reports which scenario writes it sees and closes. Meanwhile the
// script opens and closes File > Open on the engagement's folder (GTK opens and closes the files
// it lists) and runs the CLI on the same file. Every line it prints starts with "sharing:".
#include <wx/string.h>

#include <functional>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark::desk {

// `done(exitCode)` is called once, from the event loop: 0 when every step worked.
void runSharingSmoke(Engagement& engagement, const Actor& who, const wxString& goFile, std::function<void(int)> done);

}  // namespace tickmark::desk

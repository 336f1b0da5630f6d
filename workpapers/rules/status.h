#pragma once
// The status of each control's test workpaper, as the navigator's dots and the fieldwork summary
// show it. One rule, in order: no test plan -> not started; open review notes; a sign-off gone stale
// (and not signed again by both); prepared and reviewed (with exceptions, when any deviation stands);
// prepared; no result yet -> not started; otherwise in progress.
#include <map>
#include <string>

#include "workpapers/engagement.h"

namespace tickmark {

enum class WorkpaperStatus { NotStarted, InProgress, Prepared, Reviewed, Stale, OpenNotes, Exceptions };
const char* statusLabel(WorkpaperStatus s);  // "not started", "in progress", ...

// Control id -> the status of its test workpaper, for every control in the matrix.
std::map<std::string, WorkpaperStatus> controlStatuses(Engagement& e);

}  // namespace tickmark

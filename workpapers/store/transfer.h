#pragma once
// An engagement copied between a file and a server, in either direction (`tickmark copy FROM TO`):
// started on a laptop, moved to the team's server, archived back to a file at lock. Record for record:
// every table, every value with its kind, the trail, the seals and the signatures as they are; the copy
// is then read back and must verify, and every workpaper must hash as it does in the original, or the
// copy is removed.
#include <cstdint>
#include <string>
#include <vector>

namespace tickmark {

class Engagement;
class Progress;

struct TransferReport {
    std::string to;            // as messages show it
    std::int64_t tables = 0, rows = 0;
    std::int64_t trailEntries = 0;
    std::vector<std::string> workpapers;  // each one hashing as in the original
};

// `to`: a new file (never overwritten) or a server URI whose database is new or empty. Progress counts
// rows; cancelling leaves nothing at `to` (on a server, its database empty).
TransferReport copyAcross(Engagement& from, const std::string& to, Progress* progress = nullptr);

}  // namespace tickmark

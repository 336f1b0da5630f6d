#pragma once
// Where a report came from: the trail's head when it was produced, the digest of what the report rests
// on, the engagement's root key and the keys of those who signed. The writers put it in the document's
// properties and on its last page; `tickmark audit verify ENG --report FILE` reads it back and says
// whether the report came from this file, and whether the file still stands as it did.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/trail.h"

namespace tickmark::proof {

struct ReportProvenance {
    std::int64_t trailSeq = 0;
    std::string trailHash;        // the head entry's hash
    std::string reportDigest;     // workpaperDigest(report).total: every input of the report
    std::string rootFingerprint;  // the engagement partner's key
    std::vector<std::string> signers;  // "Dana Whitfield (DW) 214d a3df ...": each member with a sign-off

    // As document properties, in this order: "Tickmark Trail Head" -> "1063 <hash>", ...
    std::vector<std::pair<std::string, std::string>> properties() const;
    // nullopt when the properties carry no trail head (not a Tickmark report, or one from before).
    static std::optional<ReportProvenance> fromProperties(const std::vector<std::pair<std::string, std::string>>& props);
    // For the last page: one sentence naming the head, the digest and the keys.
    std::string sentence() const;
};

ReportProvenance currentProvenance(Engagement& e);

struct ProvenanceCheck {
    bool fromThisFile = false;  // the trail holds the report's head entry, with the same hash, under the same root
    bool asItStands = false;    // and nothing the report rests on changed since
    std::vector<std::string> findings;  // what does not match, in words
    std::vector<TrailEntry> since;      // entries after the report's head
};
ProvenanceCheck checkProvenance(Engagement& e, const ReportProvenance& p);

}  // namespace tickmark::proof

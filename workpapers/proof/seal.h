#pragma once
// Every write ends sealed: the signed-in member signs the trail's head and the state each workpaper
// the write touched was left in (workpapers/proof/digest.h). So a trail recomputed after an edit, an
// entry added, or a record changed behind the program's back no longer verifies without that member's
// password, and `audit verify` names the workpaper and the part that changed.
#include <cstdint>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark::proof {

// Every write calls it before committing; it seals in the outermost transaction only, and only when the
// trail moved.
void sealWrite(Engagement& e, const Actor& a, std::int64_t headBefore);

// What a sign-off's signature covers: the workpaper's digest and the trail's head as it was signed.
std::string signOffMessage(const std::string& rootKey, const std::string& workpaper, const std::string& role,
                           std::int64_t personId, const std::string& signedAt, std::int64_t trailSeq,
                           const std::string& trailHash, const std::string& contentDigest);

struct ProofFindings {
    std::vector<std::string> team;       // members' keys and certificates
    std::vector<std::string> seals;      // seal signatures, entries nobody sealed, entries in another's name
    std::vector<std::string> states;     // workpapers changed since the state their last write sealed
    std::vector<std::string> signoffs;   // sign-off signatures
    std::vector<std::string> evidence;   // stored content that no longer matches its SHA-256
    std::int64_t sealsChecked = 0, signaturesChecked = 0;
    bool clean() const { return team.empty() && seals.empty() && states.empty() && signoffs.empty() && evidence.empty(); }
    std::vector<std::string> all() const;
};
ProofFindings verifyProof(Engagement& e);

}  // namespace tickmark::proof

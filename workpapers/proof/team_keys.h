#pragma once
// Who may sign: each member's public key is certified by the partner who added them, back to the
// engagement partner, whose key is the engagement's root (recorded when the file was created). A
// certificate covers the member's whole record (name, initials, roles, second identity and its reason,
// key), so a role row added, a key or a password record copied from another member behind the
// program's back no longer verifies.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/db.h"

namespace tickmark {
class Actor;
}

namespace tickmark::proof {

// The engagement partner's public key (hex), when the file records one.
std::optional<std::string> rootKey(db::Database& db);
// The certifier signs the member's record as it stands now.
void writeCertificate(db::Database& db, std::int64_t personId, const Actor& certifier);
// Why the member's key cannot be trusted, or nullopt when it is certified back to the root.
std::optional<std::string> memberKeyProblem(db::Database& db, std::int64_t personId);
// The member's public key when it is certified back to the root.
std::optional<std::string> certifiedKey(db::Database& db, std::int64_t personId);
// Every member's problem, "Name (XX): ...", in the order they joined.
std::vector<std::string> verifyTeamKeys(db::Database& db);

}  // namespace tickmark::proof

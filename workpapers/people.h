#pragma once
// The engagement team. Every action is done by a signed-in Actor; passwords are kept only as
// salted scrypt hashes, so a sign-off cannot be made in someone else's name by typing their initials.
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark {

namespace proof {
class SigningKey;
}

// A team member as the team lists them: plain data, proves nothing.
struct Person {
    std::int64_t id = 0;
    std::string name, initials;
    std::vector<std::string> roles;  // preparer, reviewer, partner
    // A second identity of a member, added with the reason recorded: the member it stands for. The
    // segregation of duties treats both as one person.
    std::optional<std::int64_t> samePersonAs;
    std::string identityReason;
    std::string keyFingerprint;  // of their signing key; empty for a member of an older file not yet signed in
    std::string certifiedBy;     // the partner who certified the key (the engagement partner: themself)
    bool has(std::string_view role) const;
};

class Actor;
// By name or initials. Throws InputError for an unknown person or a wrong password (same message
// shape for both, naming only what was typed), and when the engagement has no team yet.
Actor authenticate(Engagement& e, const std::string& who, const std::string& password);
// The engagement partner starts the team of an engagement that has none: they prove who they are by
// choosing the password, so they come back signed in. Refused once the team has members, and when
// the roles do not include partner (only a partner adds the others).
Actor addEngagementPartner(Engagement& e, const std::string& name, const std::string& initials,
                           const std::vector<std::string>& roles, const std::string& password);

// A signed-in team member: the only proof of who does a write. Only authenticate and
// addEngagementPartner make one; it can be copied but never made up, changed or assigned. It holds the
// member's signing key, unsealed with their password: what signs their sign-offs and their writes.
class Actor {
public:
    const std::int64_t id;
    const std::string name, initials;
    const std::vector<std::string> roles;
    bool has(std::string_view role) const;
    std::string sign(std::string_view message) const;  // Ed25519, hex
    const std::string& publicKey() const;

    Actor(const Actor&) = default;
    Actor& operator=(const Actor&) = delete;

private:
    Actor(const Person& p, std::shared_ptr<const proof::SigningKey> key);
    std::shared_ptr<const proof::SigningKey> key_;
    friend struct ActorAccess;  // people.cpp: the member who has just joined signs their own certificate
    friend Actor authenticate(Engagement& e, const std::string& who, const std::string& password);
    friend Actor addEngagementPartner(Engagement& e, const std::string& name, const std::string& initials,
                                      const std::vector<std::string>& roles, const std::string& password);
};

// A member changes their own password: the same key, sealed again under the new one.
void changePassword(Engagement& e, const Actor& a, const std::string& newPassword);
// A member who forgot their password: a partner gives them a new one and a new key, certified by the
// partner. Their earlier signatures stay verifiable under the old key, which the trail records.
void resetMemberKey(Engagement& e, const Actor& partner, const std::string& member, const std::string& newPassword);
// A partner certifies a member's key that no partner certified (a member of a file upgraded from before
// signing keys, whose key was made at their first sign-in).
void certifyMemberKey(Engagement& e, const Actor& partner, const std::string& member);

// The password record of files from before signing keys: scrypt (N=32768, r=8, p=1) with a 16-byte
// salt, "scrypt$N$r$p$salt$key" in hex. Read once, at the member's first sign-in after the upgrade,
// which replaces it with their sealed key; never written.
bool checkLegacyPassword(const std::string& password, const std::string& stored);

// After the engagement partner, a partner adds people, choosing their first password. The new member
// is not signed in by this: they sign in with authenticate. A name that is a member's already (letters
// compared without case, spaces or punctuation: "priya  raman", "Priya Raman.") is a second identity of
// that member: refused without `identityReason`, and with it recorded (the trail and `team` show it)
// and bound to the member, so the duties rules see one person.
Person addPerson(Engagement& e, const Actor& partner, const std::string& name, const std::string& initials,
                 const std::vector<std::string>& roles, const std::string& password, const std::string& identityReason = "");
std::vector<Person> team(Engagement& e);

// InputError unless `a` is a member of this engagement's team (an Actor signed in to another
// engagement file does not write here).
void requireMember(Engagement& e, const Actor& a);

// What every write without a team is refused with: the command that adds the engagement partner.
std::string noTeamMessage(const Engagement& e);

// A new engagement file with its engagement partner, who chooses their password: the file never
// exists without the person accountable for it. When either step fails nothing is left on disk.
struct NewEngagement {
    Engagement engagement;
    Actor partner;
};
NewEngagement createEngagement(const std::filesystem::path& file, const EngagementSetup& setup,
                               const std::filesystem::path& criteriaCsv, const std::string& partnerName,
                               const std::string& partnerInitials, const std::vector<std::string>& roles,
                               const std::string& password);

// Assembly: after the partner locks the file nothing is changed or deleted, and additions need a reason.
enum class WriteKind { Add, Change, Delete };
void requireWritable(Engagement& e, WriteKind kind, const std::string& what, const std::string& reason);

struct AssemblyStatus {
    std::optional<Date> releaseDate;
    std::optional<Date> assemblyDeadline;  // release + 60 days
    std::optional<std::int64_t> daysLeft;
    std::optional<std::string> lockedAt, lockedBy;
};
AssemblyStatus assemblyStatus(Engagement& e, Date today);
void recordRelease(Engagement& e, const Actor& partner, Date releaseDate);
void lockFile(Engagement& e, const Actor& partner);
Date today();

}  // namespace tickmark

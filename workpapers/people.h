#pragma once
// The engagement team. Every action is done by a signed-in Actor; passwords are kept only as
// salted scrypt hashes, so a sign-off cannot be made in someone else's name by typing their initials.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark {

// A team member as the team lists them: plain data, proves nothing.
struct Person {
    std::int64_t id = 0;
    std::string name, initials;
    std::vector<std::string> roles;  // preparer, reviewer, partner
    // A second identity of a member, added with the reason recorded: the member it stands for. The
    // segregation of duties treats both as one person.
    std::optional<std::int64_t> samePersonAs;
    std::string identityReason;
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
// addEngagementPartner make one; it can be copied but never made up, changed or assigned.
class Actor {
public:
    const std::int64_t id;
    const std::string name, initials;
    const std::vector<std::string> roles;
    bool has(std::string_view role) const;

    Actor(const Actor&) = default;
    Actor& operator=(const Actor&) = delete;

private:
    explicit Actor(const Person& p) : id(p.id), name(p.name), initials(p.initials), roles(p.roles) {}
    friend Actor authenticate(Engagement& e, const std::string& who, const std::string& password);
    friend Actor addEngagementPartner(Engagement& e, const std::string& name, const std::string& initials,
                                      const std::vector<std::string>& roles, const std::string& password);
};

// scrypt (N=32768, r=8, p=1) with a 16-byte random salt: "scrypt$N$r$p$salt$key" in hex.
std::string hashPassword(const std::string& password);
bool checkPassword(const std::string& password, const std::string& stored);

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

#pragma once
// The engagement team. Every action is done by a signed-in Actor; passwords are kept only as
// salted scrypt hashes, so a sign-off cannot be made in someone else's name by typing their initials.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark {

struct Person {
    std::int64_t id = 0;
    std::string name, initials;
    std::vector<std::string> roles;  // preparer, reviewer, partner
    bool has(std::string_view role) const;
};
using Actor = Person;  // a person who has proved who they are

// scrypt (N=32768, r=8, p=1) with a 16-byte random salt: "scrypt$N$r$p$salt$key" in hex.
std::string hashPassword(const std::string& password);
bool checkPassword(const std::string& password, const std::string& stored);

// The first person may add themselves; after that only a partner adds people.
Person addPerson(Engagement& e, const std::optional<Actor>& actor, const std::string& name, const std::string& initials,
                 const std::vector<std::string>& roles, const std::string& password);
// By name or initials. Throws InputError for an unknown person or a wrong password (same message
// shape for both, naming only what was typed).
Actor authenticate(Engagement& e, const std::string& who, const std::string& password);
std::vector<Person> team(Engagement& e);

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

#pragma once
#include <optional>
#include <string>

#include "workpapers/people.h"

namespace tickmark::cli {

// Where a signing-in password comes from, first found: --password-file FILE (a file only its owner can
// read, or a pipe such as /dev/fd/3; its first line), $TICKMARK_PASSWORD, else the terminal without echo
// (restored on Ctrl-C). A new member's password: $TICKMARK_NEW_PASSWORD, else the terminal.
void setPasswordFile(const std::string& file);
std::string readPassword(const std::string& prompt, const char* envVar = "TICKMARK_PASSWORD");

// Signs in --user (every writing command does). Throws InputError when the engagement has no team
// yet (naming the `tickmark team add` command for the engagement partner), when --user is missing,
// and for an unknown member or a wrong password.
Actor signIn(Engagement& e, const std::string& user);

// What opens an encrypted engagement: --user (or $TICKMARK_USER) and the password, read once per run (a
// command that then signs in to write does not ask again). InputError naming --user when none is given.
Credentials unlockCredentials(const std::filesystem::path& file, const std::string& user);

}  // namespace tickmark::cli

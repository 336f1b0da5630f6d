#pragma once
#include <optional>
#include <string>

#include "workpapers/people.h"

namespace tickmark::cli {

// The password for `who`: $TICKMARK_PASSWORD, else asked on the terminal without echo.
std::string readPassword(const std::string& prompt, const char* envVar = "TICKMARK_PASSWORD");

// Signs in --user (every writing command does). Throws InputError when the engagement has no team
// yet (naming the `tickmark team add` command for the engagement partner), when --user is missing,
// and for an unknown member or a wrong password.
Actor signIn(Engagement& e, const std::string& user);

}  // namespace tickmark::cli

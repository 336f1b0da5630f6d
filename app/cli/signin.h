#pragma once
#include <optional>
#include <string>

#include "workpapers/people.h"

namespace tickmark::cli {

// The password for `who`: $TICKMARK_PASSWORD, else asked on the terminal without echo.
std::string readPassword(const std::string& prompt, const char* envVar = "TICKMARK_PASSWORD");

// Signs in --user. Throws InputError when --user is missing.
Actor signIn(Engagement& e, const std::string& user);

// Who a write is attributed to: before the engagement has a team, the login name; after, the
// signed-in --user (password required).
std::string actingUser(Engagement& e, const std::string& user);

}  // namespace tickmark::cli

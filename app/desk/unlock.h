#pragma once
// Encrypted engagements: who opens each one, asked once (initials and password) on the first opening
// and kept in memory for this session's other connections to the same file (the background jobs open
// their own). Never asked from a background thread.
#include <filesystem>

#include "workpapers/engagement.h"

namespace tickmark::desk {

Credentials askToUnlock(const std::filesystem::path& file);
void rememberUnlock(const std::filesystem::path& file, const Credentials& c);
void forgetUnlock(const std::filesystem::path& file);

}  // namespace tickmark::desk

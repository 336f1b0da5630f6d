#pragma once
// The engagement file's schema and its upgrade ladder. PRAGMA user_version holds the schema
// version; PRAGMA application_id marks the file as Tickmark's.
#include <cstdint>
#include <string>

#include "workpapers/db.h"

namespace tickmark::schema {

constexpr std::int64_t kApplicationId = 0x544B4D4B;  // "TKMK"
int currentVersion();

// Brings a fresh database to `target` (the current version by default); tests build older files with it.
void create(db::Database& db, int target = -1);

// Checks the file is ours and at a version this build reads. An older file is first copied to
// "<file>.schema-v<N>.bak", then upgraded in one transaction. Returns the backup's path, or "".
std::string openAndUpgrade(db::Database& db);

}  // namespace tickmark::schema

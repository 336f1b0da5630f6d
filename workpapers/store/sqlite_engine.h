#pragma once
// The engagement file: SQLite, in WAL mode, locked with open-file-description locks.
#include <memory>
#include <string>

#include "workpapers/store/engine.h"

namespace tickmark::db {

// create: make the file (it must not exist). vfs: an SQLite VFS by name (the encryption VFS,
// workpapers/store/crypt_vfs.h); nullptr the default. A file in a folder nobody may write here opens
// read-only and immutable (an archive).
std::unique_ptr<Engine> openSqlite(const std::string& path, bool create, const char* vfs);

// Copies the whole database into a new file (VACUUM INTO); refuses to overwrite.
void sqliteBackup(Engine& engine, const std::string& destination);

}  // namespace tickmark::db

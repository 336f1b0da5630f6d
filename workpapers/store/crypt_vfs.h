#pragma once
// Encryption at rest: an SQLite VFS ("tickmark-crypt") over the default unix VFS that keeps every page
// of an engagement file, its WAL and its rollback journal encrypted and authenticated (AES-256-GCM),
// with the member key header (workpapers/store/key_header.h) kept in the file's first 8 KiB, hidden from
// SQLite. <sqlite3.h> stays in the .cpp.
//
// On disk, a main database file is:  [8 KiB key header][page 1][page 2]...  Each page is 16 KiB; SQLite
// is told to leave the last 28 bytes of each page unused (its "reserved bytes"), which hold the page's
// 12-byte nonce (fresh and random at every write) and 16-byte GCM tag. The associated data binds the
// page to where it belongs: the page number in the main file; the frame number, page number and commit
// size in a WAL (whose 32-byte header and 24-byte frame headers stay plain: counters,
// salts and checksums, no content); the offset and page number in a rollback journal (whose headers and
// page numbers stay plain). The -shm file (the WAL index: frame numbers and page numbers, no content) is
// not encrypted. Temporary files are refused: an encrypted connection keeps them in memory
// (PRAGMA temp_store = MEMORY), so no sort or statement journal reaches the disk in clear.
#include <cstdint>
#include <memory>
#include <string>

struct sqlite3;

namespace tickmark::store {

constexpr int kCryptPageSize = 16384;
constexpr int kCryptReserve = 28;  // nonce 12 + tag 16
constexpr std::int64_t kHeaderSize = 8192;

// Registers the VFS (once per process) and returns its name, for sqlite3_open_v2.
const char* cryptVfsName();

// While a KeyRegistration lives, the VFS opens files whose header names `fileId` with `key`.
class KeyRegistration {
public:
    KeyRegistration(std::string fileId, const std::string& key);
    ~KeyRegistration();
    KeyRegistration(const KeyRegistration&) = delete;
    KeyRegistration& operator=(const KeyRegistration&) = delete;

private:
    std::string fileId_;
};

// While a NewFileKey lives, a new (empty) main database file that this thread opens through the VFS
// (the file `Engagement::create` makes, a VACUUM INTO target) starts with `header` and is encrypted
// with `key`. Outside one, the VFS refuses to create a file: nothing is ever written in clear through it.
class NewFileKey {
public:
    NewFileKey(std::string header, std::string key);
    ~NewFileKey();
    NewFileKey(const NewFileKey&) = delete;
    NewFileKey& operator=(const NewFileKey&) = delete;
    const std::string header, key;

private:
    const NewFileKey* previous_;
};

// The first kHeaderSize bytes of a file, read through the default VFS (whose close keeps this process's
// locks on the file, unlike a plain open/close); empty when the file is shorter.
std::string readFileStart(const std::string& path);

// The key header of an open encrypted connection's main file, read and written through the connection's
// own file (the write is synced before it returns).
std::string readHeader(sqlite3* db);
void writeHeader(sqlite3* db, const std::string& header);

// A plain copy of an open encrypted database, page by page (SQLite's backup API) into the new file `to`
// through the default VFS; the pages keep their (then unused) 28 reserved bytes.
void copyDecrypted(sqlite3* from, const std::string& to);

// An encrypted copy of the plain database file `from` (VACUUM INTO through this VFS, 16 KiB pages with the
// 28 reserved bytes), starting with `header` and sealed with `key`; `to` must not exist.
void copyEncrypted(const std::string& from, const std::string& to, const std::string& header, const std::string& key);

// After opening a new encrypted database: 16 KiB pages with 28 reserved bytes, temporary files in memory.
void prepareNewEncryptedDatabase(sqlite3* db);
void prepareEncryptedConnection(sqlite3* db);

}  // namespace tickmark::store

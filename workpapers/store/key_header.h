#pragma once
// The engagement key of an encrypted engagement file and the header that holds it, wrapped for each
// team member under their password. The header is the first 8 KiB of the file, in clear (the VFS in
// crypt_vfs.h hides it from SQLite), so the engagement stays one file and its copies carry it. It holds
// two copies, one per 4 KiB slot, each complete with its own sequence number and digest: a change is
// written over the older copy, so a write torn by a crash still leaves the other one whole. A slot:
//
//   0    32  "Tickmark encrypted engagement\n", NUL-padded
//   32    4  format version (1), big-endian
//   36    4  page size (16384)          40  4  reserved bytes per page (28)
//   44    4  number of member wraps     48 16  file id (random; names the key, bound into every wrap)
//   64    8  sequence number (the higher of two whole copies is the current one)
//   72  100  each wrap (at most 39): member id (8, big-endian), initials (16, upper case, NUL-padded),
//            scrypt salt (16), GCM nonce (12), the 32-byte engagement key sealed with AES-256-GCM (32 + 16 tag)
//            under scrypt(password, salt, N=2^17, r=8, p=1) - the program's parameters, never the file's -
//            with "tickmark engagement key v1", the file id, the member id and initials as associated data
//   4064 32  SHA-256 of bytes 0..4064 (a copy torn by a crash or a concurrent rewrite does not count)
//
// Nothing in it is client text: initials, numbers, random bytes and sealed keys.
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace tickmark::db {
class Database;
}

namespace tickmark::store {

class KeyRegistration;

struct MemberWrap {
    std::int64_t memberId = 0;
    std::string initials;  // upper case
    std::string salt, nonce, sealed;
};

struct KeyHeader {
    std::string fileId;  // 16 bytes
    std::vector<MemberWrap> wraps;
    std::uint64_t sequence = 0;
    std::string raw;  // the 8 KiB it was read from: serialize() keeps its current copy
    // nullopt when `bytes` does not start with the magic; throws StorageError when it does but is damaged.
    static std::optional<KeyHeader> parse(const std::string& bytes, const std::string& where);
    // Exactly kHeaderSize bytes: this header as the next copy (both slots when `raw` is empty).
    std::string serialize() const;
};

// Whether the file at `path` is an encrypted engagement file (its header's magic).
bool isEncryptedFile(const std::filesystem::path& path);

// What a member's password gives: the salt and the scrypt key their wrap is sealed under. Slow (~0.6 s):
// callers derive it before they take the write lock.
struct WrapKey {
    std::string salt, key;
    ~WrapKey();
};
WrapKey deriveWrapKey(const std::string& password);

// An engagement key unlocked in this process: while it lives the VFS opens the file (and its copies).
class EngagementKey {
public:
    // A new key and file id, its header with no member yet.
    static std::shared_ptr<EngagementKey> generate();
    // Unlocks the file's key with a member's initials and password (their newest wrap first). InputError
    // for missing initials, a member the header does not know, and a wrong password.
    static std::shared_ptr<EngagementKey> unlock(const std::filesystem::path& file, const std::string& user, const std::string& password);
    ~EngagementKey();

    const std::string& fileId() const { return fileId_; }
    const std::string& key() const { return key_; }
    // Who unlocked it (the member id and initials of the wrap that opened); 0 for a new key.
    std::int64_t memberId() const { return memberId_; }
    const std::string& initials() const { return initials_; }

    MemberWrap wrapFor(std::int64_t memberId, const std::string& initials, const WrapKey& k) const;
    // The header a new file made with this key starts with: no wraps, or `from`'s (a copy of an engagement).
    std::string newFileHeader(const std::optional<std::string>& from = std::nullopt) const;

private:
    EngagementKey(std::string fileId, std::string key);
    std::string fileId_, key_;
    std::int64_t memberId_ = 0;
    std::string initials_;
    std::unique_ptr<KeyRegistration> registration_;
};

// The member wraps of an open encrypted engagement, changed through its connection (the header is
// rewritten and synced). A wrap is added before the transaction that adds the member or changes their
// password commits, so a committed member always has one; a crash in between leaves an extra wrap,
// which opens nothing the team record does not vouch for.
void addMemberWrap(db::Database& db, const MemberWrap& w);
// After the commit: drops the member's older wraps (keeps the newest for these initials).
void keepNewestWrap(db::Database& db, const std::string& initials);
// When the transaction did not commit: drops the wrap that was added for it.
void removeWrap(db::Database& db, const MemberWrap& w) noexcept;

}  // namespace tickmark::store

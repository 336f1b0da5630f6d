#include "workpapers/store/key_header.h"

#include <openssl/crypto.h>
#include <openssl/sha.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <thread>

#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/proof/keys.h"
#include "workpapers/store/crypt_vfs.h"

namespace tickmark::store {
namespace {

const std::string kMagic = "Tickmark encrypted engagement\n";
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kSlot = static_cast<std::size_t>(kHeaderSize) / 2;
constexpr std::size_t kWrapSize = 100, kFirstWrap = 72, kDigestAt = kSlot - 32;
constexpr std::size_t kMaxWraps = (kDigestAt - kFirstWrap) / kWrapSize;
constexpr const char* kWrapAad = "tickmark engagement key v1";

std::uint64_t get(const std::string& s, std::size_t at, int n) {
    std::uint64_t v = 0;
    for (int i = 0; i < n; ++i) v = v << 8 | static_cast<unsigned char>(s[at + static_cast<std::size_t>(i)]);
    return v;
}
void put(std::string& s, std::size_t at, std::uint64_t v, int n) {
    for (int i = n - 1; i >= 0; --i, v >>= 8) s[at + static_cast<std::size_t>(i)] = static_cast<char>(v & 0xff);
}

std::string digest(const std::string& s) {
    unsigned char d[SHA256_DIGEST_LENGTH];
    SHA256(reinterpret_cast<const unsigned char*>(s.data()), kDigestAt, d);
    return std::string(reinterpret_cast<char*>(d), sizeof d);
}

std::string upper(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    return s;
}

std::string wrapAad(const std::string& fileId, std::int64_t memberId, const std::string& initials) {
    std::string a = kWrapAad;
    a += '\0' + fileId;
    std::string id(8, '\0');
    put(id, 0, static_cast<std::uint64_t>(memberId), 8);
    return a + id + initials;
}

// The file's header, read again while a concurrent rewrite leaves it torn.
KeyHeader readKeyHeader(const std::filesystem::path& file) {
    for (int attempt = 0;; ++attempt) {
        const std::string start = readFileStart(file.string());
        try {
            auto h = KeyHeader::parse(start, file.string());
            if (!h) throw InputError(file.string() + ": not an encrypted engagement file");
            return *h;
        } catch (const StorageError&) {
            if (attempt == 4) throw;
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }
}

KeyHeader currentHeader(db::Database& db) {
    auto h = KeyHeader::parse(readHeader(db.handle()), db.path());
    if (!h) throw StorageError(0, db.path() + ": the key header is gone");
    return *h;
}

}  // namespace

namespace {

// One copy of the header, complete in itself, in a 4 KiB slot.
std::optional<KeyHeader> parseSlot(const std::string& b, const std::string& where) {
    if (b.compare(0, kMagic.size(), kMagic) != 0 || digest(b) != b.substr(kDigestAt)) return std::nullopt;
    if (get(b, 32, 4) != kVersion)
        throw InputError(where + ": an encrypted engagement of a newer format (" + std::to_string(get(b, 32, 4)) + "); upgrade Tickmark");
    if (get(b, 36, 4) != static_cast<std::uint64_t>(kCryptPageSize) || get(b, 40, 4) != static_cast<std::uint64_t>(kCryptReserve))
        throw StorageError(0, where + ": the key header names a page layout this Tickmark does not use");
    const std::size_t n = get(b, 44, 4);
    if (n > kMaxWraps) return std::nullopt;
    KeyHeader h;
    h.fileId = b.substr(48, 16);
    h.sequence = get(b, 64, 8);
    for (std::size_t i = 0; i < n; ++i) {
        const std::size_t at = kFirstWrap + i * kWrapSize;
        MemberWrap w;
        w.memberId = static_cast<std::int64_t>(get(b, at, 8));
        w.initials = b.substr(at + 8, 16);
        w.initials.resize(w.initials.find('\0') == std::string::npos ? 16 : w.initials.find('\0'));
        w.salt = b.substr(at + 24, 16);
        w.nonce = b.substr(at + 40, 12);
        w.sealed = b.substr(at + 52, 48);
        h.wraps.push_back(std::move(w));
    }
    return h;
}

}  // namespace

std::optional<KeyHeader> KeyHeader::parse(const std::string& b, const std::string& where) {
    if (b.size() < kMagic.size() || b.compare(0, kMagic.size(), kMagic) != 0) return std::nullopt;
    if (b.size() != static_cast<std::size_t>(kHeaderSize))
        throw StorageError(0, where + ": the key header of this encrypted engagement is damaged");
    auto a = parseSlot(b.substr(0, kSlot), where), c = parseSlot(b.substr(kSlot, kSlot), where);
    if (!a && !c) throw StorageError(0, where + ": the key header of this encrypted engagement is damaged (both copies)");
    KeyHeader h = !c || (a && a->sequence >= c->sequence) ? *a : *c;
    if (a && c && a->fileId != c->fileId) throw StorageError(0, where + ": the key header of this encrypted engagement is damaged");
    h.raw = b;
    return h;
}

std::string KeyHeader::serialize() const {
    if (wraps.size() > kMaxWraps)
        throw InputError("an encrypted engagement holds keys for at most " + std::to_string(kMaxWraps) + " team members");
    std::string b(kSlot, '\0');
    b.replace(0, kMagic.size(), kMagic);
    put(b, 32, kVersion, 4);
    put(b, 36, kCryptPageSize, 4);
    put(b, 40, kCryptReserve, 4);
    put(b, 44, wraps.size(), 4);
    b.replace(48, 16, fileId);
    const std::uint64_t next = raw.empty() ? 0 : sequence + 1;
    put(b, 64, next, 8);
    for (std::size_t i = 0; i < wraps.size(); ++i) {
        const auto& w = wraps[i];
        const std::size_t at = kFirstWrap + i * kWrapSize;
        put(b, at, static_cast<std::uint64_t>(w.memberId), 8);
        b.replace(at + 8, w.initials.size(), w.initials);
        b.replace(at + 24, 16, w.salt);
        b.replace(at + 40, 12, w.nonce);
        b.replace(at + 52, 48, w.sealed);
    }
    b.replace(kDigestAt, 32, digest(b));
    // A new header: both copies alike. A changed one: the new copy goes into the slot of the older one,
    // the current one stays as it was, so a write torn by a crash leaves one whole copy.
    if (raw.empty()) return b + b;
    std::string out = raw;
    out.replace((next % 2) * kSlot, kSlot, b);
    return out;
}

bool isEncryptedFile(const std::filesystem::path& path) {
    const std::string start = readFileStart(path.string());
    return start.rfind(kMagic, 0) == 0;
}

WrapKey::~WrapKey() { OPENSSL_cleanse(key.data(), key.size()); }

WrapKey deriveWrapKey(const std::string& password) {
    WrapKey k;
    k.salt = proof::randomBytes(16);
    k.key = proof::passwordKey(password, k.salt);
    return k;
}

EngagementKey::EngagementKey(std::string fileId, std::string key)
    : fileId_(std::move(fileId)), key_(std::move(key)), registration_(std::make_unique<KeyRegistration>(fileId_, key_)) {}

EngagementKey::~EngagementKey() { OPENSSL_cleanse(key_.data(), key_.size()); }

std::shared_ptr<EngagementKey> EngagementKey::generate() {
    return std::shared_ptr<EngagementKey>(new EngagementKey(proof::randomBytes(16), proof::randomBytes(32)));
}

std::shared_ptr<EngagementKey> EngagementKey::unlock(const std::filesystem::path& file, const std::string& user,
                                                     const std::string& password) {
    const std::string f = file.string();
    if (user.empty()) throw InputError(f + " is encrypted: sign in with a team member's initials and password to open it");
    const KeyHeader h = readKeyHeader(file);
    const std::string who = upper(user);
    if (who.size() > 15 || who.find('\0') != std::string::npos)
        throw InputError("no team member with the initials \"" + user + "\" in " + f +
                         " (this engagement is encrypted: sign in with your initials)");
    bool known = false;
    for (auto it = h.wraps.rbegin(); it != h.wraps.rend(); ++it) {
        if (it->initials != who) continue;
        known = true;
        const std::string kek = proof::passwordKey(password, it->salt);
        auto key = proof::gcmOpen(kek, it->nonce, wrapAad(h.fileId, it->memberId, it->initials), it->sealed);
        if (!key) continue;
        auto k = std::shared_ptr<EngagementKey>(new EngagementKey(h.fileId, *key));
        OPENSSL_cleanse(key->data(), key->size());
        k->memberId_ = it->memberId;
        k->initials_ = it->initials;
        return k;
    }
    if (!known) {
        (void)proof::passwordKey(password, std::string(16, '\0'));  // as long as a wrong password takes
        throw InputError("no team member with the initials \"" + user + "\" in " + f +
                         " (this engagement is encrypted: sign in with your initials; `tickmark team list` names the team)");
    }
    throw InputError("wrong password for \"" + user + "\" (this engagement is encrypted: every command signs in)");
}

MemberWrap EngagementKey::wrapFor(std::int64_t memberId, const std::string& initials, const WrapKey& k) const {
    MemberWrap w;
    w.memberId = memberId;
    w.initials = upper(initials);
    if (w.initials.size() > 15) throw InputError("initials of an encrypted engagement's member: at most 15 bytes");
    w.salt = k.salt;
    w.nonce = proof::randomBytes(12);
    w.sealed = proof::gcmSeal(k.key, w.nonce, wrapAad(fileId_, memberId, w.initials), key_);
    return w;
}

std::string EngagementKey::newFileHeader(const std::optional<std::string>& from) const {
    if (from) {
        auto h = KeyHeader::parse(*from, "the copied key header");
        if (!h || h->fileId != fileId_) throw StorageError(0, "the key header to copy is not this engagement's");
        h->raw.clear();  // a new file: both copies alike
        return h->serialize();
    }
    KeyHeader h;
    h.fileId = fileId_;
    return h.serialize();
}

void addMemberWrap(db::Database& db, const MemberWrap& w) {
    KeyHeader h = currentHeader(db);
    h.wraps.push_back(w);
    writeHeader(db.handle(), h.serialize());
}

void keepNewestWrap(db::Database& db, const std::string& initials) {
    KeyHeader h = currentHeader(db);
    const std::string who = upper(initials);
    auto last = std::find_if(h.wraps.rbegin(), h.wraps.rend(), [&](const MemberWrap& w) { return w.initials == who; });
    if (last == h.wraps.rend()) return;
    const MemberWrap keep = *last;
    h.wraps.erase(std::remove_if(h.wraps.begin(), h.wraps.end(), [&](const MemberWrap& w) { return w.initials == who; }), h.wraps.end());
    h.wraps.push_back(keep);
    writeHeader(db.handle(), h.serialize());
}

void removeWrap(db::Database& db, const MemberWrap& w) noexcept {
    try {
        KeyHeader h = currentHeader(db);
        h.wraps.erase(std::remove_if(h.wraps.begin(), h.wraps.end(), [&](const MemberWrap& x) { return x.nonce == w.nonce; }),
                      h.wraps.end());
        writeHeader(db.handle(), h.serialize());
    } catch (...) {
        // An extra wrap opens nothing the team record does not vouch for.
    }
}

}  // namespace tickmark::store

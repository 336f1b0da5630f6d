#include "workpapers/proof/keys.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include <stdexcept>

#include "workpapers/sha256.h"

namespace tickmark::proof {
namespace {

// The program's sealing cost: 2^17 x 8 x 128 bytes = 128 MiB and about 0.6 s per sign-in.
constexpr std::uint64_t kN = 131072, kR = 8, kP = 1;
constexpr const char* kSealedPrefix = "sealed$131072$8$1$";
constexpr const char* kSealAad = "tickmark signing key v1:";

std::string hex(const unsigned char* p, std::size_t n) {
    static const char* d = "0123456789abcdef";
    std::string s;
    s.reserve(2 * n);
    for (std::size_t i = 0; i < n; ++i) s += d[p[i] >> 4], s += d[p[i] & 15];
    return s;
}

std::optional<std::string> unhex(std::string_view s) {
    auto nib = [](char c) -> int {
        if (c >= '0' && c <= '9') return c - '0';
        if (c >= 'a' && c <= 'f') return c - 'a' + 10;
        return -1;
    };
    if (s.size() % 2) return std::nullopt;
    std::string out;
    for (std::size_t i = 0; i < s.size(); i += 2) {
        int hi = nib(s[i]), lo = nib(s[i + 1]);
        if (hi < 0 || lo < 0) return std::nullopt;
        out += static_cast<char>(hi * 16 + lo);
    }
    return out;
}

const unsigned char* bytes(const std::string& s) { return reinterpret_cast<const unsigned char*>(s.data()); }

std::string sealingKey(const std::string& password, const std::string& salt) { return passwordKey(password, salt); }

struct CipherCtx {
    EVP_CIPHER_CTX* p = EVP_CIPHER_CTX_new();
    ~CipherCtx() { EVP_CIPHER_CTX_free(p); }
};
struct MdCtx {
    EVP_MD_CTX* p = EVP_MD_CTX_new();
    ~MdCtx() { EVP_MD_CTX_free(p); }
};

}  // namespace

std::string randomBytes(std::size_t n) {
    std::string s(n, '\0');
    if (RAND_bytes(reinterpret_cast<unsigned char*>(s.data()), static_cast<int>(n)) != 1)
        throw std::runtime_error("OpenSSL: no random bytes");
    return s;
}

// The sealing key: scrypt over the password at the program's parameters.
std::string passwordKey(const std::string& password, const std::string& salt) {
    std::string key(32, '\0');
    if (EVP_PBE_scrypt(password.data(), password.size(), bytes(salt), salt.size(), kN, kR, kP, 256ull * 1024 * 1024,
                       reinterpret_cast<unsigned char*>(key.data()), key.size()) != 1)
        throw std::runtime_error("OpenSSL: scrypt failed");
    return key;
}

std::string gcmSeal(const std::string& key, const std::string& nonce, std::string_view aad, std::string_view plain) {
    if (key.size() != 32 || nonce.size() != 12) throw std::invalid_argument("AES-256-GCM: a 32-byte key and a 12-byte nonce");
    CipherCtx c;
    std::string out(plain.size() + 16, '\0');
    auto* o = reinterpret_cast<unsigned char*>(out.data());
    int len = 0, fin = 0;
    if (!c.p || EVP_EncryptInit_ex(c.p, EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) != 1 ||
        EVP_EncryptUpdate(c.p, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()), static_cast<int>(aad.size())) != 1 ||
        EVP_EncryptUpdate(c.p, o, &len, reinterpret_cast<const unsigned char*>(plain.data()), static_cast<int>(plain.size())) != 1 ||
        EVP_EncryptFinal_ex(c.p, o + len, &fin) != 1 ||
        EVP_CIPHER_CTX_ctrl(c.p, EVP_CTRL_GCM_GET_TAG, 16, o + plain.size()) != 1)
        throw std::runtime_error("OpenSSL: AES-256-GCM sealing failed");
    return out;
}

std::optional<std::string> gcmOpen(const std::string& key, const std::string& nonce, std::string_view aad, std::string_view sealed) {
    if (key.size() != 32 || nonce.size() != 12 || sealed.size() < 16) return std::nullopt;
    CipherCtx c;
    const std::size_t n = sealed.size() - 16;
    std::string out(n, '\0');
    std::string tag(sealed.substr(n));
    int len = 0, fin = 0;
    const bool ok = c.p && EVP_DecryptInit_ex(c.p, EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) == 1 &&
                    EVP_DecryptUpdate(c.p, nullptr, &len, reinterpret_cast<const unsigned char*>(aad.data()), static_cast<int>(aad.size())) == 1 &&
                    EVP_DecryptUpdate(c.p, reinterpret_cast<unsigned char*>(out.data()), &len,
                                      reinterpret_cast<const unsigned char*>(sealed.data()), static_cast<int>(n)) == 1 &&
                    EVP_CIPHER_CTX_ctrl(c.p, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
                    EVP_DecryptFinal_ex(c.p, reinterpret_cast<unsigned char*>(out.data()) + len, &fin) == 1;
    if (!ok) {
        OPENSSL_cleanse(out.data(), out.size());
        return std::nullopt;
    }
    return out;
}

struct SigningKey::Key {
    EVP_PKEY* pkey = nullptr;
    ~Key() { EVP_PKEY_free(pkey); }
};

SigningKey::SigningKey(std::unique_ptr<Key> k) : key_(std::move(k)) {
    unsigned char pub[32];
    std::size_t len = sizeof pub;
    if (EVP_PKEY_get_raw_public_key(key_->pkey, pub, &len) != 1) throw std::runtime_error("OpenSSL: no Ed25519 public key");
    public_ = hex(pub, len);
}
SigningKey::~SigningKey() = default;
SigningKey::SigningKey(SigningKey&&) noexcept = default;

SigningKey SigningKey::generate() {
    auto k = std::make_unique<Key>();
    k->pkey = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
    if (!k->pkey) throw std::runtime_error("OpenSSL: cannot generate an Ed25519 key");
    return SigningKey(std::move(k));
}

std::string SigningKey::sign(std::string_view message) const {
    MdCtx ctx;
    unsigned char sig[64];
    std::size_t len = sizeof sig;
    if (!ctx.p || EVP_DigestSignInit(ctx.p, nullptr, nullptr, nullptr, key_->pkey) != 1 ||
        EVP_DigestSign(ctx.p, sig, &len, reinterpret_cast<const unsigned char*>(message.data()), message.size()) != 1)
        throw std::runtime_error("OpenSSL: Ed25519 signing failed");
    return hex(sig, len);
}

std::string SigningKey::seal(const std::string& password) const {
    unsigned char priv[32];
    std::size_t privLen = sizeof priv;
    if (EVP_PKEY_get_raw_private_key(key_->pkey, priv, &privLen) != 1) throw std::runtime_error("OpenSSL: no private key");
    const std::string salt = randomBytes(16), nonce = randomBytes(12), key = sealingKey(password, salt);
    const std::string aad = kSealAad + public_;
    CipherCtx c;
    unsigned char out[32], tag[16];
    int len = 0, fin = 0;
    const bool ok = c.p && EVP_EncryptInit_ex(c.p, EVP_aes_256_gcm(), nullptr, bytes(key), bytes(nonce)) == 1 &&
                    EVP_EncryptUpdate(c.p, nullptr, &len, bytes(aad), static_cast<int>(aad.size())) == 1 &&
                    EVP_EncryptUpdate(c.p, out, &len, priv, static_cast<int>(privLen)) == 1 &&
                    EVP_EncryptFinal_ex(c.p, out + len, &fin) == 1 &&
                    EVP_CIPHER_CTX_ctrl(c.p, EVP_CTRL_GCM_GET_TAG, sizeof tag, tag) == 1;
    OPENSSL_cleanse(priv, sizeof priv);
    if (!ok) throw std::runtime_error("OpenSSL: sealing the signing key failed");
    return std::string(kSealedPrefix) + hex(bytes(salt), salt.size()) + "$" + hex(bytes(nonce), nonce.size()) + "$" +
           hex(out, static_cast<std::size_t>(len + fin)) + hex(tag, sizeof tag);
}

std::optional<SigningKey> SigningKey::unseal(const std::string& record, const std::string& password, const std::string& publicKeyHex) {
    if (!isSealedRecord(record)) return std::nullopt;
    const std::string_view rest = std::string_view(record).substr(std::string_view(kSealedPrefix).size());
    const auto d1 = rest.find('$'), d2 = rest.find('$', d1 + 1);
    if (d1 == std::string_view::npos || d2 == std::string_view::npos) return std::nullopt;
    auto salt = unhex(rest.substr(0, d1)), nonce = unhex(rest.substr(d1 + 1, d2 - d1 - 1)), body = unhex(rest.substr(d2 + 1));
    if (!salt || !nonce || !body || salt->size() != 16 || nonce->size() != 12 || body->size() != 48) return std::nullopt;
    const std::string key = sealingKey(password, *salt);
    const std::string aad = kSealAad + publicKeyHex;
    std::string tag = body->substr(32);
    CipherCtx c;
    unsigned char priv[32];
    int len = 0, fin = 0;
    const bool ok = c.p && EVP_DecryptInit_ex(c.p, EVP_aes_256_gcm(), nullptr, bytes(key), bytes(*nonce)) == 1 &&
                    EVP_DecryptUpdate(c.p, nullptr, &len, bytes(aad), static_cast<int>(aad.size())) == 1 &&
                    EVP_DecryptUpdate(c.p, priv, &len, bytes(*body), 32) == 1 &&
                    EVP_CIPHER_CTX_ctrl(c.p, EVP_CTRL_GCM_SET_TAG, 16, tag.data()) == 1 &&
                    EVP_DecryptFinal_ex(c.p, priv + len, &fin) == 1;
    if (!ok) {
        OPENSSL_cleanse(priv, sizeof priv);
        return std::nullopt;
    }
    auto k = std::make_unique<Key>();
    k->pkey = EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, priv, sizeof priv);
    OPENSSL_cleanse(priv, sizeof priv);
    if (!k->pkey) return std::nullopt;
    SigningKey opened(std::move(k));
    // The record opened, but is it this member's key? (the public key is what partners certified)
    if (opened.publicKey() != publicKeyHex) return std::nullopt;
    return opened;
}

bool verifySignature(const std::string& publicKeyHex, std::string_view message, const std::string& signatureHex) {
    auto pub = unhex(publicKeyHex);
    auto sig = unhex(signatureHex);
    if (!pub || !sig || pub->size() != 32 || sig->size() != 64) return false;
    EVP_PKEY* pkey = EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, bytes(*pub), pub->size());
    if (!pkey) return false;
    MdCtx ctx;
    const bool ok = ctx.p && EVP_DigestVerifyInit(ctx.p, nullptr, nullptr, nullptr, pkey) == 1 &&
                    EVP_DigestVerify(ctx.p, bytes(*sig), sig->size(), reinterpret_cast<const unsigned char*>(message.data()),
                                     message.size()) == 1;
    EVP_PKEY_free(pkey);
    return ok;
}

std::string fingerprint(const std::string& publicKeyHex) {
    auto pub = unhex(publicKeyHex).value_or(publicKeyHex);
    Sha256 h;
    h.update(pub.data(), pub.size());
    const std::string full = h.hexDigest();
    std::string out;
    for (std::size_t i = 0; i < 32; i += 4) out += (i ? " " : "") + full.substr(i, 4);
    return out;
}

std::string signedMessage(std::string_view tag, const std::vector<std::string>& fields) {
    std::string m(tag);
    m += '\n';
    for (auto& f : fields) m += std::to_string(f.size()) + ":" + f;
    return m;
}

bool isSealedRecord(const std::string& record) { return record.rfind(kSealedPrefix, 0) == 0; }

}  // namespace tickmark::proof

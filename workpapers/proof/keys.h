#pragma once
// Members' signing keys: Ed25519 key pairs (OpenSSL), the private half sealed under a key derived
// from the member's password, so a signature in someone's name needs their password, not just write
// access to the file. The cost of the derivation is the program's (scrypt N=2^17, r=8, p=1), never
// read from the file: a record whose parameters were lowered opens nothing.
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tickmark::proof {

// An unsealed Ed25519 private key, in memory only while its member is signed in.
class SigningKey {
public:
    static SigningKey generate();
    ~SigningKey();
    SigningKey(SigningKey&&) noexcept;
    SigningKey& operator=(SigningKey&&) = delete;
    SigningKey(const SigningKey&) = delete;

    std::string sign(std::string_view message) const;  // 64-byte signature, hex
    const std::string& publicKey() const { return public_; }  // 32 bytes, hex

    // The private key sealed under the password: "sealed$131072$8$1$salt$nonce$ciphertext" (hex), the
    // public key bound in as associated data so a sealed record moved to another member opens nothing.
    std::string seal(const std::string& password) const;
    // The sealed record opened with the password; nullopt when the password is wrong, the parameters
    // are not the program's, or the record was altered.
    static std::optional<SigningKey> unseal(const std::string& record, const std::string& password,
                                            const std::string& publicKeyHex);

private:
    struct Key;
    explicit SigningKey(std::unique_ptr<Key> k);
    std::unique_ptr<Key> key_;
    std::string public_;
};

bool verifySignature(const std::string& publicKeyHex, std::string_view message, const std::string& signatureHex);

// What a key is known by: the first 16 bytes of the SHA-256 of its public key, as four groups of hex.
std::string fingerprint(const std::string& publicKeyHex);

// The bytes a signature covers: a tag, then each field as <length>:<bytes>, so no two different
// records give the same message.
std::string signedMessage(std::string_view tag, const std::vector<std::string>& fields);

// Whether a stored password record is sealed in the current format (older files hold a scrypt hash).
bool isSealedRecord(const std::string& record);

// The building blocks the signing keys are sealed with, shared with the engagement key header
// (workpapers/store/key_header.cpp).
std::string randomBytes(std::size_t n);
// scrypt(password, salt) at the program's parameters (N=2^17, r=8, p=1): 32 bytes.
std::string passwordKey(const std::string& password, const std::string& salt);
// AES-256-GCM with a 12-byte nonce: the ciphertext followed by the 16-byte tag; open gives nullopt
// when the tag does not verify (wrong key, altered bytes or associated data).
std::string gcmSeal(const std::string& key, const std::string& nonce, std::string_view aad, std::string_view plain);
std::optional<std::string> gcmOpen(const std::string& key, const std::string& nonce, std::string_view aad, std::string_view sealed);

}  // namespace tickmark::proof

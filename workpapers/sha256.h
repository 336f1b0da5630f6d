#pragma once
#include <cstddef>
#include <filesystem>
#include <memory>
#include <string>

namespace tickmark {

// Incremental SHA-256 over OpenSSL's EVP interface; hexDigest() finishes it.
class Sha256 {
public:
    Sha256();
    ~Sha256();
    Sha256(const Sha256&) = delete;
    Sha256& operator=(const Sha256&) = delete;
    void update(const void* data, std::size_t size);
    std::string hexDigest();

private:
    struct Ctx;
    std::unique_ptr<Ctx> ctx_;
};

std::string sha256File(const std::filesystem::path& file);

}  // namespace tickmark

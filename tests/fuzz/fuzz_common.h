#pragma once
// What the reader harnesses share: the input written to a file (the readers take a path), a handler
// that touches every cell it is given (so ASan sees a dangling view), and a zip built from parts.
#include <unistd.h>
#include <zip.h>

#include <cstdint>
#include <cstdio>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/errors.h"
#include "workpapers/readers/table_source.h"

namespace fuzzing {

// A file per process, in memory where there is a /dev/shm.
inline const std::filesystem::path& scratch(const char* ext) {
    static std::filesystem::path p = [&] {
        std::filesystem::path dir = std::filesystem::exists("/dev/shm") ? "/dev/shm" : std::filesystem::temp_directory_path();
        return dir / ("tickmark-fuzz-" + std::to_string(::getpid()) + ext);
    }();
    return p;
}

inline void writeFile(const std::filesystem::path& p, const std::uint8_t* data, std::size_t size) {
    std::FILE* f = std::fopen(p.c_str(), "wb");
    if (!f) std::abort();
    if (size) std::fwrite(data, 1, size, f);
    std::fclose(f);
}

struct Toucher : tickmark::TableHandler {
    std::size_t width = 0, records = 0, sum = 0;
    void header(const std::vector<std::string>& names) override {
        width = names.size();
        for (auto& n : names) sum += n.size();
    }
    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        if (cells.size() != width || line < 1) std::abort();  // the interface's promise
        for (auto c : cells)
            for (char ch : c) sum += static_cast<unsigned char>(ch);
        ++records;
    }
};

// Splits the input at "\xff\xfe" (never in UTF-8 text): the parts of a package, in a fixed order.
inline std::vector<std::string> splitParts(const std::uint8_t* data, std::size_t size, std::size_t max) {
    std::vector<std::string> parts(1);
    std::string_view s(reinterpret_cast<const char*>(data), size);
    for (std::size_t i = 0; i < s.size(); ++i) {
        if (i + 1 < s.size() && s[i] == '\xff' && s[i + 1] == '\xfe' && parts.size() < max) {
            parts.emplace_back();
            ++i;
        } else {
            parts.back() += s[i];
        }
    }
    return parts;
}

// Writes a zip of (name, bytes) entries, stored or deflated.
inline void writeZip(const std::filesystem::path& p, const std::vector<std::pair<std::string, std::string>>& entries,
                     bool deflate) {
    std::filesystem::remove(p);
    int err = 0;
    zip_t* z = zip_open(p.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!z) std::abort();
    for (auto& [name, bytes] : entries) {
        zip_source_t* src = zip_source_buffer(z, bytes.data(), bytes.size(), 0);
        zip_int64_t i = zip_file_add(z, name.c_str(), src, ZIP_FL_OVERWRITE);
        if (i < 0) {
            zip_source_free(src);
            continue;
        }
        zip_set_file_compression(z, static_cast<zip_uint64_t>(i), deflate ? ZIP_CM_DEFLATE : ZIP_CM_STORE, 1);
    }
    if (zip_close(z) != 0) zip_discard(z);
}

// Runs a read; the refusals a hostile file may earn are expected, anything else escapes and crashes.
template <typename F>
void expectRefusalOnly(F&& f) {
    try {
        f();
    } catch (const tickmark::InputError&) {
    }
}

}  // namespace fuzzing

#pragma once
// What an Office Open XML package needs and nothing more: text made safe for XML 1.0, a zip
// written with libzip, and the parts of an existing package read back (a firm's Word template).
#include <deque>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

struct zip;

namespace tickmark::report::ooxml {

// Escapes &, <, > (and " in attributes). Characters XML 1.0 forbids (control characters other than
// tab, newline and carriage return; U+FFFE, U+FFFF; surrogates) are dropped, and bytes that are
// not UTF-8 become U+FFFD, so client text can never make a part unreadable.
std::string escape(std::string_view s, bool attribute = false);

// A package written part by part; nothing reaches `file` until close() succeeds.
class ZipWriter {
public:
    explicit ZipWriter(const std::filesystem::path& file);  // throws InputError naming the file
    ~ZipWriter();                                            // discards an unclosed package
    ZipWriter(const ZipWriter&) = delete;
    ZipWriter& operator=(const ZipWriter&) = delete;

    void add(const std::string& name, std::string bytes, bool compress = true);
    void close();  // throws InputError naming the file

private:
    std::filesystem::path file_;
    zip* za_ = nullptr;
    std::deque<std::string> parts_;  // libzip reads the buffers only at close()
};

// The parts of an existing package.
class ZipReader {
public:
    // Throws InputError: "<file>: <what> is not a readable ... (the zip container is damaged)".
    ZipReader(const std::filesystem::path& file, const std::string& what);
    ~ZipReader();
    ZipReader(const ZipReader&) = delete;
    ZipReader& operator=(const ZipReader&) = delete;

    std::optional<std::string> read(const std::string& name);  // nothing when the part is absent

private:
    std::filesystem::path file_;
    std::string what_;
    zip* za_ = nullptr;
};

}  // namespace tickmark::report::ooxml

// XML text and zip packages for the DOCX writer, over libzip (already how the workpapers read XLSX).
#include "report/ooxml.h"

#include <zip.h>

#include <cstdint>
#include <memory>

#include "workpapers/errors.h"

namespace tickmark::report::ooxml {

namespace {

// The code point at s[i] and its length in bytes; 0xFFFD and a length of 1 when the bytes there
// are not UTF-8 (overlong, truncated, a stray continuation byte, beyond U+10FFFF).
std::pair<std::uint32_t, std::size_t> decode(std::string_view s, std::size_t i) {
    auto b = [&](std::size_t k) { return static_cast<unsigned char>(s[k]); };
    const unsigned char c = b(i);
    if (c < 0x80) return {c, 1};
    std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
    if (n == 0 || (c >= 0xF0 && n != 4) || i + n > s.size()) return {0xFFFD, 1};
    std::uint32_t cp = c & (n == 2 ? 0x1F : n == 3 ? 0x0F : 0x07);
    for (std::size_t k = 1; k < n; ++k) {
        if ((b(i + k) & 0xC0) != 0x80) return {0xFFFD, 1};
        cp = (cp << 6) | (b(i + k) & 0x3F);
    }
    if ((n == 3 && cp < 0x800) || (n == 4 && (cp < 0x10000 || cp > 0x10FFFF))) return {0xFFFD, 1};
    return {cp, n};
}

bool allowed(std::uint32_t cp) {
    return cp == 0x9 || cp == 0xA || cp == 0xD || (cp >= 0x20 && cp <= 0xD7FF) || (cp >= 0xE000 && cp <= 0xFFFD) ||
           (cp >= 0x10000 && cp <= 0x10FFFF);
}

}  // namespace

std::string escape(std::string_view s, bool attribute) {
    std::string out;
    out.reserve(s.size() + 16);
    for (std::size_t i = 0; i < s.size();) {
        auto [cp, n] = decode(s, i);
        const bool replaced = cp == 0xFFFD && n == 1 && static_cast<unsigned char>(s[i]) >= 0x80;
        if (replaced) {
            out += "\xEF\xBF\xBD";
        } else if (allowed(cp)) {
            switch (cp) {
                case '&': out += "&amp;"; break;
                case '<': out += "&lt;"; break;
                case '>': out += "&gt;"; break;
                case '"': out += attribute ? "&quot;" : "\""; break;
                case '\n': out += attribute ? "&#10;" : "\n"; break;
                case '\t': out += attribute ? "&#9;" : "\t"; break;
                case '\r': out += attribute ? "&#13;" : "\r"; break;
                default: out.append(s.substr(i, n));
            }
        }
        i += n;
    }
    return out;
}

ZipWriter::ZipWriter(const std::filesystem::path& file) : file_(file) {
    int err = 0;
    za_ = zip_open(file.c_str(), ZIP_CREATE | ZIP_TRUNCATE, &err);
    if (!za_) {
        zip_error_t e;
        zip_error_init_with_code(&e, err);
        std::string why = zip_error_strerror(&e);
        zip_error_fini(&e);
        throw InputError(file.string() + ": cannot be written (" + why + ")");
    }
}

ZipWriter::~ZipWriter() {
    if (za_) zip_discard(za_);
}

void ZipWriter::add(const std::string& name, std::string bytes, bool compress) {
    parts_.push_back(std::move(bytes));
    auto& b = parts_.back();
    zip_source_t* src = zip_source_buffer(za_, b.data(), b.size(), 0);
    if (!src) throw InputError(file_.string() + ": cannot add " + name + " (" + zip_strerror(za_) + ")");
    zip_int64_t idx = zip_file_add(za_, name.c_str(), src, ZIP_FL_ENC_UTF_8 | ZIP_FL_OVERWRITE);
    if (idx < 0) {
        zip_source_free(src);
        throw InputError(file_.string() + ": cannot add " + name + " (" + zip_strerror(za_) + ")");
    }
    if (!compress) zip_set_file_compression(za_, static_cast<zip_uint64_t>(idx), ZIP_CM_STORE, 0);
}

void ZipWriter::close() {
    if (zip_close(za_) != 0) {
        std::string why = zip_strerror(za_);
        zip_discard(za_);
        za_ = nullptr;
        throw InputError(file_.string() + ": cannot be written (" + why + ")");
    }
    za_ = nullptr;
}

ZipReader::ZipReader(const std::filesystem::path& file, const std::string& what) : file_(file), what_(what) {
    int err = 0;
    za_ = zip_open(file.c_str(), ZIP_RDONLY, &err);
    if (!za_) throw InputError(file.string() + ": not a readable " + what + " (the zip container is missing or damaged)");
}

ZipReader::~ZipReader() {
    if (za_) zip_discard(za_);
}

std::optional<std::string> ZipReader::read(const std::string& name) {
    zip_stat_t st;
    if (zip_stat(za_, name.c_str(), 0, &st) != 0) return std::nullopt;
    zip_file_t* zf = zip_fopen(za_, name.c_str(), 0);
    if (!zf) throw InputError(file_.string() + ": the part " + name + " of the " + what_ + " cannot be opened; the file is damaged");
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> guard(zf, &zip_fclose);
    std::string out;
    char buf[1 << 15];
    for (;;) {
        zip_int64_t got = zip_fread(zf, buf, sizeof buf);
        if (got < 0) throw InputError(file_.string() + ": the part " + name + " of the " + what_ + " cannot be inflated; the file is damaged");
        if (got == 0) break;
        out.append(buf, static_cast<std::size_t>(got));
    }
    return out;
}

}  // namespace tickmark::report::ooxml

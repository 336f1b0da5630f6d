// Delimited text (RFC 4180 CSV, semicolon or tab separated, Excel's "Unicode text") read in chunks.
// orcus::csv_parser needs the whole file in one buffer, accepts an unterminated quote without a
// word and gives no line numbers, so the tokenizer here is our own; it is a plain state machine.
#include <fcntl.h>
#include <iconv.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <condition_variable>
#include <cstdio>
#include <cstring>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>

#include "workpapers/errors.h"
#include "workpapers/sha256.h"
#include "workpapers/readers/file_descriptor.h"
#include "workpapers/readers/row_shaper.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {
namespace {

constexpr std::size_t kChunk = 1 << 20;


// Reads and hashes the file on its own thread, a few chunks ahead of the parser, so reading and
// SHA-256 overlap with parsing and inserting.
class ChunkReader {
public:
    ChunkReader(int fd, Sha256& hash) : fd_(fd), hash_(hash), buffers_(kBuffers, std::vector<char>(kChunk)) {
        for (std::size_t i = 0; i < kBuffers; ++i) free_.push_back(i);
        thread_ = std::thread([this] { run(); });
    }
    ~ChunkReader() {
        {
            std::lock_guard<std::mutex> lock(m_);
            stop_ = true;
        }
        cv_.notify_all();
        thread_.join();
    }
    ChunkReader(const ChunkReader&) = delete;
    ChunkReader& operator=(const ChunkReader&) = delete;

    // The next chunk, valid until the next call; empty at the end of the file.
    std::string_view next() {
        std::unique_lock<std::mutex> lock(m_);
        if (current_ != kNone) {
            free_.push_back(current_);
            current_ = kNone;
            cv_.notify_all();
        }
        cv_.wait(lock, [this] { return !filled_.empty(); });
        auto [index, size] = filled_.front();
        filled_.pop_front();
        if (size == 0) {
            if (!error_.empty()) throw InputError(error_);
            return {};
        }
        current_ = index;
        return {buffers_[index].data(), size};
    }

private:
    static constexpr std::size_t kBuffers = 4, kNone = static_cast<std::size_t>(-1);

    void run() {
        for (;;) {
            std::size_t index;
            {
                std::unique_lock<std::mutex> lock(m_);
                cv_.wait(lock, [this] { return stop_ || !free_.empty(); });
                if (stop_) return;
                index = free_.front();
                free_.pop_front();
            }
            ssize_t got = ::read(fd_, buffers_[index].data(), kChunk);
            std::string err = got < 0 ? std::string("read failed: ") + std::strerror(errno) : std::string();
            if (got > 0) hash_.update(buffers_[index].data(), static_cast<std::size_t>(got));
            {
                std::lock_guard<std::mutex> lock(m_);
                error_ = err;
                filled_.emplace_back(index, got > 0 ? static_cast<std::size_t>(got) : 0);
            }
            cv_.notify_all();
            if (got <= 0) return;
        }
    }

    int fd_;
    Sha256& hash_;
    std::vector<std::vector<char>> buffers_;
    std::deque<std::size_t> free_;
    std::deque<std::pair<std::size_t, std::size_t>> filled_;
    std::size_t current_ = kNone;
    std::string error_;
    bool stop_ = false;
    std::mutex m_;
    std::condition_variable cv_;
    std::thread thread_;
};

// Turns another encoding (UTF-16 as Excel's "Unicode text" writes it, Windows-1252 from older
// tools, any name iconv knows) into UTF-8, chunk by chunk.
class TextDecoder {
public:
    explicit TextDecoder(const std::string& from) : cd_(iconv_open("UTF-8", from.c_str())) {
        if (cd_ == reinterpret_cast<iconv_t>(-1)) throw std::runtime_error("iconv cannot decode " + from);
    }
    ~TextDecoder() { iconv_close(cd_); }
    TextDecoder(const TextDecoder&) = delete;
    TextDecoder& operator=(const TextDecoder&) = delete;

    // Appends the decoded text to out; false on an invalid sequence (an unpaired surrogate, a byte
    // Windows-1252 leaves undefined).
    bool decode(std::string_view in, std::string& out) {
        pending_.append(in);
        char* src = pending_.data();
        std::size_t srcLeft = pending_.size();
        std::size_t start = out.size();
        out.resize(start + srcLeft * 3 + 16);  // a Windows-1252 byte can take three UTF-8 bytes
        char* dst = out.data() + start;
        std::size_t dstLeft = out.size() - start;
        std::size_t rc = iconv(cd_, &src, &srcLeft, &dst, &dstLeft);
        int err = errno;
        out.resize(out.size() - dstLeft);
        if (rc == static_cast<std::size_t>(-1) && err == EILSEQ) return false;
        pending_.erase(0, pending_.size() - srcLeft);  // keep an incomplete code unit for the next chunk
        return true;
    }
    bool clean() const { return pending_.empty(); }

private:
    iconv_t cd_;
    std::string pending_;
};

// Checks UTF-8 as it streams past, a character split across chunks included, and notes whether any
// non-ASCII text was seen: a file that is plain ASCII up to its first invalid byte is Windows-1252.
class Utf8Stream {
public:
    // The offset of the first invalid byte in this chunk, or npos.
    std::size_t check(std::string_view chunk) {
        const auto* p = reinterpret_cast<const unsigned char*>(chunk.data());
        const std::size_t n = chunk.size();
        std::size_t i = 0;
        while (i < n) {
            if (need_ == 0) {
                while (i + 8 <= n) {
                    std::uint64_t w;
                    std::memcpy(&w, p + i, 8);
                    if (w & 0x8080808080808080ull) break;
                    i += 8;
                }
                if (i >= n) break;
                unsigned char c = p[i];
                if (c < 0x80) {
                    ++i;
                    continue;
                }
                if ((c & 0xE0) == 0xC0) need_ = 1, cp_ = c & 0x1F, min_ = 0x80;
                else if ((c & 0xF0) == 0xE0) need_ = 2, cp_ = c & 0x0F, min_ = 0x800;
                else if ((c & 0xF8) == 0xF0) need_ = 3, cp_ = c & 0x07, min_ = 0x10000;
                else return i;
                len_ = need_ + 1;
                ++i;
                continue;
            }
            if ((p[i] & 0xC0) != 0x80) return i;
            cp_ = (cp_ << 6) | (p[i] & 0x3F);
            ++i;
            if (--need_ == 0) {
                if (cp_ < min_ || cp_ > 0x10FFFF || (cp_ >= 0xD800 && cp_ <= 0xDFFF)) return i - 1;
                nonAscii_ = true;
            }
        }
        return std::string_view::npos;
    }
    bool complete() const { return need_ == 0; }
    // Whether a whole non-ASCII UTF-8 character has been seen: the file is UTF-8, not 8-bit.
    bool sawValidNonAscii() const { return nonAscii_; }
    // Forgets a character the chunk ended inside (to be checked again whole); returns its bytes so far.
    std::size_t holdIncomplete() {
        if (need_ == 0) return 0;
        std::size_t have = static_cast<std::size_t>(len_ - need_);
        need_ = 0;
        return have;
    }

private:
    int need_ = 0, len_ = 0;
    std::uint32_t cp_ = 0, min_ = 0;
    bool nonAscii_ = false;
};

// "windows-1252", "cp1252", "utf8" -> the name iconv and the record use.
std::string canonicalEncoding(std::string name) {
    std::string up;
    for (char c : name) up += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
    if (up == "UTF8" || up == "UTF-8") return "UTF-8";
    if (up == "CP1252" || up == "WINDOWS-1252" || up == "WIN1252" || up == "ANSI") return "WINDOWS-1252";
    if (up == "LATIN1" || up == "LATIN-1" || up == "ISO8859-1" || up == "ISO-8859-1") return "ISO-8859-1";
    if (up == "UTF16LE" || up == "UTF-16LE") return "UTF-16LE";
    if (up == "UTF16BE" || up == "UTF-16BE") return "UTF-16BE";
    return up;
}

class CsvTokenizer {
public:
    CsvTokenizer(const std::string& file, char delim, RowShaper& rows) : file_(file), delim_(delim), rows_(rows) {
        special_.fill(false);
        special_[static_cast<unsigned char>(delim)] = true;
        special_['\n'] = special_['\r'] = true;
    }

    void feed(const char* p, const char* end) {
        while (p < end) {
            switch (state_) {
                case State::FieldStart:
                    if (*p == '"') {
                        state_ = State::Quoted;
                        quoted_ = true;
                        quoteLine_ = line_;
                        ++p;
                        break;
                    }
                    state_ = State::Unquoted;
                    [[fallthrough]];
                case State::Unquoted: {
                    const char* q = p;
                    // A quote inside an unquoted field (5" pipe) is taken literally, as delivered.
                    while (q < end && !special_[static_cast<unsigned char>(*q)]) ++q;
                    row_.append(p, static_cast<std::size_t>(q - p));
                    checkSize();
                    p = q;
                    if (p == end) return;
                    lineEnd(*p++);
                    break;
                }
                case State::Quoted: {
                    const char* q = static_cast<const char*>(std::memchr(p, '"', end - p));
                    if (!q) q = end;
                    for (const char* n = p; (n = static_cast<const char*>(std::memchr(n, '\n', q - n))); ++n) ++line_;
                    row_.append(p, static_cast<std::size_t>(q - p));
                    checkSize();
                    p = q;
                    if (p == end) return;
                    ++p;
                    state_ = State::QuoteSeen;
                    break;
                }
                case State::QuoteSeen:
                    if (*p == '"') {
                        row_ += '"';
                        ++p;
                        state_ = State::Quoted;
                    } else if (*p == delim_ || *p == '\n' || *p == '\r') {
                        lineEnd(*p++);
                    } else {
                        throw InputError(file_ + ": line " + std::to_string(line_) + ", field " +
                                         std::to_string(cellEnds_.size() + 1) + ": unexpected character '" +
                                         std::string(1, *p) +
                                         "' after a closing quote. A quote inside a quoted field must be doubled (\"\"); "
                                         "fix the file or export it again from the source system.");
                    }
                    break;
                case State::AfterCR:
                    if (*p == '\n') ++p;
                    state_ = State::FieldStart;
                    break;
            }
        }
    }

    void finish() {
        if (state_ == State::Quoted)
            throw InputError(file_ + ": line " + std::to_string(quoteLine_) + ", field " +
                             std::to_string(cellEnds_.size() + 1) +
                             ": a quoted field opens here and is never closed before the end of the file. "
                             "The file may be cut short, or a quote inside the field is not doubled.");
        if (state_ == State::QuoteSeen || state_ == State::Unquoted || !cellEnds_.empty() || !row_.empty()) {
            cellEnds_.push_back(row_.size());
            endRecord();
        }
        state_ = State::FieldStart;
    }

    std::int64_t line() const { return line_; }

private:
    enum class State { FieldStart, Unquoted, Quoted, QuoteSeen, AfterCR };

    // Limits checked as the text arrives, before a hostile line can take the memory.
    void checkSize() {
        const std::size_t cellStart = cellEnds_.empty() ? 0 : cellEnds_.back();
        if (row_.size() - cellStart > ReadLimits::kMaxCellBytes)
            throw InputError(file_ + ": line " + std::to_string(recordLine_) + ", field " +
                             std::to_string(cellEnds_.size() + 1) +
                             ": a value of more than 1 MiB, the limit per cell" +
                             (state_ == State::Quoted ? " (a quote opened at line " + std::to_string(quoteLine_) +
                                                            " may never be closed)"
                                                      : std::string()) +
                             ". Shorten it in the source system, or check the file is the table it should be.");
        if (row_.size() > ReadLimits::kMaxRowBytes)
            throw InputError(file_ + ": line " + std::to_string(recordLine_) +
                             ": a record of more than 16 MiB, the limit per row. Check the file is the table it should be.");
    }

    void lineEnd(char c) {
        if (cellEnds_.size() >= ReadLimits::kMaxColumns)
            throw InputError(file_ + ": line " + std::to_string(recordLine_) + ": more than " +
                             std::to_string(ReadLimits::kMaxColumns) +
                             " fields, Excel's column limit. Check the delimiter, or split the table.");
        cellEnds_.push_back(row_.size());
        if (c == delim_) {
            state_ = State::FieldStart;
            return;
        }
        endRecord();
        ++line_;
        state_ = c == '\r' ? State::AfterCR : State::FieldStart;
    }

    void endRecord() {
        std::int64_t startLine = recordLine_;
        recordLine_ = line_ + 1;
        quoted_ = false;
        cells_.clear();
        std::size_t begin = 0;
        for (std::size_t e : cellEnds_) {
            cells_.emplace_back(row_.data() + begin, e - begin);
            begin = e;
        }
        rows_.row(startLine, cells_);
        row_.clear();
        cellEnds_.clear();
    }

    const std::string& file_;
    char delim_;
    RowShaper& rows_;
    std::array<bool, 256> special_{};
    State state_ = State::FieldStart;
    bool quoted_ = false;
    std::int64_t line_ = 1, recordLine_ = 1, quoteLine_ = 1;
    std::string row_;
    std::vector<std::size_t> cellEnds_;
    std::vector<std::string_view> cells_;
};

// The delimiter that occurs most often outside quotes in the first line; comma when none does.
char detectDelimiter(std::string_view text) {
    std::size_t comma = 0, semi = 0, tab = 0;
    bool inQuotes = false;
    for (char c : text) {
        if (c == '"') inQuotes = !inQuotes;
        else if (!inQuotes && (c == '\n' || c == '\r')) break;
        else if (!inQuotes && c == ',') ++comma;
        else if (!inQuotes && c == ';') ++semi;
        else if (!inQuotes && c == '\t') ++tab;
    }
    if (tab > comma && tab >= semi) return '\t';
    if (semi > comma) return ';';
    return ',';
}

std::string delimiterName(char d) { return d == '\t' ? "\\t" : std::string(1, d); }

}  // namespace

std::size_t invalidUtf8At(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // ASCII fast path, eight bytes at a time.
        while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            // Stop at any high bit or any zero byte: NUL is refused below, never let through.
            if ((w & 0x8080808080808080ull) || ((w - 0x0101010101010101ull) & ~w & 0x8080808080808080ull)) break;
            i += 8;
        }
        if (i >= n) break;
        unsigned char c = p[i];
        if (c < 0x80) {
            if (c == 0) return i;  // NUL: a UTF-16 file without BOM, or binary
            ++i;
            continue;
        }
        std::size_t len;
        std::uint32_t cp;
        if ((c & 0xE0) == 0xC0) len = 2, cp = c & 0x1F;
        else if ((c & 0xF0) == 0xE0) len = 3, cp = c & 0x0F;
        else if ((c & 0xF8) == 0xF0) len = 4, cp = c & 0x07;
        else return i;
        if (i + len > n) return i;
        for (std::size_t k = 1; k < len; ++k) {
            if ((p[i + k] & 0xC0) != 0x80) return i;
            cp = (cp << 6) | (p[i + k] & 0x3F);
        }
        if ((len == 2 && cp < 0x80) || (len == 3 && cp < 0x800) || (len == 4 && (cp < 0x10000 || cp > 0x10FFFF)) ||
            (cp >= 0xD800 && cp <= 0xDFFF))
            return i;
        i += len;
    }
    return std::string_view::npos;
}

std::size_t controlCharAt(std::string_view s) {
    const auto* p = reinterpret_cast<const unsigned char*>(s.data());
    const std::size_t n = s.size();
    std::size_t i = 0;
    while (i < n) {
        // Eight bytes at a time while none is below 0x20, DEL or a lead byte 0xC2 (of U+0080-U+00BF).
        while (i + 8 <= n) {
            std::uint64_t w;
            std::memcpy(&w, p + i, 8);
            constexpr std::uint64_t ones = 0x0101010101010101ull, highs = 0x8080808080808080ull;
            auto hasZero = [&](std::uint64_t x) { return (x - ones) & ~x & highs; };
            const std::uint64_t below20 = (w - ones * 0x20) & ~w & highs;
            if (below20 || hasZero(w ^ (ones * 0x7F)) || hasZero(w ^ (ones * 0xC2))) break;
            i += 8;
        }
        if (i >= n) break;
        const unsigned char c = p[i];
        if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F) return i;
        if (c == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 && p[i + 1] <= 0x9F) return i;
        ++i;
    }
    return std::string_view::npos;
}

std::string describeControl(std::string_view s, std::size_t at) {
    static const char* const c0[32] = {"NUL", "SOH", "STX", "ETX", "EOT", "ENQ", "ACK", "BEL", "BS",  "HT", "LF",
                                       "VT",  "FF",  "CR",  "SO",  "SI",  "DLE", "DC1", "DC2", "DC3", "DC4", "NAK",
                                       "SYN", "ETB", "CAN", "EM",  "SUB", "ESC", "FS",  "GS",  "RS",  "US"};
    unsigned cp = at < s.size() ? static_cast<unsigned char>(s[at]) : 0;
    if (cp == 0xC2 && at + 1 < s.size()) cp = static_cast<unsigned char>(s[at + 1]);
    char buf[16];
    std::snprintf(buf, sizeof buf, "U+%04X", cp);
    std::string name = cp < 0x20 ? c0[cp] : cp == 0x7F ? "DEL" : "a C1 control";
    return std::string(buf) + " (" + name + ")";
}

std::string describeColumn(const std::vector<std::string>& header, std::size_t index) {
    std::string s = "column " + std::to_string(index + 1);
    if (index < header.size() && !header[index].empty()) s += " (\"" + header[index] + "\")";
    return s;
}

SourceInfo readTextTable(const std::filesystem::path& file, const ReadOptions& options, TableHandler& handler) {
    SourceInfo info;
    info.fileName = file.string();
    info.format = "csv";
    FileDescriptor fd(file);
    struct stat st {};
    fstat(fd.get(), &st);
    info.size = static_cast<std::uint64_t>(st.st_size);

    std::optional<std::string> given;
    if (options.encoding) {
        given = canonicalEncoding(*options.encoding);
        if (*given != "UTF-8") {
            try {
                TextDecoder probe(*given);
            } catch (const std::runtime_error&) {
                throw InputError("--encoding " + *options.encoding +
                                 ": not an encoding this system can read. Use UTF-8, UTF-16LE, UTF-16BE, Windows-1252 "
                                 "or ISO-8859-1 (or any name `iconv -l` lists).");
            }
        }
    }

    Sha256 hash;
    std::string decoded, carry, joined;
    std::unique_ptr<TextDecoder> decoder;
    Utf8Stream utf8;
    RowShaper shaper(info, options, handler, true);
    std::unique_ptr<CsvTokenizer> tokenizer;
    std::uint64_t done = 0;
    bool first = true;

    auto lineAt = [&](std::string_view text, std::size_t offset) {
        std::int64_t line = tokenizer ? tokenizer->line() : 1;
        for (std::size_t i = 0; i < offset && i < text.size(); ++i) line += text[i] == '\n';
        return line;
    };

    auto feed = [&](std::string_view text) {
        if (!tokenizer) {
            char delim = options.delimiter ? *options.delimiter : detectDelimiter(text);
            info.delimiter = delimiterName(delim);
            tokenizer = std::make_unique<CsvTokenizer>(info.fileName, delim, shaper);
        }
        tokenizer->feed(text.data(), text.data() + text.size());
    };

    std::optional<ChunkReader> reader(std::in_place, fd.get(), hash);
    for (;;) {
        std::string_view chunk;
        try {
            chunk = reader->next();
        } catch (const InputError& e) {
            throw InputError(info.fileName + ": " + e.what());
        }
        if (chunk.empty()) break;
        done += chunk.size();

        if (first) {
            first = false;
            auto u = [&](std::size_t i) { return i < chunk.size() ? static_cast<unsigned char>(chunk[i]) : 0u; };
            const char* bom = nullptr;
            if (u(0) == 0xEF && u(1) == 0xBB && u(2) == 0xBF) bom = "UTF-8", chunk.remove_prefix(3);
            else if (u(0) == 0xFF && u(1) == 0xFE) bom = "UTF-16LE", chunk.remove_prefix(2);
            else if (u(0) == 0xFE && u(1) == 0xFF) bom = "UTF-16BE", chunk.remove_prefix(2);
            if (given) {
                if (bom && *given != bom)
                    throw InputError(info.fileName + ": starts with a " + bom + " byte order mark, but --encoding says " +
                                     *options.encoding + ". Leave --encoding out, or check which file this is.");
                info.encoding = (*given == "WINDOWS-1252" ? std::string("Windows-1252") : *given) + " (given)";
                if (*given != "UTF-8") decoder = std::make_unique<TextDecoder>(*given);
            } else if (bom) {
                info.encoding = std::string(bom) + " with BOM";
                if (std::string_view(bom) != "UTF-8") decoder = std::make_unique<TextDecoder>(bom);
            } else {
                info.encoding = "UTF-8";
            }
        }

        std::string_view text = chunk;
        if (!carry.empty()) {
            // The start of a character held back from the chunk before.
            joined = carry + std::string(chunk);
            carry.clear();
            chunk = joined;
            text = chunk;
        }
        if (!decoder) {
            if (std::size_t bad = utf8.check(chunk); bad != std::string_view::npos) {
                const bool detecting = !given && info.encoding == "UTF-8";
                if (!detecting || utf8.sawValidNonAscii())
                    throw InputError(info.fileName + ": line " + std::to_string(lineAt(chunk, bad)) +
                                     ": bytes that are not valid UTF-8" +
                                     (detecting ? " after UTF-8 text earlier in the file: the file mixes encodings"
                                                : std::string()) +
                                     ". Save the file as UTF-8 and import it again, or name its encoding with "
                                     "--encoding (e.g. Windows-1252).");
                // Plain ASCII up to here, then bytes UTF-8 cannot hold: an 8-bit Windows file. ASCII reads
                // the same in both, so what went before stands.
                info.encoding = "Windows-1252 (detected: not UTF-8, no byte order mark)";
                decoder = std::make_unique<TextDecoder>("WINDOWS-1252");
            } else if (!given && !utf8.sawValidNonAscii() && !utf8.complete()) {
                // A character cut by the chunk's end, before the encoding is settled: judge it whole.
                const std::size_t held = utf8.holdIncomplete();
                carry.assign(chunk.substr(chunk.size() - held));
                chunk.remove_suffix(held);
                text = chunk;
            }
        }
        if (decoder) {
            decoded.clear();
            if (!decoder->decode(chunk, decoded)) {
                std::int64_t line = (tokenizer ? tokenizer->line() : 1);
                for (char c : decoded) line += c == '\n';
                throw InputError(info.fileName + ": near line " + std::to_string(line) + ": bytes that are not valid " +
                                 info.encoding.substr(0, info.encoding.find(' ')) +
                                 ". Export the file again as UTF-8 CSV, or name its encoding with --encoding.");
            }
            text = decoded;
        }
        feed(text);
        if (options.progress) {
            options.progress->update(done, info.size);
            if (options.progress->cancelled()) throw Cancelled();
        }
    }
    reader.reset();  // the reader thread has hashed every byte once it reported the end
    if (!carry.empty()) {
        // ASCII up to the last bytes, which start a UTF-8 character and end the file: 8-bit text.
        info.encoding = "Windows-1252 (detected: not UTF-8, no byte order mark)";
        decoder = std::make_unique<TextDecoder>("WINDOWS-1252");
        decoded.clear();
        if (!decoder->decode(carry, decoded))
            throw InputError(info.fileName + ": its last bytes are neither UTF-8 nor Windows-1252; the file is cut short "
                                             "or not text.");
        feed(decoded);
    }
    if (decoder && !decoder->clean())
        throw InputError(info.fileName + ": ends in the middle of a character; the file is cut short.");
    if (!decoder && !utf8.complete())
        throw InputError(info.fileName + ": ends in the middle of a UTF-8 character; the file is cut short.");
    if (!tokenizer) throw InputError(info.fileName + ": the file is empty; its first line must name the columns.");
    tokenizer->finish();
    shaper.finish();
    info.sha256 = hash.hexDigest();
    return info;
}

}  // namespace tickmark

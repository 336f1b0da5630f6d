#include "workpapers/block_codec.h"

#include <lz4frame.h>

#include <memory>
#include <stdexcept>

namespace tickmark {
namespace {

// 256 records of at most 16,384 cells of at most 1 MiB each are far beyond any real block, so a
// frame stating more than this is damage, not data, and is refused before anything is allocated.
constexpr unsigned long long kMaxBlockBytes = 1ULL << 30;

bool isFrame(std::string_view s) {
    return s.size() >= 4 && static_cast<unsigned char>(s[0]) == 0x04 && static_cast<unsigned char>(s[1]) == 0x22 &&
           static_cast<unsigned char>(s[2]) == 0x4D && static_cast<unsigned char>(s[3]) == 0x18;
}

[[noreturn]] void damaged(const std::string& why) { throw std::runtime_error("population block is damaged (" + why + ")"); }

struct DctxFree {
    void operator()(LZ4F_dctx* d) const { LZ4F_freeDecompressionContext(d); }
};

}  // namespace

void packBlock(std::string_view raw, std::string& out) {
    LZ4F_preferences_t prefs = LZ4F_INIT_PREFERENCES;
    prefs.frameInfo.contentSize = raw.size();  // stated in the header: the reader sizes its buffer once
    prefs.frameInfo.blockSizeID = LZ4F_max4MB;
    // A checksum of the content (xxHash32, a few GB/s): a damaged block is refused when it is read,
    // not only when the records digest is verified.
    prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
    out.resize(LZ4F_compressFrameBound(raw.size(), &prefs));
    const std::size_t n = LZ4F_compressFrame(out.data(), out.size(), raw.data(), raw.size(), &prefs);
    if (LZ4F_isError(n)) throw std::runtime_error(std::string("compressing a population block: ") + LZ4F_getErrorName(n));
    out.resize(n);
}

std::string_view unpackBlock(std::string_view stored, std::string& scratch) {
    if (!isFrame(stored)) return stored;
    thread_local std::unique_ptr<LZ4F_dctx, DctxFree> dctx([] {
        LZ4F_dctx* d = nullptr;
        if (LZ4F_isError(LZ4F_createDecompressionContext(&d, LZ4F_VERSION))) throw std::bad_alloc();
        return d;
    }());
    LZ4F_resetDecompressionContext(dctx.get());
    LZ4F_frameInfo_t info = LZ4F_INIT_FRAMEINFO;
    std::size_t consumed = stored.size();
    std::size_t r = LZ4F_getFrameInfo(dctx.get(), &info, stored.data(), &consumed);
    if (LZ4F_isError(r)) damaged(LZ4F_getErrorName(r));
    if (info.contentSize == 0 || info.contentSize > kMaxBlockBytes) damaged("its frame states no size, or an impossible one");
    scratch.resize(static_cast<std::size_t>(info.contentSize));
    std::size_t produced = 0, at = consumed;
    while (at < stored.size()) {
        std::size_t out = scratch.size() - produced, in = stored.size() - at;
        r = LZ4F_decompress(dctx.get(), scratch.data() + produced, &out, stored.data() + at, &in, nullptr);
        if (LZ4F_isError(r)) damaged(LZ4F_getErrorName(r));
        produced += out;
        at += in;
        if (r == 0) break;  // the frame is complete
        if (in == 0 && out == 0) damaged("its frame is cut short");
    }
    if (r != 0 || at != stored.size() || produced != scratch.size()) damaged("it does not hold the size its frame states");
    return scratch;
}

}  // namespace tickmark

#include "workpapers/store/crypt_vfs.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <sqlite3.h>

#include <cstdio>
#include <algorithm>
#include <cstring>
#include <map>
#include <mutex>
#include <new>
#include <stdexcept>

namespace tickmark::store {
namespace {

constexpr int kNonce = 12, kTag = 16;
constexpr int kWalHeader = 32, kFrameHeader = 24;
constexpr sqlite3_int64 kFrameSize = kFrameHeader + kCryptPageSize;
// File-control operations of this VFS (SQLite's own are small numbers).
constexpr int kOpReadHeader = 0x544B4801, kOpWriteHeader = 0x544B4802;
static_assert(kCryptReserve == kNonce + kTag);

enum Kind : unsigned char { kMain = 1, kWal = 2, kJournal = 3 };

std::mutex registryMutex;
std::map<std::string, std::pair<std::string, int>>& registry() {  // file id -> key, registrations
    static std::map<std::string, std::pair<std::string, int>> r;
    return r;
}
thread_local const NewFileKey* pendingNewFile = nullptr;

sqlite3_vfs* realVfs = nullptr;

struct CryptFile {
    sqlite3_file base;
    sqlite3_file* real;
    Kind kind;
    unsigned char key[32];
    EVP_CIPHER_CTX* enc;
    EVP_CIPHER_CTX* dec;
    unsigned char* buf;  // one frame: header + page
    // The last frame header (WAL) or page number (journal) written, and where: the content written next
    // is bound to it.
    unsigned char lastHeader[kFrameHeader];
    sqlite3_int64 lastHeaderOffset;
};

constexpr int alignedSize(int n) { return (n + 15) & ~15; }

CryptFile* self(sqlite3_file* f) { return reinterpret_cast<CryptFile*>(f); }
const sqlite3_io_methods* realMethods(CryptFile* f) { return f->real->pMethods; }

void put32(unsigned char* p, std::uint32_t v) {
    p[0] = static_cast<unsigned char>(v >> 24), p[1] = static_cast<unsigned char>(v >> 16);
    p[2] = static_cast<unsigned char>(v >> 8), p[3] = static_cast<unsigned char>(v);
}
void put64(unsigned char* p, std::uint64_t v) {
    put32(p, static_cast<std::uint32_t>(v >> 32));
    put32(p + 4, static_cast<std::uint32_t>(v));
}

// The associated data a page is sealed with: "TMK1", the kind of file, then where the page belongs.
struct Aad {
    unsigned char b[4 + 1 + 8 + 8] = {'T', 'M', 'K', '1'};
    int n = 5;
};
Aad mainAad(std::uint64_t pgno) {
    Aad a;
    a.b[4] = kMain;
    put64(a.b + 5, pgno);
    a.n = 13;
    return a;
}
Aad walAad(std::uint64_t frame, const unsigned char* frameHeader) {
    Aad a;
    a.b[4] = kWal;
    put64(a.b + 5, frame);
    // The page number and commit size. Not the salts and checksums: SQLite writes them as zeros in a
    // transaction that rewrote a frame in place, and fills them in at its commit, content untouched.
    std::memcpy(a.b + 13, frameHeader, 8);
    a.n = 21;
    return a;
}
Aad journalAad(std::uint64_t offset, const unsigned char* pgno) {
    Aad a;
    a.b[4] = kJournal;
    put64(a.b + 5, offset);
    std::memcpy(a.b + 13, pgno, 4);
    a.n = 17;
    return a;
}

// Seals page[0 .. size-28) in place; the nonce and tag go into the last 28 bytes, which SQLite leaves
// unused (refused when it did not: the page would lose what it holds there).
int sealPage(CryptFile* f, unsigned char* page, const Aad& aad) {
    static const unsigned char zero[kCryptReserve] = {};
    unsigned char* tail = page + kCryptPageSize - kCryptReserve;
    if (std::memcmp(tail, zero, kCryptReserve) != 0) {
        sqlite3_log(SQLITE_IOERR_WRITE, "tickmark-crypt: a page without room for its tag (reserved bytes in use)");
        return SQLITE_IOERR_WRITE;
    }
    int len = 0;
    if (RAND_bytes(tail, kNonce) != 1 || EVP_EncryptInit_ex(f->enc, nullptr, nullptr, nullptr, tail) != 1 ||
        EVP_EncryptUpdate(f->enc, nullptr, &len, aad.b, aad.n) != 1 ||
        EVP_EncryptUpdate(f->enc, page, &len, page, kCryptPageSize - kCryptReserve) != 1 ||
        EVP_EncryptFinal_ex(f->enc, page + len, &len) != 1 ||
        EVP_CIPHER_CTX_ctrl(f->enc, EVP_CTRL_GCM_GET_TAG, kTag, tail + kNonce) != 1)
        return SQLITE_IOERR_WRITE;
    return SQLITE_OK;
}

// Opens a sealed page in place; the reserved bytes read back as the zeros SQLite wrote.
bool openPage(CryptFile* f, unsigned char* page, const Aad& aad) {
    unsigned char* tail = page + kCryptPageSize - kCryptReserve;
    int len = 0;
    const bool ok = EVP_DecryptInit_ex(f->dec, nullptr, nullptr, nullptr, tail) == 1 &&
                    EVP_DecryptUpdate(f->dec, nullptr, &len, aad.b, aad.n) == 1 &&
                    EVP_DecryptUpdate(f->dec, page, &len, page, kCryptPageSize - kCryptReserve) == 1 &&
                    EVP_CIPHER_CTX_ctrl(f->dec, EVP_CTRL_GCM_SET_TAG, kTag, tail + kNonce) == 1 &&
                    EVP_DecryptFinal_ex(f->dec, page + len, &len) == 1;
    std::memset(tail, 0, kCryptReserve);
    return ok;
}

int corrupt(const char* what, sqlite3_int64 where) {
    sqlite3_log(SQLITE_IOERR_DATA, "tickmark-crypt: %s at %lld failed authentication", what, static_cast<long long>(where));
    return SQLITE_IOERR_DATA;
}

// ---- main database file: a page at a time, after the header ----

int mainReadPage(CryptFile* f, sqlite3_int64 index, unsigned char* out) {
    int rc = realMethods(f)->xRead(f->real, out, kCryptPageSize, kHeaderSize + index * kCryptPageSize);
    if (rc == SQLITE_IOERR_SHORT_READ) {
        sqlite3_int64 size = 0;
        realMethods(f)->xFileSize(f->real, &size);
        if (size <= kHeaderSize + index * kCryptPageSize) return SQLITE_IOERR_SHORT_READ;  // past the end
        return corrupt("a torn page", index + 1);
    }
    if (rc != SQLITE_OK) return rc;
    return openPage(f, out, mainAad(static_cast<std::uint64_t>(index) + 1)) ? SQLITE_OK : corrupt("page", index + 1);
}

int mainRead(CryptFile* f, unsigned char* out, int amount, sqlite3_int64 offset) {
    const sqlite3_int64 end = offset + amount;
    for (sqlite3_int64 index = offset / kCryptPageSize; index * kCryptPageSize < end; ++index) {
        const sqlite3_int64 pageStart = index * kCryptPageSize;
        const sqlite3_int64 from = std::max(offset, pageStart), to = std::min(end, pageStart + kCryptPageSize);
        int rc = mainReadPage(f, index, f->buf);
        if (rc == SQLITE_IOERR_SHORT_READ) {
            std::memset(out + (from - offset), 0, static_cast<std::size_t>(end - from));
            return rc;
        }
        if (rc != SQLITE_OK) return rc;
        std::memcpy(out + (from - offset), f->buf + (from - pageStart), static_cast<std::size_t>(to - from));
    }
    return SQLITE_OK;
}

int mainWrite(CryptFile* f, const unsigned char* in, int amount, sqlite3_int64 offset) {
    const sqlite3_int64 end = offset + amount;
    for (sqlite3_int64 index = offset / kCryptPageSize; index * kCryptPageSize < end; ++index) {
        const sqlite3_int64 pageStart = index * kCryptPageSize;
        const sqlite3_int64 from = std::max(offset, pageStart), to = std::min(end, pageStart + kCryptPageSize);
        if (to - from != kCryptPageSize) {  // part of a page: read, change, seal again
            int rc = mainReadPage(f, index, f->buf);
            if (rc == SQLITE_IOERR_SHORT_READ) std::memset(f->buf, 0, kCryptPageSize);
            else if (rc != SQLITE_OK) return rc;
        }
        std::memcpy(f->buf + (from - pageStart), in + (from - offset), static_cast<std::size_t>(to - from));
        if (index == 0 && f->buf[20] != kCryptReserve) {
            sqlite3_log(SQLITE_IOERR_WRITE, "tickmark-crypt: page 1 declares %d reserved bytes, not %d", f->buf[20], kCryptReserve);
            return SQLITE_IOERR_WRITE;
        }
        if (int rc = sealPage(f, f->buf, mainAad(static_cast<std::uint64_t>(index) + 1)); rc != SQLITE_OK) return rc;
        if (int rc = realMethods(f)->xWrite(f->real, f->buf, kCryptPageSize, kHeaderSize + pageStart); rc != SQLITE_OK) return rc;
    }
    return SQLITE_OK;
}

// ---- WAL: plain 32-byte header and 24-byte frame headers, sealed page content ----

bool walFrame(sqlite3_int64 offset, sqlite3_int64& frame, sqlite3_int64& within) {
    if (offset < kWalHeader) return false;
    frame = (offset - kWalHeader) / kFrameSize;
    within = (offset - kWalHeader) % kFrameSize;
    return true;
}

int walRead(CryptFile* f, unsigned char* out, int amount, sqlite3_int64 offset) {
    sqlite3_int64 frame = 0, within = 0;
    if (offset + amount <= kWalHeader) return realMethods(f)->xRead(f->real, out, amount, offset);
    if (!walFrame(offset, frame, within)) return SQLITE_IOERR_READ;
    // Within a frame header: a whole one, or the previous frame's checksums (SQLite reads those 8 bytes to
    // fill in the checksums of frames written in place).
    if (within + amount <= kFrameHeader) return realMethods(f)->xRead(f->real, out, amount, offset);
    const bool whole = within == 0 && amount == kFrameSize;
    if (!whole && !(within == kFrameHeader && amount == kCryptPageSize)) {
        sqlite3_log(SQLITE_IOERR_READ, "tickmark-crypt: a WAL read of %d bytes at %lld", amount, static_cast<long long>(offset));
        return SQLITE_IOERR_READ;
    }
    const sqlite3_int64 start = kWalHeader + frame * kFrameSize;
    int rc = realMethods(f)->xRead(f->real, f->buf, static_cast<int>(kFrameSize), start);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_IOERR_SHORT_READ) std::memset(out, 0, static_cast<std::size_t>(amount));
        return rc;
    }
    const bool ok = openPage(f, f->buf + kFrameHeader, walAad(static_cast<std::uint64_t>(frame), f->buf));
    if (!ok && !whole) return corrupt("WAL frame", frame + 1);
    // A whole frame is read when SQLite recovers the WAL: one that does not open (torn by a crash, or
    // altered) is handed back as it is, fails SQLite's own checksum and ends the log there.
    std::memcpy(out, whole ? f->buf : f->buf + kFrameHeader, static_cast<std::size_t>(amount));
    return SQLITE_OK;
}

int walWrite(CryptFile* f, const unsigned char* in, int amount, sqlite3_int64 offset) {
    sqlite3_int64 frame = 0, within = 0;
    if (offset + amount <= kWalHeader) return realMethods(f)->xWrite(f->real, in, amount, offset);
    if (!walFrame(offset, frame, within)) return SQLITE_IOERR_WRITE;
    if (within == 0 && amount == kFrameHeader) {
        std::memcpy(f->lastHeader, in, kFrameHeader);
        f->lastHeaderOffset = offset;
        return realMethods(f)->xWrite(f->real, in, amount, offset);
    }
    const sqlite3_int64 start = kWalHeader + frame * kFrameSize;
    if (within == 0 && amount == kFrameSize) {
        std::memcpy(f->buf, in, static_cast<std::size_t>(kFrameSize));
    } else if (within == kFrameHeader && amount == kCryptPageSize) {
        if (f->lastHeaderOffset == start) std::memcpy(f->buf, f->lastHeader, kFrameHeader);
        else if (int rc = realMethods(f)->xRead(f->real, f->buf, kFrameHeader, start); rc != SQLITE_OK) return rc;
        std::memcpy(f->buf + kFrameHeader, in, kCryptPageSize);
    } else {
        sqlite3_log(SQLITE_IOERR_WRITE, "tickmark-crypt: a WAL write of %d bytes at %lld", amount, static_cast<long long>(offset));
        return SQLITE_IOERR_WRITE;
    }
    if (int rc = sealPage(f, f->buf + kFrameHeader, walAad(static_cast<std::uint64_t>(frame), f->buf)); rc != SQLITE_OK) return rc;
    return realMethods(f)->xWrite(f->real, f->buf + (within == 0 ? 0 : kFrameHeader), amount, offset);
}

// ---- rollback journal: plain headers, page numbers and checksums; sealed page content ----
// A page's content is a page-sized run 4 bytes after its page number: at an offset that is 4 more than a
// multiple of 8 (headers are sector-aligned, records page size + 8 long).

bool journalContent(int amount, sqlite3_int64 offset) { return amount == kCryptPageSize && offset % 8 == 4; }

int journalRead(CryptFile* f, unsigned char* out, int amount, sqlite3_int64 offset) {
    if (!journalContent(amount, offset)) return realMethods(f)->xRead(f->real, out, amount, offset);
    int rc = realMethods(f)->xRead(f->real, f->buf, kCryptPageSize + 4, offset - 4);
    if (rc != SQLITE_OK) {
        if (rc == SQLITE_IOERR_SHORT_READ) std::memset(out, 0, static_cast<std::size_t>(amount));
        return rc;
    }
    if (!openPage(f, f->buf + 4, journalAad(static_cast<std::uint64_t>(offset), f->buf))) return corrupt("journal page", offset);
    std::memcpy(out, f->buf + 4, kCryptPageSize);
    return SQLITE_OK;
}

int journalWrite(CryptFile* f, const unsigned char* in, int amount, sqlite3_int64 offset) {
    if (!journalContent(amount, offset)) {
        if (amount == 4) std::memcpy(f->lastHeader, in, 4), f->lastHeaderOffset = offset;
        return realMethods(f)->xWrite(f->real, in, amount, offset);
    }
    if (f->lastHeaderOffset == offset - 4) std::memcpy(f->buf, f->lastHeader, 4);
    else if (int rc = realMethods(f)->xRead(f->real, f->buf, 4, offset - 4); rc != SQLITE_OK) return rc;
    std::memcpy(f->buf + 4, in, kCryptPageSize);
    if (int rc = sealPage(f, f->buf + 4, journalAad(static_cast<std::uint64_t>(offset), f->buf)); rc != SQLITE_OK) return rc;
    return realMethods(f)->xWrite(f->real, f->buf + 4, kCryptPageSize, offset);
}

// ---- io methods ----

int xClose(sqlite3_file* file) {
    CryptFile* f = self(file);
    int rc = realMethods(f) ? realMethods(f)->xClose(f->real) : SQLITE_OK;
    EVP_CIPHER_CTX_free(f->enc);
    EVP_CIPHER_CTX_free(f->dec);
    if (f->buf) {
        OPENSSL_cleanse(f->buf, static_cast<std::size_t>(kFrameSize) + 4);
        sqlite3_free(f->buf);
    }
    OPENSSL_cleanse(f->key, sizeof f->key);
    return rc;
}

int xRead(sqlite3_file* file, void* out, int amount, sqlite3_int64 offset) {
    CryptFile* f = self(file);
    auto* o = static_cast<unsigned char*>(out);
    switch (f->kind) {
        case kMain: return mainRead(f, o, amount, offset);
        case kWal: return walRead(f, o, amount, offset);
        default: return journalRead(f, o, amount, offset);
    }
}

int xWrite(sqlite3_file* file, const void* in, int amount, sqlite3_int64 offset) {
    CryptFile* f = self(file);
    auto* i = static_cast<const unsigned char*>(in);
    switch (f->kind) {
        case kMain: return mainWrite(f, i, amount, offset);
        case kWal: return walWrite(f, i, amount, offset);
        default: return journalWrite(f, i, amount, offset);
    }
}

sqlite3_int64 hidden(CryptFile* f) { return f->kind == kMain ? kHeaderSize : 0; }

int xTruncate(sqlite3_file* file, sqlite3_int64 size) {
    CryptFile* f = self(file);
    return realMethods(f)->xTruncate(f->real, size + hidden(f));
}
int xSync(sqlite3_file* file, int flags) { return realMethods(self(file))->xSync(self(file)->real, flags); }
int xFileSize(sqlite3_file* file, sqlite3_int64* size) {
    CryptFile* f = self(file);
    int rc = realMethods(f)->xFileSize(f->real, size);
    if (rc == SQLITE_OK) *size = std::max<sqlite3_int64>(0, *size - hidden(f));
    return rc;
}
int xLock(sqlite3_file* file, int lock) { return realMethods(self(file))->xLock(self(file)->real, lock); }
int xUnlock(sqlite3_file* file, int lock) { return realMethods(self(file))->xUnlock(self(file)->real, lock); }
int xCheckReservedLock(sqlite3_file* file, int* out) {
    return realMethods(self(file))->xCheckReservedLock(self(file)->real, out);
}
int xFileControl(sqlite3_file* file, int op, void* arg) {
    CryptFile* f = self(file);
    if (op == kOpReadHeader || op == kOpWriteHeader) {
        if (f->kind != kMain) return SQLITE_NOTFOUND;
        auto* s = static_cast<std::string*>(arg);
        if (op == kOpReadHeader) {
            s->assign(static_cast<std::size_t>(kHeaderSize), '\0');
            return realMethods(f)->xRead(f->real, s->data(), static_cast<int>(kHeaderSize), 0);
        }
        if (s->size() != static_cast<std::size_t>(kHeaderSize)) return SQLITE_MISUSE;
        int rc = realMethods(f)->xWrite(f->real, s->data(), static_cast<int>(kHeaderSize), 0);
        return rc == SQLITE_OK ? realMethods(f)->xSync(f->real, SQLITE_SYNC_FULL) : rc;
    }
    if (op == SQLITE_FCNTL_SIZE_HINT && f->kind == kMain) {
        sqlite3_int64 size = *static_cast<sqlite3_int64*>(arg) + kHeaderSize;
        return realMethods(f)->xFileControl(f->real, op, &size);
    }
    return realMethods(f)->xFileControl(f->real, op, arg);
}
int xSectorSize(sqlite3_file* file) { return realMethods(self(file))->xSectorSize(self(file)->real); }
int xDeviceCharacteristics(sqlite3_file* file) {
    return realMethods(self(file))->xDeviceCharacteristics(self(file)->real) &
           ~(SQLITE_IOCAP_ATOMIC | SQLITE_IOCAP_ATOMIC512 | SQLITE_IOCAP_ATOMIC1K | SQLITE_IOCAP_ATOMIC2K |
             SQLITE_IOCAP_ATOMIC4K | SQLITE_IOCAP_ATOMIC8K | SQLITE_IOCAP_ATOMIC16K | SQLITE_IOCAP_ATOMIC32K |
             SQLITE_IOCAP_ATOMIC64K | SQLITE_IOCAP_BATCH_ATOMIC);
}
int xShmMap(sqlite3_file* file, int page, int size, int extend, void volatile** out) {
    return realMethods(self(file))->xShmMap(self(file)->real, page, size, extend, out);
}
int xShmLock(sqlite3_file* file, int offset, int n, int flags) {
    return realMethods(self(file))->xShmLock(self(file)->real, offset, n, flags);
}
void xShmBarrier(sqlite3_file* file) { realMethods(self(file))->xShmBarrier(self(file)->real); }
int xShmUnmap(sqlite3_file* file, int deleteFlag) { return realMethods(self(file))->xShmUnmap(self(file)->real, deleteFlag); }

// Version 2: shared memory for WAL, but no xFetch, so SQLite never maps the (encrypted) file into memory.
const sqlite3_io_methods kMethods = {2, xClose, xRead, xWrite, xTruncate, xSync, xFileSize, xLock, xUnlock,
                                     xCheckReservedLock, xFileControl, xSectorSize, xDeviceCharacteristics,
                                     xShmMap, xShmLock, xShmBarrier, xShmUnmap, nullptr, nullptr};

bool hasMagic(const std::string& start) { return start.rfind("Tickmark encrypted engagement\n", 0) == 0; }

int openFailed(CryptFile* f, int rc, const char* why, const char* name) {
    sqlite3_log(rc, "tickmark-crypt: %s: %s", name ? name : "(temporary file)", why);
    if (f->real->pMethods) f->real->pMethods->xClose(f->real);
    f->real->pMethods = nullptr;
    return rc;
}

int xOpen(sqlite3_vfs*, const char* name, sqlite3_file* file, int flags, int* outFlags) {
    CryptFile* f = self(file);
    std::memset(f, 0, sizeof *f);
    f->real = reinterpret_cast<sqlite3_file*>(reinterpret_cast<char*>(f) + alignedSize(sizeof(CryptFile)));
    f->lastHeaderOffset = -1;
    const int type = flags & (SQLITE_OPEN_MAIN_DB | SQLITE_OPEN_TEMP_DB | SQLITE_OPEN_TRANSIENT_DB | SQLITE_OPEN_MAIN_JOURNAL |
                              SQLITE_OPEN_TEMP_JOURNAL | SQLITE_OPEN_SUBJOURNAL | SQLITE_OPEN_SUPER_JOURNAL | SQLITE_OPEN_WAL);
    if (!name || (type != SQLITE_OPEN_MAIN_DB && type != SQLITE_OPEN_WAL && type != SQLITE_OPEN_MAIN_JOURNAL)) {
        sqlite3_log(SQLITE_CANTOPEN, "tickmark-crypt: refusing a temporary or super-journal file (flags %x)", flags);
        return SQLITE_CANTOPEN;
    }
    if (int rc = realVfs->xOpen(realVfs, name, f->real, flags, outFlags); rc != SQLITE_OK) {
        f->real->pMethods = nullptr;
        return rc;
    }
    if (type == SQLITE_OPEN_MAIN_DB) {
        f->kind = kMain;
        sqlite3_int64 size = 0;
        if (int rc = f->real->pMethods->xFileSize(f->real, &size); rc != SQLITE_OK) return openFailed(f, rc, "no size", name);
        if (size == 0) {
            if (!pendingNewFile) return openFailed(f, SQLITE_CANTOPEN, "a new file, and no key for it", name);
            const std::string& h = pendingNewFile->header;
            if (int rc = f->real->pMethods->xWrite(f->real, h.data(), static_cast<int>(h.size()), 0); rc != SQLITE_OK)
                return openFailed(f, rc, "cannot write the key header", name);
            std::memcpy(f->key, pendingNewFile->key.data(), 32);
        } else {
            std::string start(static_cast<std::size_t>(kHeaderSize), '\0');
            if (size < kHeaderSize ||
                f->real->pMethods->xRead(f->real, start.data(), static_cast<int>(kHeaderSize), 0) != SQLITE_OK || !hasMagic(start))
                return openFailed(f, SQLITE_NOTADB, "not an encrypted engagement file", name);
            const std::string fileId = start.substr(48, 16);
            std::lock_guard<std::mutex> lock(registryMutex);
            auto it = registry().find(fileId);
            if (it == registry().end()) return openFailed(f, SQLITE_AUTH, "its key is not unlocked", name);
            std::memcpy(f->key, it->second.first.data(), 32);
        }
    } else {
        sqlite3_file* main = sqlite3_database_file_object(name);
        if (!main || main->pMethods != &kMethods) return openFailed(f, SQLITE_CANTOPEN, "a journal of a file not opened by this VFS", name);
        f->kind = type == SQLITE_OPEN_WAL ? kWal : kJournal;
        std::memcpy(f->key, self(main)->key, 32);
    }
    f->enc = EVP_CIPHER_CTX_new();
    f->dec = EVP_CIPHER_CTX_new();
    f->buf = static_cast<unsigned char*>(sqlite3_malloc64(static_cast<sqlite3_uint64>(kFrameSize) + 4));
    if (!f->enc || !f->dec || !f->buf || EVP_EncryptInit_ex(f->enc, EVP_aes_256_gcm(), nullptr, f->key, nullptr) != 1 ||
        EVP_DecryptInit_ex(f->dec, EVP_aes_256_gcm(), nullptr, f->key, nullptr) != 1) {
        f->base.pMethods = &kMethods;  // xClose frees what was made
        return SQLITE_NOMEM;
    }
    f->base.pMethods = &kMethods;
    return SQLITE_OK;
}

int xDelete(sqlite3_vfs*, const char* name, int syncDir) { return realVfs->xDelete(realVfs, name, syncDir); }
int xAccess(sqlite3_vfs*, const char* name, int flags, int* out) { return realVfs->xAccess(realVfs, name, flags, out); }
int xFullPathname(sqlite3_vfs*, const char* name, int n, char* out) { return realVfs->xFullPathname(realVfs, name, n, out); }
void* xDlOpen(sqlite3_vfs*, const char* name) { return realVfs->xDlOpen(realVfs, name); }
void xDlError(sqlite3_vfs*, int n, char* out) { realVfs->xDlError(realVfs, n, out); }
void (*xDlSym(sqlite3_vfs*, void* h, const char* sym))(void) { return realVfs->xDlSym(realVfs, h, sym); }
void xDlClose(sqlite3_vfs*, void* h) { realVfs->xDlClose(realVfs, h); }
int xRandomness(sqlite3_vfs*, int n, char* out) { return realVfs->xRandomness(realVfs, n, out); }
int xSleep(sqlite3_vfs*, int us) { return realVfs->xSleep(realVfs, us); }
int xCurrentTime(sqlite3_vfs*, double* t) { return realVfs->xCurrentTime(realVfs, t); }
int xGetLastError(sqlite3_vfs*, int n, char* out) { return realVfs->xGetLastError(realVfs, n, out); }
int xCurrentTimeInt64(sqlite3_vfs*, sqlite3_int64* t) { return realVfs->xCurrentTimeInt64(realVfs, t); }

sqlite3_vfs cryptVfs;

}  // namespace

const char* cryptVfsName() {
    static const char* name = [] {
        realVfs = sqlite3_vfs_find(nullptr);
        if (!realVfs) throw std::runtime_error("SQLite has no default VFS");
        cryptVfs.iVersion = 2;
        cryptVfs.szOsFile = alignedSize(sizeof(CryptFile)) + realVfs->szOsFile;
        cryptVfs.mxPathname = realVfs->mxPathname;
        cryptVfs.zName = "tickmark-crypt";
        cryptVfs.xOpen = xOpen;
        cryptVfs.xDelete = xDelete;
        cryptVfs.xAccess = xAccess;
        cryptVfs.xFullPathname = xFullPathname;
        cryptVfs.xDlOpen = xDlOpen;
        cryptVfs.xDlError = xDlError;
        cryptVfs.xDlSym = xDlSym;
        cryptVfs.xDlClose = xDlClose;
        cryptVfs.xRandomness = xRandomness;
        cryptVfs.xSleep = xSleep;
        cryptVfs.xCurrentTime = xCurrentTime;
        cryptVfs.xGetLastError = xGetLastError;
        cryptVfs.xCurrentTimeInt64 = xCurrentTimeInt64;
        if (sqlite3_vfs_register(&cryptVfs, 0) != SQLITE_OK) throw std::runtime_error("cannot register the encryption VFS");
        return cryptVfs.zName;
    }();
    return name;
}

KeyRegistration::KeyRegistration(std::string fileId, const std::string& key) : fileId_(std::move(fileId)) {
    if (key.size() != 32) throw std::invalid_argument("an engagement key is 32 bytes");
    std::lock_guard<std::mutex> lock(registryMutex);
    auto& e = registry()[fileId_];
    e.first = key;
    ++e.second;
}

KeyRegistration::~KeyRegistration() {
    std::lock_guard<std::mutex> lock(registryMutex);
    auto it = registry().find(fileId_);
    if (it != registry().end() && --it->second.second == 0) {
        OPENSSL_cleanse(it->second.first.data(), it->second.first.size());
        registry().erase(it);
    }
}

NewFileKey::NewFileKey(std::string h, std::string k) : header(std::move(h)), key(std::move(k)), previous_(pendingNewFile) {
    if (header.size() != static_cast<std::size_t>(kHeaderSize) || key.size() != 32)
        throw std::invalid_argument("a new encrypted file needs its header and a 32-byte key");
    pendingNewFile = this;
}
NewFileKey::~NewFileKey() { pendingNewFile = previous_; }

std::string readFileStart(const std::string& path) {
    cryptVfsName();
    std::string mem(static_cast<std::size_t>(realVfs->szOsFile), '\0');
    auto* file = reinterpret_cast<sqlite3_file*>(mem.data());
    std::string full(static_cast<std::size_t>(realVfs->mxPathname) + 1, '\0');
    if (realVfs->xFullPathname(realVfs, path.c_str(), realVfs->mxPathname + 1, full.data()) != SQLITE_OK) return {};
    int out = 0;
    if (realVfs->xOpen(realVfs, full.c_str(), file, SQLITE_OPEN_READONLY | SQLITE_OPEN_MAIN_DB, &out) != SQLITE_OK) {
        if (file->pMethods) file->pMethods->xClose(file);
        return {};
    }
    std::string start(static_cast<std::size_t>(kHeaderSize), '\0');
    const int rc = file->pMethods->xRead(file, start.data(), static_cast<int>(kHeaderSize), 0);
    file->pMethods->xClose(file);
    return rc == SQLITE_OK ? start : std::string();
}

std::string readHeader(sqlite3* db) {
    std::string h;
    if (int rc = sqlite3_file_control(db, "main", kOpReadHeader, &h); rc != SQLITE_OK)
        throw std::runtime_error("cannot read the key header (" + std::string(sqlite3_errstr(rc)) + ")");
    return h;
}

void writeHeader(sqlite3* db, const std::string& header) {
    std::string h = header;
    if (int rc = sqlite3_file_control(db, "main", kOpWriteHeader, &h); rc != SQLITE_OK)
        throw std::runtime_error("cannot write the key header (" + std::string(sqlite3_errstr(rc)) + ")");
}

void copyDecrypted(sqlite3* from, const std::string& to) {
    sqlite3* out = nullptr;
    int rc = sqlite3_open_v2(to.c_str(), &out, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, nullptr);
    std::string error;
    if (rc == SQLITE_OK) {
        sqlite3_backup* b = sqlite3_backup_init(out, "main", from, "main");
        if (!b) {
            rc = sqlite3_errcode(out);
        } else {
            rc = sqlite3_backup_step(b, -1);
            const int fin = sqlite3_backup_finish(b);
            rc = rc == SQLITE_DONE ? fin : rc;
        }
        if (rc == SQLITE_OK) rc = sqlite3_exec(out, "PRAGMA journal_mode = WAL", nullptr, nullptr, nullptr);
    }
    if (rc != SQLITE_OK) error = out ? sqlite3_errmsg(out) : sqlite3_errstr(rc);
    sqlite3_close(out);
    if (rc != SQLITE_OK) {
        std::remove(to.c_str());
        throw std::runtime_error(to + ": the plain copy failed: " + error);
    }
}

void copyEncrypted(const std::string& from, const std::string& to, const std::string& header, const std::string& key) {
    NewFileKey newFile(header, key);
    std::string uri = "file:";
    for (unsigned char c : to) {
        static const char* hex = "0123456789ABCDEF";
        if (c == '?' || c == '#' || c == '%' || c < 0x20) uri += '%', uri += hex[c >> 4], uri += hex[c & 15];
        else uri += static_cast<char>(c);
    }
    uri += std::string("?vfs=") + cryptVfsName();
    sqlite3* src = nullptr;
    // A connection of its own, read-only, that takes a URI: VACUUM INTO then names the target's VFS.
    int rc = sqlite3_open_v2(from.c_str(), &src, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI, nullptr);
    std::string error;
    if (rc == SQLITE_OK) {
        // What the copy is made with: 16 KiB pages, and room for the nonce and tag at the end of each.
        sqlite3_exec(src, "PRAGMA page_size = 16384", nullptr, nullptr, nullptr);
        int reserve = kCryptReserve;
        sqlite3_file_control(src, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve);
        sqlite3_stmt* st = nullptr;
        rc = sqlite3_prepare_v2(src, "VACUUM INTO ?", -1, &st, nullptr);
        if (rc == SQLITE_OK) {
            sqlite3_bind_text(st, 1, uri.c_str(), -1, SQLITE_TRANSIENT);
            rc = sqlite3_step(st);
            if (rc == SQLITE_DONE) rc = SQLITE_OK;
        }
        if (rc != SQLITE_OK) error = sqlite3_errmsg(src);
        sqlite3_finalize(st);
    } else {
        error = src ? sqlite3_errmsg(src) : sqlite3_errstr(rc);
    }
    sqlite3_close(src);
    if (rc != SQLITE_OK) {
        std::remove(to.c_str());
        throw std::runtime_error(to + ": the encrypted copy failed: " + error);
    }
}

void prepareNewEncryptedDatabase(sqlite3* db) {
    prepareEncryptedConnection(db);
    sqlite3_exec(db, "PRAGMA page_size = 16384", nullptr, nullptr, nullptr);
    int reserve = kCryptReserve;
    if (int rc = sqlite3_file_control(db, "main", SQLITE_FCNTL_RESERVE_BYTES, &reserve); rc != SQLITE_OK)
        throw std::runtime_error("cannot reserve room for the page tags (" + std::string(sqlite3_errstr(rc)) + ")");
}

void prepareEncryptedConnection(sqlite3* db) {
    if (sqlite3_exec(db, "PRAGMA temp_store = MEMORY", nullptr, nullptr, nullptr) != SQLITE_OK)
        throw std::runtime_error("cannot keep temporary files in memory");
}

}  // namespace tickmark::store

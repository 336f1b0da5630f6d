// Evidence: files kept inside the engagement file, the same content once, exported byte for byte
// under a name that cannot leave the export folder.
#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fstream>

#include <fcntl.h>
#include <unistd.h>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/fieldwork.h"
#include "workpapers/fieldwork_internal.h"
#include "workpapers/sha256.h"

namespace tickmark {

namespace {

// The Unicode controls that reorder how a name displays ("invoice\u202Efdp.exe" shows as "invoiceexe.pdf").
bool isBidiControl(const std::string& s, std::size_t i, std::size_t* len) {
    auto u = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
    if (i + 3 <= s.size()) {
        // U+200E/F, U+202A-E: E2 80 8E/8F, E2 80 AA-AE; U+2066-9: E2 81 A6-A9
        if (u(0) == 0xE2 && u(1) == 0x80 && (u(2) == 0x8E || u(2) == 0x8F || (u(2) >= 0xAA && u(2) <= 0xAE))) return *len = 3, true;
        if (u(0) == 0xE2 && u(1) == 0x81 && u(2) >= 0xA6 && u(2) <= 0xA9) return *len = 3, true;
    }
    if (i + 2 <= s.size() && u(0) == 0xD8 && u(1) == 0x9C) return *len = 2, true;  // U+061C arabic letter mark
    return false;
}

// A name from outside becomes a plain file name in the export folder: no folders, no "..", no
// control or bidirectional characters, no Windows device name, at most 180 bytes (the extension kept).
std::string safeName(const std::string& original) {
    std::string name = std::filesystem::path(original).filename().string();
    std::string out;
    for (std::size_t i = 0; i < name.size();) {
        std::size_t len = 0;
        if (isBidiControl(name, i, &len)) {
            out += '_';
            i += len;
            continue;
        }
        unsigned char c = static_cast<unsigned char>(name[i++]);
        out += (c < 0x20 || c == '/' || c == '\\' || c == ':' || c == 0x7F || c == '<' || c == '>' || c == '"' || c == '|' ||
                c == '?' || c == '*')
                   ? '_'
                   : static_cast<char>(c);
    }
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    while (!out.empty() && (out.back() == '.' || out.back() == ' ')) out.pop_back();  // Windows drops them
    if (out.empty()) out = "evidence";
    // CON, PRN, AUX, NUL, COM1-9, LPT1-9 (with any extension) name devices on Windows.
    std::string stem = out.substr(0, out.find('.'));
    for (auto& ch : stem) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
    static const char* devices[] = {"CON", "PRN", "AUX", "NUL"};
    bool device = std::any_of(std::begin(devices), std::end(devices), [&](const char* d) { return stem == d; });
    device |= stem.size() == 4 && (stem.rfind("COM", 0) == 0 || stem.rfind("LPT", 0) == 0) && stem[3] >= '1' && stem[3] <= '9';
    if (device) out = "_" + out;
    // File systems hold 255 bytes a name; keep room for " (12)" and cut inside no UTF-8 character.
    constexpr std::size_t kMax = 180;
    if (out.size() > kMax) {
        std::string ext = std::filesystem::path(out).extension().string();
        if (ext.size() > 20) ext.clear();
        std::size_t keep = kMax - ext.size();
        while (keep > 0 && (static_cast<unsigned char>(out[keep]) & 0xC0) == 0x80) --keep;
        out = out.substr(0, keep) + ext;
    }
    return out;
}

}  // namespace

// Exposed for the tests of hostile names.
std::string safeEvidenceName(const std::string& original) { return safeName(original); }

std::int64_t evidenceLimit(Engagement& e) {
    auto st = e.db().prepare("SELECT evidence_limit FROM engagement WHERE id = 1");
    st.step();
    return st.getInt(0);
}

void setEvidenceLimit(Engagement& e, const Actor& a, std::int64_t bytes) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (!a.has("partner")) throw InputError(a.name + " is not a partner; the partner sets the evidence size limit");
    if (bytes < 1) throw InputError("the evidence limit must be at least 1 byte");
    requireWritable(e, WriteKind::Change, "the evidence size limit", "");
    auto old = evidenceLimit(e);
    auto st = e.db().prepare("UPDATE engagement SET evidence_limit = ? WHERE id = 1");
    st.bind(1, bytes);
    st.exec();
    AuditTrail(e.db()).append({0, "", a.name, "change", "engagement", "engagement", "evidence_limit", std::to_string(old),
                               std::to_string(bytes), "", "", ""});
    tx.commit();
}

std::int64_t attachEvidence(Engagement& e, const Actor& a, const EvidenceTarget& target, const std::filesystem::path& file,
                            const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    requireWorkpaper(e, target.workpaper);
    std::optional<TestItem> item;  // evidence for a result belongs to its item's key, like the result
    if (target.position || target.letter) {
        if (target.workpaper.rfind("test:", 0) != 0) throw InputError("evidence for a result belongs to a control test workpaper");
        auto v = loadTest(e, target.workpaper.substr(5));
        if (!target.position || *target.position < 1 || *target.position > static_cast<std::int64_t>(v.items.size()))
            throw InputError("item " + std::to_string(target.position.value_or(0)) + " is not in the selection tested for " +
                             target.workpaper.substr(5));
        if (!target.letter || std::none_of(v.attributes.begin(), v.attributes.end(), [&](auto& p) { return p.first == *target.letter; }))
            throw InputError("attribute " + target.letter.value_or("?") + " is not in the test plan of " + target.workpaper.substr(5));
        item = v.items[static_cast<std::size_t>(*target.position - 1)];
    }
    std::error_code ec;
    auto size = std::filesystem::file_size(file, ec);
    if (ec) throw InputError(file.string() + ": cannot be read (" + ec.message() + "); was it moved or deleted after choosing it?");
    const auto limit = evidenceLimit(e);
    if (static_cast<std::int64_t>(size) > limit)
        throw InputError(file.string() + " is " + std::to_string(size) + " bytes, over the engagement's evidence limit of " +
                         std::to_string(limit) + " bytes; the partner can raise it (`tickmark evidence limit`)");
    requireWritable(e, WriteKind::Add, "adding evidence", reason);
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string() + ": cannot be opened; was it moved or deleted after choosing it?");
    std::string content(static_cast<std::size_t>(size), '\0');
    in.read(content.data(), static_cast<std::streamsize>(size));
    if (static_cast<std::uint64_t>(in.gcount()) != size)
        throw InputError(file.string() + ": changed while it was being read; attach it again");
    Sha256 h;
    h.update(content.data(), content.size());
    const std::string sha = h.hexDigest();
    auto find = e.db().prepare("SELECT id FROM evidence WHERE sha256 = ?");
    find.bind(1, sha);
    std::int64_t evidenceId;
    if (find.step()) {
        evidenceId = find.getInt(0);
    } else {
        auto ins = e.db().prepare("INSERT INTO evidence(sha256, size, content) VALUES (?,?,?)");
        ins.bind(1, sha).bind(2, static_cast<std::int64_t>(size)).bindBlob(3, content.data(), content.size());
        ins.exec();
        evidenceId = e.db().lastInsertRowid();
    }
    auto link = e.db().prepare(
        "INSERT INTO evidence_link(evidence_id, original_name, workpaper, position, letter, added_by, added_at, item_key, occurrence) "
        "VALUES (?,?,?,?,?,?,?,?,?)");
    const std::string original = file.filename().string();
    link.bind(1, evidenceId).bind(2, original).bind(3, target.workpaper).bind(4, target.position);
    link.bind(5, target.letter).bind(6, a.name).bind(7, utcNow());
    if (item) link.bind(8, item->key).bind(9, item->occurrence);
    else link.bindNull(8).bindNull(9);
    link.exec();
    auto id = e.db().lastInsertRowid();
    std::string where = target.position ? "result " + std::to_string(*target.position) + *target.letter : target.workpaper;
    AuditTrail(e.db()).append({0, "", a.name, "add", target.workpaper, "evidence " + std::to_string(id), where, std::nullopt,
                               original + " (" + std::to_string(size) + " bytes, SHA-256 " + sha + ")", reason, "", ""});
    tx.commit();
    return id;
}

std::vector<EvidenceView> listEvidence(Engagement& e, const std::optional<std::string>& workpaper) {
    std::vector<EvidenceView> out;
    auto st = e.db().prepare(
        "SELECT l.id, l.workpaper, l.original_name, v.sha256, l.added_by, l.added_at, l.position, l.letter, v.size "
        "FROM evidence_link l JOIN evidence v ON v.id = l.evidence_id WHERE (?1 IS NULL OR l.workpaper = ?1) "
        "AND l.removed_at IS NULL ORDER BY l.id");
    st.bind(1, workpaper);
    while (st.step())
        out.push_back({st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getText(5),
                       st.getOptInt(6), st.getOptText(7), st.getInt(8)});
    return out;
}

std::filesystem::path exportEvidence(Engagement& e, std::int64_t linkId, const std::filesystem::path& folder) {
    auto st = e.db().prepare(
        "SELECT l.original_name, v.content, v.sha256 FROM evidence_link l JOIN evidence v ON v.id = l.evidence_id WHERE l.id = ?");
    st.bind(1, linkId);
    if (!st.step()) throw InputError("no evidence with id " + std::to_string(linkId));
    // The content is what was attached, or nothing is written: an edit behind Tickmark's back shows here.
    auto blob = st.getBlob(1);
    Sha256 h;
    h.update(blob.data(), blob.size());
    if (h.hexDigest() != st.getText(2))
        throw InputError("evidence " + std::to_string(linkId) + " (" + st.getText(0) + "): its content no longer matches the SHA-256 "
                         "recorded when it was attached; the engagement file was changed outside Tickmark. Nothing was exported");
    // Never through a link: the folder must be a real folder, and the file is created, never opened.
    std::error_code ec;
    if (std::filesystem::is_symlink(folder, ec))
        throw InputError(folder.string() + " is a symbolic link; export into a real folder");
    std::filesystem::create_directories(folder);
    const std::string name = safeName(st.getText(0));
    const auto stem = std::filesystem::path(name).stem().string(), ext = std::filesystem::path(name).extension().string();
    for (int n = 1; n < 10000; ++n) {
        std::filesystem::path out = folder / (n == 1 ? name : stem + " (" + std::to_string(n) + ")" + ext);
        // O_EXCL with O_CREAT fails on any existing name, a dangling symbolic link included; O_NOFOLLOW too.
        int fd = ::open(out.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
        if (fd < 0 && errno == EEXIST) continue;
        if (fd < 0) throw InputError(out.string() + ": cannot be written (" + std::strerror(errno) + ")");
        const char* p = blob.data();
        std::size_t left = blob.size();
        while (left > 0) {
            ssize_t w = ::write(fd, p, left);
            if (w < 0 && errno == EINTR) continue;
            if (w <= 0) {
                const int err = errno;
                ::close(fd);
                std::filesystem::remove(out, ec);
                throw InputError(out.string() + ": writing failed (" + std::strerror(err) + "; disk full?); nothing was left there");
            }
            p += w;
            left -= static_cast<std::size_t>(w);
        }
        if (::fsync(fd) != 0 || ::close(fd) != 0) {
            std::filesystem::remove(out, ec);
            throw InputError(out.string() + ": writing failed (" + std::strerror(errno) + "); nothing was left there");
        }
        return out;
    }
    throw InputError(folder.string() + ": 9,999 files named like " + name + " already; export into another folder");
}

}  // namespace tickmark

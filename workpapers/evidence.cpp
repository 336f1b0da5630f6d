// Evidence: files kept inside the engagement file, the same content once, exported byte for byte
// under a name that cannot leave the export folder.
#include <algorithm>
#include <fstream>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/fieldwork.h"
#include "workpapers/fieldwork_internal.h"
#include "workpapers/sha256.h"

namespace tickmark {

namespace {
// A name from outside becomes a plain file name in the export folder: no folders, no "..", no control characters.
std::string safeName(const std::string& original) {
    std::string name = std::filesystem::path(original).filename().string();
    std::string out;
    for (unsigned char c : name) out += (c < 0x20 || c == '/' || c == '\\' || c == ':' || c == 0x7F) ? '_' : static_cast<char>(c);
    while (!out.empty() && (out.front() == '.' || out.front() == ' ')) out.erase(out.begin());
    if (out.empty()) out = "evidence";
    return out;
}
}  // namespace

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
    auto st = e.db().prepare("SELECT l.original_name, v.content FROM evidence_link l JOIN evidence v ON v.id = l.evidence_id WHERE l.id = ?");
    st.bind(1, linkId);
    if (!st.step()) throw InputError("no evidence with id " + std::to_string(linkId));
    std::filesystem::create_directories(folder);
    const std::string name = safeName(st.getText(0));
    std::filesystem::path out = folder / name;
    for (int n = 2; std::filesystem::exists(out); ++n) {
        auto stem = std::filesystem::path(name).stem().string(), ext = std::filesystem::path(name).extension().string();
        out = folder / (stem + " (" + std::to_string(n) + ")" + ext);
    }
    auto blob = st.getBlob(1);
    std::ofstream f(out, std::ios::binary);
    if (!f) throw InputError(out.string() + ": cannot be written");
    f.write(blob.data(), static_cast<std::streamsize>(blob.size()));
    if (!f) throw InputError(out.string() + ": writing failed (disk full?)");
    return out;
}

}  // namespace tickmark

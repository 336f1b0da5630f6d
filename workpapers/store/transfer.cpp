#include "workpapers/store/transfer.h"

#include <filesystem>
#include <optional>

#include "workpapers/db.h"
#include "workpapers/engagement.h"
#include "workpapers/errors.h"
#include "workpapers/progress.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/seal.h"
#include "workpapers/schema.h"
#include "workpapers/store/engine.h"
#include "workpapers/trail.h"

namespace tickmark {
namespace {

// Every workpaper the engagement holds: its own, the report's, and each one its trail names.
std::vector<std::string> workpapersOf(Engagement& e) {
    std::vector<std::string> out{"engagement", "report"};
    auto st = e.db().prepare("SELECT DISTINCT workpaper FROM audit_trail ORDER BY workpaper");
    while (st.step())
        if (st.getText(0) != "engagement" && st.getText(0) != "report") out.push_back(st.getText(0));
    return out;
}

std::int64_t rowsOf(db::Database& db, const std::string& table) {
    auto st = db.prepare("SELECT count(*) FROM " + table);
    st.step();
    return st.getInt(0);
}

// One table as one stream into the other engine (a COPY on a server), each value as the kind it was read as.
void copyTable(db::Database& from, db::Database& to, const std::string& table, std::int64_t& done, std::int64_t total,
               Progress* progress) {
    // From a server, every entry's stamp goes along (schema 14): the one an earlier server gave it, carried
    // here by a copy, else this server's own.
    const bool stamps = table == "server_stamp" && from.onServer();
    auto read = from.prepare(stamps ? "SELECT t.seq AS seq, coalesce(c.server_login, t.server_role) AS server_login, "
                                      "coalesce(c.server_at, t.server_at) AS server_at FROM trail_stamp t "
                                      "LEFT JOIN server_stamp c ON c.seq = t.seq ORDER BY 1"
                                    : "SELECT * FROM " + table + " ORDER BY 1");
    std::optional<db::BulkInsert> write;
    while (read.step()) {
        const int n = read.columnCount();
        if (!write) {
            std::vector<std::string> columns;
            for (int c = 0; c < n; ++c) columns.push_back(read.columnName(c));
            write.emplace(to.bulkInsert(table, columns));
        }
        for (int c = 0; c < n; ++c) {
            switch (read.columnKind(c)) {
                case 'i': write->add(read.getInt(c)); break;
                case 'r': write->add(read.getDouble(c)); break;
                case 't': write->add(read.getText(c)); break;
                case 'b': {
                    auto blob = read.getBlob(c);
                    write->addBlob(blob.data(), blob.size());
                    break;
                }
                default: write->addNull();
            }
        }
        write->endRow();
        if (++done % 1000 == 0 && progress) {
            progress->update(static_cast<std::uint64_t>(done), static_cast<std::uint64_t>(total));
            if (progress->cancelled()) throw Cancelled();
        }
    }
    if (write) write->finish();
}

void removeFile(const std::string& file) {
    std::error_code ec;
    for (const char* suffix : {"", "-wal", "-shm", "-journal", "-holders"}) std::filesystem::remove(file + suffix, ec);
}

}  // namespace

TransferReport copyAcross(Engagement& from, const std::string& to, Progress* progress) {
    const bool toServer = db::isServerLocation(to);
    if (!toServer && std::filesystem::exists(to))
        throw InputError(to + ": a file is already there; not overwriting it with a copy");
    if (from.encrypted() && !toServer)
        throw InputError(from.file().string() + " is encrypted: copy it to a file with `tickmark copy` (it stays encrypted), "
                                                "or copy it to a server");
    auto& src = from.db();
    db::ReadSnapshot snapshot(src);  // one state of the original, whatever others write meanwhile
    // Only an engagement that verifies is copied: a copy must not make a changed record look settled.
    if (auto t = verifyTrail(src); !t.intact)
        throw InputError(from.file().string() + " does not verify (its trail: " + t.problem + "); nothing was copied");
    if (auto f = proof::verifyProof(from).all(); !f.empty())
        throw InputError(from.file().string() + " does not verify (" + f.front() + "); nothing was copied");
    const auto tables = src.tables();
    std::int64_t total = 0;
    for (auto& t : tables) total += rowsOf(src, t);

    TransferReport report;
    {
        auto dst = db::Database::open(to, db::Database::Mode::Create);
        report.to = dst->path();
        try {
            // A server's copy is one transaction from its schema on; a file's schema is set up first (SQLite
            // cannot inside one), its rows in one, and the file removed if anything fails.
            std::optional<db::Transaction> frame;
            if (toServer) frame.emplace(*dst, db::Transaction::Kind::Frame);
            schema::create(*dst);
            if (dst->tables() != tables)
                throw StorageError(0, report.to + ": the new engagement's tables are not the original's (schema versions differ?)");
            db::Transaction tx(*dst);
            dst->deferReferences();  // rows refer forward (a population to the version superseding it)
            for (auto& t : tables)
                if (rowsOf(*dst, t) > 0) dst->exec("DELETE FROM " + t);  // the schema's fixed rows: the original's come next
            for (auto& t : tables) {
                copyTable(src, *dst, t, report.rows, total, progress);
                ++report.tables;
            }
            dst->resetIds();
            tx.commit();
            if (frame) frame->commit();
        } catch (...) {
            dst.reset();
            if (!toServer) removeFile(to);
            throw;
        }
    }

    // Read back as an engagement: it verifies, and every workpaper hashes as in the original.
    auto discard = [&](const std::string& why) {
        if (!toServer) removeFile(to);
        else db::Database::open(to, db::Database::Mode::OpenExisting)->dropAll();
        db::noteWriteUndone();
        throw StorageError(0, report.to + ": the copy does not read as the original (" + why + "); it was removed, nothing is left there");
    };
    auto copy = Engagement::open(to);
    const auto trail = verifyTrail(copy.db());
    if (!trail.intact) discard("its trail: " + trail.problem);
    report.trailEntries = trail.entries;
    if (auto f = proof::verifyProof(copy).all(); !f.empty()) discard(f.front());
    // What seals record (every workpaper, populations included) and what sign-offs sign (the others).
    for (auto& wp : workpapersOf(from)) {
        auto a = stateDigest(from, wp), b = stateDigest(copy, wp);
        if (a.has_value() != b.has_value() || (a && a->parts != b->parts)) discard(wp + " hashes differently");
        if (wp.rfind("population:", 0) != 0 && workpaperDigest(from, wp).total != workpaperDigest(copy, wp).total)
            discard(wp + " hashes differently");
        report.workpapers.push_back(wp);
    }
    if (progress) progress->update(static_cast<std::uint64_t>(total), static_cast<std::uint64_t>(total));
    return report;
}

}  // namespace tickmark

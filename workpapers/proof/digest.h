#pragma once
// What a workpaper holds, as one digest per part and one over them all: the record a sign-off is
// bound to, and what `audit verify` recomputes to name any change made since, however it was made
// (the program, the sqlite3 shell, a hex editor).
//
// Parts, by workpaper:
// - test:<control>: control (the matrix row, its criteria, who performs it), plan (test types,
//   procedure, attributes, conclusion override), selection (the sample record, its extensions and
//   their items), population (its import record, fingerprint and stored-record digest), results (every
//   result, those kept out too), evidence (each link and the content's SHA-256, recomputed from the
//   stored bytes themselves), exceptions (with their criteria); since schema 12, and only when the test
//   has any: judgmental items (added to its selection) and population acceptance (a reviewer's
//   acceptance of a selection drawn from a superseded population). Review notes are not content: they
//   never make a sign-off stale.
// - report: engagement (the setup), scope (categories, criteria marked, subservice organizations,
//   CSOCs, CUECs), description, particulars, opinion (the partner's choice), wording (population
//   descriptions), workpapers (every test workpaper's digest: the report rests on them all).
// - engagement: team (people, roles, password records, second identities), frequency table, tick marks.
// Rows are read with every column (SELECT *) where every column is content, so a column added later is
// covered without a change here; where a row also records provenance (the control matrix row's source
// file), the content columns are named.
#include <map>
#include <optional>
#include <string_view>
#include <string>
#include <vector>

#include "workpapers/engagement.h"

namespace tickmark {

struct WorkpaperDigest {
    std::map<std::string, std::string> parts;  // part -> SHA-256 hex
    std::string total;                         // SHA-256 over the parts, in name order
    std::string partsJson() const;             // {"part":"hex",...}
    static WorkpaperDigest fromJson(const std::string& json);
    // The parts that differ from `before` (or are only in one of them), in name order.
    std::vector<std::string> changedSince(const WorkpaperDigest& before) const;
};

WorkpaperDigest workpaperDigest(Engagement& e, const std::string& workpaper);

// The state a write leaves a workpaper in, which the write's seal records (workpapers/proof/seal.h): as
// above, but evidence by its recorded SHA-256 (each content is checked against it on its own), the
// report without the other workpapers (each has its own state), its review notes, and populations too
// (population:<id>: the import record, the stored records and, once it has any, its life: superseded
// by, gap calendar, controls linked, the client's stated total). A part added in a later schema is in a
// digest only when it holds rows, so what was signed or sealed before the upgrade reads the same. nullopt when the file has no such workpaper.
std::optional<WorkpaperDigest> stateDigest(Engagement& e, const std::string& workpaper);

class Sha256;
// One stored block of population records into the records digest (population.records_sha256), as the
// import writes it and as verify reads it back.
void hashBlock(Sha256& h, std::int64_t firstRow, std::int64_t rowCount, std::string_view data);
// Populations whose stored records no longer match the digest recorded at import: "population:3 ...".
std::vector<std::string> verifyPopulationRecords(Engagement& e);

}  // namespace tickmark

namespace tickmark {

// A signed workpaper whose content no longer matches what was signed while the trail records no change.
struct AlteredRecord {
    std::string workpaper, signer, role, signedAt;
    std::vector<std::string> parts;  // which parts differ
    std::string message() const;     // "test:CM-03: results changed since Priya Raman signed as preparer on 2026-12-04, ..."
};
// Recomputes every sign-off's workpaper digest (each workpaper once) and names each one changed
// outside Tickmark since it was signed. Sign-offs the trail already shows stale are left to it.
std::vector<AlteredRecord> verifySignedRecords(Engagement& e);

}  // namespace tickmark

#pragma once
// Sample selections as audit evidence: every selection records what it takes to re-perform it
// (the population's fingerprint and stored-record digest, the frame, the method, the algorithm and
// generator, the seed, the plan, the ordered items, who and when), and verifySample re-performs it
// from that record alone.
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "sampling/frequency.h"
#include "workpapers/engagement.h"

namespace tickmark {

// The firm's table from templates/frequency-table.csv.
sampling::FrequencyTable readFrequencyTable(const std::filesystem::path& csv);
// The engagement's copy when it has one, else the firm's table as it reads now; writes nothing.
sampling::FrequencyTable frequencyTableForReading(Engagement& e, const std::filesystem::path& firmTable);
// Makes the engagement's copy when it has none, inside the caller's write (the first draw, or the
// first acceptance judged by the table), recorded in the trail by `actor`; returns the copy. Later
// edits of the firm's file do not change an engagement that has drawn.
sampling::FrequencyTable copyFrequencyTableIfMissing(Engagement& e, const std::string& actor, const std::filesystem::path& firmTable);

struct DrawRequest {
    std::optional<std::int64_t> populationId;  // every method but dates
    std::string control;                        // dates: the control the days are drawn for
    std::string method = "random";              // random | systematic | stratified | dates
    std::optional<std::int64_t> size;           // not given: the plan's sample_size
    std::optional<std::uint64_t> seed;          // drawn from the OS when not given
    std::string frame = "in-period";            // in-period | all
    std::string strata = "months";              // stratified: months | quarters
    bool businessDaysOnly = false;              // dates
    std::string planJson;                       // the plan the size came from (JSON); "" = size given by hand
    std::string reason;  // required after assembly
};

struct SampleItem {
    std::int64_t position = 0;
    std::optional<std::int64_t> row;
    std::string key;
    std::optional<std::string> date;
    std::optional<std::string> stratum;
};

struct SampleRecord {
    std::int64_t id = 0;
    std::string control;
    std::optional<std::int64_t> populationId, extendsSampleId;
    std::string method, algorithm, generator, toolVersion;
    std::uint64_t seed = 0;
    std::string seedSource;
    std::string frameJson, excludedJson, planJson;
    std::int64_t frameSize = 0, size = 0;
    std::optional<std::string> populationSha256, populationDigest;
    std::optional<std::int64_t> populationRows;
    std::string createdBy, createdAt;
    std::vector<SampleItem> items;
};

// By a signed-in team member, recorded as the selection's created_by and in the audit trail.
SampleRecord drawSample(Engagement& e, const Actor& a, const DrawRequest& req);
// Draws `by` more items from the frame's items not yet selected by the sample or its extensions.
SampleRecord extendSample(Engagement& e, const Actor& a, std::int64_t sampleId, std::int64_t by,
                          std::optional<std::uint64_t> seed);
SampleRecord loadSample(Engagement& e, std::int64_t sampleId);
std::vector<SampleRecord> listSamples(Engagement& e);  // without items

struct Verification {
    bool identical = false;
    std::vector<std::string> checks;  // what was compared, in order
    std::string firstDifference;      // when not identical
    std::vector<std::string> judgmental;  // items added by judgement, outside the draw (judgmental_items.h)
};
// Re-performs the selection from its record. With `source`, also checks that file against the
// population's recorded SHA-256.
Verification verifySample(Engagement& e, std::int64_t sampleId, const std::optional<std::filesystem::path>& source);

// SHA-256 over the population's stored records (its blocks, in order): any changed byte shows.
std::string populationDigest(Engagement& e, std::int64_t populationId);

// A period unit's name as the workpapers show it: "2025-03" (month), "2025-01..2025-03" (quarter,
// counted from the period's first month), "week of 2025-03-03" (its Monday). k is 0-based.
std::string periodUnitLabel(sampling::SpreadUnit unit, std::int64_t periodFirstDay, std::int64_t k);

// A seed as the user typed it: a whole number from 0 to 2^64-1; InputError otherwise.
std::uint64_t parseSeed(const std::string& text);

}  // namespace tickmark

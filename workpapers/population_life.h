#pragma once
// Populations over their life: a corrected version from the client supersedes the old one (which is
// kept, its selections flagged by workpapers/rules/population_currency.h until re-drawn or accepted), a
// population is renamed or deleted while nothing depends on it, serves several controls, and is
// reconciled to the total the client states for the period. Every write is one unit of work with its
// audit-trail entries: on "population:<id>", and on each test workpaper whose content it changes (so
// the seals and sign-offs of workpapers/proof/ see every change where it lands).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/population.h"

namespace tickmark {

struct ReconciliationView {
    std::int64_t expected = 0;   // the client's stated total for the period
    std::string source;          // where the client states it ("ServiceNow dashboard, 2026-01-05")
    std::string recordedBy, recordedAt;
    std::int64_t counted = 0;    // the population's in-period items
    std::optional<std::string> explanation, explainedBy, explainedAt;
    std::int64_t difference() const { return counted - expected; }
    bool agrees() const { return counted == expected; }
    bool open() const { return !agrees() && !explanation; }  // a difference nobody explained yet
};

struct PopulationLife {
    std::int64_t id = 0;
    std::string name, control;  // control: the one it was imported for
    std::optional<std::int64_t> supersededBy;
    std::string supersedeReason;
    std::optional<std::int64_t> supersedes;   // the version it replaced
    std::vector<std::string> linkedControls;  // the controls it serves besides its own
    std::optional<bool> businessDays;         // daily gaps counted Monday to Friday
    std::optional<ReconciliationView> reconciliation;
    std::vector<std::int64_t> selections;     // selections drawn from it (extensions included)
};
PopulationLife populationLife(Engagement& e, std::int64_t populationId);
// Follows superseded_by to the version in force.
std::int64_t currentPopulationVersion(Engagement& e, std::int64_t populationId);
// The controls a population serves: its own first, then those linked to it.
std::vector<std::string> controlsServed(Engagement& e, std::int64_t populationId);
bool populationServes(Engagement& e, std::int64_t populationId, const std::string& control);
// The controls whose test points at the selection (its root when given an extension).
std::vector<std::string> controlsTestingSelection(Engagement& e, std::int64_t sampleId);

// Imports `req.file` as the version superseding `populationId`. Fields of `req` left empty take the
// old version's: control, key, date and amount columns, sheet, and the date format when it was given;
// the name defaults to "<old name> (version N)". The new version inherits the client-facing
// description, the controls linked and the client's stated total (not an explanation of a difference).
// Refused (nothing written) for a version already superseded, without a reason, or when the import is.
CompletenessProfile replacePopulation(Engagement& e, const Actor& a, std::int64_t populationId, PopulationImportRequest req,
                                      const std::string& reason);

// A new internal name (unique among the control's populations); trailed on the tests it reaches.
void renamePopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& name,
                      const std::string& reason);
// Deletes a population nothing depends on: refused, naming them, while a selection was drawn from it,
// a reviewer accepted a selection against it, or it is signed off. Its records, findings and source
// file row go; the trail keeps the deletion. A replacement deleted puts the version it superseded back
// in force.
void deletePopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& reason);
// The population serves `control` too: its selections may be tested for it (`test define --sample`).
void linkPopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& control,
                    const std::string& reason);
// Daily gaps counted on business days (Monday to Friday) or every day.
void setBusinessDays(Engagement& e, const Actor& a, std::int64_t populationId, bool businessDays, const std::string& reason);

// The client's stated total for the period, compared with the in-period count; recording it again
// replaces it (and any explanation). A difference is open until a reviewer or the partner explains it.
void reconcilePopulation(Engagement& e, const Actor& a, std::int64_t populationId, std::int64_t expected,
                         const std::string& source, const std::string& reason);
void explainReconciliation(Engagement& e, const Actor& reviewer, std::int64_t populationId, const std::string& explanation);
std::optional<ReconciliationView> populationReconciliation(Engagement& e, std::int64_t populationId);

}  // namespace tickmark

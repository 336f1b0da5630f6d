#pragma once
// Fieldwork on a control: the test plan (types, procedure, attributes, the selection), a result for
// every sampled item x attribute, exceptions for deviations, the control's conclusion, review notes
// and sign-offs. Workpapers are named "test:<control id>" and "population:<id>". Every write is one
// transaction with its audit-trail entries; a change to a signed workpaper makes the sign-offs made
// before it stale.
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "workpapers/people.h"
#include "workpapers/trail.h"

namespace tickmark {

std::string testWorkpaper(const std::string& control);

struct TestDefinition {
    std::string control;
    std::vector<std::string> types;  // inquiry, observation, inspection, reperformance
    std::string procedure;           // as it will read in Section IV
    std::optional<std::int64_t> sampleId;  // Type II: the selection tested (its extensions follow on)
    std::vector<std::pair<std::string, std::string>> attributes;  // letter, yes/no question
    std::string reason;              // after assembly
};
void defineTest(Engagement& e, const Actor& a, const TestDefinition& d);

// An item of the selection tested. Results belong to (key, occurrence): the n-th item with that key
// in the selection (a population may hold a key twice), never to a position, so pointing the test at
// another selection never moves a result onto another item.
struct TestItem {
    std::int64_t position = 0;
    std::int64_t sampleId = 0;
    std::optional<std::int64_t> row;
    std::string key;
    std::optional<std::string> date;
    std::int64_t occurrence = 1;
    bool judgmental = false;  // added by judgement (workpapers/judgmental_items.h): outside the statistical evaluation
};

struct ResultInput {
    std::string control;
    std::int64_t position = 0;
    std::string letter;
    std::string outcome;  // pass | deviation | na
    std::string naReason, comment, tickMark;
};

struct TestView {
    std::int64_t id = 0;
    std::string control, procedure;
    std::vector<std::string> types;
    std::optional<std::int64_t> sampleId;
    bool designOnly = false;
    std::vector<std::pair<std::string, std::string>> attributes;
    std::vector<TestItem> items;
    std::int64_t expected = 0, recorded = 0, deviations = 0;  // results: items x attributes
    std::int64_t itemsDone = 0;                               // items with every attribute recorded
};
TestView loadTest(Engagement& e, const std::string& control);
std::vector<TestView> listTests(Engagement& e);

// Records results in one transaction; a deviation opens (or keeps) the exception for its attribute.
// The engagement's tick mark legend, in the order it was written.
struct TickMark {
    std::string symbol, meaning;
};
std::vector<TickMark> tickMarkLegend(Engagement& e);

// seen: the trail head when the caller read the results it decided on (a grid when it loaded): a result
// another member recorded or withdrew since is refused (ConflictError, naming who, what and when) and
// nothing of the call is saved. Without it, the call records what it is given (the CLI: no earlier read).
void recordResults(Engagement& e, const Actor& a, const std::vector<ResultInput>& results, const std::string& reason = "",
                   std::optional<std::int64_t> seen = std::nullopt);
// Takes recorded results back (the desk's Delete and the undo of a first entry), by (position, letter),
// in one transaction: the rows go, the trail keeps what each was ("delete", old value, no new value),
// sign-offs before it go stale. InputError, nothing withdrawn, when one of them is not there.
void withdrawResults(Engagement& e, const Actor& a, const std::string& control,
                     const std::vector<std::pair<std::int64_t, std::string>>& results, const std::string& reason = "",
                     std::optional<std::int64_t> seen = std::nullopt);

struct ResultView {
    std::int64_t position;  // where its item stands in the selection now tested; 0 when kept out
    std::string letter, outcome, naReason, comment, tickMark, recordedBy, recordedAt;
    std::string itemKey;
    std::int64_t occurrence = 1, recordedPosition = 0;
};
// The results of the items in the selection now tested, by position and letter.
std::vector<ResultView> loadResults(Engagement& e, const std::string& control);
// Results kept out of the test: their item is not in the selection the test now points at. Kept,
// never deleted, and never counted.
std::vector<ResultView> detachedResults(Engagement& e, const std::string& control);

struct ExceptionView {
    std::int64_t id = 0;
    std::string control, letter, question;
    std::int64_t deviations = 0, tested = 0;  // computed from the results: x of n
    std::string description, cause, nature, managementResponse, auditorConclusion;
    std::optional<bool> criteriaMet;
    std::vector<std::string> criteria;
    std::string openedBy, openedAt;
    // Concluded: the auditor's conclusion written, whether the related criteria are met decided, and
    // when they are not, which criteria (otherwise the finding could never reach the opinion).
    bool concluded() const {
        return criteriaMet.has_value() && !auditorConclusion.empty() && (*criteriaMet || !criteria.empty());
    }
};
std::vector<ExceptionView> listExceptions(Engagement& e, const std::optional<std::string>& control = std::nullopt);
// field: description, cause, nature, management-response, conclusion, criteria-met (yes|no), criteria
void updateException(Engagement& e, const Actor& a, std::int64_t id, const std::string& field, const std::string& value,
                     const std::string& reason = "");
// Several fields of one exception in one transaction (the desk's exception form saves them together).
// seen: the trail head when the form was filled from the exception; ConflictError, nothing saved, when
// another member changed the exception since (a field, or a new deviation joining it).
void updateException(Engagement& e, const Actor& a, std::int64_t id, const std::vector<std::pair<std::string, std::string>>& fields,
                     const std::string& reason = "", std::optional<std::int64_t> seen = std::nullopt);

struct ConclusionView {
    // Type II: in-progress, operating-effectively, exceptions-noted, not-effective, extend-sample.
    // Type I (design only): in-progress, suitably-designed, not-suitably-designed.
    std::string computed;
    std::string basis;
    std::optional<std::string> overridden;
    std::string overrideReason;
    std::string effective() const { return overridden ? *overridden : computed; }
};
ConclusionView controlConclusion(Engagement& e, const std::string& control);
// A conclusion the report can state: not in-progress, not extend-sample.
bool isFinalConclusion(const std::string& conclusion);
// The judgements a reviewer may record for this control's test: design conclusions for a Type I
// (design only) test, operating-effectiveness conclusions otherwise.
std::vector<std::string> conclusionChoices(Engagement& e, const std::string& control);
// The auditor's judgement on top of the computed conclusion, never silently: a reason is required.
// seen: the trail head when the member read the test they judge; ConflictError, nothing saved, when
// anything of the test workpaper (a result, an exception, a sign-off) changed since.
void overrideConclusion(Engagement& e, const Actor& a, const std::string& control, const std::string& conclusion,
                        const std::string& reason, std::optional<std::int64_t> seen = std::nullopt);

struct NoteView {
    std::int64_t id = 0;
    std::string workpaper, subject, text, raisedBy, raisedAt;
    std::optional<std::string> response, respondedBy, respondedAt, clearedBy, clearedAt;
    // The newest trail entry about the note (recordVersion): a response or a clearing decided on this view
    // passes it, and is refused if someone else answered or cleared the note since.
    std::int64_t version = 0;
    bool open() const { return !clearedAt.has_value(); }
};
std::int64_t raiseNote(Engagement& e, const Actor& reviewer, const std::string& workpaper, const std::string& subject,
                       const std::string& text, const std::string& reason = "");
// seen: the note's version the member read (NoteView::version); ConflictError when it changed since.
void respondToNote(Engagement& e, const Actor& a, std::int64_t id, const std::string& response,
                   std::optional<std::int64_t> seen = std::nullopt);
void clearNote(Engagement& e, const Actor& reviewer, std::int64_t id, std::optional<std::int64_t> seen = std::nullopt);
std::vector<NoteView> listNotes(Engagement& e, const std::optional<std::string>& workpaper = std::nullopt);

struct SignOffView {
    std::int64_t id = 0;
    std::string workpaper, role, person, initials, signedAt;
    std::int64_t trailSeq = 0;
    bool stale = false;
    std::vector<TrailEntry> changesSince;  // what changed after this sign-off, per the trail
    // The parts of the workpaper (workpapers/proof/digest.h) that differ from what was signed while the
    // trail records no change: changed outside Tickmark. Such a sign-off is stale too.
    std::vector<std::string> changedOutside;
};
void signOff(Engagement& e, const Actor& a, const std::string& workpaper, const std::string& role,
             const std::string& reason = "");
std::vector<SignOffView> listSignOffs(Engagement& e, const std::optional<std::string>& workpaper = std::nullopt);

// A workpaper's sign-offs that still hold (nothing changed after them), and whether any went stale.
struct SignOffState {
    bool preparer = false, reviewer = false, partner = false, anyStale = false;
    bool preparedAndReviewed() const { return preparer && reviewer; }
};
std::map<std::string, SignOffState> signOffStates(const std::vector<SignOffView>& signoffs);

// Evidence: files kept inside the engagement file, the same content once.
struct EvidenceTarget {
    std::string workpaper;  // engagement | test:<control>
    std::optional<std::int64_t> position;
    std::optional<std::string> letter;
};
struct EvidenceView {
    std::int64_t id = 0;  // the link
    std::string workpaper, originalName, sha256, addedBy, addedAt;
    std::optional<std::int64_t> position;
    std::optional<std::string> letter;
    std::int64_t size = 0;
};
std::int64_t attachEvidence(Engagement& e, const Actor& a, const EvidenceTarget& target,
                            const std::filesystem::path& file, const std::string& reason = "");
// Writes the evidence into `folder` under its original name made safe (see safeEvidenceName); returns the
// path written. Refused, writing nothing, when the content no longer matches its SHA-256. Never writes
// through a symbolic link (a real folder; the file created, never an existing name reused).
std::filesystem::path exportEvidence(Engagement& e, std::int64_t linkId, const std::filesystem::path& folder);
// A plain file name: no folders, no control or bidirectional characters, no Windows device name,
// at most 180 bytes with its extension kept.
std::string safeEvidenceName(const std::string& original);
std::vector<EvidenceView> listEvidence(Engagement& e, const std::optional<std::string>& workpaper = std::nullopt);
void setEvidenceLimit(Engagement& e, const Actor& partner, std::int64_t bytes);
std::int64_t evidenceLimit(Engagement& e);

}  // namespace tickmark

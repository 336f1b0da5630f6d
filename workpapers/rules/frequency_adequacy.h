#pragma once
// Frequency adequacy: is the selection tested for a control as large, and as spread over the period,
// as the firm's frequency table (the engagement's copy, engagementFrequencyTable) requires for the
// control's frequency and risk? This is the one place the rule lives: the test workpaper shows its
// findings (`tickmark test show`), a reviewer accepts them (`tickmark sample accept`), and the
// report's issuance gates call adequacyFindings.
//
// How a selection is judged (the selection tested, counted with its extensions):
// - The table row: the control's frequency from the matrix; an automated control (nature automated)
//   by the table's "automated" row (a test of one) when the table has one. An as-needed control is
//   placed by its occurrences (the population frame's size); drawn without a population, by the row
//   the selection's frequency plan chose; with neither, the finding is "unsized".
// - The risk: the one recorded in the selection's frequency plan; none recorded, lower risk (the
//   table's smaller size), and the basis says so.
// - Required items: planByFrequency's size for that row, risk, the period's months and (for a
//   population) the frame's size, so a population no larger than the size is tested in full. Once
//   the selection is extended, the firm's size to extend to. Fewer items: "too-small".
// - Spread: when the row has a spread unit (quarter, month; week when the firm's table says so) and
//   the control's own frequency is that row (an as-needed control is not periodic), the items must
//   fall in min(required, items, units the control operated in) distinct units; units are counted
//   from the period's first month (weeks Monday to Sunday). Fewer: "not-spread", naming the units
//   with no item.
// - A finding is open until a reviewer or the partner accepts it with a reason. An acceptance holds
//   for the finding exactly as accepted (kind, required, actual, detail): an extension or any other
//   change that alters the finding opens it again (acceptanceStale tells the two apart).
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sampling/frequency.h"
#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace tickmark {

enum class AdequacyKind { TooSmall, NotSpread, Unsized };
std::string adequacyKindName(AdequacyKind k);  // "too-small", "not-spread", "unsized"
AdequacyKind parseAdequacyKind(std::string_view name);  // the names above; InputError otherwise

struct AdequacyAcceptance {
    std::int64_t id = 0;
    std::string acceptedBy, reason, acceptedAt;
};

struct AdequacyFinding {
    AdequacyKind kind = AdequacyKind::TooSmall;
    std::string control;
    std::int64_t sampleId = 0;          // the selection tested (not an extension)
    std::int64_t required = 0;          // too-small: items; not-spread: distinct units; unsized: 0
    std::int64_t actual = 0;            // items (with extensions); distinct units covered
    std::string unit;                   // not-spread: quarter, month or week
    std::vector<std::string> covered;   // not-spread: the units the items fall in
    std::vector<std::string> missing;   // not-spread: units the control operated in with no item
    std::string basis;                  // the table row, risk and period it was judged by
    std::string detail;                 // what else identifies the finding; stored with an acceptance
    std::string text;                   // the finding in words, as the workpaper shows it
    std::optional<AdequacyAcceptance> accepted;  // a reviewer's acceptance of exactly this finding
    bool acceptanceStale = false;       // accepted before, but the finding has changed since
    bool open() const { return !accepted.has_value(); }
};

// The findings on the selection tested for `control`, in kind order; empty when the control has no
// test, tests design only (Type I), or the selection meets the table. Reads only: the engagement's
// copy of the table, or the firm's file while no copy exists (a draw of dates or an acceptance makes
// the copy). Throws InputError for a control that is not in the matrix.
std::vector<AdequacyFinding> selectionAdequacy(Engagement& e, const std::string& control);

// Every tested control's findings, by control id. For the issuance gates: a finding with open()
// true blocks issuance; an accepted one is listed with the reviewer's reason and does not.
std::vector<AdequacyFinding> adequacyFindings(Engagement& e);

// A reviewer or the partner accepts the open findings on a selection (only those of `kind` when
// given), with the reason: one acceptance row and one trail entry per finding, on workpaper
// "test:<control>" (so its sign-offs go stale), in one transaction, honouring the lock. Refuses
// (InputError) someone who is neither reviewer nor partner, an empty reason, an extension (name
// the selection it extends), a selection no test uses, and a selection with no open finding.
std::vector<AdequacyFinding> acceptAdequacy(Engagement& e, const Actor& reviewer, std::int64_t sampleId,
                                            const std::string& reason,
                                            std::optional<AdequacyKind> kind = std::nullopt);

// The unit a periodic control's occurrences are spread over: the spread of the table row for the
// control's own frequency (None for automated and as-needed controls). The dates draw uses it.
sampling::SpreadUnit spreadUnitFor(Engagement& e, const std::string& control);

}  // namespace tickmark

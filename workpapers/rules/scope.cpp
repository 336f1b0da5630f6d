#include "workpapers/rules/scope.h"

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/trail.h"

namespace tickmark {

namespace {
const char* name(CriterionStatus::Kind k) { return k == CriterionStatus::NotApplicable ? "not-applicable" : "not-examined"; }
}  // namespace

std::map<std::string, CriterionStatus> criterionStatuses(Engagement& e) {
    std::map<std::string, CriterionStatus> out;
    auto st = e.db().prepare("SELECT criterion_id, status, reason, set_by, set_at FROM criterion_status");
    while (st.step())
        out[st.getText(0)] = {st.getText(1) == "not-applicable" ? CriterionStatus::NotApplicable : CriterionStatus::NotExamined,
                              st.getText(2), st.getText(3), st.getText(4)};
    return out;
}

void markCriterion(Engagement& e, const Actor& a, const std::string& criterion, CriterionStatus::Kind status,
                   const std::string& reason, bool undo) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    if (!a.has("reviewer") && !a.has("partner"))
        throw InputError(a.name + " is neither reviewer nor partner; a criterion is marked " + name(status) + " in review");
    e.requireCriteriaInScope({criterion}, "criterion");
    auto current = criterionStatuses(e);
    auto it = current.find(criterion);
    if (undo) {
        if (it == current.end() || it->second.status != status)
            throw InputError(criterion + " is not marked " + name(status) + "; nothing to undo");
        if (reason.empty()) throw InputError("undoing the mark needs the reason (--reason)");
        requireWritable(e, WriteKind::Delete, criterion + " marked " + name(status), reason);
        auto del = e.db().prepare("DELETE FROM criterion_status WHERE criterion_id = ?");
        del.bind(1, criterion);
        del.exec();
        AuditTrail(e.db()).append({0, "", a.name, "delete", "report", "criterion " + criterion, name(status), it->second.reason,
                                   std::nullopt, reason, "", ""});
        tx.commit();
        return;
    }
    if (reason.empty()) throw InputError(std::string("marking ") + criterion + " " + name(status) + " needs the reason (--reason)");
    if (it != current.end() && it->second.status != status)
        throw InputError(criterion + " is marked " + name(it->second.status) + "; undo that first (--undo)");
    requireWritable(e, it == current.end() ? WriteKind::Add : WriteKind::Change, criterion + " marked " + name(status), "");
    auto put = e.db().prepare(
        "INSERT INTO criterion_status(criterion_id, status, reason, set_by, set_at) VALUES (?1,?2,?3,?4,?5) "
        "ON CONFLICT(criterion_id) DO UPDATE SET status = ?2, reason = ?3, set_by = ?4, set_at = ?5");
    put.bind(1, criterion).bind(2, name(status)).bind(3, reason).bind(4, a.name).bind(5, utcNow());
    put.exec();
    AuditTrail(e.db()).append({0, "", a.name, it == current.end() ? "add" : "change", "report", "criterion " + criterion, name(status),
                               it == current.end() ? std::nullopt : std::optional<std::string>(it->second.reason), reason, "", "", ""});
    tx.commit();
}

}  // namespace tickmark

#include "workpapers/rules/duties.h"

#include "workpapers/errors.h"

namespace tickmark {

std::int64_t naturalPerson(Engagement& e, std::int64_t personId) {
    auto st = e.db().prepare("SELECT coalesce(same_person_as, id) FROM person WHERE id = ?");
    st.bind(1, personId);
    return st.step() ? st.getInt(0) : personId;
}

void requireSeparateDuties(Engagement& e, const Actor& a, const std::string& workpaper, const std::string& role) {
    const std::int64_t me = naturalPerson(e, a.id);
    const std::string who = a.name;
    // Every sign-off of the workpaper, current or stale, by any identity of this person.
    auto signed_ = e.db().prepare(
        "SELECT s.role, p.name, s.signed_at FROM signoff s JOIN person p ON p.id = s.person_id "
        "WHERE s.workpaper = ?1 AND coalesce(p.same_person_as, p.id) = ?2 AND s.role <> ?3 ORDER BY s.id");
    signed_.bind(1, workpaper).bind(2, me).bind(3, role);
    if (signed_.step()) {
        const std::string as = signed_.getText(1) == who ? "" : " (as " + signed_.getText(1) + ", the same person)";
        throw InputError(who + " signed " + workpaper + " as " + signed_.getText(0) + " on " + signed_.getText(2).substr(0, 10) + as +
                         "; one person signs a workpaper in one role only (segregation of duties)");
    }
    if (role != "reviewer" && role != "partner") return;
    // Results and evidence recorded on it, by any identity of this person, per the audit trail.
    auto did = e.db().prepare(
        "SELECT t.seq, t.entity, t.actor FROM audit_trail t JOIN person p ON p.name = t.actor "
        "WHERE t.workpaper = ?1 AND coalesce(p.same_person_as, p.id) = ?2 "
        "AND (t.entity LIKE 'result %' OR t.entity LIKE 'evidence %') ORDER BY t.seq LIMIT 1");
    did.bind(1, workpaper).bind(2, me);
    if (did.step()) {
        const std::string what = did.getText(1).rfind("result", 0) == 0 ? "results" : "evidence";
        const std::string as = did.getText(2) == who ? "" : " (as " + did.getText(2) + ", the same person)";
        throw InputError(who + " recorded " + what + " on " + workpaper + " (trail entry #" + std::to_string(did.getInt(0)) + ")" + as +
                         "; whoever recorded results or evidence on a workpaper does not sign it as " + role +
                         " (segregation of duties)");
    }
}

}  // namespace tickmark

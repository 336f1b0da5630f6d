#include "workpapers/presentation.h"

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/trail.h"
#include "workpapers/unit_of_work.h"

namespace tickmark {

namespace {

std::optional<std::string> nullableText(db::Statement& st, int col) {
    if (st.isNull(col)) return std::nullopt;
    return st.getText(col);
}

void trail(Engagement& e, const Actor& a, const std::string& workpaper, const std::string& entity, const std::string& field,
           const std::optional<std::string>& old, const std::string& value, const std::string& reason) {
    AuditTrail(e.db()).append({0, "", a.name, old ? "change" : "add", workpaper, entity, field, old, value, reason, "", ""});
}

std::int64_t subserviceId(Engagement& e, const std::string& org, std::string* method) {
    auto st = e.db().prepare("SELECT id, method FROM subservice_org WHERE name = ?");
    st.bind(1, org);
    if (!st.step()) throw InputError("no subservice organization named \"" + org + "\"; add it first with `tickmark subservice add`");
    if (method) *method = st.getText(1);
    return st.getInt(0);
}

}  // namespace

void describePopulation(Engagement& e, const Actor& a, std::int64_t populationId, const std::string& text, const std::string& reason) {
    UnitOfWork tx(e, a);
    auto st = e.db().prepare("SELECT client_description FROM population WHERE id = ?");
    st.bind(1, populationId);
    if (!st.step()) throw InputError("population " + std::to_string(populationId) + " is not in this engagement (`tickmark population list`)");
    auto old = nullableText(st, 0);
    if (text.find('\n') != std::string::npos) throw InputError("the population's description is one line (\"terminated employees\")");
    requireWritable(e, old ? WriteKind::Change : WriteKind::Add, "population " + std::to_string(populationId) + "'s description", reason);
    auto up = e.db().prepare("UPDATE population SET client_description = ? WHERE id = ?");
    if (text.empty()) up.bindNull(1);
    else up.bind(1, text);
    up.bind(2, populationId);
    up.exec();
    // The wording reaches the report: the trail puts it on the report's side.
    trail(e, a, "report", "population " + std::to_string(populationId), "client_description", old, text, reason);
    tx.commit();
}

std::optional<std::string> populationDescription(Engagement& e, std::int64_t populationId) {
    auto st = e.db().prepare("SELECT client_description FROM population WHERE id = ?");
    st.bind(1, populationId);
    if (!st.step()) return std::nullopt;
    auto d = nullableText(st, 0);
    if (d && d->empty()) return std::nullopt;
    return d;
}

void assignControlToSubservice(Engagement& e, const Actor& a, const std::string& controlRef, const std::string& org,
                               const std::string& reason) {
    UnitOfWork tx(e, a);
    auto controlId = requireControl(e, controlRef);
    std::optional<std::int64_t> orgId;
    if (!org.empty()) {
        std::string method;
        orgId = subserviceId(e, org, &method);
        if (method != "inclusive")
            throw InputError(org + " is carved out: its controls are not in the description. Only an inclusive subservice "
                                   "organization performs controls the description includes");
    }
    auto cur = e.db().prepare("SELECT o.name FROM control c LEFT JOIN subservice_org o ON o.id = c.subservice_org_id WHERE c.id = ?");
    cur.bind(1, controlId);
    cur.step();
    auto old = nullableText(cur, 0);
    requireWritable(e, WriteKind::Change, controlRef + "'s performer", reason);
    auto up = e.db().prepare("UPDATE control SET subservice_org_id = ? WHERE id = ?");
    if (orgId) up.bind(1, *orgId);
    else up.bindNull(1);
    up.bind(2, controlId);
    up.exec();
    trail(e, a, "test:" + controlRef, "control", "performed_by", old ? old : std::optional<std::string>(""),
          org.empty() ? "the service organization" : org, reason);
    tx.commit();
}

std::map<std::string, std::string> controlsPerformedBySubservice(Engagement& e) {
    std::map<std::string, std::string> out;
    auto st = e.db().prepare("SELECT c.ref, o.name FROM control c JOIN subservice_org o ON o.id = c.subservice_org_id");
    while (st.step()) out[st.getText(0)] = st.getText(1);
    return out;
}

void setSubserviceSignatory(Engagement& e, const Actor& a, const std::string& org, const std::string& name, const std::string& title,
                            const std::string& reason) {
    UnitOfWork tx(e, a);
    std::string method;
    auto id = subserviceId(e, org, &method);
    if (method != "inclusive")
        throw InputError(org + " is carved out: the report carries no assertion of its management (only an inclusive "
                               "subservice organization's assertion is presented in Section II)");
    if (name.empty() || title.empty()) throw InputError("give both the signatory's name and title for " + org + "'s assertion");
    auto cur = e.db().prepare("SELECT signatory_name, signatory_title FROM subservice_org WHERE id = ?");
    cur.bind(1, id);
    cur.step();
    auto oldName = nullableText(cur, 0), oldTitle = nullableText(cur, 1);
    requireWritable(e, oldName ? WriteKind::Change : WriteKind::Add, org + "'s assertion signatory", reason);
    auto up = e.db().prepare("UPDATE subservice_org SET signatory_name = ?, signatory_title = ? WHERE id = ?");
    up.bind(1, name).bind(2, title).bind(3, id);
    up.exec();
    trail(e, a, "engagement", "subservice organization " + std::to_string(id), "signatory",
          oldName ? std::optional<std::string>(*oldName + ", " + oldTitle.value_or("")) : std::nullopt, name + ", " + title, reason);
    tx.commit();
}

}  // namespace tickmark

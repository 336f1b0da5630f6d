#include "workpapers/reporting.h"

#include <set>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/trail.h"
#include "workpapers/rules/gates.h"
#include "workpapers/rules/opinion.h"

namespace tickmark {

const std::vector<DescriptionHeading>& descriptionHeadings() {
    static const std::vector<DescriptionHeading> h = {
        {"services", "Services provided"},
        {"commitments", "Principal service commitments and system requirements"},
        {"infrastructure", "Components of the system: infrastructure"},
        {"software", "Components of the system: software"},
        {"people", "Components of the system: people"},
        {"procedures", "Components of the system: procedures"},
        {"data", "Components of the system: data"},
        {"boundaries", "System boundaries"},
        {"incidents", "System incidents during the period"},
        {"criteria-not-applicable", "Trust services criteria not applicable, and why"},
        {"changes", "Significant changes during the period"},
    };
    return h;
}

namespace {
std::map<std::string, std::string> readMap(Engagement& e, const char* sql) {
    std::map<std::string, std::string> m;
    auto st = e.db().prepare(sql);
    while (st.step()) m[st.getText(0)] = st.getText(1);
    return m;
}
}  // namespace

std::map<std::string, std::string> reportSettings(Engagement& e) { return readMap(e, "SELECT key, value FROM report_setting"); }
std::map<std::string, std::string> descriptionTexts(Engagement& e) { return readMap(e, "SELECT heading, text FROM description_section"); }

void setReportSetting(Engagement& e, const Actor& a, const std::string& key, const std::string& value, const std::string& reason) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    static const std::set<std::string> keys = {"firm_name", "firm_city", "report_date", "signatory_name", "signatory_title"};
    if (!keys.count(key)) throw InputError("report setting \"" + key + "\": use firm_name, firm_city, report_date, signatory_name or signatory_title");
    if (key == "report_date" && !parseIsoDate(value)) throw InputError("report_date \"" + value + "\": write it as YYYY-MM-DD");
    if (!a.has("partner") && !a.has("reviewer") && !a.has("preparer")) throw InputError(a.name + " has no role on this engagement");
    auto old = reportSettings(e);
    auto it = old.find(key);
    requireWritable(e, it == old.end() ? WriteKind::Add : WriteKind::Change, "the report's " + key, reason);
    auto st = e.db().prepare("INSERT INTO report_setting(key, value) VALUES (?1, ?2) ON CONFLICT(key) DO UPDATE SET value = ?2");
    st.bind(1, key).bind(2, value);
    st.exec();
    AuditTrail(e.db()).append({0, "", a.name, it == old.end() ? "add" : "change", "report", "report setting", key,
                               it == old.end() ? std::nullopt : std::optional<std::string>(it->second), value, reason, "", ""});
    tx.commit();
}

void setDescription(Engagement& e, const Actor& a, const std::string& heading, const std::string& text, const std::string& reason,
                    std::optional<std::int64_t> seen) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    bool known = false;
    for (auto& h : descriptionHeadings()) known |= heading == h.key;
    if (!known) {
        std::string list;
        for (auto& h : descriptionHeadings()) list += (list.empty() ? "" : ", ") + std::string(h.key);
        throw InputError("description heading \"" + heading + "\": use one of " + list);
    }
    auto old = descriptionTexts(e);
    auto it = old.find(heading);
    requireWritable(e, it == old.end() ? WriteKind::Add : WriteKind::Change, "the description's " + heading, reason);
    if (seen) requireUnchangedSince(e.db(), "report", "description", *seen, heading);
    auto st = e.db().prepare("INSERT INTO description_section(heading, text) VALUES (?1, ?2) ON CONFLICT(heading) DO UPDATE SET text = ?2");
    st.bind(1, heading).bind(2, text);
    st.exec();
    AuditTrail(e.db()).append({0, "", a.name, it == old.end() ? "add" : "change", "report", "description", heading,
                               it == old.end() ? std::nullopt : std::optional<std::string>(it->second), text, reason, "", ""});
    tx.commit();
}

std::vector<DescriptionHeading> descriptionHeadings(ReportType type) {
    if (type == ReportType::TypeII) return descriptionHeadings();
    std::vector<DescriptionHeading> out;
    for (auto h : descriptionHeadings()) {
        if (std::string(h.key) == "changes") continue;
        if (std::string(h.key) == "incidents") h.title = "System incidents";
        out.push_back(h);
    }
    return out;
}

bool descriptionHeadingRequired(const std::string& key, ReportType type) {
    if (key == "criteria-not-applicable") return false;
    return type == ReportType::TypeII || (key != "incidents" && key != "changes");
}

std::optional<OpinionChoice> opinionChoice(Engagement& e) {
    auto st = e.db().prepare("SELECT opinion, proposed, rationale, chosen_by, chosen_at, coalesce(trail_seq, 0) FROM opinion_choice WHERE id = 1");
    if (!st.step()) return std::nullopt;
    OpinionChoice c{st.getText(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getInt(5), false, {}, ""};
    const auto now = proposeOpinion(e);
    if (c.trailSeq == 0) {
        c.stale = true;
        c.staleReason = "chosen before Tickmark recorded what a choice rests on; choose again";
    } else if (c.changesSince = reportBasisChangesAfter(e, c.trailSeq); !c.changesSince.empty()) {
        c.stale = true;
        c.staleReason = std::to_string(c.changesSince.size()) + " change" + (c.changesSince.size() == 1 ? "" : "s") +
                        " to what the report follows since the choice";
    } else if (toString(now.opinion) != c.proposed) {
        c.stale = true;
        c.staleReason = "the workpapers now propose " + toString(now.opinion) + ", not " + c.proposed;
    }
    return c;
}

void chooseOpinion(Engagement& e, const Actor& partner, const std::string& opinion, const std::string& rationale) {
    UnitOfWork tx(e, partner);  // first: the proposal below is read from what this write sees
    if (!partner.has("partner")) throw InputError(partner.name + " is not a partner; the engagement partner decides the opinion");
    if (!parseOpinion(opinion)) throw InputError("opinion \"" + opinion + "\": use unmodified, qualified, adverse or disclaimer");
    const std::string proposed = toString(proposeOpinion(e).opinion);
    if (opinion != proposed && rationale.empty())
        throw InputError("the workpapers propose a " + proposed + " opinion; choosing " + opinion +
                         " needs the partner's rationale (--rationale)");
    auto old = opinionChoice(e);
    requireWritable(e, old ? WriteKind::Change : WriteKind::Add, "the opinion", "");
    const std::string now = utcNow();
    auto entry = AuditTrail(e.db()).append({0, now, partner.name, old ? "change" : "add", "report", "opinion", "choice",
                                            old ? std::optional<std::string>(old->opinion + " (proposed " + old->proposed + ")") : std::nullopt,
                                            opinion + " (proposed " + proposed + ")", rationale, "", ""});
    auto st = e.db().prepare(
        "INSERT INTO opinion_choice(id, opinion, proposed, rationale, chosen_by, chosen_at, trail_seq) VALUES (1,?1,?2,?3,?4,?5,?6) "
        "ON CONFLICT(id) DO UPDATE SET opinion = ?1, proposed = ?2, rationale = ?3, chosen_by = ?4, chosen_at = ?5, trail_seq = ?6");
    st.bind(1, opinion).bind(2, proposed).bind(3, rationale).bind(4, partner.name).bind(5, now).bind(6, entry.seq);
    st.exec();
    tx.commit();
}

}  // namespace tickmark

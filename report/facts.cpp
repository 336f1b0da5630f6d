// What the report reads from the engagement, once, and the wording the sections share.
#include <algorithm>
#include <regex>

#include "report/assembly.h"
#include "workpapers/proof/provenance.h"
#include "workpapers/dates.h"
#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/presentation.h"
#include "workpapers/reporting.h"
#include "workpapers/samples.h"
#include "workpapers/sampling_plan.h"

namespace tickmark::report::assembly {

using wording::flag;
namespace mstch = kainjow::mustache;

std::string Facts::setting(const char* key, const char* placeholder) const {
    auto it = settings.find(key);
    return it == settings.end() || it->second.empty() ? std::string(placeholder) : it->second;
}

void stampProvenance(Engagement& e, Report& r) {
    const auto p = proof::currentProvenance(e);
    r.provenance = p.properties();
    r.provenanceSentence = p.sentence();
    // Its own closing part: not the auditor's report, not management's other information.
    Section record{"", "Report Record", "record", {}};
    record.content.push_back(Block{Block::Kind::Paragraph, r.provenanceSentence});
    r.sections.push_back(std::move(record));
}

Signature firmSignature(wording::Templates& t, const Report& r) {
    Signature s;
    if (auto img = t.firmFile("signature.png"); std::filesystem::exists(img)) s.image = img;
    s.lines = {r.firm, r.firmCity.empty() ? "[City, State]" : r.firmCity, r.reportDate};
    return s;
}

Signature managementSignature(const Facts& f, const Report& r) {
    return Signature{{f.setting("signatory_name", "[Signatory]"), f.setting("signatory_title", "[Title]"), r.client, r.reportDate}, {}};
}

std::vector<std::string> Facts::controlsPerformedBy(const std::string& org) const {
    std::vector<std::string> refs;
    for (auto& [ref, by] : performedBy)
        if (by == org) refs.push_back(ref);
    return refs;
}

bool Facts::anyCarveOut() const {
    return std::any_of(orgs.begin(), orgs.end(), [](auto& o) { return o.method == "carve-out"; });
}
bool Facts::anyInclusive() const {
    return std::any_of(orgs.begin(), orgs.end(), [](auto& o) { return o.method == "inclusive"; });
}

Facts gather(Engagement& e) {
    // One state of the file: the report's text and its provenance stamp describe the same engagement
    // even while a teammate's program commits a write.
    db::ReadSnapshot snapshot(e.db());
    Facts f;
    f.setup = e.setup();
    f.type2 = f.setup.reportType == ReportType::TypeII;
    if (f.type2) {
        f.start = wording::longDate(isoString(*f.setup.periodStart));
        f.end = wording::longDate(isoString(*f.setup.periodEnd));
        f.when = "throughout the period " + f.start + " to " + f.end;
    } else {
        f.asOf = wording::longDate(isoString(*f.setup.asOf));
        f.when = "as of " + f.asOf;
    }
    f.descriptionTitle = f.setup.client + "'s Description of Its " + f.setup.systemName;
    for (auto& code : e.categoriesInScope()) {
        std::string n = findCategory(code)->name;
        if (n == "Security (common criteria)") n = "security";
        else n[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(n[0])));
        f.categoryNames.push_back(n);
    }
    for (auto& c : e.criteriaInScope()) f.criteria[c.id] = c;
    f.proposal = proposeOpinion(e);
    auto choice = opinionChoice(e);
    f.opinionUsed = choice ? choice->opinion : toString(f.proposal.opinion);
    f.gates = issuanceGates(e, f.proposal);
    f.settings = reportSettings(e);
    f.texts = descriptionTexts(e);
    f.orgs = e.subserviceOrgs();
    f.cuecs = e.cuecs();
    f.csocs = e.csocs();
    f.performedBy = controlsPerformedBySubservice(e);
    f.controls = listControls(e);
    for (auto& c : f.controls) {
        try {
            f.tests[c.ref] = loadTest(e, c.ref);
            f.conclusions[c.ref] = controlConclusion(e, c.ref);
        } catch (const InputError&) {
            f.tests[c.ref] = std::nullopt;
        }
        auto& t = f.tests[c.ref];
        std::string noun = "items";
        if (t && t->sampleId) {
            auto s = loadSample(e, *t->sampleId);
            f.frameSizes[c.ref] = s.frameSize;
            // A selection of dates: the frame is the period's days, or its business days.
            if (s.method == "dates") noun = s.frameJson.find("\"business_days_only\":true") != std::string::npos ? "business days" : "days";
            // A periodic control's dates stand for its occurrences: "2 of the 4 quarters", "the annual occurrence".
            if (s.method == "dates" && !s.planJson.empty()) {
                try {
                    const auto plan = SamplingPlan::fromJson(s.planJson, "selection " + std::to_string(s.id));
                    static const std::map<std::string, std::pair<std::int64_t, const char*>> periodic = {
                        {"annual", {1, "annual occurrences"}}, {"quarterly", {4, "quarters"}}, {"monthly", {12, "months"}}, {"weekly", {52, "weeks"}},
                        {"automated", {0, "instances of the automated control"}}};
                    if (auto it = periodic.find(plan.frequency); it != periodic.end()) {
                        noun = it->second.second;
                        f.frameSizes[c.ref] = it->second.first == 0 ? 0 : std::max<std::int64_t>(1, it->second.first * plan.periodMonths / 12);
                    }
                } catch (const std::exception&) {
                    // A plan this build cannot read keeps the days.
                }
            }
            if (s.populationId)
                if (auto d = populationDescription(e, *s.populationId)) noun = *d;
        }
        f.itemNouns[c.ref] = noun;
    }
    f.exceptions = listExceptions(e);
    return f;
}

namespace {
std::string counted(std::int64_t n, const std::string& pluralNoun) {
    std::string noun = pluralNoun;
    if (n == 1 && noun.size() > 1 && noun.back() == 's') noun.pop_back();
    return wording::withThousands(n) + " " + noun;
}
}  // namespace

std::string exceptionSentence(const Facts& f, const ExceptionView& x) {
    const std::string noun = f.itemNouns.count(x.control) ? f.itemNouns.at(x.control) : "items";
    std::string desc = x.description;
    while (!desc.empty() && std::isspace(static_cast<unsigned char>(desc.back()))) desc.pop_back();
    // The preparer's sentence may already give the counts: then it is the sentence, never doubled.
    if (!desc.empty() && std::regex_search(desc, std::regex("\\b" + std::to_string(x.deviations) + " of " + std::to_string(x.tested) + "\\b")))
        return wording::sentence(desc);
    const std::string lead = "Exception noted for " + std::to_string(x.deviations) + " of " + counted(x.tested, noun) + " sampled";
    if (desc.empty()) return lead + ": attribute " + x.letter + " (" + wording::sentence(x.question) + ") was not met.";
    return lead + ". " + wording::sentence(desc);
}

void fillTemplateData(const Facts& f, wording::Templates& t, Report& r) {
    auto setting = [&](const char* k, const char* placeholder) { return f.setting(k, placeholder); };
    t.set("client", f.setup.client);
    t.set("soc2", r.kind == Kind::Soc2);
    t.set("system", f.setup.systemName);
    t.set("type2", f.type2);
    t.set("type1", !f.type2);
    t.set("period_start", f.start);
    t.set("period_end", f.end);
    t.set("as_of", f.asOf);
    t.set("when", f.when);
    t.set("users_when", f.type2 ? "during some or all of the period " + f.start + " to " + f.end : "as of " + f.asOf);
    t.set("description_title", f.descriptionTitle);
    t.set("categories", wording::joinNames(f.categoryNames));
    t.set("categories_title", wording::titleCase(wording::joinNames(f.categoryNames)));
    t.set("criteria_count", std::to_string(f.proposal.criteria.size()));
    t.set("firm_name", setting("firm_name", "[Firm name]"));
    t.set("firm_city", setting("firm_city", "[City, State]"));
    const auto reportDate = f.setting("report_date", "");
    t.set("report_date", reportDate.empty() ? "[Report date]" : wording::longDate(reportDate));
    t.set("signatory_name", setting("signatory_name", "[Signatory]"));
    t.set("signatory_title", setting("signatory_title", "[Title]"));

    // Subservice organizations, by method.
    mstch::data carve{mstch::data::type::list}, incl{mstch::data::type::list};
    std::vector<std::string> inclusiveNames;
    for (auto& o : f.orgs) {
        mstch::data item;
        item.set("name", o.name);
        item.set("services", o.services);
        item.set("signatory_name", o.signatoryName.empty() ? "[Signatory]" : o.signatoryName);
        item.set("signatory_title", o.signatoryTitle.empty() ? "[Title]" : o.signatoryTitle);
        item.set("controls", wording::joinNames(f.controlsPerformedBy(o.name)));
        if (o.method == "carve-out") carve.push_back(item);
        else {
            incl.push_back(item);
            inclusiveNames.push_back(o.name);
        }
    }
    t.set("carve_out", f.anyCarveOut());
    t.set("one_carve_out", std::count_if(f.orgs.begin(), f.orgs.end(), [](auto& o) { return o.method == "carve-out"; }) == 1);
    t.set("has_subservice", !f.orgs.empty());
    t.set("inclusive", f.anyInclusive());
    t.data().set("subservice", carve);
    t.data().set("subservice_inclusive", incl);
    t.set("inclusive_names", wording::joinNames(inclusiveNames));
    // The conditions the opinion and the assertion carry: CSOCs of carved-out organizations, CUECs.
    const bool csocs = f.hasCsocs() && f.anyCarveOut(), cuecs = f.hasCuecs();
    t.set("has_csocs", csocs);
    t.set("has_cuecs", cuecs);
    t.set("has_both", csocs && cuecs);
    t.set("has_conditions", csocs || cuecs);
    t.set("design_condition", t.render("condition-design"));
    t.set("operation_condition", t.render("condition-operation"));

    // The opinion and the criteria behind a modification, each with what it rests on.
    const std::string op = f.opinionUsed;
    t.set("unmodified", op == "unmodified");
    t.set("modified", op != "unmodified");
    t.set("qualified", op == "qualified");
    t.set("adverse", op == "adverse");
    t.set("disclaimer", op == "disclaimer");
    std::map<std::int64_t, const ExceptionView*> byId;
    for (auto& x : f.exceptions) byId[x.id] = &x;
    std::map<std::string, const Control*> controlByRef;
    for (auto& c : f.controls) controlByRef[c.ref] = &c;
    // A finding as the templates word it: the control, what the description states, the deviation.
    auto finding = [&](const ExceptionView& x) {
        mstch::data fi;
        fi.set("control", x.control);
        auto ctl = controlByRef.find(x.control);
        fi.set("states", ctl == controlByRef.end() ? x.question : wording::sentence(ctl->second->description));
        fi.set("deviation", exceptionSentence(f, x));
        return fi;
    };
    mstch::data notMet{mstch::data::type::list}, notAddressed{mstch::data::type::list}, notExamined{mstch::data::type::list};
    for (auto& c : f.proposal.criteria) {
        mstch::data item;
        item.set("id", c.id);
        item.set("name", c.name);
        item.set("reason", wording::sentence(c.reason));
        switch (c.standing) {
            case Standing::NotMet: {
                mstch::data findings{mstch::data::type::list};
                std::string why;
                for (auto& xb : c.exceptions) {
                    const ExceptionView& x = *byId.at(xb.id);
                    findings.push_back(finding(x));
                    why += (why.empty() ? "" : " ") + x.control + ": " + exceptionSentence(f, x);
                }
                item.set("findings", findings);
                notMet.push_back(item);
                r.unmet.push_back({c.id, c.name, why, toString(c.standing)});
                break;
            }
            case Standing::NotAddressed:
                notAddressed.push_back(item);
                r.unmet.push_back({c.id, c.name, "No control included in the description addresses this criterion.", toString(c.standing)});
                break;
            case Standing::NotExamined:
                notExamined.push_back(item);
                r.unmet.push_back({c.id, c.name, c.reason, toString(c.standing)});
                break;
            case Standing::NotApplicable: r.notApplicable.emplace_back(c.id + " " + c.name, c.reason); break;
            case Standing::Addressed: break;
        }
    }
    auto setList = [&](const std::string& key, mstch::data list) {
        t.set("has_" + key, !list.list_value().empty());
        t.data().set(key, list);
    };
    setList("not_met", notMet);
    // The basis groups the criteria one set of findings leaves not met: a finding is told once, with every
    // criterion it reaches ("CC1.1 (...), CC1.2 (...) and CC8.1 (...)"), not once per criterion.
    {
        std::vector<std::pair<std::vector<std::int64_t>, std::vector<const CriterionAssessment*>>> groups;
        for (auto& c : f.proposal.criteria) {
            if (c.standing != Standing::NotMet) continue;
            std::vector<std::int64_t> ids;
            for (auto& x : c.exceptions) ids.push_back(x.id);
            std::sort(ids.begin(), ids.end());
            auto g = std::find_if(groups.begin(), groups.end(), [&](auto& gr) { return gr.first == ids; });
            if (g == groups.end()) groups.push_back({ids, {&c}});
            else g->second.push_back(&c);
        }
        mstch::data grouped{mstch::data::type::list};
        for (auto& [ids, crits] : groups) {
            mstch::data item;
            std::vector<std::string> labels, parens, refs;
            for (auto* c : crits) {
                labels.push_back(crits.size() == 1 ? c->id + " " + c->name : c->id + " (" + c->name + ")");
                parens.push_back(c->id + " (" + c->name + ")");
                refs.push_back(c->id);
            }
            item.set("label", wording::joinNames(labels));
            item.set("label_paren", wording::joinNames(parens));
            item.set("ids", wording::joinNames(refs));
            item.set("several", flag(crits.size() > 1));
            mstch::data findings{mstch::data::type::list};
            for (auto id : ids) {
                const ExceptionView& x = *byId.at(id);
                findings.push_back(finding(x));
            }
            item.set("findings", findings);
            grouped.push_back(item);
        }
        t.data().set("not_met_grouped", grouped);
    }
    setList("not_addressed", notAddressed);
    setList("not_examined", notExamined);
    t.set("opinion_parts", t.render("opinion-parts"));
    t.set("basis_matters", t.render("basis-matters"));
}

void fillCover(const Facts& f, wording::Templates& t, Report& r, const std::string& kindTitle) {
    r.client = f.setup.client;
    r.system = f.setup.systemName;
    r.type2 = f.type2;
    r.title = kindTitle;
    r.periodText = f.type2 ? "For the period " + f.start + " to " + f.end : "As of " + f.asOf;
    r.categories = wording::joinNames(f.categoryNames);
    r.firm = f.setting("firm_name", "[Firm name]");
    r.firmCity = f.setting("firm_city", "");
    const auto reportDate = f.setting("report_date", "");
    r.reportDate = reportDate.empty() ? "[Report date]" : wording::longDate(reportDate);
    r.opinionProposed = toString(f.proposal.opinion);
    r.proposalBasis = f.proposal.basis;
    r.opinionUsed = f.opinionUsed;
    r.gates = f.gates;
    for (auto& c : f.proposal.criteria) r.criteriaInScope.push_back(c.id);
    r.longTitle = t.render(r.kind == Kind::Soc2 ? "title-soc2" : "title-soc3");
    while (!r.longTitle.empty() && (r.longTitle.back() == '\n' || r.longTitle.back() == ' ')) r.longTitle.pop_back();
    if (auto logo = t.firmFile("logo.png"); std::filesystem::exists(logo)) r.logo = logo;
    // A draft says what keeps it from being final; a final's cover carries nothing internal.
    if (!r.issuable()) {
        for (auto& g : r.gates)
            if (!g.met) r.draftNotes.push_back("Open: " + g.name + " (" + g.detail + ")");
        // While conclusions are open the opinion cannot be determined: the proposal is only where the work stands.
        std::size_t open = 0;
        for (auto& g : r.gates)
            if (!g.met && g.name == "Every conclusion final") open = g.failing.size();
        if (open)
            r.draftNotes.push_back("Opinion: not yet determinable, " + std::to_string(open) + " control" + (open == 1 ? "" : "s") +
                                   " not concluded; the workpapers so far propose " + r.opinionProposed + " (" + r.proposalBasis + ")");
        else
            r.draftNotes.push_back("Opinion proposed from the workpapers: " + r.opinionProposed + " (" + r.proposalBasis + ")" +
                                   (r.opinionUsed != r.opinionProposed ? "; chosen by the partner: " + r.opinionUsed : ""));
    }
}

}  // namespace tickmark::report::assembly

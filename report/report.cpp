#include "report/report.h"

#include <kainjow/mustache.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/samples.h"

namespace tickmark::report {

namespace mstch = kainjow::mustache;

bool Report::issuable() const { return allMet(gates); }

namespace {

std::string readFile(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    if (!in) throw InputError(p.string() + ": the report template is missing (set TICKMARK_DATA_DIR to the folder holding templates/)");
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

std::string longDate(const std::string& iso) {
    static const char* months[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};
    auto d = parseIsoDate(iso);
    if (!d) return iso;
    return std::string(months[static_cast<unsigned>(d->month()) - 1]) + " " + std::to_string(static_cast<unsigned>(d->day())) +
           ", " + std::to_string(static_cast<int>(d->year()));
}

std::string lowerFirst(std::string s) {
    if (s.size() > 1 && std::isupper(static_cast<unsigned char>(s[0])) && !std::isupper(static_cast<unsigned char>(s[1])))
        s[0] = static_cast<char>(std::tolower(static_cast<unsigned char>(s[0])));
    return s;
}

std::string joinNames(const std::vector<std::string>& names) {
    if (names.empty()) return "";
    if (names.size() == 1) return names[0];
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i)
        s += (i == 0 ? "" : i + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ") + names[i];
    return s;
}

// A name ending in a period ("Inc.") before the template's own period reads "Inc.."; keep one.
std::string tidy(const std::string& s) { return std::regex_replace(s, std::regex("([A-Za-z])\\.\\.(?!\\.)"), "$1."); }

// Turns rendered template text into blocks: "## " headings, "- " bullets, blank-line paragraphs.
void appendBlocks(std::vector<Element>& out, const std::string& raw) {
    const std::string text = tidy(raw);
    std::istringstream in(text);
    std::string line, para;
    auto flush = [&] {
        if (!para.empty()) out.push_back(Block{Block::Kind::Paragraph, para});
        para.clear();
    };
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) {
            flush();
        } else if (line.rfind("## ", 0) == 0) {
            flush();
            out.push_back(Block{Block::Kind::Heading, line.substr(3)});
        } else if (line.rfind("- ", 0) == 0) {
            flush();
            out.push_back(Block{Block::Kind::Bullet, line.substr(2)});
        } else {
            para += (para.empty() ? "" : "\n") + line;
        }
    }
    flush();
}

}  // namespace

std::string renderTemplate(const std::filesystem::path& file, const std::string& source, const void* dataPtr) {
    const auto& data = *static_cast<const mstch::data*>(dataPtr);
    mstch::mustache tmpl{source};
    if (!tmpl.is_valid()) {
        std::string msg = tmpl.error_message();
        std::smatch m;
        std::string where;
        if (std::regex_search(msg, m, std::regex(" at (\\d+)"))) {
            auto offset = static_cast<std::size_t>(std::stoul(m[1]));
            where = ", line " + std::to_string(1 + std::count(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(std::min(offset, source.size())), '\n'));
        }
        throw InputError(file.string() + where + ": the template does not parse (" + msg + "); fix it and run again");
    }
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // plain text, not HTML
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) throw InputError(file.string() + ": the template could not be rendered (" + tmpl.error_message() + ")");
    return out;
}

Report assemble(Engagement& e, const std::filesystem::path& templatesDir) {
    Report r;
    auto setup = e.setup();
    const bool type2 = setup.reportType == ReportType::TypeII;
    r.client = setup.client;
    r.system = setup.systemName;
    r.title = std::string("SOC 2 Type ") + (type2 ? "II" : "I") + " Report";
    const std::string start = type2 ? longDate(isoString(*setup.periodStart)) : "";
    const std::string end = type2 ? longDate(isoString(*setup.periodEnd)) : "";
    const std::string asOf = type2 ? "" : longDate(isoString(*setup.asOf));
    r.periodText = type2 ? "For the period " + start + " to " + end : "As of " + asOf;

    // The criteria in scope, in TSC order.
    std::map<std::string, std::string> criterionName;
    std::vector<std::string> categoryNames;
    {
        for (auto& c : e.criteriaInScope()) {
            r.criteriaInScope.push_back(c.id);
            criterionName[c.id] = c.shortName;
        }
        for (auto& code : e.categoriesInScope()) {
            std::string n = findCategory(code)->name;
            categoryNames.push_back(n == "Security (common criteria)" ? "security" : lowerFirst(n));
        }
    }

    // Controls, their tests, conclusions and exceptions.
    auto controls = listControls(e);
    std::map<std::string, std::optional<TestView>> tests;
    std::map<std::string, ConclusionView> conclusions;
    for (auto& c : controls) {
        try {
            tests[c.ref] = loadTest(e, c.ref);
            conclusions[c.ref] = controlConclusion(e, c.ref);
        } catch (const InputError&) {
            tests[c.ref] = std::nullopt;
        }
    }
    auto exceptions = listExceptions(e);
    auto itemNoun = [&](const std::string& control) -> std::string {
        auto& t = tests[control];
        if (!t || !t->sampleId) return "items";
        auto s = loadSample(e, *t->sampleId);
        if (!s.populationId) return "occurrences";
        return lowerFirst(loadProfile(e, *s.populationId).name);
    };
    auto exceptionSentence = [&](const ExceptionView& x) {
        std::string what = x.description.empty() ? "attribute " + x.letter + " (" + lowerFirst(x.question) + ") was not met"
                                                 : lowerFirst(x.description);
        if (!what.empty() && what.back() == '.') what.pop_back();
        return "For " + std::to_string(x.deviations) + " of " + std::to_string(x.tested) + " " + itemNoun(x.control) +
               " sampled, " + what + ".";
    };
    auto resultText = [&](const Control& c) -> std::string {
        auto& t = tests[c.ref];
        if (!t) return "Not tested.";
        auto& conc = conclusions[c.ref];
        if (conc.computed == "in-progress" && t->recorded < t->expected) return "Testing in progress.";
        std::string s;
        for (auto& x : exceptions)
            if (x.control == c.ref && x.deviations > 0) s += (s.empty() ? "Exception noted. " : " ") + exceptionSentence(x);
        return s.empty() ? "No exceptions noted." : s;
    };

    // The opinion and the gates are the domain's (workpapers/rules): the report only words them.
    const auto proposal = proposeOpinion(e);
    r.opinionProposed = toString(proposal.opinion);
    r.proposalBasis = proposal.basis;
    std::map<std::int64_t, ExceptionView> exceptionById;
    for (auto& x : exceptions) exceptionById[x.id] = x;
    for (auto& c : proposal.criteria) {
        switch (c.standing) {
            case Standing::NotMet: {
                std::string why;
                for (auto& x : c.exceptions) why += (why.empty() ? "" : " ") + x.control + ": " + exceptionSentence(exceptionById.at(x.id));
                r.unmet.push_back({c.id, c.name, why, toString(c.standing)});
                break;
            }
            case Standing::NotAddressed:
                r.unmet.push_back({c.id, c.name, "No control included in the description addresses this criterion.", toString(c.standing)});
                break;
            case Standing::NotExamined:
                r.unmet.push_back({c.id, c.name, c.reason, toString(c.standing)});
                break;
            case Standing::NotApplicable: r.notApplicable.emplace_back(c.id + " " + c.name, c.reason); break;
            case Standing::Addressed: break;
        }
    }
    auto choice = opinionChoice(e);
    r.opinionUsed = choice ? choice->opinion : r.opinionProposed;
    r.gates = issuanceGates(e, proposal);
    auto settings = reportSettings(e);
    auto texts = descriptionTexts(e);

    // Template data shared by the sections.
    mstch::data d;
    d.set("client", r.client);
    d.set("system", r.system);
    d.set("period_start", start);
    d.set("period_end", end);
    d.set("as_of", asOf);
    d.set("type2", type2 ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("type1", !type2 ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("categories", joinNames(categoryNames));
    d.set("criteria_count", std::to_string(r.criteriaInScope.size()));
    auto orgs = e.subserviceOrgs();
    mstch::data carve{mstch::data::type::list}, incl{mstch::data::type::list};
    for (auto& o : orgs) {
        mstch::data item;
        item.set("name", o.name);
        item.set("services", o.services);
        (o.method == "carve-out" ? carve : incl).push_back(item);
    }
    bool anyCarve = std::any_of(orgs.begin(), orgs.end(), [](auto& o) { return o.method == "carve-out"; });
    bool anyIncl = std::any_of(orgs.begin(), orgs.end(), [](auto& o) { return o.method == "inclusive"; });
    d.set("carve_out", anyCarve ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("inclusive", anyIncl ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    d.set("subservice", carve);
    d.set("subservice_inclusive", incl);
    d.set("has_cuecs", e.cuecs().empty() ? mstch::data::type::bool_false : mstch::data::type::bool_true);
    auto setting = [&](const char* k, const char* placeholder) { return settings[k].empty() ? std::string(placeholder) : settings[k]; };
    d.set("firm_name", setting("firm_name", "[Firm name]"));
    d.set("firm_city", setting("firm_city", "[City]"));
    d.set("report_date", settings["report_date"].empty() ? "[Report date]" : longDate(settings["report_date"]));
    d.set("signatory_name", setting("signatory_name", "[Signatory]"));
    d.set("signatory_title", setting("signatory_title", "[Title]"));
    // The criteria behind a modified opinion, by why: the templates word each kind apart.
    for (const char* kind : {"not-met", "not-addressed", "not-examined"}) {
        mstch::data list{mstch::data::type::list};
        bool any = false;
        for (auto& u : r.unmet) {
            if (u.standing != kind) continue;
            mstch::data item;
            item.set("id", u.id);
            item.set("name", u.name);
            item.set("reason", u.reason);
            list.push_back(item);
            any = true;
        }
        std::string key = std::regex_replace(std::string(kind), std::regex("-"), "_");
        d.set(key, list);
        d.set("has_" + key, any ? mstch::data::type::bool_true : mstch::data::type::bool_false);
    }

    auto render = [&](const std::string& name) {
        auto path = templatesDir / "report" / (name + ".mustache");
        return renderTemplate(path, readFile(path), &d);
    };
    d.set("opinion", render("opinion-" + r.opinionUsed));
    static const std::map<std::string, std::string> headings = {
        {"unmodified", "Opinion"}, {"qualified", "Qualified opinion"}, {"adverse", "Adverse opinion"}, {"disclaimer", "Disclaimer of opinion"}};
    d.set("opinion_heading", r.opinionUsed == "unmodified" ? "Opinion" : headings.at(r.opinionUsed));

    // Section I and II.
    Section s1{"I", "Independent Service Auditor's Report", {}};
    std::string s1text = render("section1");
    // The qualified/adverse/disclaimer wording carries its own headings; drop the generic one above it.
    if (r.opinionUsed != "unmodified") s1text = std::regex_replace(s1text, std::regex("## " + headings.at(r.opinionUsed) + "\n+(## )"), "$1");
    appendBlocks(s1.content, s1text);
    Section s2{"II", "Assertion of " + r.client + " Management", {}};
    appendBlocks(s2.content, render("section2"));

    // Section III: the description, by heading.
    Section s3{"III", r.client + "'s Description of the " + r.system, {}};
    for (auto& h : descriptionHeadings()) {
        s3.content.push_back(Block{Block::Kind::Heading, h.title});
        const std::string& t = texts[h.key];
        if (!descriptionHeadingRequired(h.key)) {
            // The criteria marked not applicable, each with the reason recorded, then any text added.
            if (r.notApplicable.empty())
                s3.content.push_back(Block{Block::Kind::Paragraph, "Every criterion of the categories in scope is applicable to the system."});
            for (auto& [id, why] : r.notApplicable) s3.content.push_back(Block{Block::Kind::Bullet, id + ": " + why});
            if (!t.empty()) appendBlocks(s3.content, t);
            continue;
        }
        appendBlocks(s3.content, t.empty() ? "[Not yet provided: this heading is required by DC section 200.]" : t);
    }
    s3.content.push_back(Block{Block::Kind::Heading, "Subservice organizations and complementary subservice organization controls"});
    if (orgs.empty()) s3.content.push_back(Block{Block::Kind::Paragraph, r.client + " uses no subservice organizations for the system."});
    for (auto& o : orgs)
        s3.content.push_back(Block{Block::Kind::Paragraph, o.name + " (" + (o.method == "carve-out" ? "carved out" : "included") + "): " + o.services});
    if (!e.csocs().empty()) {
        Table t{{"Subservice organization", "Complementary control expected", "Criteria"}, {0.25, 0.55, 0.20}, {}};
        for (auto& c : e.csocs()) t.rows.push_back({c.subserviceOrg, c.description, joinNames(c.criteria)});
        s3.content.push_back(t);
    }
    s3.content.push_back(Block{Block::Kind::Heading, "Complementary user entity controls"});
    if (e.cuecs().empty()) s3.content.push_back(Block{Block::Kind::Paragraph, "The controls assume no complementary user entity controls."});
    else {
        Table t{{"Complementary user entity control", "Criteria"}, {0.75, 0.25}, {}};
        for (auto& c : e.cuecs()) t.rows.push_back({c.description, joinNames(c.criteria)});
        s3.content.push_back(t);
    }
    s3.content.push_back(Block{Block::Kind::Heading, "Trust services criteria and related controls"});
    s3.content.push_back(Block{Block::Kind::Paragraph, "The applicable trust services criteria and the controls that address them are presented in Section IV."});

    // Section IV: by criterion in TSC order; a control mapped to several criteria appears under each.
    Section s4{"IV", "Trust Services Criteria, Related Controls, and Tests of Controls", {}};
    appendBlocks(s4.content, type2 ? "The tests of controls below were performed for the period " + start + " to " + end +
                                         ". Inquiries of personnel were performed for every control, together with the tests described."
                                   : "The controls below were evaluated for suitability of design as of " + asOf + ".");
    for (auto& id : r.criteriaInScope) {
        s4.content.push_back(Block{Block::Kind::Heading, id + "  " + criterionName[id]});
        Table t{{"Control", "Control activity", "Test performed", "Results"}, {0.10, 0.32, 0.34, 0.24}, {}};
        for (auto& c : controls) {
            if (std::find(c.criteria.begin(), c.criteria.end(), id) == c.criteria.end()) continue;
            auto& tv = tests[c.ref];
            std::string test = tv ? tv->procedure : "Not tested.";
            if (tv && tv->sampleId && type2) {
                auto n = tv->items.size();
                std::string noun = itemNoun(c.ref);
                if (n == 1 && noun.size() > 1 && noun.back() == 's') noun.pop_back();
                test += " (" + std::to_string(n) + " " + noun + " sampled.)";
            }
            r.testsOfControls.push_back({id, criterionName[id], c.ref, c.description, test, resultText(c)});
            auto& row = r.testsOfControls.back();
            t.rows.push_back({row.control, row.activity, row.test, row.result});
        }
        const auto& assessed = *std::find_if(proposal.criteria.begin(), proposal.criteria.end(), [&](auto& c) { return c.id == id; });
        if (assessed.standing == Standing::NotExamined)
            s4.content.push_back(Block{Block::Kind::Paragraph, "We were unable to obtain sufficient appropriate evidence about the "
                                                               "controls addressing this criterion: " + assessed.reason + "."});
        if (assessed.standing == Standing::NotApplicable)
            s4.content.push_back(Block{Block::Kind::Paragraph, "Not applicable to the system: " + assessed.reason});
        else if (t.rows.empty() && !assessed.csocs.empty())
            s4.content.push_back(Block{Block::Kind::Paragraph, "Addressed by the controls of the carved-out subservice organization "
                                                               "that the description expects (see Section III): " + joinNames(assessed.csocs) + "."});
        else if (t.rows.empty())
            s4.content.push_back(Block{Block::Kind::Paragraph, "No control addresses this criterion."});
        else s4.content.push_back(t);
    }

    // Section V: management's responses.
    Section s5{"V", "Other Information Provided by " + r.client, {}};
    appendBlocks(s5.content, render("section5"));
    s5.content.push_back(Block{Block::Kind::Heading, "Management's responses to exceptions"});
    bool any = false;
    for (auto& x : exceptions) {
        if (x.deviations == 0) continue;
        any = true;
        s5.content.push_back(Block{Block::Kind::Heading, x.control + ": " + x.question});
        s5.content.push_back(Block{Block::Kind::Paragraph, "Exception: " + exceptionSentence(x)});
        s5.content.push_back(Block{Block::Kind::Paragraph, "Management's response: " +
                                                              (x.managementResponse.empty() ? std::string("[Not yet provided.]") : x.managementResponse)});
    }
    if (!any) s5.content.push_back(Block{Block::Kind::Paragraph, "No exceptions were noted; management provided no responses."});

    r.sections = {s1, s2, s3, s4, s5};
    return r;
}

}  // namespace tickmark::report

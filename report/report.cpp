// The SOC 2 report: Sections I-V from the engagement, through the firm's templates. Section IV is
// section4.cpp's; the facts and the shared wording are facts.cpp's.
#include "report/report.h"

#include "report/assembly.h"
#include "workpapers/reporting.h"

namespace tickmark::report {

bool Report::issuable() const { return allMet(gates); }

namespace {

using assembly::Facts;

Section section3(const Facts& f, Report& r) {
    Section s3{"III", f.descriptionTitle, "III", {}};
    const std::string client = f.setup.client;
    for (auto& h : descriptionHeadings(f.setup.reportType)) {
        s3.content.push_back(Block{Block::Kind::Heading, h.title});
        auto it = f.texts.find(h.key);
        const std::string text = it == f.texts.end() ? "" : it->second;
        if (!descriptionHeadingRequired(h.key, f.setup.reportType) && std::string(h.key) == "criteria-not-applicable") {
            // The criteria marked not applicable, each with the reason recorded, then any text added.
            if (r.notApplicable.empty())
                s3.content.push_back(Block{Block::Kind::Paragraph, "Every criterion of the categories in scope is applicable to the system."});
            else
                s3.content.push_back(Block{Block::Kind::Paragraph, "The following trust services criteria of the categories in scope do not "
                                                                   "apply to the system, for the reasons given:"});
            for (auto& [id, why] : r.notApplicable) s3.content.push_back(Block{Block::Kind::Bullet, id + ": " + wording::sentence(why)});
            if (!text.empty()) wording::appendBlocks(s3.content, text);
            continue;
        }
        if (!text.empty()) wording::appendBlocks(s3.content, text);
        else if (descriptionHeadingRequired(h.key, f.setup.reportType))
            s3.content.push_back(Block{Block::Kind::Paragraph, "[Not yet provided: this heading is required by DC section 200.]"});
        else s3.content.push_back(Block{Block::Kind::Paragraph, "None."});
    }
    s3.content.push_back(Block{Block::Kind::Heading, "Subservice organizations"});
    if (f.orgs.empty()) s3.content.push_back(Block{Block::Kind::Paragraph, client + " uses no subservice organizations for the system."});
    for (auto& o : f.orgs) {
        if (o.method == "carve-out") {
            s3.content.push_back(Block{Block::Kind::Paragraph, o.name + " provides " + wording::sentence(o.services) +
                " The description excludes its controls (the carve-out method); the controls " + client +
                " expects of it are listed below as complementary subservice organization controls."});
        } else {
            const auto refs = f.controlsPerformedBy(o.name);
            s3.content.push_back(Block{Block::Kind::Paragraph, o.name + " provides " + wording::sentence(o.services) +
                " The description includes its controls (the inclusive method): " +
                (refs.empty() ? std::string("[none assigned yet]") : wording::joinNames(refs)) +
                ", presented with " + client + "'s controls in Section IV."});
        }
    }
    if (!f.csocs.empty()) {
        s3.content.push_back(Block{Block::Kind::Heading, "Complementary subservice organization controls"});
        Table t{{"Subservice organization", "Complementary control expected", "Criteria"}, {0.25, 0.55, 0.20}, {}};
        for (auto& c : f.csocs) t.rows.push_back({c.subserviceOrg, c.description, wording::joinNames(c.criteria)});
        s3.content.push_back(t);
    }
    s3.content.push_back(Block{Block::Kind::Heading, "Complementary user entity controls"});
    if (f.cuecs.empty()) s3.content.push_back(Block{Block::Kind::Paragraph, client + "'s controls assume no complementary user entity controls."});
    else {
        s3.content.push_back(Block{Block::Kind::Paragraph, client + "'s controls were designed with the assumption that user entities "
                                                           "implement the following controls:"});
        Table t{{"Complementary user entity control", "Criteria"}, {0.75, 0.25}, {}};
        for (auto& c : f.cuecs) t.rows.push_back({c.description, wording::joinNames(c.criteria)});
        s3.content.push_back(t);
    }
    s3.content.push_back(Block{Block::Kind::Heading, "Trust services criteria and related controls"});
    s3.content.push_back(Block{Block::Kind::Paragraph, "The applicable trust services criteria and the controls that address them are "
                                                       "an integral part of this description; they are presented in Section IV."});
    return s3;
}

Section section5(const Facts& f, wording::Templates& t) {
    Section s5{"V", "Other Information Provided by " + f.setup.client, "V", {}};
    wording::appendBlocks(s5.content, t.render("section5"));
    s5.content.push_back(Block{Block::Kind::Heading, "Management's responses to exceptions"});
    bool any = false;
    for (auto& x : f.exceptions) {
        if (x.deviations == 0) continue;
        any = true;
        s5.content.push_back(Block{Block::Kind::Heading, "Control " + x.control + ": " + wording::sentence(x.question), 3});
        s5.content.push_back(Block{Block::Kind::Paragraph, assembly::exceptionSentence(f, x)});
        s5.content.push_back(Block{Block::Kind::Paragraph, "Management's response: " +
                                                              (x.managementResponse.empty() ? std::string("[Not yet provided.]")
                                                                                            : wording::sentence(x.managementResponse))});
    }
    if (!any) s5.content.push_back(Block{Block::Kind::Paragraph, "No exceptions were noted; management provided no responses."});
    return s5;
}

}  // namespace

Report assemble(Engagement& e, const std::filesystem::path& templatesDir) {
    Report r;
    r.kind = Kind::Soc2;
    const Facts f = assembly::gather(e);
    wording::Templates t(templatesDir);
    assembly::fillTemplateData(f, t, r);
    assembly::fillCover(f, t, r, std::string("SOC 2® Type ") + (f.type2 ? "II" : "I") + " Report");
    t.set("opinion", t.render("opinion-" + r.opinionUsed));

    Section s1{"I", "Independent Service Auditor's Report", "I", {}};
    wording::appendBlocks(s1.content, t.render("section1"));
    s1.content.push_back(assembly::firmSignature(t, r));

    Section s2{"II", "Assertion of " + r.client + " Management", "II", {}};
    wording::appendBlocks(s2.content, t.render("section2"));
    s2.content.push_back(assembly::managementSignature(f, r));
    // Inclusive method: each subservice organization's own assertion follows management's.
    for (auto& o : f.orgs) {
        if (o.method != "inclusive") continue;
        t.set("org_name", o.name);
        t.set("org_services", o.services);
        const auto refs = f.controlsPerformedBy(o.name);
        t.set("org_controls", refs.empty() ? "[none assigned yet]" : wording::joinNames(refs));
        s2.content.push_back(Block{Block::Kind::Heading, "Assertion of " + o.name + " Management", 2, "II-" + std::to_string(o.id)});
        wording::appendBlocks(s2.content, t.render("section2-subservice"));
        s2.content.push_back(Signature{{o.signatoryName.empty() ? "[Signatory]" : o.signatoryName,
                                        o.signatoryTitle.empty() ? "[Title]" : o.signatoryTitle, o.name, r.reportDate},
                                       {}});
    }

    Section s3 = section3(f, r);
    Section s4 = assembly::section4(f, r);
    Section s5 = section5(f, t);
    r.sections = {s1, s2, s3, s4, s5};
    assembly::stampProvenance(e, r);
    return r;
}

}  // namespace tickmark::report

// The SOC 3 report: the general-use report from the same engagement. The auditor's report on
// management's assertion, the assertion, and a short description of the system and its boundaries;
// no Section IV detail. The same facts, the same opinion and the same gates as the SOC 2 report.
#include "report/assembly.h"
#include "workpapers/errors.h"
#include "workpapers/reporting.h"

namespace tickmark::report {

Report assembleSoc3(Engagement& e, const std::filesystem::path& templatesDir) {
    Report r;
    r.kind = Kind::Soc3;
    const assembly::Facts f = assembly::gather(e);
    if (!f.type2)
        throw InputError("a SOC 3 report covers operating effectiveness throughout a period; this engagement is Type I (as of " + f.asOf +
                         "), so there is no SOC 3 report to write");
    wording::Templates t(templatesDir);
    assembly::fillTemplateData(f, t, r);
    assembly::fillCover(f, t, r, "SOC 3® Report");
    r.testsOfControls.clear();

    Section s1{"", "Independent Service Auditor's Report", "soc3-report", {}};
    wording::appendBlocks(s1.content, t.render("soc3-report"));
    s1.content.push_back(assembly::firmSignature(t, r));

    Section s2{"", "Assertion of " + r.client + " Management", "soc3-assertion", {}};
    wording::appendBlocks(s2.content, t.render("soc3-assertion"));
    s2.content.push_back(assembly::managementSignature(f, r));

    // The system and its boundaries, from the description's own headings; no controls, no tests.
    Section s3{"", f.setup.client + "'s Description of the Boundaries of Its " + f.setup.systemName, "soc3-description", {}};
    for (auto& h : descriptionHeadings(f.setup.reportType)) {
        const std::string key = h.key;
        if (key != "services" && key != "commitments" && key != "infrastructure" && key != "software" && key != "people" &&
            key != "procedures" && key != "data" && key != "boundaries")
            continue;
        s3.content.push_back(Block{Block::Kind::Heading, h.title});
        auto it = f.texts.find(key);
        if (it == f.texts.end() || it->second.empty())
            s3.content.push_back(Block{Block::Kind::Paragraph, "[Not yet provided: write it in the description (Section III of the SOC 2 report).]"});
        else wording::appendBlocks(s3.content, it->second);
    }
    if (!f.orgs.empty() || f.hasCuecs()) {
        s3.content.push_back(Block{Block::Kind::Heading, "Complementary controls"});
        wording::appendBlocks(s3.content, t.render("soc3-complementary"));
    }
    r.sections = {s1, s2, s3};
    assembly::stampProvenance(e, r);
    return r;
}

}  // namespace tickmark::report

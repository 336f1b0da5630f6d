#pragma once
// The SOC 2 report, assembled from the engagement: Section I (the service auditor's report), II
// (management's assertion), III (the description of the system), IV (criteria, controls, tests and
// results), V (other information: management's responses). The wording comes from the firm's
// templates; the PDF and XLSX renderers only lay out what is assembled here.
#include <filesystem>
#include <string>
#include <variant>
#include <vector>

#include "workpapers/engagement.h"
#include "workpapers/progress.h"
#include "workpapers/rules/gates.h"

namespace tickmark::report {

struct Block {
    enum class Kind { Heading, Paragraph, Bullet } kind;
    std::string text;
};

struct Table {
    std::vector<std::string> header;
    std::vector<double> widths;  // fractions of the text width
    std::vector<std::vector<std::string>> rows;
};

using Element = std::variant<Block, Table>;

struct Section {
    std::string number, title;
    std::vector<Element> content;
};

using Gate = tickmark::Gate;  // decided in workpapers/rules/gates.h; the report only shows them

// A criterion behind a modified opinion, as the report words it.
struct UnmetCriterion {
    std::string id, name, reason;
    std::string standing;  // not-met | not-addressed | not-examined
};

// One row of Section IV: a control under one criterion it addresses, its test and result.
struct TestOfControl {
    std::string criterion, criterionName, control, activity, test, result;
};

struct Report {
    std::string client, system, title, periodText;
    std::string opinionProposed, opinionUsed;  // unmodified | qualified | adverse | disclaimer
    std::string proposalBasis;
    std::vector<UnmetCriterion> unmet;
    std::vector<Gate> gates;
    bool issuable() const;  // every gate met
    std::vector<Section> sections;
    std::vector<std::string> criteriaInScope;
    std::vector<std::pair<std::string, std::string>> notApplicable;  // criterion, why
    std::vector<TestOfControl> testsOfControls;  // Section IV as data, in its order
};

// Throws InputError naming the template and line when a template does not parse.
Report assemble(Engagement& e, const std::filesystem::path& templatesDir);

// "Render this text template": exposed for the tests of firm-edited templates.
std::string renderTemplate(const std::filesystem::path& file, const std::string& source, const void* data);

struct Output {
    std::filesystem::path pdf, xlsx;
    std::filesystem::path fontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::filesystem::path boldFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};
// Writes the PDF (cover, contents, sections, running header, "Page N of M", DRAFT watermark unless
// issuable) to a temporary file beside `out` and renames it into place: never half a file there.
void writePdf(const Report& r, const std::filesystem::path& out, const Output& fonts, Progress* progress = nullptr);
void writeXlsx(Engagement& e, const Report& r, const std::filesystem::path& out, Progress* progress = nullptr);

}  // namespace tickmark::report

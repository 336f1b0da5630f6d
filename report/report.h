#pragma once
// The SOC 2 report (and the SOC 3 report), assembled from the engagement: Section I (the service
// auditor's report), II (management's assertion), III (the description of the system), IV (criteria,
// controls, tests and results), V (other information: management's responses). The wording comes from
// the firm's templates; the PDF, DOCX and XLSX renderers only lay out what is assembled here, so the
// three outputs say the same thing.
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
    // Headings: 2 within a section ("Scope", a criteria group in Section IV), 3 under it (a criterion).
    int level = 2;
    // Headings: a stable id for bookmarks and links ("IV-CC6.1"); empty when not a bookmark target.
    std::string anchor;
};

struct Table {
    std::vector<std::string> header;
    std::vector<double> widths;  // fractions of the text width
    std::vector<std::vector<std::string>> rows;
};

// Where someone signs: the lines under the signature (a firm's name, city and state, the date; or a
// manager's name, title, company), with the image of the signature when the firm supplies one.
struct Signature {
    std::vector<std::string> lines;
    std::filesystem::path image;  // a PNG; empty when none
};

using Element = std::variant<Block, Table, Signature>;

struct Section {
    std::string number;  // "I".."V" in a SOC 2 report; empty in a SOC 3 report
    std::string title;
    std::string anchor;  // "I".."V", or "soc3-1".. : the bookmark id of the section
    std::vector<Element> content;
};

using Gate = tickmark::Gate;  // decided in workpapers/rules/gates.h; the report only shows them

// A criterion behind a modified opinion, as the report words it.
struct UnmetCriterion {
    std::string id, name, reason;
    std::string standing;  // not-met | not-addressed | not-examined
};

// One row of Section IV: a control under one criterion it addresses, its test and result. Type I
// rows carry no test and no result.
struct TestOfControl {
    std::string criterion, criterionName, group, groupName;
    std::string control, activity;
    std::string testTypes;  // "Inspection, Reperformance"; empty for Type I
    std::string test, result;
    bool exception = false;          // the result notes an exception
    std::string referencedFrom;      // set when the row only refers to the control shown in full under that criterion
    std::string performedBy;         // an inclusive subservice organization's name, when its control
};

enum class Kind { Soc2, Soc3 };

struct Report {
    Kind kind = Kind::Soc2;
    std::string client, system, title, periodText;
    // The long-form title the cover and the properties carry: "Report on Northwind's Description of Its
    // ... Throughout the Period ...".
    std::string longTitle;
    std::string firm, firmCity, reportDate;  // reportDate as printed ("June 14, 2026"); "[Report date]" when unset
    std::string categories;                  // "security, availability, and confidentiality"
    bool type2 = true;
    std::string opinionProposed, opinionUsed;  // unmodified | qualified | adverse | disclaimer
    std::string proposalBasis;
    std::vector<UnmetCriterion> unmet;
    std::vector<Gate> gates;
    bool issuable() const;  // every gate met: a final; otherwise a draft, marked DRAFT everywhere
    // The cover of a draft lists these (the open gates, the proposal); a final's cover carries none.
    std::vector<std::string> draftNotes;
    std::filesystem::path logo;  // the firm's logo (templates/firm/logo.png) when supplied
    std::vector<Section> sections;
    std::vector<std::string> criteriaInScope;
    std::vector<std::pair<std::string, std::string>> notApplicable;  // criterion, why
    std::vector<TestOfControl> testsOfControls;  // Section IV as data, in its order
    // Where it came from (workpapers/proof/provenance.h): the document's custom properties, and the
    // sentence the last page carries.
    std::vector<std::pair<std::string, std::string>> provenance;
    std::string provenanceSentence;
};

// Throws InputError naming the template and line when a template does not parse.
Report assemble(Engagement& e, const std::filesystem::path& templatesDir);
// The SOC 3 (general use) report of the same engagement: a Type II engagement only.
Report assembleSoc3(Engagement& e, const std::filesystem::path& templatesDir);

// "Render this text template": exposed for the tests of firm-edited templates.
std::string renderTemplate(const std::filesystem::path& file, const std::string& source, const void* data);

struct Output {
    std::filesystem::path fontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf";
    std::filesystem::path boldFontFile = "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf";
};
// Each writer writes to a temporary file beside `out` and renames it into place: never half a file there.
// PDF: cover, linked contents, bookmarks, sections, running header, "Page N of M", DRAFT watermark unless issuable.
void writePdf(const Report& r, const std::filesystem::path& out, const Output& fonts, Progress* progress = nullptr);
// DOCX: the same report as an editable Word document; styles from `wordTemplate` when it exists.
void writeDocx(const Report& r, const std::filesystem::path& out, const std::filesystem::path& wordTemplate,
               Progress* progress = nullptr);
// The client-ready report workbook: a summary sheet and Section IV as one filterable table.
void writeReportXlsx(const Report& r, const std::filesystem::path& out, Progress* progress = nullptr);
// The internal workpapers workbook: samples, results, exceptions, review notes, sign-offs, populations
// with their completeness profiles, evidence index with hashes. Never handed to the client.
void writeWorkpapersXlsx(Engagement& e, const std::filesystem::path& out, Progress* progress = nullptr);

}  // namespace tickmark::report

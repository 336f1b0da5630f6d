// The report as a Word document (WordprocessingML), from the same model as the PDF. Word lays it
// out: the writer only states structure (heading styles, real tables with a repeating header row,
// fields for the contents and the page numbers) and leaves the look to the styles, Tickmark's or
// the firm's template's (report/docx_styles.cpp). Parts are written as text and zipped with libzip.
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <fstream>
#include <set>
#include <sstream>

#include "report/provenance_io.h"
#include "report/docx_styles.h"
#include "report/ooxml.h"
#include "report/output_file.h"
#include "report/report.h"
#include "workpapers/errors.h"

namespace tickmark::report {

namespace {

using docx::Role;

constexpr const char* kXmlDecl = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";
constexpr const char* kWNs = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
constexpr const char* kRNs = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
constexpr const char* kRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
constexpr long kEmuPerInch = 914400;

std::string esc(std::string_view s) { return ooxml::escape(s); }
std::string attr(std::string_view s) { return ooxml::escape(s, true); }

// A run of text: '\n' is a line break, '\t' a tab.
std::string run(const std::string& text, const std::string& rPr = "") {
    std::string out = "<w:r>" + (rPr.empty() ? "" : "<w:rPr>" + rPr + "</w:rPr>");
    std::string chunk;
    auto flush = [&] {
        if (!chunk.empty()) out += "<w:t xml:space=\"preserve\">" + esc(chunk) + "</w:t>";
        chunk.clear();
    };
    for (char c : text) {
        if (c == '\n') flush(), out += "<w:br/>";
        else if (c == '\t') flush(), out += "<w:tab/>";
        else if (c != '\r') chunk += c;
    }
    flush();
    return out + "</w:r>";
}

std::string fieldBegin(const std::string& instr) {
    return "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r><w:r><w:instrText xml:space=\"preserve\"> " + esc(instr) +
           " </w:instrText></w:r><w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>";
}
constexpr const char* kFieldEnd = "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>";
std::string field(const std::string& instr, const std::string& result) { return fieldBegin(instr) + run(result) + kFieldEnd; }

// Word's rules for a bookmark name: a letter first, then letters, digits and underscores, at most
// 40 characters, unique. Headings without an anchor get a hidden one ("_Tm3") for the contents.
class Bookmarks {
public:
    std::string name(const std::string& anchor) {
        std::string b;
        if (anchor.empty()) {
            b = "_Tm" + std::to_string(++hidden_);
        } else {
            for (unsigned char c : anchor) b += std::isalnum(c) && c < 0x80 ? static_cast<char>(c) : '_';
            if (!std::isalpha(static_cast<unsigned char>(b[0]))) b = "B" + b;
            b = b.substr(0, 40);
        }
        const std::string base = b;
        for (int n = 2; used_.count(b); ++n) {
            std::string suffix = "_" + std::to_string(n);
            b = base.substr(0, 40 - suffix.size()) + suffix;
        }
        used_.insert(b);
        return b;
    }

private:
    std::set<std::string> used_;
    int hidden_ = 0;
};

// One entry of the contents, known before the body is written so the field can carry a result.
struct TocEntry {
    int level;
    std::string text, bookmark;
};

struct Image {
    std::string part, rel;  // word/media/image1.png, rId101
    std::string bytes;
    long cx, cy;  // EMU
};

std::string sectionHeading(const Section& s) { return s.number.empty() ? s.title : "Section " + s.number + "  " + s.title; }

class DocxBuilder {
public:
    DocxBuilder(const Report& r, const docx::Styles& st) : r_(r), st_(st) {
        for (auto& s : r.sections) {
            toc_.push_back({1, sectionHeading(s), bookmarks_.name(s.anchor)});
            for (auto& el : s.content)
                if (auto* b = std::get_if<Block>(&el); b && b->kind == Block::Kind::Heading)
                    toc_.push_back({std::clamp(b->level, 2, 3), b->text, bookmarks_.name(b->anchor)});
        }
    }

    void cover() {
        if (!r_.logo.empty() && std::filesystem::exists(r_.logo))
            para(Role::Normal, "", "", picture(r_.logo, 2 * kEmuPerInch, kEmuPerInch, "Logo"));
        para(Role::Title, r_.title);
        if (!r_.longTitle.empty()) para(Role::Normal, r_.longTitle);
        para(Role::Subtitle, r_.client);
        para(Role::Normal, r_.periodText);
        para(Role::Normal, "Prepared by " + r_.firm);
        if (r_.issuable()) return;  // a final carries no internal notes
        body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[Role::Normal]) + "\"/><w:spacing w:before=\"480\"/></w:pPr>" +
                 run("DRAFT: not for distribution", "<w:b/><w:color w:val=\"C00000\"/><w:sz w:val=\"28\"/>") + "</w:p>";
        para(Role::Normal, "This draft cannot be issued until every gate is met:");
        std::vector<std::string> notes = r_.draftNotes;
        if (notes.empty())  // the model lists no notes: the open gates say why it is a draft
            for (auto& g : r_.gates)
                if (!g.met) notes.push_back(g.name + ": " + g.detail);
        for (auto& n : notes) para(Role::ListBullet, n);
    }

    // The contents field; its result is written here from the headings (linked, without page numbers,
    // which only a layout knows), so the contents show where fields are not updated on opening
    // (LibreOffice: Tools > Update); Word refreshes it on opening (settings: updateFields).
    void contents() {
        body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[Role::TocHeading]) + "\"/><w:pageBreakBefore/></w:pPr>" + run("Contents") +
                 "</w:p>";
        const std::string begin = fieldBegin("TOC \\o \"1-3\" \\h \\z \\u");
        if (toc_.empty()) {
            body_ += "<w:p>" + begin + run("Update this field to list the contents.") + kFieldEnd + "</w:p>";
            return;
        }
        for (std::size_t i = 0; i < toc_.size(); ++i) {
            auto& e = toc_[i];
            const Role role = e.level == 1 ? Role::Toc1 : e.level == 2 ? Role::Toc2 : Role::Toc3;
            body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[role]) + "\"/></w:pPr>" + (i == 0 ? begin : "") +
                     "<w:hyperlink w:anchor=\"" + attr(e.bookmark) + "\" w:history=\"1\">" + run(e.text) + "</w:hyperlink></w:p>";
        }
        body_ += "<w:p>" + std::string(kFieldEnd) + "</w:p>";
    }

    void section(const Section& s) {
        heading(Role::Heading1, sectionHeading(s), true);
        for (auto& el : s.content) {
            if (auto* b = std::get_if<Block>(&el)) {
                if (b->kind == Block::Kind::Heading) heading(b->level <= 2 ? Role::Heading2 : Role::Heading3, b->text, false);
                else para(b->kind == Block::Kind::Bullet ? Role::ListBullet : Role::Normal, b->text);
            } else if (auto* t = std::get_if<Table>(&el)) {
                table(*t);
            } else {
                signature(std::get<Signature>(el));
            }
        }
    }

    std::string document() const {
        const auto& p = st_.page;
        std::string sect = "<w:sectPr><w:headerReference w:type=\"default\" r:id=\"rIdHeader\"/>"
                           "<w:headerReference w:type=\"first\" r:id=\"rIdHeaderFirst\"/>"
                           "<w:footerReference w:type=\"default\" r:id=\"rIdFooter\"/>"
                           "<w:footerReference w:type=\"first\" r:id=\"rIdFooterFirst\"/>"
                           "<w:pgSz w:w=\"" + std::to_string(p.width) + "\" w:h=\"" + std::to_string(p.height) + "\"/>"
                           "<w:pgMar w:top=\"" + std::to_string(p.top) + "\" w:right=\"" + std::to_string(p.right) + "\" w:bottom=\"" +
                           std::to_string(p.bottom) + "\" w:left=\"" + std::to_string(p.left) + "\" w:header=\"" + std::to_string(p.header) +
                           "\" w:footer=\"" + std::to_string(p.footer) + "\" w:gutter=\"0\"/><w:titlePg/></w:sectPr>";
        return std::string(kXmlDecl) + "<w:document xmlns:w=\"" + kWNs + "\" xmlns:r=\"" + kRNs +
               "\" xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\""
               " xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\""
               " xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>" +
               body_ + sect + "</w:body></w:document>";
    }

    // The running header: client and title, and DRAFT on a draft (the cover's header: DRAFT only).
    std::string header(bool first) const {
        const bool draft = !r_.issuable();
        std::string right = draft ? run("DRAFT", "<w:b/><w:color w:val=\"C00000\"/>") : first ? "" : run(r_.periodText);
        std::string left = first ? "" : run(r_.client + " \xE2\x80\x94 " + r_.title);
        return std::string(kXmlDecl) + "<w:hdr xmlns:w=\"" + kWNs + "\" xmlns:r=\"" + kRNs + "\"><w:p><w:pPr><w:pStyle w:val=\"" +
               attr(st_[Role::Header]) + "\"/><w:tabs><w:tab w:val=\"clear\" w:pos=\"4680\"/><w:tab w:val=\"right\" w:pos=\"" +
               std::to_string(st_.page.textWidth()) + "\"/></w:tabs></w:pPr>" + left + "<w:r><w:tab/></w:r>" + right + "</w:p></w:hdr>";
    }

    std::string footer() const {
        return std::string(kXmlDecl) + "<w:ftr xmlns:w=\"" + kWNs + "\" xmlns:r=\"" + kRNs + "\"><w:p><w:pPr><w:pStyle w:val=\"" +
               attr(st_[Role::Footer]) + "\"/><w:jc w:val=\"center\"/></w:pPr>" + run("Page ") + field("PAGE", "1") + run(" of ") +
               field("NUMPAGES", "1") + "</w:p></w:ftr>";
    }

    const std::vector<Image>& images() const { return images_; }

private:
    void para(Role role, const std::string& text, const std::string& pPr = "", const std::string& content = "") {
        body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[role]) + "\"/>" + pPr + "</w:pPr>" +
                 (content.empty() ? run(text) : content) + "</w:p>";
    }

    void heading(Role role, const std::string& text, bool newPage) {
        const std::string& b = toc_.at(nextToc_++).bookmark;
        const std::string id = std::to_string(nextToc_);
        body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[role]) + "\"/>" + (newPage ? "<w:pageBreakBefore/>" : "") +
                 "</w:pPr><w:bookmarkStart w:id=\"" + id + "\" w:name=\"" + attr(b) + "\"/>" + run(text) + "<w:bookmarkEnd w:id=\"" +
                 id + "\"/></w:p>";
    }

    // A real table: the grid from the width fractions, the first row repeated on every page (and
    // kept with the next), rows free to break across pages.
    void table(const Table& t) {
        std::size_t cols = t.header.size();
        for (auto& row : t.rows) cols = std::max(cols, row.size());
        if (cols == 0) return;
        std::vector<double> fr(cols, 1.0 / static_cast<double>(cols));
        double sum = 0;
        if (t.widths.size() == cols) {
            for (auto w : t.widths) sum += w > 0 ? w : 0;
            if (sum > 0)
                for (std::size_t c = 0; c < cols; ++c) fr[c] = (t.widths[c] > 0 ? t.widths[c] : 0) / sum;
        }
        const int total = st_.page.textWidth();
        std::vector<int> w;
        for (auto f : fr) w.push_back(std::max(1, static_cast<int>(f * total)));
        std::string border;
        for (auto side : {"top", "left", "bottom", "right", "insideH", "insideV"})
            border += std::string("<w:") + side + " w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>";
        body_ += "<w:tbl><w:tblPr><w:tblStyle w:val=\"" + attr(st_[Role::TableGrid]) + "\"/><w:tblW w:w=\"" + std::to_string(total) +
                 "\" w:type=\"dxa\"/><w:tblBorders>" + border + "</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
                 "<w:tblLook w:val=\"04A0\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"0\" w:noVBand=\"1\"/>"
                 "</w:tblPr><w:tblGrid>";
        for (int x : w) body_ += "<w:gridCol w:w=\"" + std::to_string(x) + "\"/>";
        body_ += "</w:tblGrid>";
        auto row = [&](const std::vector<std::string>& cells, bool header) {
            body_ += header ? "<w:tr><w:trPr><w:tblHeader/></w:trPr>" : "<w:tr>";
            for (std::size_t c = 0; c < cols; ++c) {
                body_ += "<w:tc><w:tcPr><w:tcW w:w=\"" + std::to_string(w[c]) + "\" w:type=\"dxa\"/>" +
                         (header ? "<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"E7E6E6\"/>" : "") + "</w:tcPr>";
                body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[Role::TableText]) + "\"/>" + (header ? "<w:keepNext/>" : "") +
                         "</w:pPr>" + run(c < cells.size() ? cells[c] : "", header ? "<w:b/>" : "") + "</w:p></w:tc>";
            }
            body_ += "</w:tr>";
        };
        if (!t.header.empty()) row(t.header, true);
        for (auto& r : t.rows) row(r, false);
        body_ += "</w:tbl>";
        body_ += "<w:p><w:pPr><w:pStyle w:val=\"" + attr(st_[Role::Normal]) + "\"/><w:spacing w:after=\"0\"/></w:pPr></w:p>";
    }

    void signature(const Signature& s) {
        if (!s.image.empty() && std::filesystem::exists(s.image))
            para(Role::Signature, "", "<w:keepNext/><w:spacing w:before=\"240\"/>",
                 picture(s.image, 7 * kEmuPerInch / 4, kEmuPerInch, "Signature"));
        for (std::size_t i = 0; i < s.lines.size(); ++i) para(Role::Signature, s.lines[i], i + 1 < s.lines.size() ? "<w:keepNext/>" : "");
    }

    // A PNG embedded as an inline picture fitted into maxW x maxH, its aspect ratio kept (the
    // size read from the IHDR chunk).
    std::string picture(const std::filesystem::path& png, long maxW, long maxH, const std::string& name) {
        std::ifstream in(png, std::ios::binary);
        std::stringstream s;
        s << in.rdbuf();
        std::string bytes = s.str();
        auto u32 = [&](std::size_t at) {
            return (static_cast<unsigned long>(static_cast<unsigned char>(bytes[at])) << 24) |
                   (static_cast<unsigned long>(static_cast<unsigned char>(bytes[at + 1])) << 16) |
                   (static_cast<unsigned long>(static_cast<unsigned char>(bytes[at + 2])) << 8) |
                   static_cast<unsigned long>(static_cast<unsigned char>(bytes[at + 3]));
        };
        if (!in || bytes.size() < 24 || bytes.compare(0, 8, "\x89PNG\r\n\x1a\n") != 0 || bytes.compare(12, 4, "IHDR") != 0 || u32(16) == 0 ||
            u32(20) == 0)
            throw InputError(png.string() + ": not a PNG image; save the " + (name == "Logo" ? "logo" : "signature") +
                             " as PNG; nothing was written");
        const double pw = static_cast<double>(u32(16)), ph = static_cast<double>(u32(20));
        const double scale = std::min(static_cast<double>(maxW) / pw, static_cast<double>(maxH) / ph);
        const auto n = images_.size() + 1;
        Image img{"media/image" + std::to_string(n) + ".png", "rIdImage" + std::to_string(n), std::move(bytes),
                  static_cast<long>(pw * scale), static_cast<long>(ph * scale)};
        const std::string cx = std::to_string(img.cx), cy = std::to_string(img.cy), id = std::to_string(n);
        images_.push_back(std::move(img));
        return "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"" + cx + "\" cy=\"" + cy +
               "\"/><wp:docPr id=\"" + id + "\" name=\"" + attr(name) + "\"/><wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect=\"1\"/>"
               "</wp:cNvGraphicFramePr><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\">"
               "<pic:pic><pic:nvPicPr><pic:cNvPr id=\"" + id + "\" name=\"" + attr(png.filename().string()) + "\"/><pic:cNvPicPr/>"
               "</pic:nvPicPr><pic:blipFill><a:blip r:embed=\"" + images_.back().rel + "\"/><a:stretch><a:fillRect/></a:stretch>"
               "</pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"" + cx + "\" cy=\"" + cy + "\"/></a:xfrm>"
               "<a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>";
    }

    const Report& r_;
    const docx::Styles& st_;
    Bookmarks bookmarks_;
    std::vector<TocEntry> toc_;
    std::size_t nextToc_ = 0;
    std::vector<Image> images_;
    std::string body_;
};

std::string relationship(const std::string& id, const std::string& type, const std::string& target) {
    return "<Relationship Id=\"" + id + "\" Type=\"" + type + "\" Target=\"" + target + "\"/>";
}

std::string coreProperties(const Report& r) {
    const std::string title = r.longTitle.empty() ? r.client + " \xE2\x80\x94 " + r.title : r.longTitle;
    const std::string subject = r.title + (r.system.empty() ? "" : ": " + r.system);
    const std::string description = r.client + ", " + r.periodText + (r.issuable() ? "" : ". DRAFT: not for distribution");
    const std::string now = utcNow();
    return std::string(kXmlDecl) +
           "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\""
           " xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\""
           " xmlns:dcmitype=\"http://purl.org/dc/dcmitype/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">"
           "<dc:title>" + esc(title) + "</dc:title><dc:subject>" + esc(subject) + "</dc:subject><dc:creator>" +
           esc(r.firm.empty() ? "Tickmark" : r.firm) + "</dc:creator><dc:description>" + esc(description) +
           "</dc:description><cp:lastModifiedBy>Tickmark</cp:lastModifiedBy>"
           "<dcterms:created xsi:type=\"dcterms:W3CDTF\">" + now + "</dcterms:created>"
           "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">" + now + "</dcterms:modified></cp:coreProperties>";
}

}  // namespace

void writeDocx(const Report& r, const std::filesystem::path& out, const std::filesystem::path& wordTemplate, Progress* progress) {
    OutputFile file(out);
    const auto st = docx::makeStyles(wordTemplate);

    DocxBuilder b(r, st);
    b.cover();
    b.contents();
    for (std::size_t i = 0; i < r.sections.size(); ++i) {
        b.section(r.sections[i]);
        if (progress) {
            progress->update(i + 1, r.sections.size() + 1);
            if (progress->cancelled()) throw Cancelled();
        }
    }

    std::string types = std::string(kXmlDecl) +
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/><Default Extension=\"png\" ContentType=\"image/png\"/>";
    auto override_ = [&](const std::string& part, const std::string& type) {
        types += "<Override PartName=\"/" + part + "\" ContentType=\"" + type + "\"/>";
    };
    const std::string wml = "application/vnd.openxmlformats-officedocument.wordprocessingml.";
    override_("word/document.xml", wml + "document.main+xml");
    for (auto [part, type] : {std::pair{"styles", "styles"}, {"numbering", "numbering"}, {"settings", "settings"}, {"header1", "header"},
                              {"header2", "header"}, {"footer1", "footer"}, {"footer2", "footer"}})
        override_(std::string("word/") + part + ".xml", wml + type + "+xml");
    if (st.theme) override_("word/theme/theme1.xml", "application/vnd.openxmlformats-officedocument.theme+xml");
    if (st.fontTable) override_("word/fontTable.xml", wml + "fontTable+xml");
    override_("docProps/core.xml", "application/vnd.openxmlformats-package.core-properties+xml");
    override_("docProps/app.xml", "application/vnd.openxmlformats-officedocument.extended-properties+xml");
    if (!r.provenance.empty()) override_("docProps/custom.xml", "application/vnd.openxmlformats-officedocument.custom-properties+xml");
    types += "</Types>";

    const std::string rels = "http://schemas.openxmlformats.org/package/2006/relationships";
    std::string packageRels = std::string(kXmlDecl) + "<Relationships xmlns=\"" + rels + "\">" +
                              relationship("rId1", std::string(kRelType) + "officeDocument", "word/document.xml") +
                              relationship("rId2", "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties",
                                           "docProps/core.xml") +
                              relationship("rId3", std::string(kRelType) + "extended-properties", "docProps/app.xml") +
                              (r.provenance.empty() ? "" : relationship("rId4", std::string(kRelType) + "custom-properties", "docProps/custom.xml")) +
                              "</Relationships>";
    std::string documentRels = std::string(kXmlDecl) + "<Relationships xmlns=\"" + rels + "\">" +
                               relationship("rIdStyles", std::string(kRelType) + "styles", "styles.xml") +
                               relationship("rIdNumbering", std::string(kRelType) + "numbering", "numbering.xml") +
                               relationship("rIdSettings", std::string(kRelType) + "settings", "settings.xml") +
                               relationship("rIdHeader", std::string(kRelType) + "header", "header1.xml") +
                               relationship("rIdHeaderFirst", std::string(kRelType) + "header", "header2.xml") +
                               relationship("rIdFooter", std::string(kRelType) + "footer", "footer1.xml") +
                               relationship("rIdFooterFirst", std::string(kRelType) + "footer", "footer2.xml");
    if (st.theme) documentRels += relationship("rIdTheme", std::string(kRelType) + "theme", "theme/theme1.xml");
    if (st.fontTable) documentRels += relationship("rIdFontTable", std::string(kRelType) + "fontTable", "fontTable.xml");
    for (auto& img : b.images()) documentRels += relationship(img.rel, std::string(kRelType) + "image", img.part);
    documentRels += "</Relationships>";

    const std::string settings = std::string(kXmlDecl) + "<w:settings xmlns:w=\"" + kWNs + "\"><w:defaultTabStop w:val=\"720\"/>"
        "<w:characterSpacingControl w:val=\"doNotCompress\"/><w:updateFields w:val=\"true\"/><w:compat>"
        "<w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/>"
        "</w:compat></w:settings>";
    const std::string app = std::string(kXmlDecl) +
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\""
        " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\"><Application>Tickmark</Application>" +
        (r.firm.empty() ? "" : "<Company>" + esc(r.firm) + "</Company>") + "</Properties>";

    {
        ooxml::ZipWriter z(file.temp());
        z.add("[Content_Types].xml", types);
        z.add("_rels/.rels", packageRels);
        z.add("word/document.xml", b.document());
        z.add("word/_rels/document.xml.rels", documentRels);
        z.add("word/styles.xml", st.stylesXml);
        z.add("word/numbering.xml", st.numberingXml);
        z.add("word/settings.xml", settings);
        z.add("word/header1.xml", b.header(false));
        z.add("word/header2.xml", b.header(true));
        z.add("word/footer1.xml", b.footer());
        z.add("word/footer2.xml", b.footer());
        if (st.theme) z.add("word/theme/theme1.xml", *st.theme);
        if (st.fontTable) z.add("word/fontTable.xml", *st.fontTable);
        for (auto& img : b.images()) z.add("word/" + img.part, img.bytes, false);
        z.add("docProps/core.xml", coreProperties(r));
        z.add("docProps/app.xml", app);
        if (!r.provenance.empty()) z.add("docProps/custom.xml", docxCustomProperties(r.provenance));
        z.close();
    }
    file.commit();
    if (progress) progress->update(r.sections.size() + 1, r.sections.size() + 1);
}

}  // namespace tickmark::report

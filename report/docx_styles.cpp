// The Word report's styles and bullet numbering; a firm's template read with libzip and expat.
#include "report/docx_styles.h"

#include <expat.h>

#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <set>

#include "report/ooxml.h"
#include "workpapers/errors.h"

namespace tickmark::report::docx {

namespace {

constexpr const char* kW = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

// One role's style as Tickmark defines it. In `body`, @N stands for the Normal style's id, @H for
// Heading 1's and @B for the bullet numbering's id, known only once the template is read.
struct Default {
    Role role;
    const char* type;
    const char* name;  // Word's built-in name, how a template is searched
    const char* id;
    const char* body;
};

const Default kDefaults[] = {
    {Role::Normal, "paragraph", "Normal", "Normal", "<w:qFormat/>"},
    {Role::Title, "paragraph", "Title", "Title",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"10\"/><w:qFormat/>"
     "<w:pPr><w:spacing w:before=\"1440\" w:after=\"360\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"44\"/><w:szCs w:val=\"44\"/></w:rPr>"},
    {Role::Subtitle, "paragraph", "Subtitle", "Subtitle",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"11\"/><w:qFormat/>"
     "<w:pPr><w:spacing w:after=\"160\"/></w:pPr><w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>"},
    {Role::Heading1, "paragraph", "heading 1", "Heading1",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"9\"/><w:qFormat/>"
     "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"240\"/><w:outlineLvl w:val=\"0\"/></w:pPr>"
     "<w:rPr><w:b/><w:sz w:val=\"32\"/><w:szCs w:val=\"32\"/></w:rPr>"},
    {Role::Heading2, "paragraph", "heading 2", "Heading2",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/>"
     "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"240\" w:after=\"120\"/><w:outlineLvl w:val=\"1\"/></w:pPr>"
     "<w:rPr><w:b/><w:sz w:val=\"26\"/><w:szCs w:val=\"26\"/></w:rPr>"},
    {Role::Heading3, "paragraph", "heading 3", "Heading3",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"9\"/><w:unhideWhenUsed/><w:qFormat/>"
     "<w:pPr><w:keepNext/><w:keepLines/><w:spacing w:before=\"200\" w:after=\"80\"/><w:outlineLvl w:val=\"2\"/></w:pPr>"
     "<w:rPr><w:b/><w:sz w:val=\"22\"/><w:szCs w:val=\"22\"/></w:rPr>"},
    {Role::ListBullet, "paragraph", "List Bullet", "ListBullet",
     "<w:basedOn w:val=\"@N\"/><w:uiPriority w:val=\"34\"/><w:unhideWhenUsed/><w:qFormat/>"
     "<w:pPr><w:numPr><w:numId w:val=\"@B\"/></w:numPr><w:spacing w:after=\"60\"/><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr>"},
    {Role::TableGrid, "table", "Table Grid", "TableGrid",
     "<w:uiPriority w:val=\"39\"/><w:pPr><w:spacing w:after=\"0\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
     "<w:tblPr><w:tblBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
     "<w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
     "<w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/><w:insideH w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/>"
     "<w:insideV w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"808080\"/></w:tblBorders>"
     "<w:tblCellMar><w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"},
    {Role::TableText, "paragraph", "Table Text", "TableText",
     "<w:basedOn w:val=\"@N\"/><w:qFormat/><w:pPr><w:spacing w:before=\"20\" w:after=\"20\" w:line=\"240\" w:lineRule=\"auto\"/></w:pPr>"
     "<w:rPr><w:sz w:val=\"17\"/><w:szCs w:val=\"17\"/></w:rPr>"},
    {Role::TocHeading, "paragraph", "TOC Heading", "TOCHeading",
     "<w:basedOn w:val=\"@H\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/><w:qFormat/>"
     "<w:pPr><w:outlineLvl w:val=\"9\"/></w:pPr>"},
    {Role::Toc1, "paragraph", "toc 1", "TOC1",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/>"
     "<w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9350\"/></w:tabs><w:spacing w:before=\"120\" w:after=\"60\"/></w:pPr><w:rPr><w:b/></w:rPr>"},
    {Role::Toc2, "paragraph", "toc 2", "TOC2",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/>"
     "<w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9350\"/></w:tabs><w:spacing w:after=\"40\"/><w:ind w:left=\"220\"/></w:pPr>"},
    {Role::Toc3, "paragraph", "toc 3", "TOC3",
     "<w:basedOn w:val=\"@N\"/><w:next w:val=\"@N\"/><w:uiPriority w:val=\"39\"/><w:unhideWhenUsed/>"
     "<w:pPr><w:tabs><w:tab w:val=\"right\" w:leader=\"dot\" w:pos=\"9350\"/></w:tabs><w:spacing w:after=\"20\"/><w:ind w:left=\"440\"/></w:pPr>"
     "<w:rPr><w:sz w:val=\"18\"/><w:szCs w:val=\"18\"/></w:rPr>"},
    {Role::Header, "paragraph", "header", "Header",
     "<w:basedOn w:val=\"@N\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>"
     "<w:pPr><w:tabs><w:tab w:val=\"center\" w:pos=\"4680\"/><w:tab w:val=\"right\" w:pos=\"9360\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr>"
     "<w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr>"},
    {Role::Footer, "paragraph", "footer", "Footer",
     "<w:basedOn w:val=\"@N\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/>"
     "<w:pPr><w:tabs><w:tab w:val=\"center\" w:pos=\"4680\"/><w:tab w:val=\"right\" w:pos=\"9360\"/></w:tabs><w:spacing w:after=\"0\"/></w:pPr>"
     "<w:rPr><w:color w:val=\"595959\"/><w:sz w:val=\"16\"/><w:szCs w:val=\"16\"/></w:rPr>"},
    {Role::Signature, "paragraph", "Signature", "Signature",
     "<w:basedOn w:val=\"@N\"/><w:uiPriority w:val=\"99\"/><w:unhideWhenUsed/><w:pPr><w:spacing w:after=\"0\"/></w:pPr>"},
};

std::string lower(std::string s) {
    for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return s;
}

void replaceAll(std::string& s, const std::string& from, const std::string& to) {
    for (std::size_t at = s.find(from); at != std::string::npos; at = s.find(from, at + to.size())) s.replace(at, from.size(), to);
}

// Walks a part with expat: start(depth, local name, attributes, byte offset of the tag), end(depth,
// local name, byte offset). Handlers must not throw (expat's frames are C).
struct Scan {
    std::function<void(int, std::string_view, const char**, long)> start;
    std::function<void(int, std::string_view, long)> end;
    int depth = 0;
    XML_Parser parser = nullptr;

    static std::string_view local(const char* qname) {
        std::string_view n(qname);
        auto colon = n.rfind(':');
        return colon == std::string_view::npos ? n : n.substr(colon + 1);
    }
    void run(const std::string& xml, const std::string& display) {
        XML_Parser p = XML_ParserCreate(nullptr);
        parser = p;
        XML_SetUserData(p, this);
        XML_SetElementHandler(
            p,
            [](void* self, const char* name, const char** attrs) {
                auto* s = static_cast<Scan*>(self);
                if (s->start) s->start(s->depth, local(name), attrs, static_cast<long>(XML_GetCurrentByteIndex(s->parser)));
                ++s->depth;
            },
            [](void* self, const char* name) {
                auto* s = static_cast<Scan*>(self);
                --s->depth;
                if (s->end) s->end(s->depth, local(name), static_cast<long>(XML_GetCurrentByteIndex(s->parser)));
            });
        const bool ok = XML_Parse(p, xml.data(), static_cast<int>(xml.size()), 1) == XML_STATUS_OK;
        std::string why = ok ? "" : XML_ErrorString(XML_GetErrorCode(p));
        auto line = XML_GetCurrentLineNumber(p);
        XML_ParserFree(p);
        if (!ok) throw InputError(display + " line " + std::to_string(line) + ": malformed XML (" + why + ")");
    }
};

const char* attr(const char** attrs, std::string_view name) {
    for (int i = 0; attrs[i]; i += 2)
        if (Scan::local(attrs[i]) == name) return attrs[i + 1];
    return nullptr;
}

std::string styleXml(const Default& d, const std::string& id, bool isDefault) {
    return std::string("<w:style w:type=\"") + d.type + "\"" + (isDefault ? " w:default=\"1\"" : "") + " w:styleId=\"" +
           ooxml::escape(id, true) + "\"><w:name w:val=\"" + d.name + "\"/>" + d.body + "</w:style>";
}

std::string numberingDefs(int id) {
    auto n = std::to_string(id);
    return "<w:abstractNum w:abstractNumId=\"" + n + "\"><w:multiLevelType w:val=\"singleLevel\"/><w:lvl w:ilvl=\"0\">"
           "<w:start w:val=\"1\"/><w:numFmt w:val=\"bullet\"/><w:lvlText w:val=\"\xE2\x80\xA2\"/><w:lvlJc w:val=\"left\"/>"
           "<w:pPr><w:ind w:left=\"360\" w:hanging=\"360\"/></w:pPr></w:lvl></w:abstractNum>";
}
std::string numberingNum(int id) {
    auto n = std::to_string(id);
    return "<w:num w:numId=\"" + n + "\"><w:abstractNumId w:val=\"" + n + "\"/></w:num>";
}

// The template's bullet definitions kept, Tickmark's added under ids it does not use: abstract
// numberings before the first w:num, as the schema orders them.
std::string mergeNumbering(const std::string& xml, const std::string& display, int& bulletId) {
    long firstNum = -1, cleanup = -1, rootEnd = -1;
    int maxId = 0;
    Scan s;
    s.start = [&](int depth, std::string_view name, const char** attrs, long at) {
        if (depth != 1) return;
        const char* id = name == "abstractNum" ? attr(attrs, "abstractNumId") : name == "num" ? attr(attrs, "numId") : nullptr;
        if (id) maxId = std::max(maxId, std::atoi(id));
        if (name == "num" && firstNum < 0) firstNum = at;
        if (name == "numIdMacAtCleanup" && cleanup < 0) cleanup = at;
    };
    s.end = [&](int depth, std::string_view, long at) {
        if (depth == 0) rootEnd = at;
    };
    s.run(xml, display);
    if (rootEnd < 0) throw InputError(display + ": the numbering part has no root element");
    bulletId = maxId + 1;
    const long numAt = cleanup >= 0 ? cleanup : rootEnd;
    const long abstractAt = firstNum >= 0 ? firstNum : numAt;
    std::string out = xml;
    out.insert(static_cast<std::size_t>(numAt), numberingNum(bulletId));
    out.insert(static_cast<std::size_t>(abstractAt), numberingDefs(bulletId));
    return out;
}

std::string substitute(std::string body, const Styles& st, int bulletId) {
    replaceAll(body, "@N", ooxml::escape(st[Role::Normal], true));
    replaceAll(body, "@H", ooxml::escape(st[Role::Heading1], true));
    replaceAll(body, "@B", std::to_string(bulletId));
    return body;
}

constexpr const char* kDocDefaults =
    "<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii=\"Arial\" w:hAnsi=\"Arial\" w:eastAsia=\"Arial\" w:cs=\"Arial\"/>"
    "<w:sz w:val=\"20\"/><w:szCs w:val=\"20\"/><w:lang w:val=\"en-US\" w:eastAsia=\"en-US\" w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault>"
    "<w:pPrDefault><w:pPr><w:spacing w:after=\"120\" w:line=\"264\" w:lineRule=\"auto\"/></w:pPr></w:pPrDefault></w:docDefaults>";

Styles builtIn() {
    Styles st;
    const int bulletId = 1;
    for (auto& d : kDefaults) st.ids[static_cast<std::size_t>(d.role)] = d.id;
    std::string xml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:styles xmlns:w=\"") + kW + "\">" +
                      kDocDefaults;
    xml += "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/>"
           "<w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>"
           "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/>"
           "<w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/>"
           "<w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>"
           "<w:style w:type=\"numbering\" w:default=\"1\" w:styleId=\"NoList\"><w:name w:val=\"No List\"/><w:uiPriority w:val=\"99\"/>"
           "<w:semiHidden/><w:unhideWhenUsed/></w:style>";
    for (auto& d : kDefaults) xml += substitute(styleXml(d, d.id, d.role == Role::Normal), st, bulletId);
    st.stylesXml = xml + "</w:styles>";
    st.numberingXml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"") + kW + "\">" +
                      numberingDefs(bulletId) + numberingNum(bulletId) + "</w:numbering>";
    return st;
}

// The last page size and margins the template's document states (its final section's).
void readPage(const std::string& documentXml, const std::string& display, Page& page) {
    Scan s;
    s.start = [&](int, std::string_view name, const char** attrs, long) {
        auto set = [&](const char* a, int& v) {
            if (const char* x = attr(attrs, a); x && std::atoi(x) > 0) v = std::atoi(x);
        };
        if (name == "pgSz") set("w", page.width), set("h", page.height);
        if (name == "pgMar") {
            set("top", page.top), set("right", page.right), set("bottom", page.bottom), set("left", page.left);
            set("header", page.header), set("footer", page.footer);
        }
    };
    s.run(documentXml, display);
    if (page.textWidth() < 1440) page = Page{};  // nonsense margins: keep Letter
}

// A part that points through relationships (embedded fonts, picture bullets, theme images) would
// point nowhere in the report, which copies the part without what it refers to.
bool selfContained(const std::optional<std::string>& part) {
    return part && part->find("r:id=") == std::string::npos && part->find("r:embed=") == std::string::npos &&
           part->find("r:link=") == std::string::npos;
}

}  // namespace

Styles makeStyles(const std::filesystem::path& wordTemplate) {
    if (wordTemplate.empty() || !std::filesystem::exists(wordTemplate)) return builtIn();
    const std::string display = wordTemplate.string();
    ooxml::ZipReader zip(wordTemplate, "Word template (DOCX)");
    auto styles = zip.read("word/styles.xml");
    if (!styles)
        throw InputError(display + ": not a usable Word template (it has no word/styles.xml); save it from Word as a .docx "
                                   "or remove it to use Tickmark's styles");
    Styles st;
    st.fromTemplate = true;

    int bulletId = 1;
    if (auto numbering = zip.read("word/numbering.xml"); selfContained(numbering))
        st.numberingXml = mergeNumbering(*numbering, display + ": word/numbering.xml", bulletId);
    else
        st.numberingXml = std::string("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:numbering xmlns:w=\"") + kW +
                          "\">" + numberingDefs(bulletId) + numberingNum(bulletId) + "</w:numbering>";

    // The template's styles by type and lower-case name; every id it uses.
    std::map<std::pair<std::string, std::string>, std::string> byName;
    std::set<std::string> ids;
    std::string rootName;
    long rootEnd = -1;
    std::string type, id;
    Scan s;
    s.start = [&](int depth, std::string_view name, const char** attrs, long) {
        if (depth == 0) rootName = name;
        if (depth == 1 && name == "style") {
            type = attr(attrs, "type") ? attr(attrs, "type") : "paragraph";
            id = attr(attrs, "styleId") ? attr(attrs, "styleId") : "";
            if (!id.empty()) ids.insert(id);
        }
        if (depth == 2 && name == "name" && !id.empty())
            if (const char* v = attr(attrs, "val")) byName.emplace(std::pair{type, lower(v)}, id);
    };
    s.end = [&](int depth, std::string_view, long at) {
        if (depth == 0) rootEnd = at;
        if (depth == 1) id.clear();
    };
    s.run(*styles, display + ": word/styles.xml");
    if (rootName != "styles" || rootEnd < 0) throw InputError(display + ": word/styles.xml is not a Word styles part");

    std::vector<const Default*> missing;
    for (auto& d : kDefaults) {
        auto found = byName.find({d.type, lower(d.name)});
        std::string& slot = st.ids[static_cast<std::size_t>(d.role)];
        if (found != byName.end()) {
            slot = found->second;
            continue;
        }
        slot = d.id;
        for (int n = 2; ids.count(slot); ++n) slot = std::string(d.id) + std::to_string(n);  // an id the template uses otherwise
        ids.insert(slot);
        missing.push_back(&d);
    }
    std::string added;
    for (auto* d : missing) {
        std::string x = substitute(styleXml(*d, st[d->role], false), st, bulletId);
        // The w prefix is the template's own almost always; declared again on the element when not.
        if (styles->find("xmlns:w=\"" + std::string(kW) + "\"") == std::string::npos)
            x.insert(std::string("<w:style").size(), std::string(" xmlns:w=\"") + kW + "\"");
        added += x;
    }
    st.stylesXml = *styles;
    st.stylesXml.insert(static_cast<std::size_t>(rootEnd), added);

    if (auto theme = zip.read("word/theme/theme1.xml"); selfContained(theme)) st.theme = theme;
    if (auto fonts = zip.read("word/fontTable.xml"); selfContained(fonts)) st.fontTable = fonts;
    if (auto document = zip.read("word/document.xml")) readPage(*document, display + ": word/document.xml", st.page);
    return st;
}

}  // namespace tickmark::report::docx

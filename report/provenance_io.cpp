#include "report/provenance_io.h"

#include <expat.h>
#include <podofo/podofo.h>

#include <cctype>
#include <fstream>

#include "report/ooxml.h"
#include "workpapers/errors.h"

namespace tickmark::report {

std::string pdfPropertyKey(const std::string& name) {
    std::string k;
    for (unsigned char c : name)
        if (std::isalnum(c)) k += static_cast<char>(c);
    return k;
}

std::string docxCustomProperties(const Properties& props) {
    std::string x =
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/custom-properties\""
        " xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">";
    int pid = 2;  // 0 and 1 are reserved
    for (auto& [k, v] : props)
        x += "<property fmtid=\"{D5CDD505-2E9C-101B-9397-08002B2CF9AE}\" pid=\"" + std::to_string(pid++) + "\" name=\"" +
             ooxml::escape(k, true) + "\"><vt:lpwstr>" + ooxml::escape(v) + "</vt:lpwstr></property>";
    return x + "</Properties>";
}

namespace {

struct CustomReader {
    Properties out;
    std::string name, text;
    bool inValue = false;
    static std::string local(const char* n) {
        std::string s(n);
        auto sp = s.rfind(' ');  // namespace-aware parser: "uri local"
        return sp == std::string::npos ? s : s.substr(sp + 1);
    }
    static void start(void* u, const char* el, const char** attrs) {
        auto* r = static_cast<CustomReader*>(u);
        const std::string l = local(el);
        if (l == "property") {
            r->name.clear();
            for (int i = 0; attrs[i]; i += 2)
                if (local(attrs[i]) == "name") r->name = attrs[i + 1];
        } else if (l == "lpwstr") {
            r->inValue = true;
            r->text.clear();
        }
    }
    static void end(void* u, const char* el) {
        auto* r = static_cast<CustomReader*>(u);
        if (local(el) == "lpwstr") {
            r->inValue = false;
            r->out.emplace_back(r->name, r->text);
        }
    }
    static void chars(void* u, const char* s, int len) {
        auto* r = static_cast<CustomReader*>(u);
        if (r->inValue) r->text.append(s, static_cast<std::size_t>(len));
    }
};

Properties readDocx(const std::filesystem::path& file) {
    ooxml::ZipReader z(file, "report");
    auto xml = z.read("docProps/custom.xml");
    if (!xml) return {};
    CustomReader r;
    XML_Parser p = XML_ParserCreateNS(nullptr, ' ');
    XML_SetUserData(p, &r);
    XML_SetElementHandler(p, &CustomReader::start, &CustomReader::end);
    XML_SetCharacterDataHandler(p, &CustomReader::chars);
    const bool ok = XML_Parse(p, xml->data(), static_cast<int>(xml->size()), 1) == XML_STATUS_OK;
    XML_ParserFree(p);
    if (!ok) throw InputError(file.string() + ": its document properties (docProps/custom.xml) are not readable XML");
    return r.out;
}

Properties readPdf(const std::filesystem::path& file, const Properties& expectedKeys) {
    try {
        // PoDoFo prints what it parses (the trailer) unless told not to.
        PoDoFo::PdfError::EnableDebug(false);
        PoDoFo::PdfError::EnableLogging(false);
        PoDoFo::PdfMemDocument doc;
        doc.Load(file.c_str());
        Properties out;
        auto* info = doc.GetInfo();
        if (!info) return out;
        auto& dict = info->GetObject()->GetDictionary();
        for (auto& [name, unused] : expectedKeys) {
            (void)unused;
            const PoDoFo::PdfObject* o = dict.GetKey(PoDoFo::PdfName(pdfPropertyKey(name)));
            if (o && o->IsString()) out.emplace_back(name, o->GetString().GetStringUtf8());
        }
        return out;
    } catch (const PoDoFo::PdfError& e) {
        throw InputError(file.string() + ": not a readable PDF (PoDoFo: " + std::string(PoDoFo::PdfError::ErrorMessage(e.GetError())) + ")");
    }
}

}  // namespace

Properties readReportProperties(const std::filesystem::path& file, const Properties& expectedKeys) {
    std::ifstream in(file, std::ios::binary);
    if (!in) throw InputError(file.string() + ": cannot read the report (no such file, or not readable)");
    char head[4] = {};
    in.read(head, 4);
    if (std::string(head, 4) == "%PDF") return readPdf(file, expectedKeys);
    if (head[0] == 'P' && head[1] == 'K') return readDocx(file);
    throw InputError(file.string() + ": neither a PDF nor a DOCX report");
}

}  // namespace tickmark::report

#include "workpapers/readers/zip_xml.h"

#include <expat.h>
#include <zip.h>

#include <memory>
#include <vector>

#include "workpapers/errors.h"

namespace tickmark {

std::string_view localName(const char* qname) {
    std::string_view n(qname);
    auto colon = n.rfind(':');
    return colon == std::string_view::npos ? n : n.substr(colon + 1);
}

const char* attr(const char** attrs, std::string_view local) {
    for (int i = 0; attrs[i]; i += 2)
        if (localName(attrs[i]) == local) return attrs[i + 1];
    return nullptr;
}

ZipPackage::ZipPackage(const std::filesystem::path& file, const std::string& display, const std::string& kind)
    : display_(display), kind_(kind) {
    int err = 0;
    za_ = zip_open(file.c_str(), ZIP_RDONLY, &err);
    if (!za_)
        throw InputError(display_ + ": not a readable " + kind_ +
                         " (the zip container is damaged or cut short). Open it in Excel or LibreOffice and save it "
                         "again, or export it as CSV.");
}

ZipPackage::~ZipPackage() { zip_discard(za_); }

bool ZipPackage::has(const std::string& name) const { return zip_name_locate(za_, name.c_str(), 0) >= 0; }

void ZipPackage::stream(const std::string& name,
                        const std::function<void(const char*, std::size_t, std::uint64_t)>& feed) {
    zip_stat_t st;
    zip_stat_init(&st);
    if (zip_stat(za_, name.c_str(), 0, &st) != 0)
        throw InputError(display_ + ": the part " + name + " is missing; the file is damaged.");
    const std::uint64_t compressed = (st.valid & ZIP_STAT_COMP_SIZE) ? st.comp_size : 0;
    auto tooLarge = [&](const std::string& why) {
        return InputError(display_ + ": the part " + name + " " + why +
                          "; a file built to exhaust memory or disk (a zip bomb) is refused. If the workbook is "
                          "genuine, export the sheet as CSV and import that.");
    };
    if ((st.valid & ZIP_STAT_SIZE) && st.size > ZipLimits::kMaxPartBytes)
        throw tooLarge("declares " + std::to_string(st.size) + " bytes inflated, more than the limit of " +
                       std::to_string(ZipLimits::kMaxPartBytes >> 30) + " GiB");
    zip_file_t* zf = zip_fopen(za_, name.c_str(), 0);
    if (!zf) throw InputError(display_ + ": the part " + name + " cannot be opened (" + zip_strerror(za_) + "); the file is damaged.");
    std::unique_ptr<zip_file_t, decltype(&zip_fclose)> guard(zf, &zip_fclose);
    std::vector<char> buf(1 << 16);
    std::uint64_t inflated = 0;
    for (;;) {
        zip_int64_t got = zip_fread(zf, buf.data(), buf.size());
        if (got < 0)
            throw InputError(display_ + ": the part " + name + " cannot be inflated (" + zip_file_strerror(zf) +
                             "); the file is damaged or cut short.");
        inflated += static_cast<std::uint64_t>(got);
        if (inflated > ZipLimits::kMaxPartBytes)
            throw tooLarge("inflates to more than " + std::to_string(ZipLimits::kMaxPartBytes >> 30) + " GiB");
        if (inflated > ZipLimits::kRatioAfter && inflated / (compressed ? compressed : 1) > ZipLimits::kMaxRatio)
            throw tooLarge("inflates more than " + std::to_string(ZipLimits::kMaxRatio) + " times its compressed size (" +
                           std::to_string(compressed) + " bytes)");
        feed(buf.data(), static_cast<std::size_t>(got), (st.valid & ZIP_STAT_SIZE) ? st.size : 0);
        if (got == 0) break;
    }
}

template <typename F>
void SaxParser::guarded(void* self, F&& f) {
    auto* s = static_cast<SaxParser*>(self);
    if (s->failure_) return;
    try {
        f(*s);
    } catch (...) {
        s->failure_ = std::current_exception();
        XML_StopParser(s->parser_, XML_FALSE);
    }
}

void SaxParser::onStart(void* self, const char* name, const char** attrs) {
    guarded(self, [&](SaxParser& s) {
        s.lastEvent_ = s.fed_;
        if (++s.depth_ > XmlLimits::kMaxDepth)
            throw InputError(s.xmlWhere() + ": elements nested more than " + std::to_string(XmlLimits::kMaxDepth) +
                             " deep; no spreadsheet needs that. The file is damaged or built to exhaust memory.");
        s.start(localName(name), attrs);
    });
}

void SaxParser::onEnd(void* self, const char* name) {
    guarded(self, [&](SaxParser& s) {
        s.lastEvent_ = s.fed_;
        --s.depth_;
        s.end(localName(name));
    });
}

void SaxParser::onText(void* self, const char* text, int len) {
    guarded(self, [&](SaxParser& s) {
        s.lastEvent_ = s.fed_;
        s.text(std::string_view(text, static_cast<std::size_t>(len)));
    });
}

void SaxParser::onDoctype(void* self, const char*, const char*, const char*, int) {
    guarded(self, [&](SaxParser& s) -> void {
        throw InputError(s.xmlWhere() +
                         ": declares a DOCTYPE. Spreadsheet parts never do; a DOCTYPE can declare entities that expand "
                         "to gigabytes, so the file is refused. Open it in Excel or LibreOffice and save it again.");
    });
}

void SaxParser::onEntity(void* self, const char*, int, const char*, int, const char*, const char*, const char*,
                         const char*) {
    guarded(self, [&](SaxParser& s) -> void {
        throw InputError(s.xmlWhere() + ": declares an XML entity; entities are refused (they can expand to gigabytes).");
    });
}

std::string SaxParser::xmlWhere() const {
    return display_ + ": " + part_ + " line " + std::to_string(parser_ ? XML_GetCurrentLineNumber(parser_) : 0);
}

void SaxParser::parse(ZipPackage& zip, const std::string& part, Progress* progress) {
    XML_Parser p = XML_ParserCreate("UTF-8");
    if (!p) throw std::bad_alloc();
    std::unique_ptr<std::remove_pointer_t<XML_Parser>, decltype(&XML_ParserFree)> guard(p, &XML_ParserFree);
    XML_SetUserData(p, this);
    XML_SetElementHandler(p, &SaxParser::onStart, &SaxParser::onEnd);
    XML_SetCharacterDataHandler(p, &SaxParser::onText);
    XML_SetStartDoctypeDeclHandler(p, &SaxParser::onDoctype);
    XML_SetEntityDeclHandler(p, &SaxParser::onEntity);
    XML_SetParamEntityParsing(p, XML_PARAM_ENTITY_PARSING_NEVER);
    parser_ = p;
    display_ = zip.display();
    part_ = part;
    failure_ = nullptr;
    depth_ = 0;
    fed_ = lastEvent_ = 0;
    stopped_ = false;
    struct Reset {
        XML_Parser& p;
        ~Reset() { p = nullptr; }
    } reset{parser_};
    struct Ended {};
    std::uint64_t done = 0;
    try {
    zip.stream(part, [&](const char* data, std::size_t n, std::uint64_t total) {
        done += n;
        fed_ += n;
        if (XML_Parse(p, data, static_cast<int>(n), n == 0) == XML_STATUS_ERROR) {
            if (failure_) std::rethrow_exception(failure_);
            if (stopped_) throw Ended{};
            throw InputError(display_ + ": " + part + " line " + std::to_string(XML_GetCurrentLineNumber(p)) +
                             ": malformed XML (" + XML_ErrorString(XML_GetErrorCode(p)) +
                             (n == 0 ? "; the part ends before its elements are closed: the file is cut short" : "") +
                             "). Open the workbook in Excel or LibreOffice and save it again.");
        }
        if (stopped_) throw Ended{};
        if (fed_ - lastEvent_ > XmlLimits::kMaxToken)
            throw InputError(xmlWhere() + ": more than " + std::to_string(XmlLimits::kMaxToken >> 20) +
                             " MiB of XML in one tag, comment or instruction; no spreadsheet needs that. The file is "
                             "damaged or built to exhaust memory.");
        if (progress) {
            progress->update(done, total);
            if (progress->cancelled()) throw Cancelled();
        }
    });
    } catch (const Ended&) {
    }
}

void SaxParser::stop() {
    stopped_ = true;
    XML_StopParser(parser_, XML_FALSE);
}

}  // namespace tickmark

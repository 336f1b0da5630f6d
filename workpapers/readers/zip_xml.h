#pragma once
// The package layer both spreadsheet readers share: a zip read with libzip one part at a time, each
// part inflated as it streams (with caps on its inflated size and its compression ratio, so a zip
// bomb is refused), and expat run over it as SAX (no DOCTYPE, no entities, bounded depth and token
// size). Nothing here holds a whole part in memory.
#include <cstdint>
#include <exception>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>

#include "workpapers/progress.h"

typedef struct zip zip_t;
typedef struct XML_ParserStruct* XML_Parser;

namespace tickmark {

struct ZipLimits {
    // What one part may inflate to. A 1,048,576-row sheet of 16 columns is ~600 MB of XML.
    static constexpr std::uint64_t kMaxPartBytes = std::uint64_t{4} << 30;
    // Inflated/compressed beyond this, after the first kRatioAfter bytes: a zip bomb. Real sheets
    // compress 5-50:1; deflate's ceiling is ~1032:1 (runs of one byte).
    static constexpr std::uint64_t kMaxRatio = 250;
    static constexpr std::uint64_t kRatioAfter = std::uint64_t{64} << 20;
};

struct XmlLimits {
    static constexpr std::size_t kMaxDepth = 256;
    // Bytes expat may hold without an event: a start tag, a comment or a processing instruction
    // larger than this is refused (expat buffers each one whole).
    static constexpr std::uint64_t kMaxToken = std::uint64_t{8} << 20;
};

// The local part of a qualified name: "table:table-row" -> "table-row".
std::string_view localName(const char* qname);
// An attribute's value by local name, or nullptr.
const char* attr(const char** attrs, std::string_view local);

class ZipPackage {
public:
    // kind: what the file should be, for messages ("XLSX workbook", "OpenDocument spreadsheet").
    ZipPackage(const std::filesystem::path& file, const std::string& display, const std::string& kind);
    ~ZipPackage();
    ZipPackage(const ZipPackage&) = delete;
    ZipPackage& operator=(const ZipPackage&) = delete;

    bool has(const std::string& name) const;
    // Streams the part through feed(data, size, declared inflated size or 0); a last call with size 0 ends it.
    void stream(const std::string& name, const std::function<void(const char*, std::size_t, std::uint64_t)>& feed);
    const std::string& display() const { return display_; }

private:
    zip_t* za_ = nullptr;
    std::string display_, kind_;
};

// Runs expat over a part. Callbacks must not throw through expat's C frames: a failure is kept,
// the parser stopped, and the failure rethrown once XML_Parse returns.
class SaxParser {
public:
    virtual ~SaxParser() = default;
    void parse(ZipPackage& zip, const std::string& part, Progress* progress = nullptr);

protected:
    virtual void start(std::string_view name, const char** attrs) = 0;
    virtual void end(std::string_view name) = 0;
    virtual void text(std::string_view) {}
    // Ends the parse early (after the part's useful content); what follows is not read.
    void stop();
    // "file: part.xml line 12" for messages about the XML itself.
    std::string xmlWhere() const;

private:
    template <typename F>
    static void guarded(void* self, F&& f);
    static void onStart(void* self, const char* name, const char** attrs);
    static void onEnd(void* self, const char* name);
    static void onText(void* self, const char* s, int len);
    static void onDoctype(void* self, const char* name, const char* sysid, const char* pubid, int hasInternalSubset);
    static void onEntity(void* self, const char* name, int isParam, const char* value, int valueLen, const char* base,
                         const char* systemId, const char* publicId, const char* notation);

    XML_Parser parser_ = nullptr;
    std::exception_ptr failure_;
    std::string display_, part_;
    std::size_t depth_ = 0;
    std::uint64_t fed_ = 0, lastEvent_ = 0;
    bool stopped_ = false;
};

}  // namespace tickmark

#pragma once
// The styles the Word report uses, by role: Tickmark's own, or the firm's Word template's with the
// roles it lacks added from Tickmark's. Matched by style name ("heading 1"), which Word keeps in
// English whatever the language of the template, never by id ("berschrift1" in a German Word).
#include <array>
#include <filesystem>
#include <optional>
#include <string>

namespace tickmark::report::docx {

enum class Role {
    Normal, Title, Subtitle, Heading1, Heading2, Heading3, ListBullet, TableGrid, TableText,
    TocHeading, Toc1, Toc2, Toc3, Header, Footer, Signature,
    Count
};

// Page size and margins in twentieths of a point: US Letter with 1-inch margins, or the template's.
struct Page {
    int width = 12240, height = 15840;
    int top = 1440, right = 1440, bottom = 1440, left = 1440, header = 720, footer = 720;
    int textWidth() const { return width - left - right; }
};

struct Styles {
    std::array<std::string, static_cast<std::size_t>(Role::Count)> ids;
    std::string stylesXml, numberingXml;
    std::optional<std::string> theme, fontTable;  // word/theme/theme1.xml, word/fontTable.xml of the template
    Page page;
    bool fromTemplate = false;
    const std::string& operator[](Role r) const { return ids[static_cast<std::size_t>(r)]; }
};

// Tickmark's styles when `wordTemplate` does not exist; otherwise the template's (throws InputError
// naming the template when it is not a readable Word document).
Styles makeStyles(const std::filesystem::path& wordTemplate);

}  // namespace tickmark::report::docx

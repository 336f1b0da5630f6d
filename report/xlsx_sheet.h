#pragma once
// What both workbooks share (the client-ready report workbook and the internal workpapers workbook),
// over libxlsxwriter: a workbook written to a temporary file beside its destination and renamed into
// place; document properties; and sheets whose header row is bold, frozen, filtered and repeated on
// every printed page, whose long-text columns wrap, whose date columns are wide enough for their
// format (never "###"), whose first column stays in view on a wide sheet, and which print landscape on
// Letter, one page wide, with the client (and DRAFT on drafts) in the page header and "Page N of M" in
// the footer. Every text is written as a string: "=cmd|..." from a client stays text, never a formula.
#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "report/output_file.h"

struct lxw_workbook;
struct lxw_worksheet;
struct lxw_format;

namespace tickmark::report::xlsx {

enum class Kind {
    Text,      // short text, no wrap
    LongText,  // wrapped, top-aligned
    Number,
    Date,      // yyyy-mm-dd
    DateTime,  // yyyy-mm-dd hh:mm (a date alone in such a column shows as such)
    Mark,      // a narrow "X" column under a rotated header (the control matrix's criteria)
};

struct Column {
    std::string name;
    double width = 10;  // in characters; raised to what the kind's format needs
    Kind kind = Kind::Text;
};

// The width a column of this kind needs so its values never print as "###".
double neededWidth(Kind kind);
// Sheets wider than this (the sum of their column widths, in characters) keep their first column frozen.
constexpr double kWideSheet = 100;

struct Properties {
    std::string title, subject, author, company, category, keywords, comments, status;
    // The printed page header: left, centre, right (each cut to fit Excel's 255 characters in all).
    std::string headerLeft, headerCenter, headerRight;
};

class Book;

class Sheet {
public:
    // Cells of the current data row (row 1 onwards; the header is row 0).
    void text(std::size_t col, const std::string& s);
    void number(std::size_t col, double v);
    void integer(std::size_t col, std::int64_t v) { number(col, static_cast<double>(v)); }
    // "2026-03-01T12:34:56Z", "2026-03-01 12:34", "2026-03-01" -> an Excel date (or date-time) cell;
    // anything else is written as the text it is.
    void timestamp(std::size_t col, const std::string& iso);
    // Ends the row. A row whose wrapped text takes several lines is given the height they need: Excel
    // fits such a row when it opens the file, LibreOffice does not, and prints it one line high.
    void next();
    // Writes a label/value pair in two columns (a summary sheet), a row at a time.
    // `alarm`: the value stands out (bold white on red): the DRAFT status.
    void pair(const std::string& label, const std::string& value, bool alarm = false);
    void pair(const std::string& label, double value);
    // After the last row: the autofilter over the table.
    void finish();
    lxw_worksheet* handle() { return ws_; }
    std::uint32_t row() const { return row_; }
    std::uint32_t dataRows() const { return row_ > 0 ? row_ - 1 : 0; }

private:
    friend class Book;
    Sheet(Book& book, lxw_worksheet* ws) : book_(&book), ws_(ws) {}
    Book* book_;
    lxw_worksheet* ws_;
    void fit(std::size_t col, const std::string& s);
    std::vector<Kind> kinds_;
    std::vector<double> widths_;
    std::uint32_t row_ = 0;
    int lines_ = 1;  // of the current row
    bool table_ = false;
};

class Book {
public:
    // Throws InputError when the destination's folder does not exist or cannot be written.
    Book(const std::filesystem::path& out, const Properties& props);
    ~Book();  // removes the temporary file unless close() succeeded
    Book(const Book&) = delete;
    Book& operator=(const Book&) = delete;

    // A table sheet: header row, widths, wrap, freeze (first column too when wide), print setup.
    Sheet table(const std::string& name, const std::vector<Column>& columns);
    // A two-column label/value sheet (a summary): print setup, no freeze.
    Sheet summary(const std::string& name, double labelWidth, double valueWidth);
    // Writes the workbook and renames it into place; throws InputError, leaving nothing there, on failure.
    void close();

    // Formats, for writers that need a special cell.
    lxw_format* strong();  // bold
    lxw_format* alarm();   // bold, red fill: the DRAFT cell

private:
    friend class Sheet;
    void printSetup(lxw_worksheet* ws, bool repeatHeader);
    lxw_format* format(Kind k);
    OutputFile file_;
    lxw_workbook* wb_ = nullptr;
    Properties props_;
    lxw_format *header_ = nullptr, *rotated_ = nullptr, *wrap_ = nullptr, *date_ = nullptr, *dateTime_ = nullptr,
               *strong_ = nullptr, *alarm_ = nullptr, *mark_ = nullptr, *left_ = nullptr, *top_ = nullptr, *number_ = nullptr;
    bool closed_ = false;
};

// How many lines a text takes wrapped in a column this wide (words kept whole where they fit).
int wrappedLines(const std::string& s, double width);

// Escapes '&' for an Excel page header or footer, where '&' starts a code.
std::string headerText(const std::string& s);

}  // namespace tickmark::report::xlsx

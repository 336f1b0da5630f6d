#include "report/xlsx_sheet.h"

#include <xlsxwriter.h>

#include <algorithm>
#include <cstdio>
#include <numeric>

#include <unistd.h>

#include "workpapers/errors.h"

namespace tickmark::report::xlsx {

namespace {

constexpr const char* kDateFormat = "yyyy-mm-dd";
constexpr const char* kDateTimeFormat = "yyyy-mm-dd hh:mm";
constexpr std::size_t kMaxCell = 32767;  // what an Excel cell holds
constexpr std::size_t kMaxHeader = 255;  // what an Excel page header holds, codes included
constexpr double kLineHeight = 15;       // points: a line of the default font (Calibri 11, Carlito in LibreOffice)
constexpr double kMaxRowHeight = 409;    // points: Excel's highest row

// Excel's `width` counts the widest digit of the default font; a rendered value needs its characters
// plus a margin for the cell's padding.
double widthOf(const char* format) { return static_cast<double>(std::string(format).size()) + 2; }

lxw_col_t col(std::size_t c) { return static_cast<lxw_col_t>(c); }

}  // namespace

double neededWidth(Kind kind) {
    switch (kind) {
        case Kind::Date: return widthOf(kDateFormat);
        case Kind::DateTime: return widthOf(kDateTimeFormat);
        case Kind::Mark: return 4;
        case Kind::Number: return 6;
        default: return 4;
    }
}

int wrappedLines(const std::string& s, double width) {
    // A column's width counts the default font's widest digit; running text averages narrower (Excel's
    // Calibri and LibreOffice's substitutes both set about 1.2 characters of prose a unit). Counted at
    // 1.15 less a character, an estimate errs toward a taller row, not a cut one.
    const std::size_t room = static_cast<std::size_t>(std::max(1.0, width * 1.15 - 1));
    int lines = 0;
    std::size_t start = 0;
    while (start <= s.size()) {
        std::size_t end = s.find('\n', start);
        if (end == std::string::npos) end = s.size();
        // greedy word wrap of one paragraph, counting UTF-8 characters
        std::size_t line = 0, word = 0;
        int n = 1;
        auto flushWord = [&] {
            if (!word) return;
            if (line && line + 1 + word > room) ++n, line = 0;
            line += (line ? 1 : 0) + word;
            while (line > room) ++n, line -= room;  // a word longer than the line breaks anywhere
            word = 0;
        };
        for (std::size_t i = start; i < end; ++i) {
            unsigned char ch = static_cast<unsigned char>(s[i]);
            if ((ch & 0xC0) == 0x80) continue;
            if (ch == ' ') flushWord();
            else ++word;
        }
        flushWord();
        lines += n;
        start = end + 1;
    }
    return std::max(1, lines);
}

std::string headerText(const std::string& s) {
    std::string out;
    for (char c : s) {
        if (c == '&') out += "&&";
        else if (c == '\n' || c == '\r') out += ' ';
        else out += c;
    }
    return out;
}

// A text cut to at most `max` bytes, not inside a UTF-8 character and not inside an "&&".
static std::string cutText(const std::string& s, std::size_t max) {
    if (s.size() <= max) return s;
    std::size_t keep = max;
    while (keep > 0 && (static_cast<unsigned char>(s[keep]) & 0xC0) == 0x80) --keep;
    std::string out = s.substr(0, keep);
    std::size_t amps = 0;
    for (auto it = out.rbegin(); it != out.rend() && *it == '&'; ++it) ++amps;
    if (amps % 2) out.pop_back();
    return out;
}

// ---- Book ----

Book::Book(const std::filesystem::path& out, const Properties& props) : file_(out), props_(props) {
    wb_ = workbook_new(file_.temp().c_str());
    if (!wb_) throw InputError(out.string() + ": cannot be written here; nothing was written");

    header_ = workbook_add_format(wb_);
    format_set_bold(header_);
    format_set_bg_color(header_, 0xDDDDDD);
    format_set_text_wrap(header_);
    format_set_align(header_, LXW_ALIGN_VERTICAL_TOP);
    format_set_border(header_, LXW_BORDER_THIN);
    rotated_ = workbook_add_format(wb_);
    format_set_bold(rotated_);
    format_set_bg_color(rotated_, 0xDDDDDD);
    format_set_rotation(rotated_, 90);
    format_set_align(rotated_, LXW_ALIGN_CENTER);
    format_set_border(rotated_, LXW_BORDER_THIN);
    wrap_ = workbook_add_format(wb_);
    format_set_text_wrap(wrap_);
    format_set_align(wrap_, LXW_ALIGN_VERTICAL_TOP);
    date_ = workbook_add_format(wb_);
    format_set_num_format(date_, kDateFormat);
    format_set_align(date_, LXW_ALIGN_VERTICAL_TOP);
    format_set_align(date_, LXW_ALIGN_LEFT);
    dateTime_ = workbook_add_format(wb_);
    format_set_num_format(dateTime_, kDateTimeFormat);
    format_set_align(dateTime_, LXW_ALIGN_VERTICAL_TOP);
    format_set_align(dateTime_, LXW_ALIGN_LEFT);
    top_ = workbook_add_format(wb_);
    format_set_align(top_, LXW_ALIGN_VERTICAL_TOP);
    number_ = workbook_add_format(wb_);  // right-aligned, a space short of the next column's text
    format_set_align(number_, LXW_ALIGN_VERTICAL_TOP);
    format_set_align(number_, LXW_ALIGN_RIGHT);
    format_set_indent(number_, 1);
    mark_ = workbook_add_format(wb_);
    format_set_align(mark_, LXW_ALIGN_CENTER);
    format_set_align(mark_, LXW_ALIGN_VERTICAL_TOP);
    strong_ = workbook_add_format(wb_);
    format_set_bold(strong_);
    format_set_align(strong_, LXW_ALIGN_VERTICAL_TOP);
    left_ = workbook_add_format(wb_);
    format_set_align(left_, LXW_ALIGN_LEFT);
    format_set_align(left_, LXW_ALIGN_VERTICAL_TOP);
    alarm_ = workbook_add_format(wb_);
    format_set_bold(alarm_);
    format_set_font_color(alarm_, 0xFFFFFF);
    format_set_bg_color(alarm_, 0xC00000);
    format_set_text_wrap(alarm_);
    format_set_align(alarm_, LXW_ALIGN_VERTICAL_TOP);

    // libxlsxwriter keeps the pointers until workbook_close: they point into props_, which lives as long.
    lxw_doc_properties p{};
    auto set = [](char*& field, std::string& value) { field = value.empty() ? nullptr : value.data(); };
    set(p.title, props_.title);
    set(p.subject, props_.subject);
    set(p.author, props_.author);
    set(p.company, props_.company);
    set(p.category, props_.category);
    set(p.keywords, props_.keywords);
    set(p.comments, props_.comments);
    set(p.status, props_.status);
    p.created = 0;  // now
    workbook_set_properties(wb_, &p);
}

Book::~Book() {
    if (closed_) return;
    if (wb_) workbook_close(wb_);  // libxlsxwriter frees only on close; file_ removes the partial file
}

lxw_format* Book::strong() { return strong_; }
lxw_format* Book::alarm() { return alarm_; }

lxw_format* Book::format(Kind k) {
    switch (k) {
        case Kind::LongText: return wrap_;
        case Kind::Date: return date_;
        case Kind::DateTime: return dateTime_;
        case Kind::Mark: return mark_;
        case Kind::Number: return number_;
        default: return top_;  // every cell of a row starts at its top, beside the wrapped ones
    }
}

void Book::printSetup(lxw_worksheet* ws, bool repeatHeader) {
    worksheet_set_landscape(ws);
    worksheet_set_paper(ws, 1);  // Letter
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.4, 0.4, 0.7, 0.7);
    if (repeatHeader) worksheet_repeat_rows(ws, 0, 0);
    std::string left = headerText(props_.headerLeft), center = headerText(props_.headerCenter),
                right = headerText(props_.headerRight);
    std::string fixed = "&L&C&R&B&B";
    std::size_t room = kMaxHeader - fixed.size();
    right = cutText(right, room / 3), center = cutText(center, room / 3);
    left = cutText(left, room - right.size() - center.size());
    std::string header = "&L" + left;
    if (!center.empty()) header += "&C" + center;
    if (!right.empty()) header += "&R&B" + right + "&B";
    worksheet_set_header(ws, header.c_str());
    worksheet_set_footer(ws, "&LPrinted &D&CPage &P of &N&R&A");
}

Sheet Book::table(const std::string& name, const std::vector<Column>& columns) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (!ws) throw InputError("the workbook's sheet \"" + name + "\" could not be added");
    Sheet s(*this, ws);
    s.table_ = true;
    double total = 0;
    bool rotatedHeader = false;
    int headerLines = 1;
    for (std::size_t c = 0; c < columns.size(); ++c) {
        const auto& k = columns[c];
        double w = std::max(k.width, neededWidth(k.kind));
        total += w;
        s.kinds_.push_back(k.kind);
        s.widths_.push_back(w);
        rotatedHeader |= k.kind == Kind::Mark;
        if (k.kind != Kind::Mark) headerLines = std::max(headerLines, wrappedLines(k.name, w));
        worksheet_write_string(ws, 0, col(c), k.name.c_str(), k.kind == Kind::Mark ? rotated_ : header_);
        worksheet_set_column(ws, col(c), col(c), w, format(k.kind));
    }
    if (rotatedHeader || headerLines > 1) worksheet_set_row(ws, 0, std::max(rotatedHeader ? 48.0 : 0.0, kLineHeight * headerLines), nullptr);
    // The header row stays in view; on a wide sheet the first column (what a row is about) does too.
    worksheet_freeze_panes(ws, 1, total > kWideSheet ? 1 : 0);
    printSetup(ws, true);
    s.row_ = 1;
    return s;
}

Sheet Book::summary(const std::string& name, double labelWidth, double valueWidth) {
    lxw_worksheet* ws = workbook_add_worksheet(wb_, name.c_str());
    if (!ws) throw InputError("the workbook's sheet \"" + name + "\" could not be added");
    Sheet s(*this, ws);
    worksheet_set_column(ws, 0, 0, labelWidth, strong_);
    worksheet_set_column(ws, 1, 1, valueWidth, wrap_);
    s.kinds_ = {Kind::Text, Kind::LongText};
    s.widths_ = {labelWidth, valueWidth};
    printSetup(ws, false);
    s.row_ = 0;
    return s;
}

void Book::close() {
    lxw_error err = workbook_close(wb_);
    wb_ = nullptr;
    if (err != LXW_NO_ERROR)
        throw InputError(file_.destination().string() + ": the workbook could not be written (" + lxw_strerror(err) + "); nothing was written there");
    file_.commit();
    closed_ = true;
}

// ---- Sheet ----

// Excel holds at most 32,767 characters in a cell: a longer text is cut, and says so, never dropped.
void Sheet::text(std::size_t c, const std::string& s) {
    lxw_format* f = c < kinds_.size() ? book_->format(kinds_[c]) : nullptr;
    if (c < kinds_.size() && (kinds_[c] == Kind::Date || kinds_[c] == Kind::DateTime)) f = book_->top_;
    if (s.size() <= kMaxCell) {
        worksheet_write_string(ws_, row_, col(c), s.c_str(), f);
        fit(c, s);
        return;
    }
    const std::string note = " [cut: " + std::to_string(s.size()) + " bytes in all; the full text is in the engagement file]";
    std::string cut = cutText(s, kMaxCell - note.size() - 4) + note;
    worksheet_write_string(ws_, row_, col(c), cut.c_str(), f);
    fit(c, cut);
}

void Sheet::fit(std::size_t c, const std::string& s) {
    if (c < kinds_.size() && kinds_[c] == Kind::LongText && c < widths_.size())
        lines_ = std::max(lines_, wrappedLines(s, widths_[c]));
}

void Sheet::next() {
    if (lines_ > 1) worksheet_set_row(ws_, row_, std::min(kMaxRowHeight, kLineHeight * lines_), nullptr);
    lines_ = 1;
    ++row_;
}

void Sheet::number(std::size_t c, double v) {
    worksheet_write_number(ws_, row_, col(c), v, c < kinds_.size() ? book_->format(kinds_[c]) : nullptr);
}

void Sheet::timestamp(std::size_t c, const std::string& iso) {
    int y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0;
    char sep = 0;
    int n = std::sscanf(iso.c_str(), "%4d-%2d-%2d%c%2d:%2d:%2d", &y, &mo, &d, &sep, &h, &mi, &s);
    if (n < 3 || mo < 1 || mo > 12 || d < 1 || d > 31 || y < 1900) return text(c, iso);
    const bool withTime = n >= 6 && (sep == 'T' || sep == ' ');
    if (!withTime) h = mi = s = 0;
    lxw_datetime dt{y, mo, d, h, mi, static_cast<double>(s)};
    // A date-time in a date column is shown as its date; a date alone as a date wherever it is.
    const bool dateTimeColumn = c < kinds_.size() && kinds_[c] == Kind::DateTime;
    worksheet_write_datetime(ws_, row_, col(c), &dt, withTime && dateTimeColumn ? book_->dateTime_ : book_->date_);
}

void Sheet::pair(const std::string& label, const std::string& value, bool alarm) {
    worksheet_write_string(ws_, row_, 0, label.c_str(), book_->strong_);
    const std::string v = value.size() > kMaxCell ? cutText(value, kMaxCell) : value;
    worksheet_write_string(ws_, row_, 1, v.c_str(), alarm ? book_->alarm_ : book_->wrap_);
    fit(1, v);
    next();
}

void Sheet::pair(const std::string& label, double value) {
    worksheet_write_string(ws_, row_, 0, label.c_str(), book_->strong_);
    worksheet_write_number(ws_, row_, 1, value, book_->left_);
    next();
}

void Sheet::finish() {
    if (!table_ || kinds_.empty()) return;
    worksheet_autofilter(ws_, 0, 0, row_ > 1 ? row_ - 1 : 0, col(kinds_.size() - 1));
}

}  // namespace tickmark::report::xlsx

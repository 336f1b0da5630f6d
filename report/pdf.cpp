// The report as PDF, with PoDoFo 0.9.8. Two passes: lay out every page (wrapping text, splitting
// tables across pages with the header row repeated), then draw, adding the running header, the
// "Page N of M" footer and, for a draft, the watermark. Text is set in an embedded TrueType subset,
// so any client name renders.
#include <podofo/podofo.h>

#include <algorithm>
#include <cmath>
#include <memory>
#include <cstdio>
#include <fstream>
#include <map>
#include <unistd.h>

#include "report/provenance_io.h"
#include "report/output_file.h"
#include "report/report.h"
#include "workpapers/errors.h"

namespace tickmark::report {
namespace {

using namespace PoDoFo;

constexpr double kPageW = 612, kPageH = 792;  // US Letter
constexpr double kLeft = 72, kRight = 72, kTop = 84, kBottom = 72;
constexpr double kTextW = kPageW - kLeft - kRight;

PdfString utf8(const std::string& s) { return PdfString(reinterpret_cast<const pdf_utf8*>(s.c_str())); }

struct Op {
    enum class Kind { Text, Line, Fill, Image } kind;
    double x, y, w, h;
    bool bold;
    double size, gray;
    std::string text;
};

struct Page {
    std::vector<Op> ops;
};

// A place a bookmark or a contents entry points at: a section (level 1) or a heading in it.
struct Mark {
    int level;
    std::string title;
    std::size_t page;
    double y;
    bool contents;  // listed in the contents
};

// The pixel size of a PNG, from its IHDR chunk: images keep their aspect ratio.
std::pair<double, double> pngSize(const std::filesystem::path& p) {
    std::ifstream in(p, std::ios::binary);
    unsigned char h[24] = {};
    if (!in.read(reinterpret_cast<char*>(h), 24) || h[1] != 'P' || h[2] != 'N' || h[3] != 'G')
        throw InputError(p.string() + ": not a PNG image; the firm's logo and signature must be PNG files");
    auto be = [&](int o) { return static_cast<double>((h[o] << 24) | (h[o + 1] << 16) | (h[o + 2] << 8) | h[o + 3]); };
    return {be(16), be(20)};
}

class Layout {
public:
    Layout(PdfFont* regular, PdfFont* bold) : regular_(regular), bold_(bold) {}

    double width(const std::string& s, bool bold, double size) {
        PdfFont* f = bold ? bold_ : regular_;
        f->SetFontSize(static_cast<float>(size));
        return f->GetFontMetrics()->StringWidth(utf8(s));
    }

    // Greedy word wrap; explicit newlines break; a word wider than the line is cut.
    std::vector<std::string> wrap(const std::string& text, double w, bool bold, double size) {
        std::vector<std::string> lines;
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t nl = text.find('\n', start);
            std::string para = text.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
            std::string line;
            std::size_t i = 0;
            while (i < para.size()) {
                std::size_t sp = para.find(' ', i);
                std::string word = para.substr(i, sp == std::string::npos ? std::string::npos : sp - i);
                i = sp == std::string::npos ? para.size() : sp + 1;
                std::string candidate = line.empty() ? word : line + " " + word;
                if (width(candidate, bold, size) <= w) {
                    line = candidate;
                    continue;
                }
                if (!line.empty()) lines.push_back(line);
                line = word;
                while (width(line, bold, size) > w && line.size() > 1) {  // cut a word too long for the line
                    std::size_t cut = line.size() - 1;
                    while (cut > 1 && width(line.substr(0, cut), bold, size) > w) --cut;
                    while (cut > 1 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a UTF-8 character
                    lines.push_back(line.substr(0, cut));
                    line = line.substr(cut);
                }
            }
            lines.push_back(line);
            if (nl == std::string::npos) break;
            start = nl + 1;
        }
        return lines;
    }

    void newPage() {
        pages_.emplace_back();
        y_ = kPageH - kTop;
    }
    void need(double h) {
        if (pages_.empty() || y_ - h < kBottom) newPage();
    }
    Page& page() { return pages_.back(); }
    std::size_t pageCount() const { return pages_.size(); }
    std::vector<Page>& pages() { return pages_; }
    double& y() { return y_; }

    void text(double x, const std::string& s, bool bold, double size, double gray = 0) {
        page().ops.push_back({Op::Kind::Text, x, y_, 0, 0, bold, size, gray, s});
    }

    // A heading is held back and drawn with the start of what follows it, so it never ends a page;
    // headings in a row (a criteria group, then its first criterion) are held back together.
    void heading(const std::string& s, double size, int level = 2, bool contents = false) {
        pending_.push_back({s, size, level, contents});
    }
    void mark(int level, const std::string& title, bool contents) { marks_.push_back({level, title, pages_.size() - 1, y_, contents}); }
    std::vector<Mark>& marks() { return marks_; }

    // An image of `w` points wide, its height from its aspect ratio.
    void image(const std::filesystem::path& file, double x, double w) {
        auto [pw, ph] = pngSize(file);
        const double h = w * ph / pw;
        need(h + 4);
        y_ -= h;
        page().ops.push_back({Op::Kind::Image, x, y_, w, h, false, 0, 0, file.string()});
        y_ -= 4;
    }
    void flushHeading(double next) {
        if (pending_.empty()) return;
        auto held = std::move(pending_);
        pending_.clear();
        double total = next;
        std::vector<std::vector<std::string>> lines;
        for (auto& h : held) {
            lines.push_back(wrap(h.text, kTextW, true, h.size));
            total += 10 + static_cast<double>(lines.back().size()) * h.size * 1.35;
        }
        need(total);
        for (std::size_t i = 0; i < held.size(); ++i) {
            y_ -= 6;
            mark(held[i].level, held[i].text, held[i].contents);
            for (auto& l : lines[i]) {
                y_ -= held[i].size * 1.35;
                text(kLeft, l, true, held[i].size);
            }
            y_ -= 4;
            lastHeading_ = held[i].text;
        }
    }

    void paragraph(const std::string& s, bool bold, double size, double indent = 0, double after = 8) {
        auto lines = wrap(s, kTextW - indent, bold, size);
        const double leading = size * 1.35;
        flushHeading(leading * std::min<double>(2, static_cast<double>(lines.size())));
        for (auto& l : lines) {
            need(leading);
            y_ -= leading;
            text(kLeft + indent, l, bold, size);
        }
        y_ -= after;
    }

    void bullet(const std::string& s, double size) {
        auto lines = wrap(s, kTextW - 18, false, size);
        const double leading = size * 1.35;
        flushHeading(leading);
        for (std::size_t i = 0; i < lines.size(); ++i) {
            need(leading);
            y_ -= leading;
            if (i == 0) text(kLeft + 6, "•", false, size);
            text(kLeft + 18, lines[i], false, size);
        }
        y_ -= 4;
    }

    void table(const Table& t, double size) {
        const double leading = size * 1.3, pad = 4;
        std::vector<double> widths;
        for (auto f : t.widths) widths.push_back(f * kTextW);
        auto cellLines = [&](const std::vector<std::string>& cells, bool bold) {
            std::vector<std::vector<std::string>> out;
            for (std::size_t c = 0; c < widths.size(); ++c)
                out.push_back(wrap(c < cells.size() ? cells[c] : "", widths[c] - 2 * pad, bold, size));
            return out;
        };
        auto header = cellLines(t.header, true);
        std::size_t headerLines = 0;
        for (auto& c : header) headerLines = std::max(headerLines, c.size());
        const double headerH = static_cast<double>(headerLines) * leading + 2 * pad;
        auto drawRow = [&](const std::vector<std::vector<std::string>>& cells, std::size_t from, std::size_t count, bool bold, bool shade) {
            const double h = static_cast<double>(count) * leading + 2 * pad;
            if (shade) page().ops.push_back({Op::Kind::Fill, kLeft, y_ - h, kTextW, h, false, 0, 0.90, ""});
            double x = kLeft;
            for (std::size_t c = 0; c < cells.size(); ++c) {
                double ly = y_ - pad;
                for (std::size_t k = from; k < from + count && k < cells[c].size(); ++k) {
                    ly -= leading;
                    page().ops.push_back({Op::Kind::Text, x + pad, ly + leading * 0.22, 0, 0, bold, size, 0, cells[c][k]});
                }
                x += widths[c];
            }
            page().ops.push_back({Op::Kind::Line, kLeft, y_ - h, kTextW, 0, false, 0, 0.6, ""});
            y_ -= h;
        };
        auto startPage = [&](bool fresh) {
            if (fresh) {
                newPage();
                if (!lastHeading_.empty()) {  // a table running on says whose it is
                    y_ -= 10;
                    text(kLeft, lastHeading_ + " (continued)", false, 8, 0.4);
                    y_ -= 4;
                }
            }
            drawRow(header, 0, headerLines, true, true);
        };
        // The heading, the header row and the first row (or as much of it as a page holds) go together.
        double firstRow = 0;
        if (!t.rows.empty()) {
            std::size_t n = 0;
            for (auto& c : cellLines(t.rows.front(), false)) n = std::max(n, c.size());
            firstRow = std::min<double>(static_cast<double>(n), 8) * leading + 2 * pad;
        }
        flushHeading(headerH + firstRow);
        need(headerH + firstRow);
        startPage(false);
        for (auto& row : t.rows) {
            auto cells = cellLines(row, false);
            std::size_t lines = 0;
            for (auto& c : cells) lines = std::max(lines, c.size());
            std::size_t done = 0;
            while (done < lines) {
                double room = y_ - kBottom - 2 * pad;
                auto fit = static_cast<std::size_t>(std::floor(room / leading));
                const std::size_t rest = lines - done;
                // Start a row on the next page unless it fits, or is taller than any page could hold.
                const auto perPage = static_cast<std::size_t>((kPageH - kTop - kBottom - headerH - 2 * pad) / leading);
                if (fit < std::min(rest, perPage) || fit == 0) {
                    if (fit >= 3 && rest > perPage) {
                        drawRow(cells, done, fit, false, false);
                        done += fit;
                    }
                    startPage(true);
                    continue;
                }
                std::size_t n = std::min(rest, fit);
                drawRow(cells, done, n, false, false);
                done += n;
            }
        }
        y_ -= 10;
    }

private:
    PdfFont *regular_, *bold_;
    std::vector<Page> pages_;
    double y_ = 0;
    struct HeldHeading {
        std::string text;
        double size;
        int level;
        bool contents;
    };
    std::vector<HeldHeading> pending_;
    std::string lastHeading_;
    std::vector<Mark> marks_;
};

}  // namespace

void writePdf(const Report& r, const std::filesystem::path& out, const Output& fonts, Progress* progress) {
    for (auto& f : {fonts.fontFile, fonts.boldFontFile})
        if (!std::filesystem::exists(f))
            throw InputError(f.string() + ": the report font is missing (install fonts-dejavu-core); nothing was written");
    OutputFile file(out);
    try {
        PdfMemDocument doc;
        PdfFont* regular = doc.CreateFontSubset("DejaVu Sans", false, false, false, PdfEncodingFactory::GlobalIdentityEncodingInstance(),
                                                fonts.fontFile.c_str());
        PdfFont* bold = doc.CreateFontSubset("DejaVu Sans Bold", true, false, false, PdfEncodingFactory::GlobalIdentityEncodingInstance(),
                                             fonts.boldFontFile.c_str());
        if (!regular || !bold) throw InputError(fonts.fontFile.string() + ": PoDoFo could not load the report font; nothing was written");

        const bool draft = !r.issuable();
        Layout L(regular, bold);
        // Cover: the firm's logo, the report's name, its long-form title, the client and the firm. A
        // draft says so and lists what keeps it from being final; a final carries nothing internal.
        L.newPage();
        if (!r.logo.empty()) L.image(r.logo, kLeft, 144);
        L.y() = std::min(L.y(), kPageH - 190);
        L.paragraph(r.title, true, 24, 0, 12);
        L.paragraph(r.longTitle, false, 13, 0, 18);
        L.paragraph(r.client, true, 16, 0, 4);
        L.paragraph(r.periodText, false, 12, 0, 24);
        L.paragraph("Prepared by " + r.firm, false, 11, 0, 24);
        if (draft) {
            L.paragraph("DRAFT: not for distribution", true, 14, 0, 8);
            L.paragraph("This draft cannot be issued until every gate is met:", false, 10, 0, 6);
            for (auto& n : r.draftNotes) L.bullet(n, 9);
        }
        // Contents: filled with page numbers and links once the sections are laid out.
        L.newPage();
        const std::size_t tocPage = L.pageCount() - 1;
        for (std::size_t i = 0; i < r.sections.size(); ++i) {
            auto& s = r.sections[i];
            L.newPage();
            L.flushHeading(0);
            const std::string label = s.number.empty() ? s.title : "Section " + s.number + "   " + s.title;
            L.mark(1, label, true);
            if (!s.number.empty()) L.paragraph("Section " + s.number, true, 11, 0, 2);
            L.paragraph(s.title, true, 16, 0, 12);
            for (std::size_t k = 0; k < s.content.size(); ++k) {
                const auto& el = s.content[k];
                // A signature never stands alone on a page: the text it signs goes with it.
                if (auto* b = std::get_if<Block>(&el); b && b->kind != Block::Kind::Heading && k + 1 < s.content.size()) {
                    if (auto* next = std::get_if<Signature>(&s.content[k + 1])) {
                        const bool bullet = b->kind == Block::Kind::Bullet;
                        const auto lines = L.wrap(b->text, kTextW - (bullet ? 18 : 0), false, 10).size();
                        L.flushHeading(0);
                        L.need(static_cast<double>(lines) * 13.5 + 8 + 30 + 14.0 * static_cast<double>(next->lines.size()) +
                               (next->image.empty() ? 0 : 60));
                    }
                }
                if (auto* b = std::get_if<Block>(&el)) {
                    // Section IV's criteria groups are listed in the contents; every heading is a bookmark.
                    if (b->kind == Block::Kind::Heading) L.heading(b->text, b->level >= 3 ? 10.5 : 11.5, b->level, b->level == 2 && !b->anchor.empty());
                    else if (b->kind == Block::Kind::Bullet) L.bullet(b->text, 10);
                    else L.paragraph(b->text, false, 10);
                } else if (auto* sig = std::get_if<Signature>(&el)) {
                    L.flushHeading(0);
                    L.need(30 + 14.0 * static_cast<double>(sig->lines.size()) + (sig->image.empty() ? 0 : 60));
                    L.y() -= 18;
                    if (!sig->image.empty()) L.image(sig->image, kLeft, 126);
                    for (auto& line : sig->lines) L.paragraph(line, false, 10, 0, 0);
                    L.y() -= 10;
                } else {
                    L.table(std::get<Table>(el), 8.5);
                }
            }
            L.flushHeading(0);
            if (progress) progress->update(i + 1, r.sections.size() + 1);
        }
        struct Link {
            std::size_t page;
            PdfRect rect;
            std::size_t mark;
        };
        std::vector<Link> links;
        {
            auto& toc = L.pages()[tocPage];
            double y = kPageH - kTop - 20;
            toc.ops.push_back({Op::Kind::Text, kLeft, y, 0, 0, true, 16, 0, "Contents"});
            y -= 32;
            const auto& marks = L.marks();
            for (std::size_t m = 0; m < marks.size(); ++m) {
                if (!marks[m].contents) continue;
                const bool top = marks[m].level == 1;
                const double size = top ? 11 : 9.5, indent = top ? 0 : 18;
                if (top) y -= 6;
                auto lines = L.wrap(marks[m].title, kTextW - 50 - indent, top, size);
                const double yTop = y + size;
                for (std::size_t k = 0; k < lines.size(); ++k) {
                    toc.ops.push_back({Op::Kind::Text, kLeft + indent, y, 0, 0, top, size, 0, lines[k]});
                    if (k + 1 == lines.size()) {
                        std::string n = std::to_string(marks[m].page + 1);
                        toc.ops.push_back({Op::Kind::Text, kPageW - kRight - L.width(n, false, size), y, 0, 0, false, size, 0, n});
                    }
                    y -= size * 1.45;
                }
                links.push_back({tocPage, PdfRect(kLeft, y + size * 1.45 - 3, kTextW, yTop - (y + size * 1.45 - 3)), m});
            }
        }

        // Draw.
        const auto total = L.pageCount();
        for (std::size_t i = 0; i < total; ++i) doc.CreatePage(PdfPage::CreateStandardPageSize(ePdfPageSize_Letter));
        std::map<std::string, std::unique_ptr<PdfImage>> images;
        const std::string headerLeft = r.client + " — " + r.title, headerRight = r.periodText;
        for (std::size_t i = 0; i < total; ++i) {
            PdfPainter p;
            p.SetPage(doc.GetPage(static_cast<int>(i)));
            if (draft) {  // under the text: a light diagonal DRAFT
                p.Save();
                bold->SetFontSize(110);
                p.SetFont(bold);
                p.SetColor(0.88, 0.88, 0.88);
                const double a = 0.9;  // radians, about 52 degrees
                p.SetTransformationMatrix(std::cos(a), std::sin(a), -std::sin(a), std::cos(a), 150, 180);
                p.DrawText(0, 0, utf8("DRAFT"));
                p.Restore();
            }
            for (auto& op : L.pages()[i].ops) {
                if (op.kind == Op::Kind::Text) {
                    PdfFont* f = op.bold ? bold : regular;
                    f->SetFontSize(static_cast<float>(op.size));
                    p.SetFont(f);
                    p.SetColor(op.gray, op.gray, op.gray);
                    p.DrawText(op.x, op.y, utf8(op.text));
                } else if (op.kind == Op::Kind::Fill) {
                    p.SetColor(op.gray, op.gray, op.gray);
                    p.Rectangle(op.x, op.y, op.w, op.h);
                    p.Fill();
                } else if (op.kind == Op::Kind::Image) {
                    auto& img = images[op.text];
                    if (!img) {
                        img = std::make_unique<PdfImage>(&doc);
                        img->LoadFromPng(op.text.c_str());
                    }
                    p.DrawImage(op.x, op.y, img.get(), op.w / img->GetWidth(), op.h / img->GetHeight());
                } else {
                    p.SetStrokingColor(op.gray, op.gray, op.gray);
                    p.SetStrokeWidth(0.5);
                    p.DrawLine(op.x, op.y, op.x + op.w, op.y);
                }
            }
            if (i > 0) {  // running header and footer; the cover has neither
                regular->SetFontSize(8);
                p.SetFont(regular);
                p.SetColor(0.35, 0.35, 0.35);
                p.DrawText(kLeft, kPageH - 48, utf8(headerLeft));
                p.DrawText(kPageW - kRight - L.width(headerRight, false, 8), kPageH - 48, utf8(headerRight));
                p.SetStrokingColor(0.6, 0.6, 0.6);
                p.SetStrokeWidth(0.5);
                p.DrawLine(kLeft, kPageH - 54, kPageW - kRight, kPageH - 54);
            }
            std::string footer = "Page " + std::to_string(i + 1) + " of " + std::to_string(total);
            regular->SetFontSize(8);
            p.SetFont(regular);
            p.SetColor(0.35, 0.35, 0.35);
            p.DrawText((kPageW - L.width(footer, false, 8)) / 2, 40, utf8(footer));
            p.FinishPage();
        }

        // Bookmarks: every section, and under it every heading, criteria under their group.
        const auto& marks = L.marks();
        auto dest = [&](const Mark& m) { return PdfDestination(doc.GetPage(static_cast<int>(m.page)), kLeft - 10, m.y + 24, 0); };
        PdfOutlineItem* root = doc.GetOutlines()->CreateRoot(utf8(r.title));
        PdfOutlineItem* last[4] = {root, nullptr, nullptr, nullptr};
        for (auto& m : marks) {
            const int level = std::clamp(m.level, 1, 3);
            PdfOutlineItem* parent = last[level - 1];
            for (int up = level - 1; !parent && up > 0; --up) parent = last[up - 1];
            PdfOutlineItem* item = parent->Last() ? parent->Last()->CreateNext(utf8(m.title), dest(m))
                                                  : parent->CreateChild(utf8(m.title), dest(m));
            last[level] = item;
            for (int deeper = level + 1; deeper <= 3; ++deeper) last[deeper] = nullptr;
        }
        doc.SetPageMode(ePdfPageModeUseBookmarks);
        // The contents entries link to their pages.
        for (auto& l : links) {
            PdfAnnotation* a = doc.GetPage(static_cast<int>(l.page))->CreateAnnotation(ePdfAnnotation_Link, l.rect);
            a->SetDestination(dest(marks[l.mark]));
            a->SetBorderStyle(0, 0, 0);
        }
        doc.SetPdfVersion(ePdfVersion_1_7);
        auto* info = doc.GetInfo();
        info->SetTitle(utf8(r.longTitle.empty() ? r.client + " — " + r.title : r.longTitle));
        info->SetAuthor(utf8(r.firm));
        info->SetSubject(utf8(r.client + " — " + r.title + (draft ? " (DRAFT)" : "")));
        info->SetKeywords(utf8(std::string(r.kind == Kind::Soc2 ? "SOC 2" : "SOC 3") + ", " + r.system + ", " + r.periodText));
        info->SetCreator(utf8("Tickmark"));
        for (auto& [key, value] : r.provenance) info->SetCustomKey(PdfName(pdfPropertyKey(key)), utf8(value));
        doc.Write(file.temp().c_str());
        if (progress) progress->update(r.sections.size() + 1, r.sections.size() + 1);
    } catch (const PdfError& err) {
        throw InputError(out.string() + ": the PDF could not be written (PoDoFo: " + std::string(PdfError::ErrorMessage(err.GetError())) +
                         "); nothing was written there");
    }
    file.commit();
}

}  // namespace tickmark::report

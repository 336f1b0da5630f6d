#include "workpapers/readers/row_shaper.h"

#include <algorithm>
#include <cstring>

#include "workpapers/errors.h"
#include "workpapers/readers/sheet_rows.h"

namespace tickmark {
namespace {

std::string_view trimmed(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r' || s.front() == '\n'))
        s.remove_prefix(1);
    while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r' || s.back() == '\n')) s.remove_suffix(1);
    return s;
}

bool hasLetter(std::string_view s) {
    for (unsigned char c : s)
        if (std::isalpha(c) || c >= 0x80) return true;
    return false;
}

bool hasSpace(std::string_view s) { return s.find_first_of(" \t\n") != std::string_view::npos; }

// The row's non-empty cells joined with " | ", cut at 200 bytes on a character boundary.
std::string rowText(const std::vector<std::string_view>& cells) {
    std::string s;
    for (auto c : cells) {
        c = trimmed(c);
        if (c.empty()) continue;
        if (!s.empty()) s += " | ";
        s.append(c);
        if (s.size() > 200) break;
    }
    if (s.size() > 200) {
        std::size_t cut = 200;
        while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
        s.resize(cut);
        s += "…";
    }
    return s;
}

std::vector<std::string_view> views(const std::vector<std::string>& cells) {
    return {cells.begin(), cells.end()};
}

}  // namespace

std::size_t nonEmptyCells(const std::vector<std::string_view>& cells) {
    std::size_t n = 0;
    for (auto c : cells) n += !trimmed(c).empty();
    return n;
}

std::size_t usedWidth(const std::vector<std::string_view>& cells) {
    std::size_t w = cells.size();
    while (w > 0 && trimmed(cells[w - 1]).empty()) --w;
    return w;
}

bool looksLikeTotalLabel(std::string_view cell) {
    cell = trimmed(cell);
    if (cell.empty() || std::string_view("tTgGsS").find(cell.front()) == std::string_view::npos || cell.size() > 64)
        return false;  // the common case, at once
    std::string s;
    for (char c : cell) s += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    std::string_view v(s);
    for (std::string_view prefix : {"grand ", "sub-", "sub ", "sub"})
        if (v.starts_with(prefix)) {
            v.remove_prefix(prefix.size());
            break;
        }
    if (!v.starts_with("total")) return false;
    v.remove_prefix(5);
    if (v.starts_with("s")) v.remove_prefix(1);
    return v.empty() || !std::isalpha(static_cast<unsigned char>(v.front()));
}

bool looksNumeric(std::string_view cell) {
    bool digit = false, dot = false;
    std::string_view v = trimmed(cell);
    if (v.size() >= 2 && v.front() == '(' && v.back() == ')') v = v.substr(1, v.size() - 2);
    for (std::size_t i = 0; i < v.size(); ++i) {
        unsigned char c = static_cast<unsigned char>(v[i]);
        if (std::isdigit(c)) digit = true;
        else if (c == '.' && !dot) dot = true;
        else if (c == ',' || c == ' ' || c == '$' || c == '%' || ((c == '-' || c == '+') && i == 0)) continue;
        else if (v.substr(i).starts_with("€")) i += 2;  // three bytes in UTF-8
        else if (v.substr(i).starts_with("£")) i += 1;
        else return false;
    }
    return digit;
}

RowShaper::RowShaper(SourceInfo& info, const ReadOptions& options, TableHandler& handler, bool text)
    : info_(info), options_(options), handler_(handler), text_(text) {
    if (options.headerRow && *options.headerRow < 1)
        throw InputError(info.fileName + ": --header-row " + std::to_string(*options.headerRow) +
                         ": rows are counted from 1, as the spreadsheet shows them.");
}

std::string RowShaper::where(std::int64_t at) const { return info_.where(at); }

void RowShaper::checkText(std::int64_t at, const std::vector<std::string_view>& cells) const {
    auto column = [&](std::size_t c) {
        return text_ ? (headerWidth_ ? describeColumn(header_, c) : "field " + std::to_string(c + 1))
                     : "column " + columnLetters(c);
    };
    for (std::size_t c = 0; c < cells.size(); ++c) {
        if (cells[c].size() > ReadLimits::kMaxCellBytes)
            throw InputError(where(at) + ", " + column(c) + ": a value of " + std::to_string(cells[c].size()) +
                             " bytes, more than the limit of 1 MiB per cell. Shorten it in the source system or "
                             "leave the column out of the export.");
        if (std::size_t bad = controlCharAt(cells[c]); bad != std::string_view::npos)
            throw InputError(where(at) + ", " + column(c) + ": the control character " + describeControl(cells[c], bad) +
                             " at byte " + std::to_string(bad + 1) + " of the value" +
                             (cells[c][bad] == 0 && text_ ? " (a UTF-16 file without a byte order mark? name it with "
                                                            "--encoding UTF-16LE)"
                                                          : "") +
                             ". Control characters print as nothing or move the terminal's cursor, so values that "
                             "differ only by one would look alike; remove it in the source system and export again.");
        // The text reader checks (or decodes) whole chunks before they become rows.
        if (!text_ && invalidUtf8At(cells[c]) != std::string_view::npos)
            throw InputError(where(at) + ", " + column(c) + ": text that is not valid UTF-8.");
    }
}

void RowShaper::row(std::int64_t at, const std::vector<std::string_view>& cells) {
    checkText(at, cells);
    if (headerWidth_) return afterHeader(at, cells);
    if (options_.headerRow) {
        const std::int64_t h = *options_.headerRow;
        if (at < h) {
            if (nonEmptyCells(cells)) info_.layout.aboveHeader.push_back({at, 1, "above-header", rowText(cells)});
            return;
        }
        if (at > h || nonEmptyCells(cells) == 0)
            throw InputError(where(h) + ": the header row named with --header-row is empty" +
                             (at > h && text_ ? " or inside a value that spans lines" : "") +
                             ". Name the row that holds the column names.");
        pending_.push_back({at, {cells.begin(), cells.end()}});
        return takeHeader(0, "given");
    }
    pending_.push_back({at, {cells.begin(), cells.end()}});
    for (auto c : cells) pendingBytes_ += c.size() + sizeof(std::string);
    decideHeader(false);
}

// The header is the first row that names columns: two or more cells, each with a letter, with the
// rows that follow no wider than it and at least half as full. Title, filter and logo lines are one or
// two cells over a wider table, so they are passed over and recorded as what lay above the header.
void RowShaper::decideHeader(bool atEnd) {
    const bool full = pending_.size() >= kLookahead || pendingBytes_ >= kLookaheadBytes;
    std::optional<std::size_t> firstNonBlank;
    for (std::size_t i = 0; i < pending_.size(); ++i) {
        auto v = views(pending_[i].cells);
        const std::size_t ne = nonEmptyCells(v);
        if (ne == 0) continue;
        if (!firstNonBlank) firstNonBlank = i;
        if (ne < 2) continue;
        bool named = true;
        for (auto c : v)
            if (!trimmed(c).empty() && !hasLetter(c)) named = false;
        if (!named) continue;
        const std::size_t width = usedWidth(v);
        std::size_t following = 0, widest = 0;
        for (std::size_t j = i + 1; j < pending_.size() && following < 5; ++j) {
            auto w = views(pending_[j].cells);
            if (nonEmptyCells(w) == 0) continue;
            ++following;
            widest = std::max(widest, usedWidth(w));
        }
        if (following < 5 && !atEnd && !full) return;  // wait for more rows before judging this one
        if (widest <= width && ne * 2 >= widest) return takeHeader(i, "detected");
    }
    if ((atEnd || full) && firstNonBlank) takeHeader(*firstNonBlank, "first row");
}

void RowShaper::takeHeader(std::size_t index, const char* basis) {
    auto& layout = info_.layout;
    for (std::size_t i = 0; i < index; ++i) {
        auto v = views(pending_[i].cells);
        if (nonEmptyCells(v)) layout.aboveHeader.push_back({pending_[i].at, 1, "above-header", rowText(v)});
    }
    auto cells = views(pending_[index].cells);
    layout.headerRow = pending_[index].at;
    layout.headerBasis = basis;
    // A text file's header keeps every field (records must match it); a sheet's ends at its last name.
    header_.assign(cells.begin(), cells.begin() + static_cast<std::ptrdiff_t>(text_ ? cells.size() : usedWidth(cells)));
    headerWidth_ = header_.size();
    lastRow_ = layout.headerRow;
    handler_.source(info_);
    handler_.header(header_);
    keyColumn_ = handler_.keyColumn();
    std::vector<Buffered> rest(std::make_move_iterator(pending_.begin() + static_cast<std::ptrdiff_t>(index) + 1),
                               std::make_move_iterator(pending_.end()));
    pending_.clear();
    pending_.shrink_to_fit();
    pendingBytes_ = 0;
    for (auto& r : rest) afterHeader(r.at, views(r.cells));
}

void RowShaper::skip(std::int64_t at, std::int64_t count, const char* kind, const std::vector<std::string_view>& cells) {
    auto& layout = info_.layout;
    const std::string_view k(kind);
    if (k == "blank") {
        layout.blankRows += count;
        auto& list = layout.skipped;
        if (!list.empty() && list.back().kind == "blank" && list.back().row + list.back().count == at) {
            list.back().count += count;
            return;
        }
    } else if (k == "banner") {
        ++layout.banners;
    } else if (k == "total") {
        ++layout.totals;
    }
    if (layout.skipped.size() >= TableLayout::kListed) {
        layout.notListed += count;
        return;
    }
    layout.skipped.push_back({at, count, kind, k == "blank" ? std::string() : rowText(cells)});
}

void RowShaper::afterHeader(std::int64_t at, const std::vector<std::string_view>& cells) {
    if (!text_ && at > lastRow_ + 1) skip(lastRow_ + 1, at - lastRow_ - 1, "blank", {});  // rows a sheet does not store
    lastRow_ = at;
    const std::size_t ne = nonEmptyCells(cells);
    const std::size_t width = usedWidth(cells);
    if (width > headerWidth_ && !(text_ && ne == 0))
        throw InputError(where(at) + ", " +
                         (text_ ? "field " + std::to_string(width) : "column " + columnLetters(width - 1)) +
                         ": a value outside the header's columns (the header ends at " +
                         (text_ ? "field " + std::to_string(headerWidth_) : "column " + columnLetters(headerWidth_ - 1)) +
                         "). Give the column a header or remove the value.");
    if (ne == 0) return skip(at, 1, "blank", cells);

    std::size_t first = 0;
    while (trimmed(cells[first]).empty()) ++first;
    if (looksLikeTotalLabel(cells[first])) {
        bool figures = true;
        for (std::size_t c = first + 1; c < cells.size(); ++c)
            if (!trimmed(cells[c]).empty() && !looksNumeric(cells[c])) figures = false;
        if (figures) return skip(at, 1, "total", cells);
    }
    if (ne == 1 && headerWidth_ >= 3) {
        // One cell over a wide table is a banner or a note; a lone key (no spaces, short) is a record
        // whose other cells are blank, and the profile flags it as such.
        std::string_view t = trimmed(cells[first]);
        bool loneKey = keyColumn_ && first == *keyColumn_ && !hasSpace(t) && t.size() <= 40;
        if (!loneKey) return skip(at, 1, "banner", cells);
    }
    if (text_ && cells.size() != headerWidth_)
        throw InputError(where(at) + ": " + std::to_string(cells.size()) + " fields where the header has " +
                         std::to_string(headerWidth_) + " (line " + std::to_string(info_.layout.headerRow) +
                         "). A value holding the delimiter or a line break must be in double quotes; fix the row or "
                         "export the file again.");
    cells_.assign(cells.begin(), cells.end());
    cells_.resize(headerWidth_);
    lastRecord_ = at;
    handler_.record(cells_, at);
    if (options_.progress && ++records_ % 4096 == 0 && options_.progress->cancelled()) throw Cancelled();
}

void RowShaper::finish() {
    if (!headerWidth_) decideHeader(true);
    if (!headerWidth_) {
        if (options_.headerRow)
            throw InputError(info_.fileName + (info_.sheet.empty() ? "" : ": sheet \"" + info_.sheet + "\"") +
                             ": has no " + info_.rowName(*options_.headerRow) + " (named with --header-row).");
        if (text_) throw InputError(info_.fileName + ": no header row found; the file has no line with column names.");
        throw InputError(info_.fileName + ": sheet \"" + info_.sheet + "\" is empty; it needs a row naming the columns.");
    }
    // Single cells below the last record are notes on the table, not banners over a section of it.
    auto& layout = info_.layout;
    for (auto& r : layout.skipped)
        if (r.kind == "banner" && r.row > lastRecord_) {
            r.kind = "footnote";
            --layout.banners;
            ++layout.footnotes;
        }
    info_.blankLines = layout.blankRows;
}

}  // namespace tickmark

#pragma once
// Turns the rows a reader delivers (CSV lines, sheet rows) into a header and records, the way a
// client's export really looks: title, filter and blank rows above the header; section banners,
// footnotes, total rows and empty rows among and below the records. The header is found (or named
// with --header-row); every row that is not a record is kept in the layout with its number and text,
// so nothing is dropped without a word. One shaper serves every format.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/readers/table_source.h"

namespace tickmark {

class RowShaper {
public:
    // text: a delimited text file, where every record must have the header's number of fields.
    RowShaper(SourceInfo& info, const ReadOptions& options, TableHandler& handler, bool text);

    // at: the 1-based line (text) or sheet row where the row starts. Views live until the call returns.
    void row(std::int64_t at, const std::vector<std::string_view>& cells);
    // After the last row. Throws when no header was found.
    void finish();
    bool sawHeader() const { return headerWidth_ > 0; }

    // How many rows the header search looks at before it settles for the first non-empty one.
    static constexpr std::size_t kLookahead = 64;
    // ... or fewer, when the rows read so far hold this many bytes (memory stays bounded).
    static constexpr std::size_t kLookaheadBytes = std::size_t{32} << 20;

private:
    struct Buffered {
        std::int64_t at;
        std::vector<std::string> cells;
    };
    void decideHeader(bool atEnd);
    void takeHeader(std::size_t index, const char* basis);
    void afterHeader(std::int64_t at, const std::vector<std::string_view>& cells);
    void skip(std::int64_t at, std::int64_t count, const char* kind, const std::vector<std::string_view>& cells);
    std::string where(std::int64_t at) const;
    void checkText(std::int64_t at, const std::vector<std::string_view>& cells) const;

    SourceInfo& info_;
    const ReadOptions& options_;
    TableHandler& handler_;
    bool text_;
    std::vector<Buffered> pending_;  // rows read before the header is decided
    std::size_t pendingBytes_ = 0;
    std::vector<std::string> header_;
    std::size_t headerWidth_ = 0;
    std::optional<std::size_t> keyColumn_;
    std::vector<std::string_view> cells_;
    std::int64_t lastRow_ = 0, lastRecord_ = 0, records_ = 0;
    std::vector<LayoutRow> blanksPending_;  // empty rows after the last record so far: inside the table only if one follows
};

// What a row holds, for the header search and the classification of non-records.
std::size_t nonEmptyCells(const std::vector<std::string_view>& cells);
std::size_t usedWidth(const std::vector<std::string_view>& cells);  // index of the last non-empty cell + 1
// "Total", "Grand total", "Subtotal:", "TOTALS" (any case, a trailing colon or count allowed).
bool looksLikeTotalLabel(std::string_view cell);
// "1,234", "(12.50)", "$ 3", "45%": a summary figure on a total row.
bool looksNumeric(std::string_view cell);

}  // namespace tickmark

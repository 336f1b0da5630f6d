#include "app/presenters/completeness_profile.h"

#include <cstdarg>
#include <cstdio>

namespace tickmark::desk {
namespace {

std::string format(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
std::string format(const char* fmt, ...) {
    va_list args, copy;
    va_start(args, fmt);
    va_copy(copy, args);
    const int n = std::vsnprintf(nullptr, 0, fmt, copy);
    va_end(copy);
    std::string out(static_cast<std::size_t>(n > 0 ? n : 0), '\0');
    std::vsnprintf(out.data(), out.size() + 1, fmt, args);
    va_end(args);
    return out;
}
long long ll(std::int64_t v) { return static_cast<long long>(v); }

}  // namespace

std::vector<std::string> layoutLines(const SourceInfo& s) {
    std::vector<std::string> out;
    const auto& l = s.layout;
    if (!l.headerRow) return out;
    if (l.headerRow != 1 || !l.aboveHeader.empty() || l.headerBasis == "given")
        out.push_back("  Header      " + s.rowName(l.headerRow) + " (" + l.headerBasis + ")");
    for (auto& r : l.aboveHeader) out.push_back("    above it: " + s.rowName(r.row) + ": " + r.text);
    for (auto& sheet : l.sheetsPassedOver) out.push_back("  Passed over sheet " + sheet);
    if (l.skipped.empty()) return out;
    out.push_back(format("  Not records %lld blank, %lld banner, %lld footnote, %lld total row(s), not imported:", ll(l.blankRows),
                         ll(l.banners), ll(l.footnotes), ll(l.totals)));
    for (auto& r : l.skipped) {
        std::string at = s.rowName(r.row);
        if (r.count > 1) at += "-" + std::to_string(r.row + r.count - 1);
        out.push_back("    " + at + " " + r.kind + (r.text.empty() ? "" : ": ") + r.text);
    }
    if (l.notListed) out.push_back(format("    ... and %lld more not listed", ll(l.notListed)));
    return out;
}

std::vector<std::string> profileLines(const CompletenessProfile& p) {
    std::vector<std::string> out;
    out.push_back("Population " + std::to_string(p.populationId) + ": " + p.name + " (control " + p.control + ")");
    out.push_back("  Source      " + p.source.fileName);
    std::string how = p.source.format + ", " + p.source.encoding;
    if (!p.source.delimiter.empty()) how += ", delimiter \"" + p.source.delimiter + "\"";
    if (!p.source.sheet.empty()) how += ", sheet \"" + p.source.sheet + "\"";
    out.push_back("              " + how + ", " + std::to_string(p.source.size) + " bytes");
    out.push_back("  SHA-256     " + p.source.sha256);
    for (auto& l : layoutLines(p.source)) out.push_back(l);
    out.push_back("  Key / date  \"" + p.keyColumn + "\" / \"" + p.dateColumn + "\" (" + (p.dateFormat ? *p.dateFormat : "no dates") +
                  ", " + p.dateFormatBasis + ")");
    if (p.convertedTimes || p.localTimes) {
        std::string offsets;
        for (auto& [name, n] : p.offsets) offsets += (offsets.empty() ? "" : ", ") + name + " " + std::to_string(n);
        out.push_back(format("  Times       %lld with a UTC offset converted to %s%s%s%s; %lld local, without offset", ll(p.convertedTimes),
                             p.timeZone ? p.timeZone->c_str() : "UTC (no time zone set)", offsets.empty() ? "" : " (", offsets.c_str(),
                             offsets.empty() ? "" : ")", ll(p.localTimes)));
        if (p.mixedOffsets()) out.push_back("  ! mixed offsets in one column: check the export's time zone setting with the client");
    }
    out.push_back("  Period      " + isoString(p.period.start) + " .. " + isoString(p.period.end));
    out.push_back(format("  Rows        %lld", ll(p.rows)) + (p.rows == 0 ? "  (header only: the control did not operate in the period)" : ""));
    out.push_back(format("  In period   %lld", ll(p.inPeriod)));
    out.push_back(format("  Before      %lld", ll(p.beforePeriod)));
    out.push_back(format("  After       %lld", ll(p.afterPeriod)));
    if (p.minDate) out.push_back("  Dates       " + isoString(*p.minDate) + " .. " + isoString(*p.maxDate));
    out.push_back(format("  Blank keys  %lld", ll(p.blankKeys)));
    out.push_back(format("  Duplicates  %lld keys on %lld rows", ll(p.duplicateKeys), ll(p.duplicateRows)));
    out.push_back(format("  Bad dates   %lld", ll(p.badDates)));
    if (p.blankDates) out.push_back(format("  Blank dates %lld (no date given: outside the in-period frame)", ll(p.blankDates)));
    if (p.amountColumn) out.push_back(format("  Bad amounts %lld", ll(p.badAmounts)));
    for (auto& d : p.duplicates) {
        std::string rows;
        for (auto r : d.rows) rows += (rows.empty() ? "" : ", ") + std::to_string(r);
        out.push_back("  ! duplicate key " + d.key + " on rows " + rows);
    }
    // "row" is the item's place in the population; where it sits in the file is a line or a sheet row.
    auto at = [&](const Finding& f) { return (p.source.format == "csv" ? "" : "sheet ") + p.source.rowName(f.line); };
    for (auto& f : p.blankKeyRows) out.push_back("  ! blank key on row " + std::to_string(f.row) + " (" + at(f) + ")");
    for (auto& f : p.badDateRows)
        out.push_back("  ! unreadable date \"" + f.value + "\" on row " + std::to_string(f.row) + " (" + at(f) + ", key " + f.key + ")");
    for (auto& f : p.badAmountRows)
        out.push_back("  ! unreadable amount \"" + f.value + "\" on row " + std::to_string(f.row) + " (" + at(f) + ", key " + f.key + ")");
    return out;
}

}  // namespace tickmark::desk

// The report's workbook, with libxlsxwriter: Control matrix, Tests of controls, Samples, Results,
// Exceptions, Review notes, Sign-offs. Every client-supplied text is written as a string (never a
// formula: "=cmd|..." stays text), timestamps as real Excel dates; bold frozen header rows and an
// autofilter on every sheet.
#include <xlsxwriter.h>

#include <algorithm>
#include <map>

#include <unistd.h>

#include "report/report.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/samples.h"

namespace tickmark::report {
namespace {

struct Sheet {
    lxw_worksheet* ws;
    lxw_format *header, *date, *wrap;
    lxw_row_t row = 0;
    std::size_t columns = 0;

    void head(const std::vector<std::pair<const char*, double>>& cols) {
        columns = cols.size();
        for (std::size_t c = 0; c < cols.size(); ++c) {
            worksheet_write_string(ws, 0, static_cast<lxw_col_t>(c), cols[c].first, header);
            worksheet_set_column(ws, static_cast<lxw_col_t>(c), static_cast<lxw_col_t>(c), cols[c].second, cols[c].second > 40 ? wrap : nullptr);
        }
        worksheet_freeze_panes(ws, 1, 0);
        row = 1;
    }
    // Excel holds at most 32,767 characters in a cell: a longer text is cut, and says so, never dropped.
    void text(std::size_t c, const std::string& s) {
        constexpr std::size_t kMax = 32767;
        if (s.size() <= kMax) {
            worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), s.c_str(), nullptr);
            return;
        }
        const std::string note = " [cut: " + std::to_string(s.size()) + " bytes in all; the full text is in the engagement file]";
        std::size_t keep = kMax - note.size() - 4;
        while (keep > 0 && (static_cast<unsigned char>(s[keep]) & 0xC0) == 0x80) --keep;  // not inside a UTF-8 character
        std::string cut = s.substr(0, keep) + note;
        worksheet_write_string(ws, row, static_cast<lxw_col_t>(c), cut.c_str(), nullptr);
    }
    void number(std::size_t c, double v) { worksheet_write_number(ws, row, static_cast<lxw_col_t>(c), v, nullptr); }
    // "2026-03-01T12:34:56Z" -> an Excel date-time cell
    void timestamp(std::size_t c, const std::string& iso) {
        int y, mo, d, h = 0, mi = 0, s = 0;
        if (std::sscanf(iso.c_str(), "%d-%d-%dT%d:%d:%d", &y, &mo, &d, &h, &mi, &s) >= 3) {
            lxw_datetime dt{y, mo, d, h, mi, static_cast<double>(s)};
            worksheet_write_datetime(ws, row, static_cast<lxw_col_t>(c), &dt, date);
        } else {
            text(c, iso);
        }
    }
    void next() { ++row; }
    void finish() {
        if (columns) worksheet_autofilter(ws, 0, 0, row > 1 ? row - 1 : 0, static_cast<lxw_col_t>(columns - 1));
    }
};

}  // namespace

void writeXlsx(Engagement& e, const Report& r, const std::filesystem::path& out, Progress* progress) {
    auto dir = out.parent_path().empty() ? std::filesystem::path(".") : out.parent_path();
    if (!std::filesystem::is_directory(dir)) throw InputError(out.string() + ": the folder " + dir.string() + " does not exist; nothing was written");
    std::filesystem::path tmp = dir / ("." + out.filename().string() + ".partial-" + std::to_string(::getpid()));
    lxw_workbook* wb = workbook_new(tmp.c_str());
    if (!wb) throw InputError(out.string() + ": cannot be written here; nothing was written");
    lxw_format* header = workbook_add_format(wb);
    format_set_bold(header);
    format_set_bg_color(header, 0xDDDDDD);
    format_set_text_wrap(header);
    lxw_format* date = workbook_add_format(wb);
    format_set_num_format(date, "yyyy-mm-dd hh:mm");
    lxw_format* wrap = workbook_add_format(wb);
    format_set_text_wrap(wrap);
    format_set_align(wrap, LXW_ALIGN_VERTICAL_TOP);
    auto sheet = [&](const char* name) { return Sheet{workbook_add_worksheet(wb, name), header, date, wrap}; };

    auto controls = listControls(e);
    {
        auto s = sheet("Control matrix");
        std::vector<std::pair<const char*, double>> cols = {{"Control", 10}, {"Control activity", 60}, {"Frequency", 14}, {"Nature", 18}, {"Owner", 18}};
        for (auto& id : r.criteriaInScope) cols.push_back({id.c_str(), 7});
        s.head(cols);
        for (auto& c : controls) {
            s.text(0, c.ref);
            s.text(1, c.description);
            s.text(2, c.frequency);
            s.text(3, c.nature);
            s.text(4, c.owner);
            for (std::size_t k = 0; k < r.criteriaInScope.size(); ++k)
                if (std::find(c.criteria.begin(), c.criteria.end(), r.criteriaInScope[k]) != c.criteria.end()) s.text(5 + k, "X");
            s.next();
        }
        s.finish();
    }
    {
        auto s = sheet("Tests of controls");
        s.head({{"Criterion", 10}, {"Criterion name", 30}, {"Control", 10}, {"Control activity", 50}, {"Test performed", 50}, {"Results", 50}});
        for (auto& t : r.testsOfControls) {
            s.text(0, t.criterion);
            s.text(1, t.criterionName);
            s.text(2, t.control);
            s.text(3, t.activity);
            s.text(4, t.test);
            s.text(5, t.result);
            s.next();
        }
        s.finish();
    }
    if (progress) progress->update(2, 7);
    {
        auto s = sheet("Samples");
        s.head({{"Selection", 10}, {"Control", 10}, {"Method", 12}, {"Seed", 22}, {"Size", 8}, {"Frame", 10}, {"Extends", 9},
                {"Position", 9}, {"Row", 9}, {"Key", 20}, {"Date", 12}, {"Stratum", 10}});
        for (auto& sum : listSamples(e)) {
            auto rec = loadSample(e, sum.id);
            for (auto& it : rec.items) {
                s.number(0, static_cast<double>(rec.id));
                s.text(1, rec.control);
                s.text(2, rec.method);
                s.text(3, std::to_string(rec.seed));  // text: 64-bit seeds do not fit a double
                s.number(4, static_cast<double>(rec.size));
                s.number(5, static_cast<double>(rec.frameSize));
                if (rec.extendsSampleId) s.number(6, static_cast<double>(*rec.extendsSampleId));
                s.number(7, static_cast<double>(it.position));
                if (it.row) s.number(8, static_cast<double>(*it.row));
                s.text(9, it.key);
                if (it.date) s.timestamp(10, *it.date);
                if (it.stratum) s.text(11, *it.stratum);
                s.next();
            }
        }
        s.finish();
    }
    {
        auto s = sheet("Results");
        s.head({{"Control", 10}, {"Item", 7}, {"Key", 20}, {"Attribute", 9}, {"Question", 40}, {"Outcome", 10}, {"Not applicable because", 25},
                {"Comment", 40}, {"Tick", 6}, {"Recorded by", 18}, {"Recorded at", 17}});
        for (auto& t : listTests(e)) {
            std::map<std::string, std::string> q(t.attributes.begin(), t.attributes.end());
            for (auto& res : loadResults(e, t.control)) {
                s.text(0, t.control);
                s.number(1, static_cast<double>(res.position));
                if (res.position >= 1 && res.position <= static_cast<std::int64_t>(t.items.size())) s.text(2, t.items[res.position - 1].key);
                s.text(3, res.letter);
                s.text(4, q[res.letter]);
                s.text(5, res.outcome);
                s.text(6, res.naReason);
                s.text(7, res.comment);
                s.text(8, res.tickMark);
                s.text(9, res.recordedBy);
                s.timestamp(10, res.recordedAt);
                s.next();
            }
        }
        s.finish();
    }
    if (progress) progress->update(4, 7);
    {
        auto s = sheet("Exceptions");
        s.head({{"Id", 6}, {"Control", 10}, {"Attribute", 9}, {"Deviations", 10}, {"Tested", 8}, {"Description", 45}, {"Cause", 35},
                {"Nature", 12}, {"Management's response", 45}, {"Auditor's conclusion", 45}, {"Criteria met", 11}, {"Criteria", 15}});
        for (auto& x : listExceptions(e)) {
            s.number(0, static_cast<double>(x.id));
            s.text(1, x.control);
            s.text(2, x.letter);
            s.number(3, static_cast<double>(x.deviations));
            s.number(4, static_cast<double>(x.tested));
            s.text(5, x.description);
            s.text(6, x.cause);
            s.text(7, x.nature);
            s.text(8, x.managementResponse);
            s.text(9, x.auditorConclusion);
            s.text(10, x.criteriaMet ? (*x.criteriaMet ? "yes" : "no") : "");
            std::string crit;
            for (auto& c : x.criteria) crit += (crit.empty() ? "" : ", ") + c;
            s.text(11, crit);
            s.next();
        }
        s.finish();
    }
    {
        auto s = sheet("Review notes");
        s.head({{"Id", 6}, {"Workpaper", 14}, {"Subject", 15}, {"Note", 50}, {"Raised by", 18}, {"Raised at", 17}, {"Response", 45},
                {"Responded by", 18}, {"Cleared by", 18}, {"Cleared at", 17}, {"Status", 8}});
        for (auto& n : listNotes(e)) {
            s.number(0, static_cast<double>(n.id));
            s.text(1, n.workpaper);
            s.text(2, n.subject);
            s.text(3, n.text);
            s.text(4, n.raisedBy);
            s.timestamp(5, n.raisedAt);
            s.text(6, n.response.value_or(""));
            s.text(7, n.respondedBy.value_or(""));
            s.text(8, n.clearedBy.value_or(""));
            if (n.clearedAt) s.timestamp(9, *n.clearedAt);
            s.text(10, n.open() ? "open" : "cleared");
            s.next();
        }
        s.finish();
    }
    {
        auto s = sheet("Sign-offs");
        s.head({{"Workpaper", 14}, {"Role", 10}, {"Person", 20}, {"Initials", 8}, {"Signed at", 17}, {"Stale", 7}, {"Changes since", 60}});
        for (auto& so : listSignOffs(e)) {
            s.text(0, so.workpaper);
            s.text(1, so.role);
            s.text(2, so.person);
            s.text(3, so.initials);
            s.timestamp(4, so.signedAt);
            s.text(5, so.stale ? "yes" : "no");
            std::string changes;
            for (auto& t : so.changesSince)
                changes += (changes.empty() ? "" : "\n") + t.at + " " + t.actor + ": " + t.entity + " " + t.field + " " +
                           t.oldValue.value_or("(none)") + " -> " + t.newValue.value_or("(none)");
            s.text(6, changes);
            s.next();
        }
        s.finish();
    }
    lxw_error err = workbook_close(wb);
    if (err != LXW_NO_ERROR) {
        std::error_code ec;
        std::filesystem::remove(tmp, ec);
        throw InputError(out.string() + ": the workbook could not be written (" + lxw_strerror(err) + "); nothing was written there");
    }
    std::error_code ec;
    std::filesystem::rename(tmp, out, ec);
    if (ec) {
        std::filesystem::remove(tmp, ec);
        throw InputError(out.string() + ": cannot be written (" + ec.message() + "); nothing was written there");
    }
    if (progress) progress->update(7, 7);
}

}  // namespace tickmark::report

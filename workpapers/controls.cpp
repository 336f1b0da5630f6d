#include "workpapers/controls.h"

#include <algorithm>
#include <set>
#include <unordered_map>

#include <boost/algorithm/string/join.hpp>

#include "workpapers/errors.h"
#include "workpapers/unit_of_work.h"
#include "workpapers/people.h"
#include "workpapers/samples.h"
#include "workpapers/source_layout.h"
#include "workpapers/trail.h"

namespace tickmark {
namespace {

std::string squash(std::string_view s) {
    std::string r;
    for (char c : s)
        if (std::isalnum(static_cast<unsigned char>(c))) r += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return r;
}

std::string trimmed(std::string_view s) {
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
    while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
    return std::string(s);
}

struct Field {
    const char* name;
    bool required;
    std::vector<const char*> headers;  // squashed header names that mean this field
};

const std::vector<Field>& fields() {
    static const std::vector<Field> f = {
        {"id", true, {"controlid", "controlno", "controlnumber", "controlref", "controlreference", "control", "id", "ref"}},
        {"description", true, {"description", "controldescription", "controlactivity", "activity", "controlactivitydescription"}},
        {"criteria", true, {"criteria", "tsc", "mappedcriteria", "trustservicescriteria", "tsccriteria", "criteriaaddressed", "criterion", "tscmapping"}},
        {"frequency", true, {"frequency", "controlfrequency"}},
        {"nature", true, {"nature", "controlnature", "controltype", "type", "automation", "manualautomated"}},
        {"owner", false, {"owner", "controlowner", "responsibleparty", "responsible"}},
    };
    return f;
}

class ControlReader : public TableHandler {
public:
    ControlReader(Engagement& e, const ControlImportRequest& req) : e_(e), req_(req), file_(req.file.string()) {}

    void header(const std::vector<std::string>& names) override {
        header_ = names;
        for (auto& mapped : req_.columnMap) {
            const std::string& field = mapped.first;  // a plain name: clang 14 cannot capture a structured binding
            if (std::none_of(fields().begin(), fields().end(), [&](const Field& f) { return field == f.name; }))
                throw InputError("--map " + field + "=...: unknown field; use id, description, criteria, frequency, nature or owner");
        }
        for (auto& f : fields()) {
            auto m = req_.columnMap.find(f.name);
            if (m != req_.columnMap.end()) {
                col_[f.name] = findColumnByName(m->second, f.name);
                continue;
            }
            for (const char* h : f.headers) {
                auto it = std::find_if(names.begin(), names.end(), [&](const std::string& n) { return squash(n) == h; });
                if (it != names.end()) {
                    col_[f.name] = static_cast<std::size_t>(it - names.begin());
                    break;
                }
            }
            if (f.required && !col_.count(f.name))
                throw InputError(file_ + ": no column for the control " + std::string(f.name) + "; the header has " +
                                 listing() + ". Name it with --map " + f.name + "=\"<header>\".");
        }
    }

    std::optional<std::size_t> keyColumn() const override { return col_.at("id"); }
    void source(const SourceInfo& info) override { info_ = &info; }

    void record(const std::vector<std::string_view>& cells, std::int64_t line) override {
        auto where = [&](const char* field) {
            return (info_ ? info_->where(line) : file_ + ": line " + std::to_string(line)) + ", " +
                   describeColumn(header_, col_.at(field));
        };
        auto cell = [&](const char* field) { return col_.count(field) ? trimmed(cells[col_.at(field)]) : std::string(); };
        Control c{};
        c.ref = cell("id");
        if (c.ref.empty()) {
            bool allBlank = std::all_of(cells.begin(), cells.end(), [](std::string_view v) { return trimmed(v).empty(); });
            if (allBlank) return;  // a spacer row
            throw InputError(where("id") + ": the control id is empty");
        }
        std::string upper;
        for (char ch : c.ref) upper += static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        if (auto [it, ok] = seen_.emplace(upper, line); !ok)
            throw InputError(where("id") + ": control " + c.ref + " appears again (first at " +
                             (info_ ? info_->rowName(it->second) : "line " + std::to_string(it->second)) +
                             "); each control id must be unique");
        c.description = cell("description");
        if (c.description.empty()) throw InputError(where("description") + ": control " + c.ref + " has no description");
        auto freq = normalizeFrequency(cell("frequency"));
        if (!freq)
            throw InputError(where("frequency") + ": \"" + cell("frequency") + "\" is not a frequency; use annual, "
                             "quarterly, monthly, weekly, daily, multiple times a day, or as needed");
        c.frequency = *freq;
        auto nature = normalizeNature(cell("nature"));
        if (!nature)
            throw InputError(where("nature") + ": \"" + cell("nature") +
                             "\" is not a control nature; use manual, automated, or IT-dependent manual");
        c.nature = *nature;
        c.owner = cell("owner");
        c.criteria = splitCriteria(cell("criteria"));
        if (c.criteria.empty()) throw InputError(where("criteria") + ": control " + c.ref + " maps to no criterion");
        // The whole cell, when it is more than the id that fails: "CC 6.2, CC 99" names "CC99".
        const std::string text = cell("criteria");
        e_.requireCriteria(c.criteria, where("criteria") + (c.criteria.size() == 1 && c.criteria[0] == text
                                                                ? std::string()
                                                                : " reads \"" + text + "\""));
        lines_.push_back(line);
        controls_.push_back(std::move(c));
    }

    std::vector<Control>& controls() { return controls_; }
    const std::vector<std::int64_t>& lines() const { return lines_; }

private:
    std::size_t findColumnByName(const std::string& name, const char* field) {
        for (std::size_t i = 0; i < header_.size(); ++i)
            if (squash(header_[i]) == squash(name)) return i;
        throw InputError(file_ + ": --map " + field + "=\"" + name + "\": no such column; the header has " + listing() + ".");
    }
    std::string listing() const {
        std::string s;
        for (auto& h : header_) s += (s.empty() ? "\"" : ", \"") + h + "\"";
        return s;
    }

    Engagement& e_;
    const ControlImportRequest& req_;
    std::string file_;
    const SourceInfo* info_ = nullptr;
    std::vector<std::string> header_;
    std::map<std::string, std::size_t> col_;
    std::unordered_map<std::string, std::int64_t> seen_;
    std::vector<Control> controls_;
    std::vector<std::int64_t> lines_;
};

}  // namespace

std::optional<std::string> normalizeFrequency(std::string_view text) {
    static const std::unordered_map<std::string, std::string> m = {
        {"annual", "annual"}, {"annually", "annual"}, {"yearly", "annual"},
        {"quarterly", "quarterly"},
        {"monthly", "monthly"},
        {"weekly", "weekly"},
        {"daily", "daily"},
        {"multipletimesaday", "multiple-daily"}, {"multipletimesperday", "multiple-daily"},
        {"multipledaily", "multiple-daily"}, {"severaltimesaday", "multiple-daily"}, {"continuous", "multiple-daily"},
        {"asneeded", "as-needed"}, {"eventdriven", "as-needed"}, {"adhoc", "as-needed"}, {"perevent", "as-needed"},
        {"peroccurrence", "as-needed"}, {"ondemand", "as-needed"}, {"asrequired", "as-needed"},
        {"asneededeventdriven", "as-needed"},
    };
    auto it = m.find(squash(text));
    if (it == m.end()) return std::nullopt;
    return it->second;
}

std::optional<std::string> normalizeNature(std::string_view text) {
    static const std::unordered_map<std::string, std::string> m = {
        {"manual", "manual"},
        {"automated", "automated"}, {"automatic", "automated"}, {"auto", "automated"},
        {"itdependentmanual", "it-dependent-manual"}, {"itdm", "it-dependent-manual"},
        {"manualitdependent", "it-dependent-manual"}, {"itdependent", "it-dependent-manual"},
    };
    auto it = m.find(squash(text));
    if (it == m.end()) return std::nullopt;
    return it->second;
}

ControlImportResult importControls(Engagement& e, const Actor& a, const ControlImportRequest& req, Progress* progress) {
    UnitOfWork tx(e, a);  // first: the checks below read what the write will change
    requireWritable(e, WriteKind::Change, "importing the control matrix", req.reason);
    auto& db = e.db();
    ControlReader reader(e, req);
    ControlImportResult result;
    result.source = readTable(req.file, ReadOptions{req.sheet, std::nullopt, progress, req.headerRow, req.encoding}, reader);

    auto sf = db.prepare(
        "INSERT INTO source_file(purpose, file_name, size, sha256, format, encoding, delimiter, sheet, imported_at) "
        "VALUES ('control-matrix',?,?,?,?,?,?,?,?)");
    const auto& s = result.source;
    sf.bind(1, s.fileName).bind(2, static_cast<std::int64_t>(s.size)).bind(3, s.sha256).bind(4, s.format).bind(5, s.encoding);
    sf.bindOrNull(6, s.delimiter);
    sf.bindOrNull(7, s.sheet).bind(8, utcNow());
    sf.exec();
    const std::int64_t sourceId = db.lastInsertRowid();
    saveLayout(db, sourceId, s.layout);

    std::set<std::string> outOfScope;
    auto inScope = db.prepare(
        "SELECT cat.in_scope, cat.name FROM criterion c JOIN category cat ON cat.code = c.category_code WHERE c.id = ?");
    auto find = db.prepare("SELECT id, description, frequency, nature, owner FROM control WHERE ref = ?");
    auto mapped = db.prepare("SELECT criterion_id FROM control_criterion JOIN criterion ON id = criterion_id WHERE control_id = ? ORDER BY ordinal");
    auto insert = db.prepare(
        "INSERT INTO control(ref, description, frequency, nature, owner, source_file_id, source_line) VALUES (?,?,?,?,?,?,?)");
    auto update = db.prepare(
        "UPDATE control SET ref=?, description=?, frequency=?, nature=?, owner=?, source_file_id=?, source_line=? WHERE id=?");
    auto unlink = db.prepare("DELETE FROM control_criterion WHERE control_id = ?");
    auto link = db.prepare("INSERT INTO control_criterion(control_id, criterion_id) VALUES (?,?)");

    for (std::size_t i = 0; i < reader.controls().size(); ++i) {
        const Control& c = reader.controls()[i];
        find.bind(1, c.ref);
        std::optional<std::int64_t> existing;
        std::vector<std::pair<std::string, std::string>> before;  // field, old value
        if (find.step()) {
            existing = find.getInt(0);
            before = {{"description", find.getText(1)}, {"frequency", find.getText(2)}, {"nature", find.getText(3)}, {"owner", find.getText(4)}};
            std::vector<std::string> crit;
            mapped.bind(1, *existing);
            while (mapped.step()) crit.push_back(mapped.getText(0));
            mapped.reset();
            std::sort(crit.begin(), crit.end());
            before.emplace_back("criteria", boost::algorithm::join(crit, ","));
        }
        find.reset();
        auto& st = existing ? update : insert;
        st.bind(1, c.ref).bind(2, c.description).bind(3, c.frequency).bind(4, c.nature).bind(5, c.owner);
        st.bind(6, sourceId).bind(7, reader.lines()[i]);
        if (existing) st.bind(8, *existing);
        st.exec();
        std::int64_t id = existing ? *existing : db.lastInsertRowid();
        if (existing) {
            unlink.bind(1, id);
            unlink.exec();
            ++result.updated;
        } else {
            ++result.added;
        }
        if (existing) {
            auto crit = c.criteria;
            std::sort(crit.begin(), crit.end());
            const std::vector<std::string> now = {c.description, c.frequency, c.nature, c.owner, boost::algorithm::join(crit, ",")};
            for (std::size_t f = 0; f < before.size(); ++f) {
                if (before[f].second == now[f]) continue;
                result.changes.push_back({c.ref, before[f].first, before[f].second, now[f]});
                AuditTrail(db).append({0, "", a.name, "change", "test:" + c.ref, "control " + c.ref, before[f].first,
                                       before[f].second, now[f], req.reason, "", ""});
            }
        }
        for (auto& crit : c.criteria) {
            link.bind(1, id).bind(2, crit);
            link.exec();
            inScope.bind(1, crit);
            if (inScope.step() && inScope.getInt(0) == 0)
                outOfScope.insert(c.ref + " maps to " + crit + " (" + inScope.getText(1) + ", not in scope)");
            inScope.reset();
        }
    }
    result.warnings.assign(outOfScope.begin(), outOfScope.end());
    AuditTrail(db).append({0, "", a.name, "add", "engagement", "control matrix",
                           "imported", std::nullopt,
                           s.fileName + ": " + std::to_string(result.added) + " added, " + std::to_string(result.updated) +
                               " updated (SHA-256 " + s.sha256 + ")",
                           req.reason, "", ""});
    tx.commit();
    return result;
}

std::vector<Control> listControls(Engagement& e) {
    std::vector<Control> out;
    auto st = e.db().prepare("SELECT id, ref, description, frequency, nature, owner FROM control ORDER BY ref");
    auto crit = e.db().prepare(
        "SELECT criterion_id FROM control_criterion JOIN criterion ON id = criterion_id WHERE control_id = ? ORDER BY ordinal");
    while (st.step()) {
        Control c{st.getInt(0), st.getText(1), st.getText(2), st.getText(3), st.getText(4), st.getText(5), {}};
        crit.bind(1, c.id);
        while (crit.step()) c.criteria.push_back(crit.getText(0));
        crit.reset();
        out.push_back(std::move(c));
    }
    return out;
}

std::int64_t requireControl(Engagement& e, const std::string& ref) {
    auto st = e.db().prepare("SELECT id FROM control WHERE ref = ?");
    st.bind(1, ref);
    if (!st.step())
        throw InputError("no control \"" + ref + "\" in " + e.file().string() +
                         "; import the control matrix first (`tickmark controls import`) or check the id");
    return st.getInt(0);
}

}  // namespace tickmark

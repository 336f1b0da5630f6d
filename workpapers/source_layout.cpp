#include "workpapers/source_layout.h"

#include <nlohmann/json.hpp>

namespace tickmark {

using json = nlohmann::json;

namespace {
json rowsJson(const std::vector<LayoutRow>& rows) {
    json a = json::array();
    for (auto& r : rows) {
        json o{{"row", r.row}, {"kind", r.kind}, {"text", r.text}};
        if (r.count != 1) o["count"] = r.count;
        a.push_back(std::move(o));
    }
    return a;
}
std::vector<LayoutRow> rowsFrom(const json& a) {
    std::vector<LayoutRow> out;
    for (auto& o : a) out.push_back({o.at("row").get<std::int64_t>(), o.value("count", std::int64_t{1}),
                                     o.at("kind").get<std::string>(), o.at("text").get<std::string>()});
    return out;
}
}  // namespace

std::string layoutJson(const TableLayout& l) {
    return json{{"header_row", l.headerRow},
                {"header_basis", l.headerBasis},
                {"above_header", rowsJson(l.aboveHeader)},
                {"skipped_rows", rowsJson(l.skipped)},
                {"blank_rows", l.blankRows},
                {"banners", l.banners},
                {"footnotes", l.footnotes},
                {"totals", l.totals},
                {"not_listed", l.notListed},
                {"sheets_passed_over", l.sheetsPassedOver}}
        .dump();
}

TableLayout layoutFromJson(const std::string& text) {
    TableLayout l;
    auto j = json::parse(text);
    l.headerRow = j.value("header_row", std::int64_t{0});
    l.headerBasis = j.value("header_basis", std::string());
    if (j.contains("above_header")) l.aboveHeader = rowsFrom(j["above_header"]);
    if (j.contains("skipped_rows")) l.skipped = rowsFrom(j["skipped_rows"]);
    l.blankRows = j.value("blank_rows", std::int64_t{0});
    l.banners = j.value("banners", std::int64_t{0});
    l.footnotes = j.value("footnotes", std::int64_t{0});
    l.totals = j.value("totals", std::int64_t{0});
    l.notListed = j.value("not_listed", std::int64_t{0});
    if (j.contains("sheets_passed_over")) l.sheetsPassedOver = j["sheets_passed_over"].get<std::vector<std::string>>();
    return l;
}

void saveLayout(db::Database& db, std::int64_t sourceFileId, const TableLayout& layout) {
    auto st = db.prepare("INSERT INTO source_layout(source_file_id, layout) VALUES (?, ?) "
                         "ON CONFLICT (source_file_id) DO UPDATE SET layout = excluded.layout");
    st.bind(1, sourceFileId).bind(2, layoutJson(layout));
    st.exec();
}

TableLayout loadLayout(db::Database& db, std::int64_t sourceFileId) {
    auto st = db.prepare("SELECT layout FROM source_layout WHERE source_file_id = ?");
    st.bind(1, sourceFileId);
    if (!st.step()) return {};
    return layoutFromJson(st.getText(0));
}

}  // namespace tickmark

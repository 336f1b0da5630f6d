#include "app/presenters/import_wizard.h"

#include <algorithm>

#include <boost/algorithm/string/case_conv.hpp>

#include "app/presenters/completeness_profile.h"
#include "workpapers/errors.h"

namespace tickmark::desk {

namespace {
bool hasWord(const std::string& header, std::initializer_list<const char*> words) {
    std::string h = " " + boost::algorithm::to_lower_copy(header) + " ";
    for (auto& c : h)
        if (!std::isalnum(static_cast<unsigned char>(c))) c = ' ';
    for (auto* w : words)
        if (h.find(std::string(" ") + w + " ") != std::string::npos) return true;
    return false;
}
}  // namespace

void PopulationImportWizard::chooseFile(const std::filesystem::path& file) {
    file_ = file;
    sheets_ = tableSheets(file);
    sheet_ = sheets_.empty() ? "" : sheets_.front();
    chooseSheet(sheet_);
}

void PopulationImportWizard::chooseSheet(const std::string& sheet) {
    sheet_ = sheet;
    ReadOptions o;
    if (!sheet.empty()) o.sheet = sheet;
    o.headerRow = headerRow_;
    o.encoding = encoding_;
    preview_ = previewTable(file_, o, 20);
}

void PopulationImportWizard::chooseReading(std::optional<std::int64_t> headerRow, std::optional<std::string> encoding) {
    if (headerRow && *headerRow < 1) throw InputError("header row: give the row's number, 1 or more, as the client's program shows it");
    headerRow_ = headerRow;
    encoding_ = encoding;
    if (!file_.empty()) chooseSheet(sheet_);
}

std::vector<std::string> PopulationImportWizard::layout() const { return layoutLines(preview_.source); }

std::string PopulationImportWizard::guessKey() const {
    for (auto& h : preview_.header)
        if (hasWord(h, {"id", "key", "ticket", "number", "no", "ref", "reference"})) return h;
    return preview_.header.empty() ? "" : preview_.header.front();
}

std::string PopulationImportWizard::guessDate() const {
    for (auto& h : preview_.header)
        if (hasWord(h, {"date", "at", "on", "started", "completed", "deployed", "opened", "created", "when"})) return h;
    return "";
}

PopulationImportRequest PopulationImportWizard::request(const std::string& control, const std::string& name,
                                                        const std::string& key, const std::string& date,
                                                        const std::string& amount, const std::string& dateFormat) const {
    if (file_.empty()) throw InputError("choose the population file first");
    PopulationImportRequest r;
    r.file = file_;
    r.control = control;
    r.name = name;
    r.keyColumn = key;
    r.dateColumn = date;
    if (!amount.empty()) r.amountColumn = amount;
    if (!sheet_.empty()) r.sheet = sheet_;
    if (!dateFormat.empty()) r.dateFormat = requireDatePattern(dateFormat, "Date format");
    r.headerRow = headerRow_;
    r.encoding = encoding_;
    return r;
}

}  // namespace tickmark::desk

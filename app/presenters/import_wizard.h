#pragma once
// The population import wizard's logic: the file's sheets, a preview of its first rows, guesses for
// the key and date columns, and the request the dialog runs (first as a dry run for the profile).
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include "workpapers/population.h"

namespace tickmark::desk {

class PopulationImportWizard {
public:
    void chooseFile(const std::filesystem::path& file);  // reads the sheets and previews the first
    void chooseSheet(const std::string& sheet);
    // How to read the file when the detection is wrong: the header's row (1-based) and, for text files,
    // the encoding (an iconv name). Empty: detected. Previews again.
    void chooseReading(std::optional<std::int64_t> headerRow, std::optional<std::string> encoding);
    // Where the preview found the header and what it passed over, in the CLI's words.
    std::vector<std::string> layout() const;
    const std::filesystem::path& file() const { return file_; }
    const std::vector<std::string>& sheets() const { return sheets_; }
    const TablePreview& preview() const { return preview_; }

    // The first column whose name says it identifies an item; the first that says it holds a date.
    std::string guessKey() const;
    std::string guessDate() const;

    PopulationImportRequest request(const std::string& control, const std::string& name, const std::string& key,
                                    const std::string& date, const std::string& amount, const std::string& dateFormat) const;

private:
    std::filesystem::path file_;
    std::vector<std::string> sheets_;
    std::string sheet_;
    std::optional<std::int64_t> headerRow_;
    std::optional<std::string> encoding_;
    TablePreview preview_;
};

}  // namespace tickmark::desk

#pragma once
// What the report's assembly shares: dates and lists as the report words them, the firm's templates
// rendered with the engagement's data, and rendered text turned into blocks. Internal to report/.
#include <kainjow/mustache.hpp>

#include <filesystem>
#include <string>
#include <vector>

#include "report/report.h"

namespace tickmark::report::wording {

namespace mstch = kainjow::mustache;

std::string longDate(const std::string& iso);             // "2026-03-31" -> "March 31, 2026"
std::string joinNames(const std::vector<std::string>& names);  // "a, b, and c"
std::string titleCase(const std::string& s);              // "security and availability" -> "Security and Availability"
std::string withThousands(std::int64_t n);                 // 2401 -> "2,401"
// Ends with exactly one full stop (a sentence the client wrote may already end with one).
std::string sentence(std::string s);

// Turns rendered template text into blocks: "## " headings, "- " bullets, blank-line paragraphs.
void appendBlocks(std::vector<Element>& out, const std::string& raw);

mstch::data flag(bool b);

// The firm's templates folder, with the data every template of one report sees.
class Templates {
public:
    explicit Templates(std::filesystem::path dir) : dir_(std::move(dir)) {}
    mstch::data& data() { return data_; }
    void set(const std::string& key, const std::string& value) { data_.set(key, value); }
    void set(const std::string& key, bool value) { data_.set(key, flag(value)); }
    // Renders templates/report/<name>.mustache; InputError naming the file and line when it does not parse.
    std::string render(const std::string& name);
    std::filesystem::path firmFile(const std::string& name) const { return dir_ / "firm" / name; }

private:
    std::filesystem::path dir_;
    mstch::data data_;
};

}  // namespace tickmark::report::wording

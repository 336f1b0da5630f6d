#pragma once
// A report's provenance in its file: PDF document-information entries, DOCX custom properties
// (docProps/custom.xml), and both read back for `tickmark audit verify --report`.
#include <filesystem>
#include <string>
#include <utility>
#include <vector>

namespace tickmark::report {

using Properties = std::vector<std::pair<std::string, std::string>>;

// "Tickmark Trail Head" -> "TickmarkTrailHead": a PDF name without spaces or punctuation.
std::string pdfPropertyKey(const std::string& name);
// docProps/custom.xml with each property as text.
std::string docxCustomProperties(const Properties& props);
// The Tickmark properties of a PDF or DOCX report (by its first bytes); InputError naming the file when
// it is neither or cannot be read.
Properties readReportProperties(const std::filesystem::path& file, const Properties& expectedKeys);

}  // namespace tickmark::report

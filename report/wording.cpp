#include "report/wording.h"

#include <algorithm>
#include <fstream>
#include <regex>
#include <sstream>

#include "workpapers/dates.h"
#include "workpapers/errors.h"

namespace tickmark::report {

std::string renderTemplate(const std::filesystem::path& file, const std::string& source, const void* dataPtr) {
    namespace mstch = kainjow::mustache;
    const auto& data = *static_cast<const mstch::data*>(dataPtr);
    mstch::mustache tmpl{source};
    if (!tmpl.is_valid()) {
        std::string msg = tmpl.error_message();
        std::smatch m;
        std::string where;
        if (std::regex_search(msg, m, std::regex(" at (\\d+)"))) {
            auto offset = static_cast<std::size_t>(std::stoul(m[1]));
            where = ", line " + std::to_string(1 + std::count(source.begin(), source.begin() + static_cast<std::ptrdiff_t>(std::min(offset, source.size())), '\n'));
        }
        throw InputError(file.string() + where + ": the template does not parse (" + msg + "); fix it and run again");
    }
    tmpl.set_custom_escape([](const std::string& s) { return s; });  // plain text, not HTML
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) throw InputError(file.string() + ": the template could not be rendered (" + tmpl.error_message() + ")");
    return out;
}

namespace wording {

std::string longDate(const std::string& iso) {
    static const char* months[] = {"January", "February", "March", "April", "May", "June", "July",
                                   "August", "September", "October", "November", "December"};
    auto d = parseIsoDate(iso);
    if (!d) return iso;
    return std::string(months[static_cast<unsigned>(d->month()) - 1]) + " " + std::to_string(static_cast<unsigned>(d->day())) +
           ", " + std::to_string(static_cast<int>(d->year()));
}

std::string joinNames(const std::vector<std::string>& names) {
    if (names.empty()) return "";
    if (names.size() == 1) return names[0];
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i)
        s += (i == 0 ? "" : i + 1 == names.size() ? (names.size() > 2 ? ", and " : " and ") : ", ") + names[i];
    return s;
}

std::string titleCase(const std::string& s) {
    static const std::vector<std::string> small = {"and", "or", "of", "the", "a", "an", "to", "in", "for", "on"};
    std::string out, word;
    auto flush = [&] {
        if (word.empty()) return;
        bool keep = !out.empty() && std::find(small.begin(), small.end(), word) != small.end();
        if (!keep && std::islower(static_cast<unsigned char>(word[0]))) word[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(word[0])));
        out += word;
        word.clear();
    };
    for (char c : s) {
        if (c == ' ' || c == ',') {
            flush();
            out += c;
        } else {
            word += c;
        }
    }
    flush();
    return out;
}

std::string withThousands(std::int64_t n) {
    std::string digits = std::to_string(n < 0 ? -n : n), out;
    for (std::size_t i = 0; i < digits.size(); ++i) {
        if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
        out += digits[i];
    }
    return (n < 0 ? "-" : "") + out;
}

std::string sentence(std::string s) {
    while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
    if (s.empty()) return s;
    char last = s.back();
    if (last == '.' || last == '!' || last == '?') return s;
    return s + ".";
}

namespace {
// A name ending in a period ("Inc.") before the template's own period reads "Inc.."; keep one.
std::string tidy(const std::string& s) { return std::regex_replace(s, std::regex("([A-Za-z])\\.\\.(?!\\.)"), "$1."); }
}  // namespace

void appendBlocks(std::vector<Element>& out, const std::string& raw) {
    const std::string text = tidy(raw);
    std::istringstream in(text);
    std::string line, para;
    auto flush = [&] {
        if (!para.empty()) out.push_back(Block{Block::Kind::Paragraph, para});
        para.clear();
    };
    while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
        if (line.empty()) {
            flush();
        } else if (line.rfind("## ", 0) == 0) {
            flush();
            out.push_back(Block{Block::Kind::Heading, line.substr(3)});
        } else if (line.rfind("- ", 0) == 0) {
            flush();
            out.push_back(Block{Block::Kind::Bullet, line.substr(2)});
        } else {
            para += (para.empty() ? "" : "\n") + line;
        }
    }
    flush();
}

mstch::data flag(bool b) { return b ? mstch::data::type::bool_true : mstch::data::type::bool_false; }

std::string Templates::render(const std::string& name) {
    auto path = dir_ / "report" / (name + ".mustache");
    std::ifstream in(path, std::ios::binary);
    if (!in) throw InputError(path.string() + ": the report template is missing (set TICKMARK_DATA_DIR to the folder holding templates/)");
    std::stringstream s;
    s << in.rdbuf();
    std::string out = renderTemplate(path, s.str(), &data_);
    // A template's own last newline would end an inline value ("{{{design_condition}}}") early.
    while (!out.empty() && (out.back() == '\n' || out.back() == '\r' || out.back() == ' ')) out.pop_back();
    std::size_t lead = 0;  // nor may the line a leading {{! comment }} leaves
    while (lead < out.size() && (out[lead] == '\n' || out[lead] == '\r')) ++lead;
    return out.substr(lead);
}

}  // namespace wording
}  // namespace tickmark::report

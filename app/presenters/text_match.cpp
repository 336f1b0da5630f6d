#include "app/presenters/text_match.h"

#include <cctype>

namespace tickmark::desk {

std::string foldCase(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return out;
}

}  // namespace tickmark::desk

#pragma once
// "Contains, case aside" for the find box and the value filter: ASCII case folding, so a key, a
// ticket or a name matches however it was typed; other bytes (accented letters) compare as they are.
#include <string>
#include <string_view>

namespace tickmark::desk {

std::string foldCase(std::string_view s);
// `needle` already folded (foldCase), so a long scan folds it once.
inline bool containsFolded(std::string_view hay, const std::string& needle) {
    return foldCase(hay).find(needle) != std::string::npos;
}

}  // namespace tickmark::desk

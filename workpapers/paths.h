#pragma once
#include <filesystem>

namespace tickmark {

// The folder holding templates/ (and demo/): $TICKMARK_DATA_DIR, else the source tree it was built from.
std::filesystem::path dataDir();
inline std::filesystem::path templatesDir() { return dataDir() / "templates"; }

}  // namespace tickmark

#include "workpapers/paths.h"

#include <cstdlib>

namespace tickmark {

std::filesystem::path dataDir() {
    if (const char* env = std::getenv("TICKMARK_DATA_DIR"); env && *env) return env;
    return TICKMARK_DATA_DIR;
}

}  // namespace tickmark

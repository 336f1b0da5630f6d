#pragma once
// Long work (imports, exports) reports progress here and polls for cancellation, so the CLI can
// print a progress line and the GUI can show a bar with a Cancel button over the same code.
#include <cstdint>

namespace tickmark {

class Progress {
public:
    virtual ~Progress() = default;
    // done and total in the unit the work knows best (bytes of input for imports); total 0 = unknown.
    virtual void update(std::uint64_t done, std::uint64_t total) = 0;
    virtual bool cancelled() const { return false; }
};

}  // namespace tickmark

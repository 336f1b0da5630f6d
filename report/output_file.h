#pragma once
// A report file is written beside its destination under a temporary name and renamed into place
// when complete: a failure (or a cancel) never leaves half a file where the user looks.
#include <filesystem>

namespace tickmark::report {

class OutputFile {
public:
    // InputError naming `out` when its folder does not exist.
    explicit OutputFile(std::filesystem::path out);
    ~OutputFile();  // removes the temporary file unless committed
    OutputFile(const OutputFile&) = delete;
    OutputFile& operator=(const OutputFile&) = delete;

    const std::filesystem::path& temp() const { return temp_; }
    const std::filesystem::path& destination() const { return out_; }
    // Renames the temporary file into place; InputError when it cannot be.
    void commit();

private:
    std::filesystem::path out_, temp_;
    bool committed_ = false;
};

}  // namespace tickmark::report

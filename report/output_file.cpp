#include "report/output_file.h"

#include <unistd.h>

#include "workpapers/errors.h"

namespace tickmark::report {

OutputFile::OutputFile(std::filesystem::path out) : out_(std::move(out)) {
    auto dir = out_.parent_path().empty() ? std::filesystem::path(".") : out_.parent_path();
    if (!std::filesystem::is_directory(dir))
        throw InputError(out_.string() + ": the folder " + dir.string() + " does not exist; nothing was written");
    temp_ = dir / ("." + out_.filename().string() + ".partial-" + std::to_string(::getpid()));
}

OutputFile::~OutputFile() {
    if (committed_) return;
    std::error_code ec;
    std::filesystem::remove(temp_, ec);
}

void OutputFile::commit() {
    std::error_code ec;
    std::filesystem::rename(temp_, out_, ec);
    if (ec) throw InputError(out_.string() + ": cannot be written (" + ec.message() + "); nothing was written there");
    committed_ = true;
}

}  // namespace tickmark::report

#pragma once
// An open file, closed when it goes out of scope; opening names the file and what to check.
#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

#include "workpapers/errors.h"

namespace tickmark {

class FileDescriptor {
public:
    explicit FileDescriptor(const std::filesystem::path& p) : fd_(::open(p.c_str(), O_RDONLY | O_CLOEXEC)) {
        if (fd_ < 0)
            throw InputError(p.string() + ": cannot be opened: " + std::strerror(errno) +
                             " (check the path; a file that was moved or deleted after choosing it cannot be read)");
    }
    ~FileDescriptor() {
        if (fd_ >= 0) ::close(fd_);
    }
    FileDescriptor(const FileDescriptor&) = delete;
    FileDescriptor& operator=(const FileDescriptor&) = delete;
    int get() const { return fd_; }

private:
    int fd_;
};

}  // namespace tickmark

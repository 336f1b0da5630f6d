#include "workpapers/writeback.h"

#include <fcntl.h>
#include <unistd.h>

#include <chrono>
#include <string>

#include "workpapers/db.h"

namespace tickmark::db {

// Descriptors of our own, read-only: the connection's locks are open-file-description locks
// (workpapers/ofd_locks.h), which closing another descriptor of the file does not drop.
WritebackAhead::WritebackAhead(const Database& db) {
#ifdef __linux__
    const std::string& path = db.path();
    if (path.empty() || path[0] == ':' || path.rfind("file:", 0) == 0) return;  // in memory: nothing to write
    database_ = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    log_ = ::open((path + "-wal").c_str(), O_RDONLY | O_CLOEXEC);
    if (database_ < 0 && log_ < 0) return;  // an optimisation only: without it the commit just waits longer
    thread_ = std::thread([this] { run(); });
#else
    (void)db;
#endif
}

WritebackAhead::~WritebackAhead() {
    {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (database_ >= 0) ::close(database_);
    if (log_ >= 0) ::close(log_);
}

void WritebackAhead::run() {
#ifdef __linux__
    std::unique_lock<std::mutex> lock(m_);
    while (!cv_.wait_for(lock, std::chrono::milliseconds(20), [this] { return stop_; })) {
        // Whole files: pages already under writeback or clean are passed over by the kernel.
        for (int fd : {log_, database_})
            if (fd >= 0) ::sync_file_range(fd, 0, 0, SYNC_FILE_RANGE_WRITE);
    }
#endif
}

}  // namespace tickmark::db

#pragma once
// Writes a large transaction's pages to disk as they are made, not all at its commit. SQLite commits
// durably (synchronous=FULL): COMMIT waits until the write-ahead log is on disk, and the checkpoint
// that follows until the database file is. With a gigabyte of page cache free, the kernel starts
// writing a million-row import only at those fsyncs, so the commit waited ~0.35 s for ~400 MB of
// writes that could have gone out while the rows were parsed. While a WritebackAhead lives, a thread
// asks the kernel every few milliseconds to start writing (sync_file_range, SYNC_FILE_RANGE_WRITE:
// it does not wait, and durability still rests on SQLite's fsync) what has been written to the log
// and the file so far, as PostgreSQL's wal_writer_flush_after and checkpoint_flush_after do.
#include <condition_variable>
#include <mutex>
#include <thread>

namespace tickmark::db {

class Database;

class WritebackAhead {
public:
    explicit WritebackAhead(const Database& db);
    ~WritebackAhead();
    WritebackAhead(const WritebackAhead&) = delete;
    WritebackAhead& operator=(const WritebackAhead&) = delete;

private:
    void run();
    int database_ = -1, log_ = -1;
    std::mutex m_;
    std::condition_variable cv_;
    bool stop_ = false;
    std::thread thread_;
};

}  // namespace tickmark::db

#pragma once
// Stores a population's finished blocks and findings on a thread of its own while the reader parses
// the next rows, so that the store's work (SQLite's b-tree pages and write-ahead log; the server's
// COPY stream) overlaps with reading instead of following it. Both go as bulk writes (db::BulkInsert):
// on a server one COPY stream a kind, switched when the kind changes, so a million rows make no
// million round trips. Order is kept: blocks and findings are stored, and the blocks hashed into
// the records digest, exactly as they were handed over; blocks are compressed there too (block_codec.h). At most a few blocks wait at any time, so
// memory stays bounded whatever the file's size.
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <exception>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <variant>

#include "workpapers/db.h"
#include "workpapers/sha256.h"

namespace tickmark {

class PopulationSink {
public:
    // The connection belongs to the sink's thread until close() returns or the sink is destroyed:
    // the caller makes no other use of it in between.
    PopulationSink(db::Database& db, std::int64_t populationId, Sha256& recordsDigest);
    // Without close(): stops at once; what was queued is not stored (the caller's transaction rolls back).
    ~PopulationSink();
    PopulationSink(const PopulationSink&) = delete;
    PopulationSink& operator=(const PopulationSink&) = delete;

    // Waits while the queue is full. Throws the storing thread's error, if it had one.
    void block(std::int64_t firstRow, std::int64_t rowCount, std::string data);
    void finding(const char* kind, std::int64_t row, std::int64_t line, std::string_view key, std::string_view value);
    // Stores what is queued and ends the thread; throws its error, if it had one.
    void close();

    // A spent block's buffer, handed back for the next one (no allocation per block).
    std::string recycled();

private:
    struct Block {
        std::int64_t firstRow, rowCount;
        std::string data;
    };
    struct Finding {
        const char* kind;
        std::int64_t row, line;
        std::string key, value;
    };
    using Job = std::variant<Block, Finding>;
    static constexpr std::size_t kMaxQueuedBytes = std::size_t{4} << 20, kMaxQueuedJobs = 4096;

    void put(Job job, std::size_t bytes);
    void run();
    void store(Job& job);
    db::BulkInsert& streamOf(bool blocks);

    db::Database& db_;
    std::int64_t populationId_;
    Sha256& digest_;
    // The open stream and the table it writes: blocks or findings (one COPY at a time on a connection).
    std::optional<db::BulkInsert> stream_;
    bool streamingBlocks_ = false;
    std::mutex m_;
    std::condition_variable cv_;
    std::deque<std::pair<Job, std::size_t>> queue_;
    std::deque<std::string> spare_;
    std::size_t queuedBytes_ = 0;
    bool closing_ = false, stop_ = false;
    std::exception_ptr error_;
    std::string packed_;  // the storing thread's: a block as compressed
    std::thread thread_;
};

}  // namespace tickmark

#include "workpapers/population_sink.h"

#include "workpapers/block_codec.h"
#include "workpapers/proof/digest.h"

namespace tickmark {

PopulationSink::PopulationSink(db::Database& db, std::int64_t populationId, Sha256& recordsDigest)
    : db_(db),
      populationId_(populationId),
      digest_(recordsDigest),
      thread_([this] { run(); }) {}

PopulationSink::~PopulationSink() {
    {
        std::lock_guard<std::mutex> lock(m_);
        stop_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
}

void PopulationSink::put(Job job, std::size_t bytes) {
    std::unique_lock<std::mutex> lock(m_);
    cv_.wait(lock, [&] {
        return error_ || queue_.empty() || (queuedBytes_ + bytes <= kMaxQueuedBytes && queue_.size() < kMaxQueuedJobs);
    });
    if (error_) std::rethrow_exception(error_);
    queuedBytes_ += bytes;
    queue_.emplace_back(std::move(job), bytes);
    cv_.notify_all();
}

void PopulationSink::block(std::int64_t firstRow, std::int64_t rowCount, std::string data) {
    const std::size_t bytes = data.size();
    put(Block{firstRow, rowCount, std::move(data)}, bytes);
}

void PopulationSink::finding(const char* kind, std::int64_t row, std::int64_t line, std::string_view key,
                             std::string_view value) {
    put(Finding{kind, row, line, std::string(key), std::string(value)}, key.size() + value.size() + 64);
}

std::string PopulationSink::recycled() {
    std::lock_guard<std::mutex> lock(m_);
    if (spare_.empty()) return {};
    std::string s = std::move(spare_.front());
    spare_.pop_front();
    s.clear();
    return s;
}

void PopulationSink::close() {
    {
        std::lock_guard<std::mutex> lock(m_);
        closing_ = true;
    }
    cv_.notify_all();
    if (thread_.joinable()) thread_.join();
    if (error_) std::rethrow_exception(error_);
}

void PopulationSink::run() {
    for (;;) {
        std::pair<Job, std::size_t> next;
        {
            std::unique_lock<std::mutex> lock(m_);
            cv_.wait(lock, [&] { return stop_ || closing_ || !queue_.empty(); });
            if (stop_) return;
            if (queue_.empty() && closing_) {
                lock.unlock();
                try {
                    if (stream_) stream_->finish();  // the server's verdict on the stream comes here
                    stream_.reset();
                } catch (...) {
                    lock.lock();
                    error_ = std::current_exception();
                }
                return;
            }
            next = std::move(queue_.front());
            queue_.pop_front();
        }
        try {
            store(next.first);
        } catch (...) {
            std::lock_guard<std::mutex> lock(m_);
            error_ = std::current_exception();
            queue_.clear();
            cv_.notify_all();
            return;
        }
        std::lock_guard<std::mutex> lock(m_);
        queuedBytes_ -= next.second;
        if (auto* b = std::get_if<Block>(&next.first); b && spare_.size() < 4) spare_.push_back(std::move(b->data));
        cv_.notify_all();
    }
}

db::BulkInsert& PopulationSink::streamOf(bool blocks) {
    if (stream_ && streamingBlocks_ == blocks) return *stream_;
    if (stream_) stream_->finish();
    stream_.reset();
    if (blocks) stream_.emplace(db_.bulkInsert("population_block", {"population_id", "first_row", "row_count", "data"}));
    else stream_.emplace(db_.bulkInsert("population_finding", {"population_id", "kind", "row_no", "source_line", "item_key", "value"}));
    streamingBlocks_ = blocks;
    return *stream_;
}

void PopulationSink::store(Job& job) {
    if (auto* b = std::get_if<Block>(&job)) {
        packBlock(b->data, packed_);
        streamOf(true).add(populationId_).add(b->firstRow).add(b->rowCount).addBlob(packed_.data(), packed_.size()).endRow();
        hashBlock(digest_, b->firstRow, b->rowCount, packed_);  // the stored bytes, which verify hashes again
        return;
    }
    // While rows stream, a row is flagged at most once for each kind: no finding repeats another.
    auto& f = std::get<Finding>(job);
    streamOf(false).add(populationId_).add(f.kind).add(f.row).add(f.line).add(f.key).add(f.value).endRow();
}

}  // namespace tickmark

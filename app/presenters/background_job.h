#pragma once
// Long work (imports, exports) on its own thread: the GUI reads progress and may cancel, and never
// freezes. The work gets a Progress it reports to and checks for cancellation. `finished` is called
// once on the worker thread when the work has ended (a front end posts it to its own event loop).
#include <atomic>
#include <exception>
#include <functional>
#include <thread>

#include "workpapers/progress.h"

namespace tickmark::desk {

class BackgroundJob {
public:
    explicit BackgroundJob(std::function<void(Progress&)> work, std::function<void()> finished = {});
    ~BackgroundJob();  // cancels what is still running, and waits for it
    BackgroundJob(const BackgroundJob&) = delete;
    BackgroundJob& operator=(const BackgroundJob&) = delete;

    void cancel() { progress_.stop = true; }
    bool finished() const { return finished_; }
    // Cancel was asked for, whether or not the work noticed before it ended.
    bool cancelRequested() const { return progress_.stop; }
    // 0..1, or -1 while the total is unknown.
    double fraction() const;
    void wait();
    // After finishing: rethrows what the work threw (Cancelled when it was cancelled).
    void rethrow() const;

private:
    struct JobProgress : Progress {
        std::atomic<std::uint64_t> done{0}, total{0};
        std::atomic<bool> stop{false};
        void update(std::uint64_t d, std::uint64_t t) override {
            done = d;
            total = t;
        }
        bool cancelled() const override { return stop; }
    };
    JobProgress progress_;
    std::exception_ptr error_;
    std::atomic<bool> finished_{false};
    std::thread thread_;
};

}  // namespace tickmark::desk

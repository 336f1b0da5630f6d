#include "app/presenters/background_job.h"

namespace tickmark::desk {

BackgroundJob::BackgroundJob(std::function<void(Progress&)> work, std::function<void()> finished)
    : thread_([this, work = std::move(work), finished = std::move(finished)] {
          try {
              work(progress_);
          } catch (...) {
              error_ = std::current_exception();
          }
          finished_ = true;
          if (finished) finished();
      }) {}

BackgroundJob::~BackgroundJob() {
    cancel();
    wait();
}

void BackgroundJob::wait() {
    if (thread_.joinable()) thread_.join();
}

double BackgroundJob::fraction() const {
    auto t = progress_.total.load();
    return t ? static_cast<double>(progress_.done.load()) / static_cast<double>(t) : -1.0;
}

void BackgroundJob::rethrow() const {
    if (error_) std::rethrow_exception(error_);
}

}  // namespace tickmark::desk

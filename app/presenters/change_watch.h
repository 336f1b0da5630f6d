#pragma once
// Follows the team on a server engagement as it works: every write another member commits and every
// move among the workpapers is told here at once (LISTEN/NOTIFY), on a thread of its own, instead of
// at the desk's next look. On a file there is nobody to tell: active() is false and the desk looks
// for itself (the trail's head, the holder records) every 2 s.
#include <atomic>
#include <functional>
#include <memory>
#include <thread>

#include "workpapers/engagement.h"

namespace tickmark::db {
class ChangeListener;
}

namespace tickmark::desk {

class ChangeWatch {
public:
    // `news` is called on the watch's thread: it posts to the GUI thread, it does not read the engagement.
    ChangeWatch(Engagement& e, std::function<void()> news);
    // Stops and waits for the thread (at most a fraction of a second).
    ~ChangeWatch();
    ChangeWatch(const ChangeWatch&) = delete;
    ChangeWatch& operator=(const ChangeWatch&) = delete;
    bool active() const { return thread_.joinable(); }

private:
    std::unique_ptr<db::ChangeListener> listener_;
    std::function<void()> news_;
    std::atomic<bool> stop_{false};
    std::thread thread_;
};

}  // namespace tickmark::desk

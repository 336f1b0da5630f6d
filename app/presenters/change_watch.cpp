#include "app/presenters/change_watch.h"

#include "workpapers/db.h"
#include "workpapers/store/engine.h"

namespace tickmark::desk {

ChangeWatch::ChangeWatch(Engagement& e, std::function<void()> news) : news_(std::move(news)) {
    try {
        listener_ = e.db().listenForChanges();
    } catch (const std::exception&) {
        // The server would not take another connection: the desk's own look every few seconds still follows.
    }
    if (!listener_) return;
    thread_ = std::thread([this] {
        // A short wait, so that stopping never waits long.
        while (!stop_)
            if (listener_->wait(250) && !stop_) news_();
    });
}

ChangeWatch::~ChangeWatch() {
    stop_ = true;
    if (thread_.joinable()) thread_.join();
}

}  // namespace tickmark::desk

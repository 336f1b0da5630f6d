#include "app/desk/background_runner.h"

#include <wx/progdlg.h>
#include <wx/weakref.h>

#include <list>
#include <memory>

#include "app/presenters/background_job.h"
#include "workpapers/errors.h"

namespace tickmark::desk {
namespace {

class Runner : public wxEvtHandler {
public:
    Runner(wxWindow* parent, const wxString& title, std::function<void(Progress&)> work, std::function<void(const JobEnd&)> done)
        : done_(std::move(done)),
          focus_(wxWindow::FindFocus()),
          dialog_(new wxProgressDialog(title, "Working...", 1000, parent, wxPD_APP_MODAL | wxPD_CAN_ABORT | wxPD_ELAPSED_TIME)),
          timer_(this),
          // The worker posts its end to this handler's queue (thread-safe); the GUI thread handles it.
          job_(std::move(work), [this] { CallAfter(&Runner::finish); }) {
        Bind(wxEVT_TIMER, [this](wxTimerEvent&) { tick(); });
        timer_.Start(100);
    }
    ~Runner() override { timer_.Stop(); }
    void cancel() { job_.cancel(); }
    bool ended() const { return ended_; }

private:
    void tick() {
        if (ended_ || job_.finished()) return;
        const double f = job_.fraction();
        const bool go = f < 0 ? dialog_->Pulse() : dialog_->Update(static_cast<int>(f * 999));
        if (!go) {
            job_.cancel();
            dialog_->Update(dialog_->GetValue(), "Cancelling: the engagement is left as it was...");
        }
    }
    void finish();

    std::function<void(const JobEnd&)> done_;
    wxWeakRef<wxWindow> focus_;  // where the keys went before: they go there again (GTK leaves them nowhere)
    wxProgressDialog* dialog_;
    wxTimer timer_;
    bool ended_ = false;
    BackgroundJob job_;  // last: its thread is joined before the rest goes
};

std::list<std::unique_ptr<Runner>> running;

void Runner::finish() {
    ended_ = true;
    timer_.Stop();
    job_.wait();
    dialog_->Destroy();  // gives the window back before the callback shows anything
    if (focus_) focus_->SetFocus();
    JobEnd end;
    end.cancelRequested = job_.cancelRequested();
    try {
        job_.rethrow();
    } catch (const Cancelled&) {
        end.kind = JobEnd::Cancelled;
    } catch (...) {
        end.kind = JobEnd::Failed;
        end.error = std::current_exception();
    }
    auto done = std::move(done_);
    // Forget this runner once its own event has been handled.
    wxTheApp->CallAfter([self = this] { running.remove_if([self](auto& r) { return r.get() == self; }); });
    done(end);
}

}  // namespace

void runInBackground(wxWindow* parent, const wxString& title, std::function<void(Progress&)> work,
                     std::function<void(const JobEnd&)> done) {
    running.push_back(std::make_unique<Runner>(parent, title, std::move(work), std::move(done)));
}

int runningJobs() {
    int n = 0;
    for (auto& r : running) n += !r->ended();
    return n;
}

void cancelRunningJobs() {
    for (auto& r : running) r->cancel();
}

}  // namespace tickmark::desk

#include "app/desk/sharing_smoke.h"

#include <wx/app.h>
#include <wx/filedlg.h>
#include <wx/filename.h>
#include <wx/timer.h>

#include <chrono>
#include <cstdio>
#include <exception>
#include <filesystem>
#include <fstream>
#include <string>

namespace tickmark::desk {
namespace {

std::string deskWrite(int n) { return "Desk write " + std::to_string(n) + " (sharing scenario)"; }

void say(const std::string& line) {
    std::printf("sharing: %s\n", line.c_str());
    std::fflush(stdout);
}

class Waiter : public wxTimer {
public:
    Waiter(Engagement& e, const Actor& who, const wxString& goFile, std::function<void(int)> done)
        : e_(e), who_(who), goFile_(std::string(goFile.utf8_str())), done_(std::move(done)),
          start_(std::chrono::steady_clock::now()) {}

    void Notify() override {
        std::ifstream in(goFile_);
        std::string word;
        if (!(in >> word) || word == last_) {
            if (std::chrono::steady_clock::now() - start_ < std::chrono::minutes(2)) return;
            say("FAILED: the script stopped giving steps");
            return finish(1);
        }
        last_ = word;
        try {
            if (word == "dialog") return showFileDialog();
            if (word != "end") {
                const int n = std::stoi(word);
                e_.addCuec(who_, deskWrite(n), {"CC6.2"});
                say("desk wrote " + word);
                return;
            }
            std::string seen;
            int count = 0;
            for (auto& c : e_.cuecs())
                if (c.description.find("(sharing scenario)") != std::string::npos) {
                    seen += (seen.empty() ? "" : "; ") + c.description;
                    ++count;
                }
            say("desk sees " + std::to_string(count) + " scenario writes: " + seen);
            finish(0);
        } catch (const std::exception& ex) {
            say(std::string("FAILED: ") + ex.what());
            finish(1);
        }
    }

private:
    // File > Open's dialog on the engagement's folder, closed after 2.5 s: GTK opens and closes the
    // files it lists (what drops POSIX locks), without a window manager or a script's keystrokes.
    void showFileDialog() {
        Stop();
        const wxString folder = wxString::FromUTF8(std::filesystem::absolute(e_.file()).parent_path().string());
        wxFileDialog d(nullptr, "Open engagement", folder, "", "Tickmark engagements (*.tickmark)|*.tickmark",
                       wxFD_OPEN | wxFD_FILE_MUST_EXIST);
        wxTimer closer;
        closer.Bind(wxEVT_TIMER, [&d](wxTimerEvent&) { d.EndModal(wxID_CANCEL); });
        closer.StartOnce(2500);
        d.ShowModal();
        say("desk showed File > Open on " + std::string(folder.utf8_str()) + " and closed it");
        Start(100);
    }

    void finish(int rc) {
        Stop();
        auto done = done_;
        wxTheApp->CallAfter([this, done, rc] {
            delete this;
            done(rc);
        });
    }

    Engagement& e_;
    Actor who_;
    std::string goFile_, last_;
    std::function<void(int)> done_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace

void runSharingSmoke(Engagement& e, const Actor& who, const wxString& goFile, std::function<void(int)> done) {
    try {
        e.addCuec(who, deskWrite(1), {"CC6.2"});
    } catch (const std::exception& ex) {
        say(std::string("FAILED: the first write: ") + ex.what());
        done(1);
        return;
    }
    say("desk wrote 1");
    auto* w = new Waiter(e, who, goFile, std::move(done));
    w->Start(100);
}

}  // namespace tickmark::desk

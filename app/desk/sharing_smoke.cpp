#include "app/desk/sharing_smoke.h"

#include <wx/app.h>
#include <wx/filename.h>
#include <wx/timer.h>

#include <chrono>
#include <cstdio>
#include <exception>

namespace tickmark::desk {
namespace {

constexpr const char* kFirst = "Desk write 1 (sharing scenario)";
constexpr const char* kSecond = "Desk write 2 (sharing scenario)";
constexpr const char* kCli = "CLI write (sharing scenario)";

void say(const std::string& line) {
    std::printf("sharing: %s\n", line.c_str());
    std::fflush(stdout);
}

class Waiter : public wxTimer {
public:
    Waiter(Engagement& e, const Actor& who, const wxString& goFile, std::function<void(int)> done)
        : e_(e), who_(who), goFile_(goFile), done_(std::move(done)), start_(std::chrono::steady_clock::now()) {}

    void Notify() override {
        if (!wxFileName::FileExists(goFile_)) {
            if (std::chrono::steady_clock::now() - start_ < std::chrono::minutes(2)) return;
            say("FAILED: the script never said go");
            return finish(1);
        }
        Stop();
        int rc = 0;
        try {
            e_.addCuec(who_, kSecond, {"CC6.2"});
            say("desk wrote 2");
            bool first = false, cli = false, second = false;
            for (auto& c : e_.cuecs()) {
                first = first || c.description == kFirst;
                cli = cli || c.description == kCli;
                second = second || c.description == kSecond;
            }
            say(std::string("desk sees desk write 1: ") + (first ? "yes" : "no") + ", the CLI's write: " + (cli ? "yes" : "no") +
                ", desk write 2: " + (second ? "yes" : "no"));
            if (!(first && cli && second)) rc = 1;
        } catch (const std::exception& ex) {
            say(std::string("FAILED: ") + ex.what());
            rc = 1;
        }
        finish(rc);
    }

private:
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
    wxString goFile_;
    std::function<void(int)> done_;
    std::chrono::steady_clock::time_point start_;
};

}  // namespace

void runSharingSmoke(Engagement& e, const Actor& who, const wxString& goFile, std::function<void(int)> done) {
    try {
        e.addCuec(who, kFirst, {"CC6.2"});
    } catch (const std::exception& ex) {
        say(std::string("FAILED: the first write: ") + ex.what());
        done(1);
        return;
    }
    say("desk wrote 1; open and close File > Open, run the CLI, then create " + std::string(goFile.utf8_str()));
    auto* w = new Waiter(e, who, goFile, std::move(done));
    w->Start(200);
}

}  // namespace tickmark::desk

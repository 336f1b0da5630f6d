// tickmark-desk: the desktop front end. Thin: every view draws a presenter (app/presenters) or calls
// the same library API as the CLI; errors become a message once (ui.h's guarded).
#include <wx/cmdline.h>
#include <wx/font.h>
#include <wx/wx.h>

#include <chrono>
#include <cstdio>

#include "app/desk/main_frame.h"
#include "app/desk/population_page.h"
#include "app/desk/sharing_smoke.h"
#include "app/desk/smoke_tour.h"
#include "app/desk/ui.h"
#include "app/desk/unlock.h"
#include "workpapers/paths.h"

using namespace tickmark;
using namespace tickmark::desk;
using Clock = std::chrono::steady_clock;

class DeskApp : public wxApp {
public:
    void OnInitCmdLine(wxCmdLineParser& p) override {
        wxApp::OnInitCmdLine(p);
        p.AddParam("engagement file", wxCMD_LINE_VAL_STRING, wxCMD_LINE_PARAM_OPTIONAL);
        p.AddSwitch("", "smoke", "open the file, visit every view and dialog, then exit (see app/desk/smoke_tour.h)");
        p.AddOption("", "time-population", "time the first paint of population ID after choosing it, then exit", wxCMD_LINE_VAL_NUMBER);
        p.AddOption("", "screenshots", "with --smoke: save a PNG of each view into this folder", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "smoke-import", "with --smoke: also check this population file in the import wizard", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "smoke-user", "sign in as this member at start (password from TICKMARK_PASSWORD): scripts and the smoke tour", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "workpaper", "open this workpaper at start: test:CM-03, population:1, sample:4, report, notes, audit", wxCMD_LINE_VAL_STRING);
        p.AddOption("", "smoke-sharing", "with --smoke-user instead of --smoke: write, wait for this file to appear (while a script opens "
                    "File > Open and runs the CLI), write again, then exit (tests/app/desk_sharing.sh)", wxCMD_LINE_VAL_STRING);
    }
    bool OnCmdLineParsed(wxCmdLineParser& p) override {
        if (p.GetParamCount() > 0) file_ = p.GetParam(0);
        smoke_ = p.Found("smoke");
        long id = 0;
        if (p.Found("time-population", &id)) timePopulation_ = id;
        p.Found("screenshots", &shots_);
        p.Found("smoke-import", &importFile_);
        p.Found("smoke-user", &smokeUser_);
        p.Found("smoke-sharing", &sharingGo_);
        p.Found("workpaper", &workpaper_);
        return wxApp::OnCmdLineParsed(p);
    }
    bool OnInit() override {
        if (!wxApp::OnInit()) return false;
        SetAppName("tickmark-desk");
        // The tick mark legend's circled letters (Ⓘ Ⓡ Ⓞ) are in no font a desktop is sure to have: we ship one.
        const auto symbols = templatesDir() / "fonts" / "NotoSansSymbols-Regular.ttf";
        if (std::filesystem::exists(symbols)) wxFont::AddPrivateFont(W(symbols.string()));
        Engagement::setUnlockProvider(askToUnlock);
        frame_ = new MainFrame;
        frame_->Show();
        const bool scripted = smoke_ || timePopulation_;
        if (!file_.empty() && !frame_->open(file_)) {
            if (scripted) exitCode_ = 1, frame_->Destroy();
            return !scripted;
        }
        if (!smokeUser_.empty() && frame_->hasEngagement()) {
            const char* pw = std::getenv("TICKMARK_PASSWORD");
            try {
                frame_->signInAs(U(smokeUser_), pw ? pw : "");
            } catch (const std::exception& e) {
                std::fprintf(stderr, "smoke: cannot sign in as %s: %s\n", U(smokeUser_).c_str(), e.what());
                exitCode_ = 1;
                frame_->Destroy();
                return false;
            }
        }
        if (!workpaper_.empty() && frame_->hasEngagement()) frame_->openWorkpaper(U(workpaper_));
        if (smoke_)
            runSmokeTour(frame_, SmokeOptions{file_, shots_, importFile_, frame_->actor().has_value()}, [this](int rc) {
                exitCode_ = rc;
                frame_->Close(true);
            });
        if (!sharingGo_.empty() && frame_->actor())
            CallAfter([this] {
                runSharingSmoke(frame_->engagement(), *frame_->actor(), sharingGo_, [this](int rc) {
                    exitCode_ = rc;
                    frame_->Close(true);
                });
            });
        if (timePopulation_) CallAfter([this] { timePopulation(); });
        return true;
    }
    int OnExit() override { return exitCode_; }
    // wxWidgets ignores OnExit's value: the process's exit code is OnRun's.
    int OnRun() override {
        const int rc = wxApp::OnRun();
        return exitCode_ ? exitCode_ : rc;
    }

private:
    void timePopulation() {
        auto* page = frame_->populationPage();
        auto* grid = page->grid();
        start_ = Clock::now();
        page->onPainted = [this, captured = page, capturedGrid = grid] {
            double first = std::chrono::duration<double, std::milli>(Clock::now() - start_).count();
            // Clearing onPainted destroys this lambda: what it needs afterwards is copied first.
            auto* page = captured;
            auto* grid = capturedGrid;
            DeskApp* app = this;
            page->onPainted = nullptr;
            int rows = grid->GetNumberRows();
            auto t = Clock::now();
            grid->GoToCell(rows - 1, 3);
            grid->Update();
            wxYield();
            double last = std::chrono::duration<double, std::milli>(Clock::now() - t).count();
            std::printf("population grid: %d rows; first paint %.1f ms after choosing it (target < 1000 ms): %s; "
                        "scroll to the last row and paint %.1f ms\n",
                        rows, first, first < 1000 ? "MET" : "NOT MET", last);
            auto s = std::make_shared<Clock::time_point>(Clock::now());
            page->sortFirstColumn([app, s, rows, grid] {
                std::printf("sorting all %d rows by the first column, off the GUI thread with progress: %.2f s; first row now %s\n", rows,
                            std::chrono::duration<double>(Clock::now() - *s).count(), U(grid->GetCellValue(0, 3)).c_str());
                std::fflush(stdout);
                app->frame_->Close(true);
            });
        };
        frame_->openWorkpaper("population:" + std::to_string(timePopulation_));
    }

    MainFrame* frame_ = nullptr;
    wxString file_, shots_, importFile_, smokeUser_, sharingGo_, workpaper_;
    bool smoke_ = false;
    long timePopulation_ = 0;
    int exitCode_ = 0;
    Clock::time_point start_;
};

wxIMPLEMENT_APP(DeskApp);

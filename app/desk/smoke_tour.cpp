#include "app/desk/smoke_tour.h"

#include <wx/wx.h>

#include <cstdio>
#include <memory>
#include <optional>
#include <vector>

#include "app/desk/audit_page.h"
#include "app/desk/background_runner.h"
#include "app/desk/criteria_dialog.h"
#include "app/desk/description_dialog.h"
#include "app/desk/evidence_pane.h"
#include "app/desk/exception_dialog.h"
#include "app/desk/find_dialog.h"
#include "app/desk/import_controls_dialog.h"
#include "app/desk/import_population_dialog.h"
#include "app/desk/main_frame.h"
#include "app/desk/new_engagement_dialog.h"
#include "app/desk/open_server_dialog.h"
#include "app/desk/notes_pane.h"
#include "app/desk/plan_dialog.h"
#include "app/desk/population_page.h"
#include "app/desk/team_dialog.h"
#include "app/desk/test_page.h"
#include "app/desk/test_plan_dialog.h"
#include "app/desk/ui.h"
#include "workpapers/fieldwork.h"

namespace tickmark::desk {

namespace {

using K = NavNode::Kind;

class Tour {
public:
    Tour(MainFrame* f, SmokeOptions o, std::function<void(int)> done) : f_(f), o_(std::move(o)), done_(std::move(done)) {}

    // Each step returns false when it did not find what it looked for; a step may ask to be run
    // again later (`wait`) while background work it started is still running.
    struct Step {
        const char* name;
        std::function<bool(Tour&)> run;
    };
    std::vector<Step> steps;
    std::size_t at = 0;
    bool wait = false;
    // Work a step started in the background: nullopt while it runs, then whether the step succeeded.
    std::function<std::optional<bool>()> waitingFor;

    void next() {
        if (waitingFor) {
            auto ready = waitingFor();
            if (!ready) {
                wxMilliSleep(10);  // the smoke tour only: wait for the worker without spinning
                return (void)wxTheApp->CallAfter([this] { next(); });
            }
            waitingFor = nullptr;
            if (!*ready) {
                std::fprintf(stderr, "smoke: step %s found nothing to show\n", steps[at - 1].name);
                return finish(1);
            }
        }
        if (at >= steps.size()) {
            std::printf("smoke: opened %s, visited a population, a selection, a test workpaper, the review notes and the report "
                        "(%zu views and dialogs)\n", U(o_.file).c_str(), shots_);
            std::fflush(stdout);
            return finish(0);
        }
        auto& s = steps[at++];
        bool ok = false;
        try {
            ok = s.run(*this);
        } catch (const std::exception& e) {
            std::fprintf(stderr, "smoke: step %s threw: %s\n", s.name, e.what());
        }
        if (!ok) {
            std::fprintf(stderr, "smoke: step %s found nothing to show\n", s.name);
            return finish(1);
        }
        wxTheApp->CallAfter([this] { next(); });
    }

    void shot(wxWindow* w, const char* name) {
        ++shots_;
        if (o_.shots.empty()) return;
        // Let the labels that wrap to their width settle (they lay their parent out once more after).
        for (int i = 0; i < 3; ++i) {
            wxTheApp->ProcessPendingEvents();
            wxYield();
        }
        w->Update();
        wxClientDC dc(w);
        const wxSize sz = w->GetClientSize();
        wxBitmap bmp(sz);
        wxMemoryDC mem(bmp);
        mem.Blit(0, 0, sz.x, sz.y, &dc, 0, 0);
        mem.SelectObject(wxNullBitmap);
        bmp.SaveFile(o_.shots + "/" + name + ".png", wxBITMAP_TYPE_PNG);
    }
    // A dialog shown without its modal loop, painted, captured, closed.
    template <typename D>
    bool dialogShot(D* d, const char* name) {
        d->Show();
        d->Update();
        wxYield();
        shot(d, name);
        d->Destroy();
        return true;
    }

    MainFrame* f_;
    SmokeOptions o_;

private:
    void finish(int rc) {
        auto done = std::move(done_);
        done(rc);
    }
    std::function<void(int)> done_;
    std::size_t shots_ = 0;
};

void plan(Tour& t) {
    auto* f = t.f_;
    const bool actor = t.o_.signedIn;
    auto page = [](Tour& tour, K kind, const std::string& control, const char* name) {
        if (!tour.f_->selectFirst(kind, control) && !tour.f_->selectFirst(kind)) return false;
        tour.shot(tour.f_, name);
        return true;
    };
    t.steps = {
        {"dashboard", [](Tour& tour) { return tour.f_->openWorkpaper("engagement"), tour.shot(tour.f_, "dashboard"), true; }},
        {"population", [page](Tour& tour) { return page(tour, K::Population, "CM-03", "population"); }},
        {"population-filter",
         [](Tour& tour) {
             tour.f_->populationPage()->findValue("CHG01002");
             tour.waitingFor = []() -> std::optional<bool> {
                 if (runningJobs() > 0) return std::nullopt;
                 return true;
             };
             return true;
         }},
        {"population-filtered", [](Tour& tour) { return tour.shot(tour.f_, "population-filter"), true; }},
        {"plan",
         [](Tour& tour) {
             return tour.dialogShot(new PlanDialog(tour.f_, tour.f_->engagement(), tour.f_->populationPage()->current(), tour.f_->actor()),
                                    "plan");
         }},
        {"sample", [page](Tour& tour) { return page(tour, K::Sample, "CM-03", "sample"); }},
        {"test", [page](Tour& tour) { return page(tour, K::Test, "CM-03", "test"); }},
        {"evidence",
         [](Tour& tour) {
             tour.f_->testPage()->showEvidenceTab();
             tour.shot(tour.f_, "evidence");
             return true;
         }},
        {"review-notes",
         [](Tour& tour) {
             // A workpaper with open notes: the demo's RM-02.
             if (!tour.f_->selectFirst(K::Test, "RM-02")) tour.f_->selectFirst(K::Test);
             tour.f_->testPage()->showNotesTab();
             tour.shot(tour.f_, "review-notes");
             return tour.f_->testPage()->notes()->openCount() > 0;
         }},
        {"notes", [page](Tour& tour) { return page(tour, K::Notes, "", "notes"); }},
        {"report", [page](Tour& tour) { return page(tour, K::Report, "", "report"); }},
        {"audit",
         [](Tour& tour) {
             tour.f_->openWorkpaper("audit");
             tour.f_->auditPage()->verify();
             tour.shot(tour.f_, "audit");
             return true;
         }},
        {"find",
         [](Tour& tour) {
             auto* d = new FindDialog(tour.f_, tour.f_->engagement(), [](const Found&, const std::string&) {});
             d->Show();
             d->search("CHG010020");
             tour.waitingFor = [&tour, d]() -> std::optional<bool> {
                 if (runningJobs() > 0) return std::nullopt;
                 tour.shot(d, "find");
                 const bool found = d->matches() > 0;
                 d->Destroy();
                 return found;
             };
             return true;
         }},
        {"new-engagement", [](Tour& tour) { return tour.dialogShot(new NewEngagementDialog(tour.f_), "new-engagement"); }},
        {"open-server", [](Tour& tour) {
             return tour.dialogShot(new OpenServerDialog(tour.f_, "postgresql://pat@db.firm.example/acme_fy26"), "open-server");
         }},
    };
    if (actor) {
        t.steps.push_back({"test-plan", [](Tour& tour) {
                               tour.f_->selectFirst(K::Test, "CM-03");
                               return tour.dialogShot(new TestPlanDialog(tour.f_, tour.f_->engagement(), "CM-03", *tour.f_->actor()), "test-plan");
                           }});
        t.steps.push_back({"exception", [](Tour& tour) {
                               auto x = listExceptions(tour.f_->engagement(), std::string("CM-03"));
                               if (x.empty()) return false;
                               return tour.dialogShot(new ExceptionDialog(tour.f_, tour.f_->engagement(), *tour.f_->actor(), x.front().id),
                                                      "exception");
                           }});
        t.steps.push_back({"criteria", [](Tour& tour) {
                               return tour.dialogShot(new CriteriaDialog(tour.f_, tour.f_->engagement(), *tour.f_->actor()), "criteria");
                           }});
        t.steps.push_back({"description", [](Tour& tour) {
                               return tour.dialogShot(new DescriptionDialog(tour.f_, tour.f_->engagement(), *tour.f_->actor()), "description");
                           }});
        t.steps.push_back({"team", [](Tour& tour) {
                               return tour.dialogShot(new TeamDialog(tour.f_, tour.f_->engagement(), tour.f_->actor(), {}), "team");
                           }});
        t.steps.push_back({"import-controls", [](Tour& tour) {
                               return tour.dialogShot(new ImportControlsDialog(tour.f_, tour.f_->engagement().location(), *tour.f_->actor()),
                                                      "import-controls");
                           }});
    }
    if (!t.o_.importFile.empty())
        t.steps.push_back({"import-population", [](Tour& tour) {
                               auto* d = new ImportPopulationDialog(tour.f_, tour.f_->engagement(), tour.f_->actor());
                               d->Show();
                               d->smoke(tour.o_.importFile, "CM-03");
                               tour.waitingFor = [&tour, d]() -> std::optional<bool> {
                                   if (d->busy()) return std::nullopt;
                                   tour.shot(d, "import-population");
                                   const bool ok = d->profileShown().Contains("Completeness profile") && d->importEnabled();
                                   std::printf("smoke: import wizard checked %s\n", U(tour.o_.importFile).c_str());
                                   d->Destroy();
                                   if (!ok) std::fprintf(stderr, "smoke: the import wizard shows no profile\n");
                                   return ok;
                               };
                               return true;
                           }});
    // The main views again at the smallest size the window allows: nothing may fall off.
    t.steps.push_back({"minimum size", [](Tour& tour) {
                           tour.f_->SetSize(MainFrame::kMinWidth, MainFrame::kMinHeight);
                           tour.f_->openWorkpaper("engagement");
                           return true;
                       }});
    t.steps.push_back({"dashboard-min", [](Tour& tour) { return tour.shot(tour.f_, "dashboard-min"), true; }});
    t.steps.push_back({"population-min", [page](Tour& tour) { return page(tour, K::Population, "CM-03", "population-min"); }});
    t.steps.push_back({"test-min", [page](Tour& tour) { return page(tour, K::Test, "CM-03", "test-min"); }});
    t.steps.push_back({"report-min", [page](Tour& tour) { return page(tour, K::Report, "", "report-min"); }});
    (void)f;
}

}  // namespace

void runSmokeTour(MainFrame* frame, SmokeOptions options, std::function<void(int)> done) {
    // One tour per process; it lives until the process exits.
    static std::unique_ptr<Tour> tour;
    tour = std::make_unique<Tour>(frame, std::move(options), std::move(done));
    plan(*tour);
    frame->CallAfter([] { tour->next(); });
}

}  // namespace tickmark::desk

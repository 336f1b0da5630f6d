#pragma once
// The main window: the navigator tree (criteria groups, controls and their workpapers, each with its
// status and open notes) beside the page of what is chosen (dashboard, population, selection, test,
// review notes, report, audit trail). It is the Workbench the pages ask for the engagement, the
// signed-in member and a refresh; it watches the file for writes by other programs.
#include <wx/filehistory.h>
#include <wx/simplebook.h>
#include <wx/treectrl.h>
#include <wx/wx.h>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "app/desk/workbench.h"
#include "app/presenters/change_watch.h"
#include "app/presenters/navigator.h"

namespace tickmark::desk {

class DashboardPage;
class PopulationPage;
class SamplePage;
class TestPage;
class NotesPage;
class ReportPage;
class AuditPage;

class MainFrame : public wxFrame, public Workbench {
public:
    MainFrame();
    ~MainFrame() override;
    bool open(const wxString& path);

    // Workbench
    Engagement& engagement() override;
    const Actor& signedIn() override;
    const std::optional<Actor>& actor() const override { return actor_; }
    std::string readOnlyReason() const override { return readOnly_; }
    void changed() override;
    void openWorkpaper(const std::string& workpaper) override;
    void status(const wxString& text) override { SetStatusText(text, 0); }

    // For the smoke tour and the timing run.
    bool selectFirst(NavNode::Kind kind, const std::string& control = "");
    void signInAs(const std::string& who, const std::string& password);
    bool hasEngagement() const { return engagement_ != nullptr; }
    PopulationPage* populationPage() { return population_; }
    TestPage* testPage() { return test_; }
    ReportPage* reportPage() { return report_; }
    AuditPage* auditPage() { return audit_; }
    void showPage(wxWindow* page);
    void importPopulationWizard();
    void importControlMatrix();
    void find();
    // Checks now whether another program wrote to the engagement or someone moved (told at once on a
    // server, ChangeWatch; the timer looks every 2 s on a file, every 15 s on a server for what no news told).
    void pollForChanges();
    void onNews();

    static constexpr int kMinWidth = 1024, kMinHeight = 640;

private:
    void buildMenus();
    // presenceOnly: nothing was written since the last build, only who is where may differ.
    void rebuildTree(bool presenceOnly = false);
    void addChildren(const wxTreeItemId& parent, const NavNode& n, const std::map<std::string, int>& openNotes);
    void updateTitle();
    void newEngagement();
    void chooseFile();
    void signIn();
    void manageTeam();
    void setTimeZone();
    void release();
    void lock();
    void onSelect(wxTreeEvent& ev);
    void showNode(const NavNode& node);
    void reloadCurrent();
    void findReadOnly();

    std::unique_ptr<Engagement> engagement_;
    std::optional<Actor> actor_;
    std::string readOnly_;
    std::int64_t seenHead_ = -1;
    std::string presence_;
    std::optional<NavNode> shownRoot_;          // the tree as last built, and its open notes by workpaper
    std::map<std::string, int> shownNotes_;  // who else is here and where, as the tree last showed it
    wxTimer watch_, soon_;  // the regular look; one look a little later (onNews)
    std::chrono::steady_clock::time_point lastLook_{};
    static constexpr std::chrono::milliseconds kLookGap{2000};
    std::unique_ptr<ChangeWatch> follow_;  // after engagement_: stopped before the engagement closes
    wxFileHistory recent_;
    wxTreeCtrl* tree_ = nullptr;
    std::unique_ptr<wxImageList> images_;
    std::vector<std::pair<wxTreeItemId, NavNode>> nodes_;
    wxSimplebook* book_ = nullptr;
    wxStaticText* banner_ = nullptr;
    DashboardPage* dashboard_ = nullptr;
    PopulationPage* population_ = nullptr;
    SamplePage* sample_ = nullptr;
    TestPage* test_ = nullptr;
    NotesPage* notes_ = nullptr;
    ReportPage* report_ = nullptr;
    AuditPage* audit_ = nullptr;
    bool closing_ = false;
};

}  // namespace tickmark::desk

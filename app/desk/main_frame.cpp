#include "app/desk/main_frame.h"

#include <wx/config.h>
#include <wx/splitter.h>

#include <unistd.h>

#include <boost/algorithm/string/join.hpp>
#include <map>

#include "app/desk/audit_page.h"
#include "app/desk/criteria_dialog.h"
#include "app/desk/dashboard_page.h"
#include "app/desk/description_dialog.h"
#include "app/desk/find_dialog.h"
#include "app/desk/import_controls_dialog.h"
#include "app/desk/import_population_dialog.h"
#include "app/desk/new_engagement_dialog.h"
#include "app/desk/open_server_dialog.h"
#include "app/desk/notes_page.h"
#include "app/desk/population_page.h"
#include "app/desk/report_page.h"
#include "app/desk/sample_page.h"
#include "app/desk/test_page.h"
#include "app/desk/background_runner.h"
#include "app/desk/team_dialog.h"
#include "app/desk/ui.h"
#include "app/desk/unlock.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/paths.h"
#include "workpapers/trail.h"

namespace tickmark::desk {

namespace {
enum {
    kSignIn = wxID_HIGHEST + 1, kOpenServer, kImportPopulation, kImportControls, kDescription, kCriteria, kTeam, kTimeZone, kAudit, kRelease, kLock,
    kDashboard, kNotes, kReport, kRefresh
};
}  // namespace

MainFrame::MainFrame() : wxFrame(nullptr, wxID_ANY, "Tickmark", wxDefaultPosition, wxSize(1280, 800)), watch_(this), soon_(this) {
    SetMinSize(wxSize(kMinWidth, kMinHeight));
    buildMenus();
    CreateStatusBar(2);
    SetStatusWidths(2, std::array<int, 2>{-3, -1}.data());

    auto* outer = new wxPanel(this);
    banner_ = new wxStaticText(outer, wxID_ANY, "");
    banner_->SetBackgroundColour(wxColour(255, 240, 200));
    banner_->Hide();
    auto* split = new wxSplitterWindow(outer, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxSP_LIVE_UPDATE | wxSP_3DSASH);
    tree_ = new wxTreeCtrl(split, wxID_ANY, wxDefaultPosition, wxDefaultSize, wxTR_DEFAULT_STYLE | wxTR_HIDE_ROOT);
    images_ = std::make_unique<wxImageList>(12, 12);
    for (int s = 0; s <= static_cast<int>(Status::Exceptions); ++s) {
        wxBitmap bmp(12, 12);
        wxMemoryDC dc(bmp);
        dc.SetBackground(*wxWHITE_BRUSH);
        dc.Clear();
        dc.SetBrush(wxBrush(statusColour(static_cast<Status>(s))));
        dc.SetPen(s == 0 ? *wxWHITE_PEN : *wxGREY_PEN);
        dc.DrawCircle(6, 6, 5);
        dc.SelectObject(wxNullBitmap);
        images_->Add(bmp);
    }
    tree_->SetImageList(images_.get());
    book_ = new wxSimplebook(split);
    dashboard_ = new DashboardPage(book_, [this](const std::string& wp) { openWorkpaper(wp); });
    population_ = new PopulationPage(book_, *this);
    sample_ = new SamplePage(book_, *this);
    test_ = new TestPage(book_, *this);
    notes_ = new NotesPage(book_, *this);
    report_ = new ReportPage(book_, *this);
    audit_ = new AuditPage(book_, *this);
    for (auto* p : std::initializer_list<wxWindow*>{dashboard_, population_, sample_, test_, notes_, report_, audit_}) book_->AddPage(p, "");
    split->SplitVertically(tree_, book_, 270);
    split->SetMinimumPaneSize(200);
    auto* s = new wxBoxSizer(wxVERTICAL);
    s->Add(banner_, 0, wxEXPAND);
    s->Add(split, 1, wxEXPAND);
    outer->SetSizer(s);

    tree_->Bind(wxEVT_TREE_SEL_CHANGED, &MainFrame::onSelect, this);
    Bind(wxEVT_TIMER, [this](wxTimerEvent&) { pollForChanges(); });
    watch_.Start(2000);
    Bind(wxEVT_CLOSE_WINDOW, [this](wxCloseEvent& ev) {
        // Closing during an import or an export: ask, cancel it, and close once it has stopped.
        if (runningJobs() > 0 && ev.CanVeto()) {
            if (wxMessageBox("Work is still running (an import, an export or a search). Cancel it and close? The engagement is left as it was.",
                             "Tickmark", wxYES_NO | wxICON_QUESTION, this) != wxYES)
                return ev.Veto();
            cancelRunningJobs();
            closing_ = true;
            ev.Veto();
            auto retry = std::make_shared<wxTimer>();
            retry->Bind(wxEVT_TIMER, [this, retry](wxTimerEvent&) {
                if (runningJobs() == 0) retry->Stop(), Close(true);
            });
            retry->Start(100);
            return;
        }
        watch_.Stop();
        soon_.Stop();
        recent_.Save(*wxConfig::Get());
        ev.Skip();
    });
}

MainFrame::~MainFrame() {
    watch_.Stop();
    soon_.Stop();
    follow_.reset();
}

void MainFrame::buildMenus() {
    auto* file = new wxMenu;
    file->Append(wxID_NEW, "&New engagement...\tCtrl+N");
    file->Append(wxID_OPEN, "&Open engagement...\tCtrl+O");
    file->Append(kOpenServer, "Open on &server...\tCtrl+Shift+O");
    file->AppendSeparator();
    file->Append(kImportControls, "Import &control matrix...");
    file->Append(kImportPopulation, "Import &population...\tCtrl+P");
    recent_.UseMenu(file);
    recent_.Load(*wxConfig::Get());
    file->AppendSeparator();
    file->Append(wxID_EXIT, "&Quit\tCtrl+Q");
    auto* edit = new wxMenu;
    edit->Append(wxID_FIND, "&Find...\tCtrl+F");
    edit->Append(kRefresh, "&Refresh\tF5");
    auto* view = new wxMenu;
    view->Append(kDashboard, "&Dashboard\tCtrl+1");
    view->Append(kNotes, "Review &notes\tCtrl+2");
    view->Append(kReport, "&Report\tCtrl+3");
    view->Append(kAudit, "&Audit trail\tCtrl+4");
    auto* eng = new wxMenu;
    eng->Append(kSignIn, "&Sign in...\tCtrl+I");
    eng->Append(kTeam, "&Team...");
    eng->Append(kTimeZone, "&Time zone...");
    eng->Append(kDescription, "&Description and report particulars...");
    eng->Append(kCriteria, "&Criteria in scope...");
    eng->AppendSeparator();
    eng->Append(kRelease, "Record the report &release date...");
    eng->Append(kLock, "&Lock the final file (assemble)...");
    auto* bar = new wxMenuBar;
    bar->Append(file, "&File");
    bar->Append(edit, "&Edit");
    bar->Append(view, "&View");
    bar->Append(eng, "E&ngagement");
    SetMenuBar(bar);

    Bind(wxEVT_MENU, [this](wxCommandEvent&) { chooseFile(); }, wxID_OPEN);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        OpenServerDialog d(this, engagement_ && engagement_->onServer() ? W(engagement_->file().string()) : wxString());
        if (d.ShowModal() == wxID_OK) open(W(d.location()));
    }, kOpenServer);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { newEngagement(); }, wxID_NEW);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { Close(); }, wxID_EXIT);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { find(); }, wxID_FIND);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { changed(); }, kRefresh);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openWorkpaper("engagement"); }, kDashboard);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openWorkpaper("notes"); }, kNotes);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openWorkpaper("report"); }, kReport);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { openWorkpaper("audit"); }, kAudit);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { signIn(); }, kSignIn);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { manageTeam(); }, kTeam);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { setTimeZone(); }, kTimeZone);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        guarded(this, [&] {
            DescriptionDialog d(this, engagement(), signedIn());
            if (d.ShowModal() == wxID_OK) changed();
        });
    }, kDescription);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) {
        guarded(this, [&] {
            CriteriaDialog d(this, engagement(), signedIn());
            d.ShowModal();
            changed();
        });
    }, kCriteria);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { release(); }, kRelease);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { lock(); }, kLock);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { importPopulationWizard(); }, kImportPopulation);
    Bind(wxEVT_MENU, [this](wxCommandEvent&) { importControlMatrix(); }, kImportControls);
    Bind(wxEVT_MENU, [this](wxCommandEvent& ev) { open(recent_.GetHistoryFile(ev.GetId() - wxID_FILE1)); }, wxID_FILE1, wxID_FILE9);
}

bool MainFrame::open(const wxString& path) {
    return guarded(this, [&] {
        std::unique_ptr<Engagement> e;
        try {
            e = std::make_unique<Engagement>(Engagement::open(U(path)));
        } catch (...) {
            forgetUnlock(U(path));  // a wrong password is asked again next time
            throw;
        }
        follow_.reset();  // the watch on the engagement closing stops first
        shownRoot_.reset();
        engagement_ = std::move(e);
        actor_.reset();
        follow_ = std::make_unique<ChangeWatch>(*engagement_, [this] { CallAfter([this] { onNews(); }); });
        watch_.Start(follow_->active() ? 15000 : 2000);
        recent_.AddFileToHistory(W(engagement_->file().string()));  // a server's URI without its password
        SetStatusText("", 0);  // nothing said about the engagement before carries over
        findReadOnly();
        seenHead_ = trailHead(*engagement_);
        rebuildTree();
        updateTitle();
        openWorkpaper("engagement");
    });
}

// Read-only: the file (or its folder, where SQLite keeps its journal) cannot be written here, or
// the partner locked it at assembly. Everything can be read; nothing is offered to write.
void MainFrame::findReadOnly() {
    readOnly_.clear();
    const auto file = engagement_->file();
    const auto folder = std::filesystem::absolute(file).parent_path();
    if (engagement_->archived())
        readOnly_ = "Opened read-only: its folder cannot be written here (an archive or a read-only share). You can read, verify and export.";
    else if (!engagement_->onServer() && (::access(file.c_str(), W_OK) != 0 || ::access(folder.c_str(), W_OK) != 0))
        readOnly_ = "This file is read-only here (no write permission on it or its folder): you can read, verify and export, not record.";
    else if (auto st = assemblyStatus(*engagement_, today()); st.lockedAt)
        readOnly_ = "Locked at assembly on " + st.lockedAt->substr(0, 10) + " by " + st.lockedBy.value_or("") +
                    ": nothing can be changed; an addition needs a reason (tickmark ... --reason).";
    banner_->SetLabel(W("  " + readOnly_));
    banner_->Show(!readOnly_.empty());
    banner_->GetParent()->Layout();
}

Engagement& MainFrame::engagement() {
    if (!engagement_) throw InputError("open an engagement first (File > Open)");
    return *engagement_;
}

const Actor& MainFrame::signedIn() {
    auto& e = engagement();
    if (!readOnly_.empty()) throw InputError(readOnly_);
    if (team(e).empty())
        throw InputError("This engagement has no team yet, so nothing can be recorded. Add the engagement partner first (Engagement > Team).");
    if (!actor_) signIn();
    if (!actor_) throw InputError("sign in first (Engagement > Sign in): every change is recorded under a team member's name");
    return *actor_;
}

void MainFrame::signInAs(const std::string& who, const std::string& password) {
    actor_.emplace(authenticate(engagement(), who, password));
    updateTitle();
    changed();
}

// News from the server: looked at now, or, when the last look was moments ago, once a little later, so
// that a team writing all at once does not keep this desk reloading (a reload on a server takes ~1 s).
void MainFrame::onNews() {
    const auto since = std::chrono::steady_clock::now() - lastLook_;
    if (since >= kLookGap) return pollForChanges();
    if (!soon_.IsRunning())
        soon_.StartOnce(static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(kLookGap - since).count()) + 1);
}

void MainFrame::pollForChanges() {
    if (!engagement_ || wxTheApp->IsMainLoopRunning() == false) return;
    if (runningJobs() > 0) {
        if (follow_ && follow_->active() && !soon_.IsRunning()) soon_.StartOnce(500);  // news is not lost while a job runs
        return;
    }
    lastLook_ = std::chrono::steady_clock::now();
    try {
        const auto head = trailHead(*engagement_);
        if (head == seenHead_) {
            // Nothing written; someone may have come, gone or moved to another workpaper.
            if (boost::algorithm::join(whoIsHere(*engagement_), "; ") != presence_) rebuildTree(true);
            return;
        }
        status("The engagement changed (another program or team member wrote to it): shown as it is now.");
        changed();
    } catch (const std::exception&) {
        // Busy or momentarily unreadable: the next tick tries again.
    }
}

void MainFrame::changed() {
    if (!engagement_) return;
    guarded(this, [&] {
        seenHead_ = trailHead(*engagement_);
        findReadOnly();
        rebuildTree();
        reloadCurrent();
        updateTitle();
    });
}

void MainFrame::reloadCurrent() {
    wxWindow* page = book_->GetCurrentPage();
    if (page == dashboard_) dashboard_->show(*engagement_);
    else if (page == population_) population_->reload();
    else if (page == sample_) sample_->reload();
    else if (page == test_) test_->reload();
    else if (page == notes_) notes_->reload();
    else if (page == report_) report_->reload();
    else if (page == audit_) audit_->reload();
}

void MainFrame::showPage(wxWindow* page) {
    const int i = book_->FindPage(page);
    if (i >= 0 && book_->GetSelection() != i) book_->SetSelection(static_cast<std::size_t>(i));
}

void MainFrame::rebuildTree(bool presenceOnly) {
    // Keep what was chosen: the same node (kind, control, id) is chosen again after the rebuild.
    std::optional<NavNode> chosen;
    if (auto sel = tree_->GetSelection(); sel.IsOk())
        for (auto& [id, node] : nodes_)
            if (id == sel) chosen = node;
    // Only who is where changed (nothing was written): the tree as last built, marked again.
    if (!presenceOnly || !shownRoot_) {
        shownRoot_ = buildNavigator(*engagement_);
        shownNotes_.clear();
        for (auto& n : listNotes(*engagement_))
            if (n.open()) ++shownNotes_[n.workpaper];
    } else {
        markWhoIsHere(*engagement_, *shownRoot_);
    }
    const NavNode& root = *shownRoot_;
    const auto& openNotes = shownNotes_;
    tree_->Freeze();
    tree_->Unbind(wxEVT_TREE_SEL_CHANGED, &MainFrame::onSelect, this);
    tree_->DeleteAllItems();
    nodes_.clear();
    presence_ = boost::algorithm::join(root.here, "; ");
    auto rootId = tree_->AddRoot(W(root.label + (root.here.empty() ? "" : "   (also here: " + presence_ + ")")));
    addChildren(rootId, root, openNotes);
    wxTreeItemIdValue cookie;
    for (auto c = tree_->GetFirstChild(rootId, cookie); c.IsOk(); c = tree_->GetNextChild(rootId, cookie)) tree_->Expand(c);
    if (chosen)
        for (auto& [id, node] : nodes_)
            if (node.kind == chosen->kind && node.control == chosen->control && node.id == chosen->id) {
                tree_->SelectItem(id);
                break;
            }
    tree_->Bind(wxEVT_TREE_SEL_CHANGED, &MainFrame::onSelect, this);
    tree_->Thaw();
}

void MainFrame::addChildren(const wxTreeItemId& parent, const NavNode& n, const std::map<std::string, int>& openNotes) {
    for (auto& c : n.children) {
        std::string label = c.label;
        // Who works there now, where a narrow tree still shows it: before a control's description, after a short label.
        const std::string here = c.here.empty() ? "" : "\u25C9 " + boost::algorithm::join(c.here, ", ");
        if (!here.empty()) label = c.kind == NavNode::Kind::Control ? here + "  " + label : label + "  " + here;
        std::string wp = c.kind == NavNode::Kind::Test || c.kind == NavNode::Kind::Control ? "test:" + c.control
                         : c.kind == NavNode::Kind::Population && c.id                     ? "population:" + std::to_string(*c.id)
                                                                                           : "";
        if (auto it = openNotes.find(wp); it != openNotes.end() && c.kind != NavNode::Kind::Control)
            label += "   \u270E " + std::to_string(it->second) + (it->second == 1 ? " open note" : " open notes");
        if (c.status != Status::None) label += std::string("   [") + statusLabel(c.status) + "]";
        auto id = tree_->AppendItem(parent, W(label), static_cast<int>(c.status));
        if (wp.size() && openNotes.count(wp)) tree_->SetItemTextColour(id, wxColour(190, 30, 30));
        else if (!c.here.empty()) tree_->SetItemTextColour(id, wxColour(30, 90, 200));
        nodes_.emplace_back(id, c);
        nodes_.back().second.children.clear();
        addChildren(id, c, openNotes);
    }
}

void MainFrame::updateTitle() {
    if (!engagement_) return;
    auto s = engagement_->setup();
    SetTitle(W(engagement_->file().filename().string() + " — " + s.client + " — " + (actor_ ? actor_->name : std::string("not signed in"))));
    std::string who;
    if (actor_) who = "Signed in as " + actor_->name + " (" + boost::algorithm::join(actor_->roles, ", ") + ")";
    else who = readOnly_.empty() ? "Not signed in: Engagement > Sign in to record" : "Read-only";
    SetStatusText(W(who), 1);
}

bool MainFrame::selectFirst(NavNode::Kind kind, const std::string& control) {
    for (auto& [id, node] : nodes_)
        if (node.kind == kind && (control.empty() || node.control == control)) {
            tree_->EnsureVisible(id);
            if (tree_->GetSelection() == id) showNode(node);
            else tree_->SelectItem(id);
            return true;
        }
    return false;
}

void MainFrame::openWorkpaper(const std::string& wp) {
    if (!engagement_) return;
    guarded(this, [&] { engagement_->workingOn(wp); });
    auto id = [&](std::size_t prefix) { return std::stoll(wp.substr(prefix)); };
    if (wp.rfind("test:", 0) == 0) {
        if (!selectFirst(NavNode::Kind::Test, wp.substr(5)) && !selectFirst(NavNode::Kind::Control, wp.substr(5))) {
            test_->show(wp.substr(5));
            showPage(test_);
        }
    } else if (wp.rfind("population:", 0) == 0 || wp.rfind("sample:", 0) == 0) {
        const bool pop = wp[0] == 'p';
        const auto n = id(pop ? 11 : 7);
        bool found = false;
        for (auto& [item, node] : nodes_)
            if (node.kind == (pop ? NavNode::Kind::Population : NavNode::Kind::Sample) && node.id == n) {
                tree_->EnsureVisible(item), tree_->SelectItem(item), found = true;
                break;
            }
        if (!found) pop ? population_->show(n) : sample_->show(n), showPage(pop ? static_cast<wxWindow*>(population_) : sample_);
    } else if (wp == "report") {
        selectFirst(NavNode::Kind::Report);
        report_->show(), showPage(report_);
    } else if (wp == "notes") {
        selectFirst(NavNode::Kind::Notes);
        notes_->show(), showPage(notes_);
    } else if (wp == "audit") {
        audit_->show(), showPage(audit_);
    } else {
        tree_->UnselectAll();
        guarded(this, [&] { dashboard_->show(*engagement_); });
        showPage(dashboard_);
    }
}

void MainFrame::onSelect(wxTreeEvent& ev) {
    for (auto& [id, node] : nodes_)
        if (id == ev.GetItem()) return showNode(node);
}

void MainFrame::showNode(const NavNode& node) {
    guarded(this, [&] { engagement_->workingOn(workpaperOf(node)); });  // for the others' navigators
    switch (node.kind) {
        case NavNode::Kind::Population: population_->show(*node.id), showPage(population_); break;
        case NavNode::Kind::Sample: sample_->show(*node.id), showPage(sample_); break;
        case NavNode::Kind::Test:
        case NavNode::Kind::Control:
        case NavNode::Kind::Exceptions: test_->show(node.control), showPage(test_); break;
        case NavNode::Kind::Report: report_->show(), showPage(report_); break;
        case NavNode::Kind::Notes: notes_->show(), showPage(notes_); break;
        default: guarded(this, [&] { dashboard_->show(*engagement_); }), showPage(dashboard_); break;
    }
}

void MainFrame::importPopulationWizard() {
    guarded(this, [&] {
        ImportPopulationDialog d(this, engagement(), signedIn(), book_->GetCurrentPage() == test_ ? test_->control() : "");
        if (d.ShowModal() == wxID_OK && d.imported) {
            changed();
            openWorkpaper("population:" + std::to_string(d.imported->populationId));
        }
    });
}

void MainFrame::importControlMatrix() {
    guarded(this, [&] {
        ImportControlsDialog d(this, engagement().location(), signedIn());
        if (d.ShowModal() != wxID_OK || !d.result) return;
        std::string warnings;
        for (auto& w : d.result->warnings) warnings += "\n" + w;
        changed();
        wxMessageBox(W(std::to_string(d.result->added) + " controls added, " + std::to_string(d.result->updated) + " updated." + warnings),
                     "Control matrix", wxOK, this);
    });
}

void MainFrame::find() {
    guarded(this, [&] {
        FindDialog d(this, engagement(), [this](const Found& f, const std::string& text) {
            openWorkpaper(f.workpaper);
            if (f.kind == Found::Kind::PopulationRecord) population_->findValue(W(text));
            if (f.kind == Found::Kind::Note) test_->showNotesTab();
        });
        d.ShowModal();
    });
}

void MainFrame::newEngagement() {
    NewEngagementDialog d(this);
    while (d.ShowModal() == wxID_OK) {
        wxFileDialog f(this, "Save the engagement file", "", "engagement.tickmark", "Tickmark engagements (*.tickmark)|*.tickmark",
                       wxFD_SAVE | wxFD_OVERWRITE_PROMPT);
        if (f.ShowModal() != wxID_OK) return;
        std::optional<Actor> partner;  // the engagement partner creates the file and is signed in
        if (guarded(this, [&] {
                auto setup = d.setup();
                auto c = createEngagement(U(f.GetPath()), setup, templatesDir() / "tsc-2017.csv", d.partnerName(), d.partnerInitials(),
                                          d.partnerRoles(), d.partnerPassword());
                partner.emplace(c.partner);
                if (setup.encrypted) rememberUnlock(U(f.GetPath()), {d.partnerInitials(), d.partnerPassword()});
            })) {
            if (open(f.GetPath())) {
                actor_.emplace(*partner), updateTitle();
                manageTeam();  // the partner adds the team next
            }
            return;
        }
    }
}

void MainFrame::chooseFile() {
    // In the open engagement's folder: the next engagement is usually beside it.
    const wxString folder = engagement_ && !engagement_->onServer()
                                ? W(std::filesystem::absolute(engagement_->file()).parent_path().string()) : wxString();
    wxFileDialog d(this, "Open engagement", folder, "", "Tickmark engagements (*.tickmark)|*.tickmark", wxFD_OPEN | wxFD_FILE_MUST_EXIST);
    if (d.ShowModal() == wxID_OK) open(d.GetPath());
}

void MainFrame::signIn() {
    if (!engagement_) return;
    guarded(this, [&] {
        auto people = team(*engagement_);
        if (people.empty()) throw InputError("This engagement has no team yet: add the engagement partner first (Engagement > Team).");
        wxArrayString names;
        for (auto& p : people) names.Add(W(p.name + " (" + p.initials + ", " + boost::algorithm::join(p.roles, ", ") + ")"));
        wxSingleChoiceDialog who(this, "Who are you?", "Sign in", names);
        if (who.ShowModal() != wxID_OK) return;
        wxPasswordEntryDialog pw(this, "Password for " + names[who.GetSelection()], "Sign in");
        if (pw.ShowModal() != wxID_OK) return;
        actor_.emplace(authenticate(*engagement_, people[static_cast<std::size_t>(who.GetSelection())].initials, U(pw.GetValue())));
        updateTitle();
        changed();  // what the member may do (the hints, the buttons) follows who is signed in
    });
}

void MainFrame::manageTeam() {
    guarded(this, [&] {
        TeamDialog d(this, engagement(), actor_, [this](const Actor& partner) {
            actor_.emplace(partner);  // the engagement partner proves who they are by choosing the password
            updateTitle();
        });
        d.ShowModal();
        changed();
    });
}

void MainFrame::setTimeZone() {
    guarded(this, [&] {
        const Actor& a = signedIn();
        auto current = engagement().timeZone();
        wxTextEntryDialog d(this, "The client's time zone (an IANA name, e.g. America/New_York): timestamps without an offset are read in it",
                            "Time zone", W(current.value_or("")));
        if (d.ShowModal() != wxID_OK) return;
        const std::string zone = U(d.GetValue().Trim().Trim(false));
        engagement().setTimeZone(a, zone.empty() ? std::nullopt : std::optional<std::string>(zone), "");
        changed();
    });
}

void MainFrame::release() {
    guarded(this, [&] {
        const Actor& a = signedIn();
        wxTextEntryDialog d(this, "Report release date (YYYY-MM-DD): the 60-day assembly window starts", "Release", W(isoString(today())));
        if (d.ShowModal() != wxID_OK) return;
        auto date = parseIsoDate(U(d.GetValue()));
        if (!date) throw InputError("\"" + U(d.GetValue()) + "\": write the date as YYYY-MM-DD");
        recordRelease(*engagement_, a, *date);
        auto st = assemblyStatus(*engagement_, today());
        changed();
        wxMessageBox(W("Assemble the final file by " + isoString(*st.assemblyDeadline) + " (" + std::to_string(*st.daysLeft) + " days left)."),
                     "Release recorded", wxOK, this);
    });
}

void MainFrame::lock() {
    guarded(this, [&] {
        const Actor& a = signedIn();
        if (wxMessageBox("After assembly nothing in this file can be changed or deleted, and every addition needs a reason. Lock it now?",
                         "Assemble the final file", wxYES_NO | wxNO_DEFAULT | wxICON_WARNING, this) != wxYES)
            return;
        lockFile(*engagement_, a);
        changed();
    });
}

}  // namespace tickmark::desk

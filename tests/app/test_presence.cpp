// Who is working where (issue 14, item 3): a program that shows a workpaper says so where the
// others look (the holder record beside a file; the session's application_name on a server), and
// every other navigator shows that member on that workpaper; moving on, or leaving, is seen too.
// Tagged [engines]: ctest runs it on a file and on the private server.
#include <catch2/catch.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "app/presenters/change_watch.h"
#include "app/presenters/navigator.h"
#include "support.h"

using namespace tickmark;
using namespace testsupport;
using desk::NavNode;

namespace {

// Who the navigator shows on the first node of a kind (and control).
std::vector<std::string> hereOn(Engagement& e, NavNode::Kind kind, const std::string& control = "") {
    auto root = desk::buildNavigator(e);
    const NavNode* n = desk::findNode(root, kind, control);
    return n ? n->here : std::vector<std::string>{"(no such node)"};
}

// Waits (up to 5 s) until `what` holds: a server drops a session a moment after its program exits.
template <class F>
bool eventually(F what) {
    for (int i = 0; i < 50; ++i) {
        if (what()) return true;
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return what();
}

}  // namespace

TEST_CASE("the navigator shows who else has which workpaper open, and follows them as they move and leave", "[engines]") {
    TempDir d;
    const std::string at = cliDemo(d);
    int toChild[2], toParent[2];
    REQUIRE(::pipe(toChild) == 0);
    REQUIRE(::pipe(toParent) == 0);
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {  // Marcus Lee's desk, in another program
        char c = 0;
        try {
            auto e = Engagement::open(at);
            authenticate(e, "ML", "review-2026");
            e.workingOn("test:CM-03");
            (void)!::write(toParent[1], "1", 1);
            (void)!::read(toChild[0], &c, 1);
            e.workingOn("report");
            (void)!::write(toParent[1], "2", 1);
            (void)!::read(toChild[0], &c, 1);
        } catch (...) {
            (void)!::write(toParent[1], "x", 1);
        }
        ::_exit(0);
    }
    char c = 0;
    auto e = Engagement::open(at);
    REQUIRE(::read(toParent[0], &c, 1) == 1);
    REQUIRE(c == '1');
    CHECK(hereOn(e, NavNode::Kind::Test, "CM-03") == std::vector<std::string>{"Marcus Lee"});
    CHECK(hereOn(e, NavNode::Kind::Test, "IC-02").empty());
    CHECK(hereOn(e, NavNode::Kind::Report).empty());
    auto root = desk::buildNavigator(e);
    CHECK(root.here == std::vector<std::string>{"Marcus Lee on test:CM-03"});

    REQUIRE(::write(toChild[1], "n", 1) == 1);  // he moves on to the report
    REQUIRE(::read(toParent[0], &c, 1) == 1);
    REQUIRE(c == '2');
    CHECK(hereOn(e, NavNode::Kind::Test, "CM-03").empty());
    CHECK(hereOn(e, NavNode::Kind::Report) == std::vector<std::string>{"Marcus Lee"});
    // The tree built before the move, only marked again (what the desk does when nothing was written):
    // the same as one built afresh.
    desk::markWhoIsHere(e, root);
    CHECK(root.here == desk::buildNavigator(e).here);
    CHECK(desk::findNode(root, NavNode::Kind::Test, "CM-03")->here.empty());
    CHECK(desk::findNode(root, NavNode::Kind::Report)->here == std::vector<std::string>{"Marcus Lee"});

    REQUIRE(::write(toChild[1], "q", 1) == 1);  // and closes the engagement
    int status = 0;
    ::waitpid(pid, &status, 0);
    CHECK(eventually([&] { return desk::buildNavigator(e).here.empty(); }));
    // This program's own place is never shown to itself.
    e.workingOn("test:IC-02");
    CHECK(hereOn(e, NavNode::Kind::Test, "IC-02").empty());
}

TEST_CASE("the desk is told at once when a team member writes on the server, and a file's desk keeps looking", "[server]") {
    TempDir d;
    const auto server = serverUri(newServerDatabase(d, "watch"));
    { auto e = newEngagement(server); testPartner(e); }
    auto mine = Engagement::open(server);
    std::atomic<int> news{0};
    auto watch = std::make_unique<desk::ChangeWatch>(mine, [&] { ++news; });
    REQUIRE(watch->active());
    auto other = Engagement::open(server);
    auto partner = testPartner(other);
    std::this_thread::sleep_for(std::chrono::milliseconds(500));  // the sign-in's own news
    const int before = news;
    const auto start = std::chrono::steady_clock::now();
    other.addCuec(partner, "User entities review their users' access.", {"CC6.2"});
    CHECK(eventually([&] { return news > before; }));
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(1));
    const auto stopping = std::chrono::steady_clock::now();
    watch.reset();
    CHECK(std::chrono::steady_clock::now() - stopping < std::chrono::seconds(1));

    auto file = newEngagement(d / "e.tickmark");
    CHECK_FALSE(desk::ChangeWatch(file, [] {}).active());
}

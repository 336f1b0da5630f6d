// One engagement file shared by several programs (issue 11 item 4): the locks that protect it
// survive another library's open()+close() of the file in the same process, two connections of
// one process still share it, and a program kept waiting names who holds the file and exits 2.
#include <catch2/catch.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <functional>

#include "support.h"
#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/holders.h"
#include "workpapers/ofd_locks.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

// Another process, forked while this one has no connection open (SQLite's state must not cross a
// fork), that answers one-line requests: a second program on the same file.
class Child {
public:
    explicit Child(std::function<std::string(const std::string&)> serve) {
        int down[2], up[2];
        REQUIRE(::pipe(down) == 0);
        REQUIRE(::pipe(up) == 0);
        pid_ = ::fork();
        REQUIRE(pid_ >= 0);
        if (pid_ == 0) {
            ::close(down[1]);
            ::close(up[0]);
            std::string line;
            char c;
            while (::read(down[0], &c, 1) == 1) {
                if (c != '\n') {
                    line += c;
                    continue;
                }
                std::string reply;
                try {
                    reply = serve(line) + "\n";
                } catch (const std::exception& e) {
                    reply = std::string("error: ") + e.what() + "\n";
                }
                if (::write(up[1], reply.data(), reply.size()) < 0) break;
                line.clear();
            }
            ::_exit(0);
        }
        ::close(down[0]);
        ::close(up[1]);
        to_ = down[1];
        from_ = up[0];
    }
    ~Child() {
        ::close(to_);
        ::close(from_);
        int status = 0;
        ::waitpid(pid_, &status, 0);
    }
    std::string ask(const std::string& request) {
        const std::string line = request + "\n";
        REQUIRE(::write(to_, line.data(), line.size()) == static_cast<ssize_t>(line.size()));
        std::string reply;
        char c;
        while (::read(from_, &c, 1) == 1 && c != '\n') reply += c;
        return reply;
    }

private:
    pid_t pid_ = -1;
    int to_ = -1, from_ = -1;
};

// What GTK's file chooser does to every file it lists: open, read the first bytes, close.
void sniff(const fs::path& file) {
    for (const char* suffix : {"", "-wal", "-shm"}) {
        const std::string path = file.string() + suffix;
        int fd = ::open(path.c_str(), O_RDONLY);
        if (fd < 0) {
            FAIL_CHECK(path << " is gone: another process deleted it while this one had the file open");
            continue;
        }
        char buf[64];
        CHECK(::read(fd, buf, sizeof buf) > 0);
        ::close(fd);
    }
}

std::int64_t count(db::Database& d, const std::string& where) {
    auto st = d.prepare("SELECT count(*) FROM cuec WHERE " + where);
    st.step();
    return st.getInt(0);
}

int openDescriptors() {
    int n = 0;
    for ([[maybe_unused]] auto& f : fs::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

struct BusyTimeout {
    explicit BusyTimeout(const char* ms) { ::setenv("TICKMARK_BUSY_TIMEOUT_MS", ms, 1); }
    ~BusyTimeout() { ::unsetenv("TICKMARK_BUSY_TIMEOUT_MS"); }
};

}  // namespace

TEST_CASE("a foreign open and close of the file, its log and its shared memory leave the locks in place") {
    TempDir d;
    const auto file = d / "e.tickmark";
    { newEngagement(file); }
    Child other([&](const std::string& request) -> std::string {
        ::setenv("TICKMARK_BUSY_TIMEOUT_MS", "200", 1);
        if (request == "write") {
            try {
                db::Database c(file.string(), db::Database::Mode::OpenExisting);
                db::Transaction tx(c);
                c.exec("INSERT INTO cuec(description) VALUES ('written by the other process')");
                tx.commit();
                return "wrote";
            } catch (const BusyError&) {
                return "busy";
            }
        }
        if (request == "open and close") {
            { db::Database c(file.string(), db::Database::Mode::OpenExisting); c.pragmaInt("user_version"); }
            return fs::exists(file.string() + "-wal") ? "log kept" : "log deleted";
        }
        return "unknown request";
    });

    {
        auto e = Engagement::open(file);
        e.db().exec("INSERT INTO cuec(description) VALUES ('first write')");
        REQUIRE(fs::exists(file.string() + "-wal"));
        {
            db::Transaction tx(e.db());  // holds the write lock
            e.db().exec("INSERT INTO cuec(description) VALUES ('second write')");
            sniff(file);
            CHECK(other.ask("write") == "busy");  // the other process is kept out of the write it would clash with
            tx.commit();
        }
        sniff(file);
        // The other process's close does not find itself last: it leaves the log this one reads.
        CHECK(other.ask("open and close") == "log kept");
        CHECK(fs::exists(file.string() + "-wal"));
        CHECK(count(e.db(), "1") == 2);
        CHECK(count(e.db(), "description = 'written by the other process'") == 0);
        auto check = e.db().prepare("PRAGMA integrity_check");
        check.step();
        CHECK(check.getText(0) == "ok");
    }
    // Closed here: the other process writes, and its close folds the log in (no lock was left behind).
    CHECK(other.ask("write") == "wrote");
    CHECK_FALSE(fs::exists(file.string() + "-wal"));
    auto e = Engagement::open(file);
    CHECK(count(e.db(), "1") == 3);
}

TEST_CASE("two connections of one process share the file: each sees the other's writes, waits for its write lock, and neither leaves a lock behind") {
    TempDir d;
    const auto file = d / "e.tickmark";
    { auto e = newEngagement(file); testPartner(e); }
    const int descriptorsBefore = openDescriptors();
    BusyTimeout wait("150");
    {
        auto a = Engagement::open(file);
        const Actor pa = testPartner(a);
        auto b = std::make_unique<Engagement>(Engagement::open(file));
        const Actor pb = testPartner(*b);
        CHECK(a.db().pragmaInt("synchronous") == 2);  // FULL: a commit is on disk when it returns

        a.addCuec(pa, "Written through a.", {"CC6.1"});
        CHECK(count(b->db(), "description = 'Written through a.'") == 1);
        b->addCuec(pb, "Written through b.", {"CC6.1"});
        CHECK(count(a.db(), "description = 'Written through b.'") == 1);
        {
            db::Transaction tx(a.db());
            CHECK_THROWS_AS(b->addCuec(pb, "Refused while a writes.", {"CC6.1"}), BusyError);
        }
        b->addCuec(pb, "Written through b again.", {"CC6.1"});
        sniff(file);
        b.reset();  // b closes while a stays open
        a.addCuec(pa, "Written through a after b closed.", {"CC6.1"});
        CHECK(count(a.db(), "1") == 4);
        CHECK(count(a.db(), "description = 'Refused while a writes.'") == 0);
    }
    // The last close took the exclusive lock to fold the log in: nobody in this process kept a lock.
    CHECK_FALSE(fs::exists(file.string() + "-wal"));
    CHECK_FALSE(fs::exists(file.string() + "-holders"));
    CHECK(openDescriptors() == descriptorsBefore);
    // And a connection opened now takes the file exclusively at once.
    db::Database c(file.string(), db::Database::Mode::OpenExisting);
    CHECK_NOTHROW(c.exec("BEGIN EXCLUSIVE; COMMIT"));
}

TEST_CASE("a write kept waiting by another program exits 2 naming who has the file open, and leaves the file unchanged") {
    TempDir d;
    const auto file = d / "e.tickmark";
    { auto e = newEngagement(file); testPartner(e); }
    const auto f = quote(file.string());
    // A line left by a process that was killed: it names nobody.
    pid_t dead = ::fork();
    if (dead == 0) ::_exit(0);
    ::waitpid(dead, nullptr, 0);
    char host[256] = {};
    ::gethostname(host, sizeof host - 1);
    write(file.string() + "-holders", "x\ttickmark-desk\tGhost Member\t" + std::to_string(dead) + "\t" + host +
                                          "\t2026-01-01T00:00:00Z\t1\n");

    db::setProgramName("tickmark-desk");
    {
        auto e = Engagement::open(file);
        testPartner(e);  // signs in: the record names the member
        const std::string record = read(file.string() + "-holders");
        CHECK_THAT(record, Contains("tickmark-desk\tTest Partner\t" + std::to_string(::getpid())));
        CHECK_THAT(record, !Contains("Ghost Member"));  // the dead process's line was dropped
        const std::string cmd = "TICKMARK_BUSY_TIMEOUT_MS=300 TICKMARK_PASSWORD=test-partner-pw " + std::string(TICKMARK_CLI) +
                                " cuec add " + f + " --text 'Added from the CLI.' --criteria CC6.1 --user TP";
        {
            db::Transaction tx(e.db());  // the desk is in the middle of a write
            auto r = sh(cmd);
            CHECK(r.status == 2);
            CHECK_THAT(r.err, Contains("e.tickmark is busy") && Contains("open in tickmark-desk (Test Partner, since ") &&
                                  Contains("process " + std::to_string(::getpid())) && Contains("Nothing was changed; try again"));
            CHECK_THAT(r.err, !Contains("Ghost") && !Contains("internal") && !Contains("storage error"));
            CHECK(count(e.db(), "description = 'Added from the CLI.'") == 0);
            // Reading is never kept waiting by a write.
            CHECK(cli("info " + f).status == 0);
        }
        auto r = sh(cmd);
        CHECK(r.status == 0);
        CHECK(r.err.empty());
        CHECK(count(e.db(), "description = 'Added from the CLI.'") == 1);
    }
    db::setProgramName(program_invocation_short_name);
    CHECK_FALSE(fs::exists(file.string() + "-holders"));  // the last one out removed it
}

TEST_CASE("a program that does not say who it is still gets a busy message, not a storage error") {
    TempDir d;
    const auto file = d / "e.tickmark";
    { auto e = newEngagement(file); testPartner(e); }
    // The sqlite3 shell holds the write lock (POSIX locks: they conflict with Tickmark's OFD locks).
    const auto f = quote(file.string());
    FILE* shell = ::popen(("sqlite3 " + f + " > /dev/null").c_str(), "w");
    REQUIRE(shell);
    std::fputs("BEGIN IMMEDIATE;\nINSERT INTO cuec(description) VALUES ('from the shell');\n", shell);
    std::fflush(shell);
    ::usleep(300000);
    auto r = sh("TICKMARK_BUSY_TIMEOUT_MS=300 TICKMARK_PASSWORD=test-partner-pw " + std::string(TICKMARK_CLI) + " cuec add " + f +
                " --text 'From the CLI.' --criteria CC6.1 --user TP");
    std::fputs("ROLLBACK;\n.quit\n", shell);
    ::pclose(shell);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("e.tickmark is busy") && Contains("does not say who it is"));
    auto e = Engagement::open(file);
    CHECK(count(e.db(), "1") == 0);
}

TEST_CASE("the outcome of the last write is known to the front ends: committed, or failed when refused, rolled back or kept waiting") {
    TempDir d;
    const auto file = d / "e.tickmark";
    auto e = newEngagement(file);
    const Actor p = testPartner(e);
    const long before = db::committedWrites();
    e.addCuec(p, "Committed.", {"CC6.1"});
    CHECK(db::lastWriteOutcome() == db::WriteOutcome::Committed);
    CHECK(db::committedWrites() == before + 1);
    CHECK_THROWS_AS(e.addCuec(p, "", {"CC6.1"}), InputError);  // refused inside its transaction
    CHECK(db::lastWriteOutcome() == db::WriteOutcome::Failed);
    e.addCuec(p, "Committed again.", {"CC6.1"});
    CHECK(db::lastWriteOutcome() == db::WriteOutcome::Committed);
    BusyTimeout wait("50");
    auto other = Engagement::open(file);
    const Actor q = testPartner(other);
    {
        db::Transaction tx(e.db());
        CHECK_THROWS_AS(other.addCuec(q, "Kept waiting.", {"CC6.1"}), BusyError);  // never began
        CHECK(db::lastWriteOutcome() == db::WriteOutcome::Failed);
    }
    CHECK(db::committedWrites() == before + 2);
    CHECK(count(e.db(), "1") == 2);
}

// Passwords (issue 11): from a file only its owner reads or a pipe; the terminal restored on Ctrl-C at
// the prompt; an unknown member answered as slowly as a wrong password; the scrypt cost the program's,
// never the file's.
#include <catch2/catch.hpp>

#include <chrono>
#include <sys/stat.h>

#include "support.h"
#include "workpapers/people.h"

using namespace testsupport;
using Catch::Matchers::Contains;

namespace {
std::string demo(const TempDir& d) {
    REQUIRE(cli("demo " + quote(d.path().string())).status == 0);
    return (d / "lumen-ledger-fy26.tickmark").string();
}
}  // namespace

TEST_CASE("a password file: a file only its owner reads, or a pipe, and a file others read is refused") {
    TempDir d;
    auto f = quote(demo(d));
    auto pw = write(d / "pw", "prepare-2026\n");
    const std::string write = std::string(TICKMARK_CLI) + " description " + f + " --heading incidents --text 'None.' --user PR ";
    ::chmod(pw.c_str(), 0644);
    auto r = sh(write + "--password-file " + quote(pw.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("others can read it; make it yours alone (chmod 600"));
    ::chmod(pw.c_str(), 0600);
    CHECK(sh(write + "--password-file " + quote(pw.string())).status == 0);
    // Before the subcommand too, and from a descriptor (bash: 3< <(...)).
    r = sh("bash -c " + quote(std::string(TICKMARK_CLI) + " --password-file /dev/fd/3 description " + f +
                               " --heading incidents --text 'None again.' --user PR 3< <(printf 'prepare-2026\\n')"));
    CHECK(r.status == 0);
    // The file wins over the environment; a wrong one is a wrong password.
    auto bad = ::testsupport::write(d / "bad", "nope-nope\n");
    ::chmod(bad.c_str(), 0600);
    r = sh("TICKMARK_PASSWORD=prepare-2026 " + write + "--password-file " + quote(bad.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("wrong password for \"PR\""));
}

TEST_CASE("Ctrl-C at the password prompt leaves the terminal echoing") {
    TempDir d;
    auto f = demo(d);
    // A pseudo-terminal: wait for the prompt, send Ctrl-C, then read the terminal's flags as left.
    const std::string script =
        "import os,pty,sys,termios,time,select\n"
        "pid,fd=pty.fork()\n"
        "if pid==0:\n"
        "    os.environ.pop('TICKMARK_PASSWORD',None)\n"
        "    os.execv(sys.argv[1],[sys.argv[1],'description',sys.argv[2],'--heading','incidents','--text','x','--user','PR'])\n"
        "buf=b''\n"
        "end=time.time()+20\n"
        "while b'Password' not in buf and time.time()<end:\n"
        "    r,_,_=select.select([fd],[],[],0.5)\n"
        "    if r: buf+=os.read(fd,1024)\n"
        "echo_during=bool(termios.tcgetattr(fd)[3] & termios.ECHO)\n"
        "os.write(fd,b'\\x03')\n"
        "_,status=os.waitpid(pid,0)\n"
        "print('prompted' if b'Password' in buf else 'no prompt', 'echo-during' if echo_during else 'quiet-during',\n"
        "      'echo-after' if termios.tcgetattr(fd)[3] & termios.ECHO else 'quiet-after',\n"
        "      'signalled' if os.WIFSIGNALED(status) else 'exited')\n";
    auto r = sh("/usr/bin/python3 -c " + quote(script) + " " + quote(TICKMARK_CLI) + " " + quote(f));
    INFO(r.err);
    CHECK(r.out == "prompted quiet-during echo-after signalled\n");
}

TEST_CASE("sign-in: an unknown member takes as long as a wrong password, and a lowered scrypt cost checks nothing") {
    TempDir d;
    auto e = tickmark::Engagement::open(demo(d));
    using Clock = std::chrono::steady_clock;
    auto time = [&](const std::string& who) {
        auto t = Clock::now();
        CHECK_THROWS(tickmark::authenticate(e, who, "not-the-password"));
        return std::chrono::duration<double>(Clock::now() - t).count();
    };
    double wrong = 0, unknown = 0;
    for (int i = 0; i < 3; ++i) wrong += time("PR"), unknown += time("Nobody Atall");
    INFO("wrong password " << wrong / 3 << " s, unknown member " << unknown / 3 << " s");
    CHECK(unknown > 0.6 * wrong);  // the same scrypt work (the 2026-11 finding: 0.02 s against 0.16 s)

    // The sqlite3 shell sets PR's record to scrypt with N = 2 for a password the attacker knows.
    e.db().exec("UPDATE person SET password_hash = 'scrypt$2$8$1$000102030405060708090a0b0c0d0e0f$"
                "00000000000000000000000000000000000000000000000000000000000000000' WHERE initials = 'PR'");
    CHECK_THROWS_WITH(tickmark::authenticate(e, "PR", "anything"), Contains("wrong password for \"PR\""));
    CHECK_FALSE(tickmark::checkLegacyPassword("x", "scrypt$2$1$1$00$00"));
}

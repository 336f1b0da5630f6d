#include "app/cli/signin.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iostream>

#include "workpapers/errors.h"

namespace tickmark::cli {

namespace {

std::string passwordFile;
// The password read to open an encrypted engagement, and for whom: signing in to write uses it again.
std::string unlockedUser, unlockedPassword;

// The terminal as it was before the prompt turned echo off; put back on Ctrl-C (and the like) too.
termios savedTerminal{};
volatile sig_atomic_t echoOff = 0;

void restoreTerminal(int sig) {
    if (echoOff) tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal);
    signal(sig, SIG_DFL);
    raise(sig);
}

std::string readPasswordFile(const std::string& file) {
    // O_NOFOLLOW is not used: /dev/fd/N is a link to the descriptor, which is what is meant.
    int fd = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) throw InputError("--password-file " + file + ": cannot be read (" + std::strerror(errno) + ")");
    struct stat st {};
    fstat(fd, &st);
    if (S_ISREG(st.st_mode) && ((st.st_mode & 077) != 0 || st.st_uid != geteuid())) {
        ::close(fd);
        throw InputError("--password-file " + file + ": others can read it; make it yours alone (chmod 600 " + file + ")");
    }
    std::string content;
    char buf[256];
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0 && content.size() < 4096;) content.append(buf, static_cast<std::size_t>(n));
    ::close(fd);
    auto nl = content.find_first_of("\r\n");
    if (nl != std::string::npos) content.resize(nl);
    if (content.empty()) throw InputError("--password-file " + file + ": its first line is empty");
    return content;
}

}  // namespace

void setPasswordFile(const std::string& file) { passwordFile = file; }

std::string readPassword(const std::string& prompt, const char* envVar) {
    if (!passwordFile.empty() && std::string(envVar) == "TICKMARK_PASSWORD") return readPasswordFile(passwordFile);
    if (const char* env = std::getenv(envVar); env && *env) return env;
    std::string line;
    if (isatty(STDIN_FILENO)) {
        tcgetattr(STDIN_FILENO, &savedTerminal);
        termios quiet = savedTerminal;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        struct sigaction sa {}, oldInt {}, oldTerm {}, oldQuit {}, oldHup {};
        sa.sa_handler = restoreTerminal;
        sigemptyset(&sa.sa_mask);
        sigaction(SIGINT, &sa, &oldInt);
        sigaction(SIGTERM, &sa, &oldTerm);
        sigaction(SIGQUIT, &sa, &oldQuit);
        sigaction(SIGHUP, &sa, &oldHup);
        echoOff = 1;
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        std::fprintf(stderr, "%s", prompt.c_str());  // echo is off before anyone is asked to type
        std::getline(std::cin, line);
        tcsetattr(STDIN_FILENO, TCSANOW, &savedTerminal);
        echoOff = 0;
        sigaction(SIGINT, &oldInt, nullptr);
        sigaction(SIGTERM, &oldTerm, nullptr);
        sigaction(SIGQUIT, &oldQuit, nullptr);
        sigaction(SIGHUP, &oldHup, nullptr);
        std::fprintf(stderr, "\n");
    } else {
        std::getline(std::cin, line);
    }
    if (line.empty())
        throw InputError(std::string("no password given: use --password-file FILE, set ") + envVar + ", or type it when asked");
    return line;
}

Actor signIn(Engagement& e, const std::string& user) {
    if (team(e).empty()) throw InputError(noTeamMessage(e));
    if (user.empty()) throw InputError("sign in with --user NAME (the password comes from TICKMARK_PASSWORD or a prompt)");
    if (!unlockedUser.empty() && user == unlockedUser) return authenticate(e, user, unlockedPassword);
    return authenticate(e, user, readPassword("Password for " + user + ": "));
}

Credentials unlockCredentials(const std::filesystem::path& file, const std::string& user) {
    if (user.empty())
        throw InputError(file.string() + " is encrypted: every command signs in, reads included; give --user INITIALS "
                                         "(or set TICKMARK_USER) and the password");
    if (user != unlockedUser) {
        unlockedPassword = readPassword("Password for " + user + " (to open " + file.filename().string() + "): ");
        unlockedUser = user;
    }
    return {user, unlockedPassword};
}

}  // namespace tickmark::cli

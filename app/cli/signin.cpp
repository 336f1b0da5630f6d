#include "app/cli/signin.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "workpapers/errors.h"

namespace tickmark::cli {

std::string readPassword(const std::string& prompt, const char* envVar) {
    if (const char* env = std::getenv(envVar); env && *env) return env;
    std::string line;
    if (isatty(STDIN_FILENO)) {
        std::fprintf(stderr, "%s", prompt.c_str());
        termios old{};
        tcgetattr(STDIN_FILENO, &old);
        termios quiet = old;
        quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
        tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
        std::getline(std::cin, line);
        tcsetattr(STDIN_FILENO, TCSANOW, &old);
        std::fprintf(stderr, "\n");
    } else {
        std::getline(std::cin, line);
    }
    if (line.empty())
        throw InputError(std::string("no password given: set ") + envVar + " or type it when asked");
    return line;
}

Actor signIn(Engagement& e, const std::string& user) {
    if (team(e).empty()) throw InputError(noTeamMessage(e));
    if (user.empty()) throw InputError("sign in with --user NAME (the password comes from TICKMARK_PASSWORD or a prompt)");
    return authenticate(e, user, readPassword("Password for " + user + ": "));
}

}  // namespace tickmark::cli

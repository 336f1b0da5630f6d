#pragma once
// Helpers the tests share: a scratch folder per test, files written byte for byte, the CLI run
// as a user would run it.
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>

#include "workpapers/engagement.h"
#include "workpapers/people.h"

namespace testsupport {

namespace fs = std::filesystem;

class TempDir {
public:
    // `base`: where to make it; a memory-backed folder (/dev/shm) for tests that write thousands of
    // small files, where fsync on a disk would be most of the run time.
    explicit TempDir(const fs::path& base = fs::temp_directory_path()) {
        std::random_device rd;
        path_ = base / ("tickmark-test-" + std::to_string(::getpid()) + "-" + std::to_string(rd()));
        fs::create_directories(path_);
    }
    ~TempDir() {
        std::error_code ec;
        fs::remove_all(path_, ec);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path operator/(const std::string& name) const { return path_ / name; }
    const fs::path& path() const { return path_; }

private:
    fs::path path_;
};

inline fs::path write(const fs::path& p, const std::string& bytes) {
    std::ofstream out(p, std::ios::binary);
    out << bytes;
    return p;
}

inline std::string read(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::ostringstream s;
    s << in.rdbuf();
    return s.str();
}

inline fs::path sourceDir() { return TICKMARK_SOURCE_DIR; }
inline fs::path criteriaCsv() { return sourceDir() / "templates" / "tsc-2017.csv"; }

// A Type II engagement for 2025-01-01..2025-12-31, Security + Availability.
inline tickmark::Engagement newEngagement(const fs::path& file) {
    tickmark::EngagementSetup s;
    s.client = "Test Client, Inc.";
    s.systemName = "Test System";
    s.reportType = tickmark::ReportType::TypeII;
    s.periodStart = tickmark::parseIsoDate("2025-01-01");
    s.periodEnd = tickmark::parseIsoDate("2025-12-31");
    s.categories = {"availability"};
    return tickmark::Engagement::create(file, s, criteriaCsv());
}

// The signed-in engagement partner every test write is made by: on an engagement without a team,
// "Test Partner" (TP) starts it (one scrypt hash, ~0.1 s); after that, TP signs in. Call it once per
// engagement and keep the Actor.
inline tickmark::Actor testPartner(tickmark::Engagement& e) {
    if (tickmark::team(e).empty())
        return tickmark::addEngagementPartner(e, "Test Partner", "TP", {"partner", "reviewer"}, "test-partner-pw");
    return tickmark::authenticate(e, "TP", "test-partner-pw");
}

// A member the partner adds, then signed in with the password just set: what a fixture's team needs.
inline tickmark::Actor joinTeam(tickmark::Engagement& e, const tickmark::Actor& partner, const std::string& name,
                                const std::string& initials, const std::vector<std::string>& roles, const std::string& password) {
    tickmark::addPerson(e, partner, name, initials, roles, password);
    return tickmark::authenticate(e, initials, password);
}

struct Result {
    int status;
    std::string out, err;
};

// Runs a shell command line; stdout and stderr captured separately.
inline Result sh(const std::string& command) {
    TempDir d;
    std::string full = command + " >" + (d / "out").string() + " 2>" + (d / "err").string();
    int rc = std::system(full.c_str());
    return {WIFEXITED(rc) ? WEXITSTATUS(rc) : -1, read(d / "out"), read(d / "err")};
}

inline std::string quote(const std::string& s) {
    std::string q = "'";
    for (char c : s) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
    return q + "'";
}

inline Result cli(const std::string& args) { return sh(std::string(TICKMARK_CLI) + " " + args); }

// The CLI tests' engagement partner, Pat Partner (PP, password partner-pass-1), signs the command in.
inline Result asPartner(const std::string& args) {
    return sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " " + args + " --user PP");
}

// Runs tests/tools/make_sheets.py (openpyxl, or package parts written by hand) to make a workbook.
inline fs::path makeSheet(const std::string& kind, const fs::path& out) {
    auto r = sh("/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "make_sheets.py").string()) + " " + kind +
                " " + quote(out.string()));
    if (r.status != 0) throw std::runtime_error("make_sheets.py " + kind + " failed: " + r.err);
    return out;
}

}  // namespace testsupport

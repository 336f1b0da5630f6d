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
#include <vector>

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
    ~TempDir();
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    fs::path operator/(const std::string& name) const { return path_ / name; }
    const fs::path& path() const { return path_; }
    // A server database this test made (engagementAt), dropped with the folder.
    void own(const std::string& database) const { databases_.push_back(database); }

private:
    fs::path path_;
    mutable std::vector<std::string> databases_;
};

// The private test server's socket folder (scripts/pg_test_server.sh), when the suite has one.
inline std::string testServer() {
    const char* dir = std::getenv("TICKMARK_TEST_PG");
    return dir ? dir : "";
}
// True when this run of the suite keeps its engagements on the server (TICKMARK_TEST_ENGINE=server).
inline bool onServer() {
    const char* engine = std::getenv("TICKMARK_TEST_ENGINE");
    return engine && std::string(engine) == "server";
}
inline std::string serverUri(const std::string& database) {
    if (testServer().empty()) throw std::runtime_error("TICKMARK_TEST_PG is not set: start scripts/pg_test_server.sh");
    return "postgresql:///" + database + "?host=" + testServer() + "&user=postgres";
}
// A new database name on the test server, dropped with `d`.
inline std::string newServerDatabase(const TempDir& d, const std::string& name) {
    std::string db = "tm_" + std::to_string(::getpid()) + "_" + std::to_string(std::random_device{}() % 100000000) + "_";
    for (char c : name) db += std::isalnum(static_cast<unsigned char>(c)) ? static_cast<char>(std::tolower(c)) : '_';
    db = db.substr(0, 63);
    d.own(db);
    return db;
}

// Where a test keeps an engagement: the file `name` in its folder, or, when the suite runs against the
// server, a database of its own on the private test server (dropped with the folder). Engine-neutral
// tests take their engagement from here and are tagged [engines]: ctest runs them on both.
inline std::string engagementAt(const TempDir& d, const std::string& name = "e.tickmark") {
    if (!onServer()) return (d / name).string();
    return serverUri(newServerDatabase(d, name));
}

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
    // On a server an engagement starts with its partner (the server refuses rows without a trail entry):
    // the same "Test Partner" testPartner() would add on a file.
    if (tickmark::db::isServerLocation(file.string()))
        return tickmark::Engagement::create(file, s, criteriaCsv(), [](tickmark::Engagement& e) {
            tickmark::addEngagementPartner(e, "Test Partner", "TP", {"partner", "reviewer"}, "test-partner-pw");
        });
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

// The text inside quote()'s quotes.
inline std::string cliArg(const std::string& quoted) {
    std::string s = quoted.size() >= 2 && quoted.front() == '\'' ? quoted.substr(1, quoted.size() - 2) : quoted;
    for (std::size_t p; (p = s.find("'\\''")) != std::string::npos;) s.replace(p, 4, "'");
    return s;
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

// `tickmark demo` run as a user would, building the demo engagement where engagementAt puts
// engagements; returns its location. `out`: what the command printed.
inline std::string cliDemo(const TempDir& d, std::string* out = nullptr) {
    std::string at = onServer() ? engagementAt(d, "lumen") : (d / "lumen-ledger-fy26.tickmark").string();
    auto r = sh(std::string(TICKMARK_CLI) + " demo " + quote(d.path().string()) + (onServer() ? " --at " + quote(at) : ""));
    if (r.status != 0) throw std::runtime_error("tickmark demo failed: " + r.err);
    if (out) *out = r.out;
    return at;
}

// A query run on the engagement behind the program's back: the sqlite3 shell on a file, psql (as the
// server's superuser) on the server. One line per row, columns joined by '|', as both shells print them.
inline Result rawSql(const std::string& location, const std::string& sql) {
    if (tickmark::db::isServerLocation(location)) return sh("psql -q -At -v ON_ERROR_STOP=1 " + quote(location) + " -c " + quote(sql));
    return sh("sqlite3 " + quote(location) + " " + quote(sql));
}

inline TempDir::~TempDir() {
    for (auto& db : databases_)
        std::system(("psql -q -h " + quote(testServer()) + " -U postgres -d postgres -c " +
                     quote("DROP DATABASE IF EXISTS " + db + " WITH (FORCE)") + " -c " +
                     quote("DROP ROLE IF EXISTS \"" + db.substr(0, 58) + "_team\"") + " >/dev/null 2>&1").c_str());
    std::error_code ec;
    fs::remove_all(path_, ec);
}

}  // namespace testsupport

#include "workpapers/holders.h"

#include "workpapers/engagement.h"  // utcNow

#include <fcntl.h>
#include <signal.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <functional>
#include <mutex>
#include <sstream>

namespace tickmark::db {
namespace {

std::mutex nameMutex;
std::string& programName() {
    static std::string name = program_invocation_short_name;
    return name;
}

std::string hostName() {
    char buf[256] = {};
    if (::gethostname(buf, sizeof buf - 1) != 0) return "?";
    return buf;
}

// The process's start time in clock ticks since boot (field 22 of /proc/PID/stat): with the pid,
// it tells a live holder from a dead one whose pid was reused.
std::string startTime(long pid) {
    std::ifstream in("/proc/" + std::to_string(pid) + "/stat");
    std::string s;
    std::getline(in, s);
    auto close = s.rfind(')');
    if (close == std::string::npos) return "";
    std::istringstream rest(s.substr(close + 2));
    std::string field;
    for (int i = 3; i <= 22 && rest >> field; ++i) {
        if (i == 22) return field;
    }
    return "";
}

std::string clean(std::string s) {
    for (auto& c : s)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return s;
}

struct Line {
    std::string token;
    Holder h;
    std::string started;
};

std::vector<Line> parse(const std::string& text) {
    std::vector<Line> out;
    std::istringstream in(text);
    std::string row;
    while (std::getline(in, row)) {
        std::vector<std::string> f;
        std::size_t a = 0;
        for (;;) {
            auto b = row.find('\t', a);
            f.push_back(row.substr(a, b == std::string::npos ? std::string::npos : b - a));
            if (b == std::string::npos) break;
            a = b + 1;
        }
        if (f.size() < 7) continue;
        Line l;
        l.token = f[0];
        l.h.program = f[1];
        l.h.member = f[2];
        l.h.pid = std::atol(f[3].c_str());
        l.h.host = f[4];
        l.h.since = f[5];
        l.started = f[6];
        if (f.size() > 7) l.h.workpaper = f[7];  // records of earlier versions have 7 fields
        out.push_back(std::move(l));
    }
    return out;
}

std::string format(const std::vector<Line>& lines) {
    std::string s;
    for (auto& l : lines)
        s += clean(l.token) + "\t" + clean(l.h.program) + "\t" + clean(l.h.member) + "\t" + std::to_string(l.h.pid) + "\t" +
             clean(l.h.host) + "\t" + clean(l.h.since) + "\t" + clean(l.started) + "\t" + clean(l.h.workpaper) + "\n";
    return s;
}

// A holder on this host whose process is gone (or whose pid now belongs to another process).
bool dead(const Line& l) {
    if (l.h.host != hostName() || l.h.pid <= 0) return false;
    if (::kill(static_cast<pid_t>(l.h.pid), 0) != 0 && errno == ESRCH) return true;
    const std::string now = startTime(l.h.pid);
    return !now.empty() && !l.started.empty() && now != l.started;
}

std::string readAll(int fd) {
    std::string s;
    char buf[4096];
    ::lseek(fd, 0, SEEK_SET);
    for (ssize_t n; (n = ::read(fd, buf, sizeof buf)) > 0;) s.append(buf, static_cast<std::size_t>(n));
    return s;
}

// Edits the record under an exclusive flock (an OFD lock too: nobody else's close() drops it).
// Removes the file when no line is left. Returns false when the record cannot be written.
bool edit(const std::string& path, const std::function<void(std::vector<Line>&)>& change) {
    for (int attempt = 0; attempt < 20; ++attempt) {
        int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0666);  // less the umask, as the file beside it
        if (fd < 0) return false;
        if (::flock(fd, LOCK_EX) != 0) {
            ::close(fd);
            return false;
        }
        // The last holder out may have removed the file while this one waited: start again.
        struct stat a{}, b{};
        if (::fstat(fd, &a) != 0 || ::stat(path.c_str(), &b) != 0 || a.st_ino != b.st_ino || a.st_dev != b.st_dev) {
            ::close(fd);
            continue;
        }
        auto lines = parse(readAll(fd));
        std::erase_if(lines, dead);
        change(lines);
        bool ok = true;
        if (lines.empty()) {
            ok = ::unlink(path.c_str()) == 0;
        } else {
            const std::string text = format(lines);
            ok = ::ftruncate(fd, 0) == 0 && ::pwrite(fd, text.data(), text.size(), 0) == static_cast<ssize_t>(text.size());
        }
        ::close(fd);  // releases the flock
        return ok;
    }
    return false;
}

std::string recordPath(const std::string& databasePath) { return databasePath + "-holders"; }

}  // namespace

void setProgramName(const std::string& name) {
    std::lock_guard<std::mutex> g(nameMutex);
    programName() = name;
}

HolderRecord::HolderRecord(std::string databasePath) : record_(recordPath(databasePath)) {
    static std::atomic<long> counter{0};
    {
        std::lock_guard<std::mutex> g(nameMutex);
        self_.program = programName();
    }
    self_.pid = static_cast<long>(::getpid());
    self_.host = hostName();
    self_.since = utcNow();
    const std::string started = startTime(self_.pid);
    token_ = std::to_string(self_.pid) + "." + started + "." + std::to_string(++counter);
    written_ = edit(record_, [&](std::vector<Line>& lines) { lines.push_back({token_, self_, started}); });
}

HolderRecord::~HolderRecord() {
    if (!written_) return;
    const std::string token = token_;
    edit(record_, [&](std::vector<Line>& lines) { std::erase_if(lines, [&](const Line& l) { return l.token == token; }); });
}

void HolderRecord::setMember(const std::string& member) {
    self_.member = member;
    if (!written_) return;
    edit(record_, [&](std::vector<Line>& lines) {
        for (auto& l : lines)
            if (l.token == token_) l.h.member = member;
    });
}

void HolderRecord::setWorkpaper(const std::string& workpaper) {
    self_.workpaper = workpaper;
    if (!written_) return;
    edit(record_, [&](std::vector<Line>& lines) {
        for (auto& l : lines)
            if (l.token == token_) l.h.workpaper = workpaper;
    });
}

std::vector<Holder> otherHolders(const std::string& databasePath) {
    std::vector<Holder> out;
    int fd = ::open(recordPath(databasePath).c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
    if (fd < 0) return out;
    ::flock(fd, LOCK_SH);
    auto lines = parse(readAll(fd));
    ::close(fd);
    const long me = static_cast<long>(::getpid());
    const std::string host = hostName();
    for (auto& l : lines) {
        if (dead(l) || (l.h.pid == me && l.h.host == host)) continue;
        // One line per process: its earliest open, and whoever signed in on any of its connections.
        auto same = std::find_if(out.begin(), out.end(), [&](const Holder& h) { return h.pid == l.h.pid && h.host == l.h.host; });
        if (same == out.end()) {
            out.push_back(l.h);
            continue;
        }
        if (same->member.empty()) same->member = l.h.member;
        if (same->workpaper.empty()) same->workpaper = l.h.workpaper;
        if (l.h.since < same->since) same->since = l.h.since;
    }
    return out;
}

std::string describe(const Holder& h) {
    std::string since = h.since;
    if (since.size() >= 16 && since[10] == 'T') since = since.substr(0, 10) + " " + since.substr(11, 5) + " UTC";
    std::string s = h.program + " (" + (h.member.empty() ? std::string("nobody signed in yet") : h.member) + ", since " + since;
    if (h.host != hostName()) s += ", on " + h.host;
    return s + ", process " + std::to_string(h.pid) + ")";
}

}  // namespace tickmark::db

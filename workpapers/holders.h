#pragma once
// Who has an engagement file open: a small record beside it, FILE-holders, one line per open
// connection (program, signed-in member, pid, host, since when), so that a program kept waiting
// can say who it waits for. Each Tickmark program adds its line when it opens the file and takes
// it out when it closes it; the last one out removes the record. Lines of processes that died on
// this host (kill -9, a crash) are ignored and dropped by the next update. A record that cannot
// be written (a read-only folder) is skipped: it only informs, it never guards anything (the
// locks do).
#include <string>
#include <vector>

namespace tickmark::db {

struct Holder {
    std::string program;  // tickmark, tickmark-desk, ...
    std::string member;   // the signed-in team member; empty until someone signs in
    long pid = 0;
    std::string host;
    std::string since;    // UTC, ISO 8601 (empty when the server does not say)
    std::string workpaper;  // what the member has open in the desk ("test:CM-03"); empty when none
};

class HolderRecord {
public:
    explicit HolderRecord(std::string databasePath);
    ~HolderRecord();
    HolderRecord(const HolderRecord&) = delete;
    HolderRecord& operator=(const HolderRecord&) = delete;

    // Records who signed in on this connection, and the workpaper they have open.
    void setMember(const std::string& member);
    void setWorkpaper(const std::string& workpaper);

private:
    std::string record_, token_;
    Holder self_;
    bool written_ = false;
};

// The live holders of `databasePath` other than this process.
std::vector<Holder> otherHolders(const std::string& databasePath);

// "tickmark-desk (Dana Whitfield, since 2026-12-04 15:32 UTC)", and the host when not this one.
std::string describe(const Holder& h);

// The name other programs know this one by (default: the executable's name).
void setProgramName(const std::string& name);

}  // namespace tickmark::db

#pragma once
// The one way a write happens (SQLiteCpp's RAII, GnuCash's one entry to the backend): opened first,
// as BEGIN IMMEDIATE (the write lock is taken before anything is read) or as a savepoint inside
// another write, it checks that the signed-in person belongs to this file's team. The caller then
// checks the rules on what this transaction reads, changes, appends to the audit trail and commits;
// anything not committed is rolled back, so a refused write leaves the file as it was.
#include "workpapers/db.h"
#include "workpapers/people.h"

namespace tickmark {

class UnitOfWork {
public:
    UnitOfWork(Engagement& e, const Actor& who) : tx_(e.db()) { requireMember(e, who); }
    void commit() { tx_.commit(); }

private:
    db::Transaction tx_;
};

}  // namespace tickmark

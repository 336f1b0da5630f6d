#pragma once
// The one way a write happens (SQLiteCpp's RAII, GnuCash's one entry to the backend): opened first,
// as BEGIN IMMEDIATE (the write lock is taken before anything is read) or as a savepoint inside
// another write, it checks that the signed-in person belongs to this file's team. The caller then
// checks the rules on what this transaction reads, changes, appends to the audit trail and commits;
// anything not committed is rolled back, so a refused write leaves the file as it was.
#include "workpapers/db.h"
#include "workpapers/people.h"
#include "workpapers/proof/seal.h"
#include "workpapers/trail.h"

namespace tickmark {

//
// The outermost one ends sealed (workpapers/proof/seal.h): the actor signs the trail's head and the state
// of each workpaper the write touched.
class UnitOfWork {
public:
    UnitOfWork(Engagement& e, const Actor& who) : e_(e), who_(who), tx_(e.db()), headBefore_(AuditTrail(e.db()).head()) {
        requireMember(e, who);
    }
    void commit() {
        proof::sealWrite(e_, who_, headBefore_);  // only the outermost one seals
        tx_.commit();
    }

private:
    Engagement& e_;
    const Actor& who_;
    db::Transaction tx_;
    std::int64_t headBefore_;
};

}  // namespace tickmark

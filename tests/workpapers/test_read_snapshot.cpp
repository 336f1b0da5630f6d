// Checks that compare one table with another read one state of the file. Found by the sharing stress
// run: `audit verify` read the seals, another program committed a sealed write, and the trail then
// showed an entry "sealed by no team member: written outside Tickmark" (or a scope "changed outside
// Tickmark"): a false alarm of tampering, exit 2.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>

#include "support.h"
#include "workpapers/proof/seal.h"
#include "workpapers/trail.h"

using namespace tickmark;
using namespace testsupport;

namespace {
std::int64_t trailEntries(Engagement& e) {
    auto st = e.db().prepare("SELECT count(*) FROM audit_trail");
    st.step();
    return st.getInt(0);
}
}  // namespace

TEST_CASE("a read snapshot sees one state of the file while another connection commits", "[engines]") {
    TempDir d;
    auto f = engagementAt(d);
    {
        auto e = newEngagement(f);
        testPartner(e);
    }
    auto reader = Engagement::open(f);
    auto writer = Engagement::open(f);
    auto me = testPartner(writer);
    const auto before = trailEntries(reader);
    {
        db::ReadSnapshot snapshot(reader.db());
        CHECK(trailEntries(reader) == before);
        writer.addCuec(me, "User entities review access quarterly.", {"CC6.1"});
        CHECK(trailEntries(writer) > before);
        CHECK(trailEntries(reader) == before);  // still the state the snapshot began with
        CHECK(proof::verifyProof(reader).all().empty());
        // No write may begin inside it (it could only fail or mix states).
        CHECK_THROWS_AS(db::Transaction(reader.db()), std::logic_error);
    }
    CHECK(trailEntries(reader) == trailEntries(writer));  // after it, the file as it is now
    CHECK(proof::verifyProof(reader).all().empty());
}

TEST_CASE("verifying while another connection keeps committing sealed writes finds nothing to report", "[engines]") {
    TempDir d;
    auto f = engagementAt(d);
    {
        auto e = newEngagement(f);
        testPartner(e);
    }
    std::atomic<bool> done{false}, signedIn{false};
    std::atomic<int> writes{0}, checks{0};
    // Both go on until each has done its share (60 writes, 11 checks): on a loaded machine either may be slow.
    auto more = [&] { return writes < 60 || checks < 11; };
    std::thread writing([&] {
        auto w = Engagement::open(f);
        auto me = testPartner(w);
        signedIn = true;
        while (!done && more()) {
            w.addCuec(me, "User entities review access, round " + std::to_string(writes.load()) + ".", {"CC6.1"});
            ++writes;
        }
    });
    auto reader = Engagement::open(f);
    std::vector<std::string> alarms;
    while (!signedIn) std::this_thread::yield();
    for (; more() && alarms.empty(); ++checks) {
        auto found = proof::verifyProof(reader).all();
        alarms.insert(alarms.end(), found.begin(), found.end());
    }
    done = true;
    writing.join();
    INFO((alarms.empty() ? std::string() : alarms.front()));
    CHECK(alarms.empty());
    CHECK(writes > 10);  // the writes really ran alongside the checks
    CHECK(checks > 10);
    CHECK(verifyTrail(reader).intact);
}

// Encryption at rest (workpapers/store/): what an encrypted engagement's files hold on disk, who opens
// them, and what happens when a page is altered.
#include <catch2/catch.hpp>

#include <fstream>

#include "support.h"
#include "workpapers/controls.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/population.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

const std::string kClient = "Nóminas Peña Hermanos S.L.";
const std::string kEmployee = "José Peña";
const std::string kTicket = "PAYX-48213";
const std::string kEvidence = "termination letter: Zq9-evidence-body";
const std::string kPartnerPw = "partner-pw-2026";

EngagementSetup encryptedSetup() {
    EngagementSetup s;
    s.client = kClient;
    s.systemName = "Payroll";
    s.reportType = ReportType::TypeII;
    s.periodStart = parseIsoDate("2025-01-01");
    s.periodEnd = parseIsoDate("2025-12-31");
    s.encrypted = true;
    return s;
}

// Controls, a population naming the employee and the ticket, and an evidence file.
void fill(Engagement& e, const Actor& a, const TempDir& d) {
    ControlImportRequest c;
    c.file = write(d / "controls.csv",
                   "Control ID,Description,Criteria,Frequency,Nature\n"
                   "HR-02,Terminated employees lose access,CC6.2,As needed,Manual\n");
    importControls(e, a, c);
    std::string csv = "Ticket,Terminated,Employee\n" + kTicket + ",2025-03-04," + kEmployee + "\n";
    for (int i = 1; i <= 300; ++i) csv += "PAYX-" + std::to_string(50000 + i) + ",2025-05-0" + std::to_string(1 + i % 9) + ",Empleado " + std::to_string(i) + "\n";
    PopulationImportRequest p;
    p.file = write(d / "terminations.csv", csv);
    p.control = "HR-02";
    p.name = "Terminations";
    p.keyColumn = "Ticket";
    p.dateColumn = "Terminated";
    importPopulation(e, a, p);
    attachEvidence(e, a, {"engagement", std::nullopt, std::nullopt}, write(d / "letter.txt", kEvidence));
}

// What a thief would look for in the raw bytes.
void requireNoClientText(const fs::path& f) {
    INFO(f.string());
    const std::string bytes = read(f);
    REQUIRE(bytes.size() > 16384);
    CHECK(bytes.find("SQLite format 3") == std::string::npos);
    CHECK(bytes.find(kClient) == std::string::npos);
    CHECK(bytes.find(kEmployee) == std::string::npos);
    CHECK(bytes.find(kTicket) == std::string::npos);
    CHECK(bytes.find("Zq9-evidence-body") == std::string::npos);
    CHECK(bytes.find("Terminated employees") == std::string::npos);
    CHECK(bytes.find("Test Partner") == std::string::npos);
}

// The values come back from a reopened file, as written.
void requireRoundTrip(const fs::path& f, const Credentials& who, const TempDir& d, const std::string& exportDir) {
    auto e = Engagement::open(f, who);
    CHECK(e.encrypted());
    CHECK(e.setup().client == kClient);
    auto pops = listPopulations(e);
    REQUIRE(pops.size() == 1);
    PopulationItems items(e, pops[0].id);
    REQUIRE(items.rows() == 301);
    CHECK(items.at(1).key == kTicket);
    CHECK(items.at(1).cells.back() == kEmployee);
    CHECK(items.at(301).key == "PAYX-50300");
    auto ev = listEvidence(e);
    REQUIRE(ev.size() == 1);
    fs::create_directories(d / exportDir);
    CHECK(read(exportEvidence(e, ev[0].id, d / exportDir)) == kEvidence);
    CHECK(team(e).at(0).name == "Test Partner");
}

void flipByte(const fs::path& f, std::int64_t offset) {
    std::fstream io(f, std::ios::in | std::ios::out | std::ios::binary);
    io.seekg(offset);
    char c = 0;
    io.get(c);
    io.seekp(offset);
    io.put(static_cast<char>(c ^ 0x01));
}

struct ResetProvider {
    ~ResetProvider() { Engagement::setUnlockProvider(nullptr); }
};

}  // namespace

TEST_CASE("an encrypted engagement's file, WAL and copies hold no client text and no SQLite header", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    {
        auto n = createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner", "reviewer"}, kPartnerPw);
        // Keep the writes in the WAL: no checkpoint copies them into the main file while we look.
        n.engagement.db().exec("PRAGMA wal_autocheckpoint = 0");
        fill(n.engagement, n.partner, d);
        const auto wal = fs::path(f.string() + "-wal");
        REQUIRE(fs::exists(wal));
        CHECK(fs::file_size(wal) > 10 * (24 + 16384));  // the import's pages are in it
        CHECK(read(f).rfind("Tickmark encrypted engagement\n", 0) == 0);
        requireNoClientText(f);
        requireNoClientText(wal);
        n.engagement.copyTo(d / "copy.tickmark");
        requireNoClientText(d / "copy.tickmark");
        // The same bytes through a plain copy: the scan above does find them when they are there.
        n.engagement.copyTo(d / "plain.tickmark", CopyMode::Decrypted);
        const std::string plain = read(d / "plain.tickmark");
        CHECK(plain.rfind("SQLite format 3", 0) == 0);
        CHECK(plain.find(kEmployee) != std::string::npos);
        CHECK(plain.find(kClient) != std::string::npos);
    }
    requireNoClientText(f);  // checkpointed on close
    CHECK_FALSE(fs::exists(f.string() + "-wal"));
    requireRoundTrip(f, {"TP", kPartnerPw}, d, "out1");
    requireRoundTrip(d / "copy.tickmark", {"tp", kPartnerPw}, d, "out2");  // initials in any case
    // The plain copy opens with no sign-in at all and holds the same values.
    auto p = Engagement::open(d / "plain.tickmark");
    CHECK_FALSE(p.encrypted());
    CHECK(p.setup().client == kClient);
    CHECK_THROWS_WITH(p.copyTo(d / "copy.tickmark"), Contains("already there"));
}

TEST_CASE("opening an encrypted engagement: wrong password, non-member and no sign-in each say so", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
    ResetProvider reset;
    CHECK(Engagement::isEncrypted(f));
    CHECK_THROWS_WITH(Engagement::open(f, {"TP", "not-the-password"}),
                      Contains("wrong password for \"TP\"") && Contains("encrypted: every command signs in"));
    CHECK_THROWS_WITH(Engagement::open(f, {"ZZ", kPartnerPw}), Contains("no team member with the initials \"ZZ\""));
    CHECK_THROWS_WITH(Engagement::open(f, {"", ""}), Contains("is encrypted"));
    Engagement::setUnlockProvider(nullptr);
    CHECK_THROWS_WITH(Engagement::open(f), Contains("is encrypted"));
    int asked = 0;
    Engagement::setUnlockProvider([&](const fs::path&) {
        ++asked;
        return Credentials{"TP", kPartnerPw};
    });
    auto e = Engagement::open(f);
    CHECK(asked == 1);
    CHECK(e.setup().client == kClient);
    // A plain file never asks.
    newEngagement(d / "plain.tickmark");
    CHECK_FALSE(Engagement::isEncrypted(d / "plain.tickmark"));
    Engagement::open(d / "plain.tickmark");
    CHECK(asked == 1);
}

TEST_CASE("each member's password opens an encrypted engagement, and a changed or reset password replaces the old one", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    {
        auto n = createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
        addPerson(n.engagement, n.partner, "Sam Preparer", "SP", {"preparer"}, "sam-password-1");
    }
    {
        auto e = Engagement::open(f, {"SP", "sam-password-1"});
        CHECK(e.setup().client == kClient);
        auto sam = authenticate(e, "SP", "sam-password-1");
        changePassword(e, sam, "sam-password-2");
    }
    CHECK_THROWS_WITH(Engagement::open(f, {"SP", "sam-password-1"}), Contains("wrong password for \"SP\""));
    {
        auto e = Engagement::open(f, {"SP", "sam-password-2"});
        CHECK(authenticate(e, "SP", "sam-password-2").initials == "SP");
    }
    {
        auto e = Engagement::open(f, {"TP", kPartnerPw});
        resetMemberKey(e, authenticate(e, "TP", kPartnerPw), "SP", "sam-password-3");
    }
    CHECK_THROWS_WITH(Engagement::open(f, {"SP", "sam-password-2"}), Contains("wrong password for \"SP\""));
    CHECK(Engagement::open(f, {"SP", "sam-password-3"}).setup().client == kClient);
    CHECK(Engagement::open(f, {"TP", kPartnerPw}).setup().client == kClient);  // the partner's wrap untouched
}

TEST_CASE("a page altered on disk is reported as an altered file, not read", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    {
        auto n = createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
        fill(n.engagement, n.partner, d);
    }
    const auto size = static_cast<std::int64_t>(fs::file_size(f));
    REQUIRE((size - 8192) % 16384 == 0);
    SECTION("page 1") {
        flipByte(f, 8192 + 1000);
        CHECK_THROWS_WITH(Engagement::open(f, {"TP", kPartnerPw}), Contains("failed its integrity check"));
    }
    SECTION("the last page, found when it is read") {
        flipByte(f, size - 16384 + 5000);
        auto e = Engagement::open(f, {"TP", kPartnerPw});
        CHECK_THROWS_WITH(e.db().exec("PRAGMA integrity_check"), Contains("altered or damaged"));
    }
    SECTION("a page's tag") {
        flipByte(f, size - 3);
        auto e = Engagement::open(f, {"TP", kPartnerPw});
        CHECK_THROWS_AS(e.db().exec("PRAGMA integrity_check"), StorageError);
    }
    SECTION("one copy of the key header: the other one opens the file") {
        flipByte(f, 72 + 60);  // inside the first wrap's sealed key, in the first copy
        CHECK(Engagement::open(f, {"TP", kPartnerPw}).setup().client == kClient);
    }
    SECTION("both copies of the key header") {
        flipByte(f, 72 + 60);
        flipByte(f, 4096 + 72 + 60);
        CHECK_THROWS_WITH(Engagement::open(f, {"TP", kPartnerPw}), Contains("key header") && Contains("damaged"));
    }
}

TEST_CASE("the CLI: new --encrypted, every command signs in, copy keeps it encrypted, the demo stays plain", "[encryption]") {
    TempDir d;
    const std::string f = quote((d / "enc.tickmark").string());
    const std::string pw = "TICKMARK_PASSWORD=" + kPartnerPw + " ";
    auto r = sh(pw + TICKMARK_CLI " new " + f + " --client " + quote(kClient) +
                " --system Payroll --period 2025-01-01..2025-12-31 --partner 'Test Partner' --initials TP");
    REQUIRE(r.status == 0);
    CHECK(read(d / "enc.tickmark").rfind("Tickmark encrypted engagement\n", 0) != 0);  // not without --encrypted ...
    fs::remove(d / "enc.tickmark");
    r = sh("TICKMARK_ENCRYPT_NEW=1 " + pw + TICKMARK_CLI " new " + f + " --client " + quote(kClient) +
           " --system Payroll --period 2025-01-01..2025-12-31 --partner 'Test Partner' --initials TP");
    REQUIRE(r.status == 0);
    CHECK(read(d / "enc.tickmark").rfind("Tickmark encrypted engagement\n", 0) == 0);  // ... the firm default encrypts
    r = sh("env -u TICKMARK_USER " TICKMARK_CLI " info " + f);
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("is encrypted") && Contains("--user"));
    r = sh("TICKMARK_PASSWORD=wrong-password " TICKMARK_CLI " info " + f + " --user TP");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("wrong password for \"TP\""));
    r = sh(pw + TICKMARK_CLI " info " + f + " --user TP");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains(kClient));
    r = sh(pw + "TICKMARK_USER=TP " TICKMARK_CLI " info " + f);
    CHECK(r.status == 0);
    // A write signs in with the same --user and password, asked once.
    r = sh(pw + TICKMARK_CLI " cuec add " + f + " --text 'Customers review access.' --criteria CC6.2 --user TP");
    CHECK(r.status == 0);
    r = sh(pw + TICKMARK_CLI " copy " + f + " " + quote((d / "copy.tickmark").string()) + " --user TP");
    REQUIRE(r.status == 0);
    const std::string copy = read(d / "copy.tickmark");
    CHECK(copy.rfind("Tickmark encrypted engagement\n", 0) == 0);
    CHECK(copy.find("Customers review access.") == std::string::npos);
    r = sh(pw + TICKMARK_CLI " copy " + f + " " + quote((d / "copy.tickmark").string()) + " --user TP");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("already there"));
    r = sh(pw + TICKMARK_CLI " info " + quote((d / "copy.tickmark").string()) + " --user TP --json");
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("Customers review access."));
    // The demo is built plain whatever the firm default, so anyone can inspect it.
    r = sh("TICKMARK_ENCRYPT_NEW=1 " TICKMARK_CLI " demo " + quote((d / "demo").string()) + " --json");
    REQUIRE(r.status == 0);
    for (auto& entry : fs::directory_iterator(d / "demo"))
        if (entry.path().extension() == ".tickmark") CHECK(read(entry.path()).rfind("SQLite format 3", 0) == 0);
}

TEST_CASE("a write larger than the page cache (WAL frames rewritten in place, checksums filled in at commit) reads back", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    {
        auto n = createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
        auto& e = n.engagement;
        e.db().exec("PRAGMA cache_size = 8");  // 8 pages: the import spills pages to the WAL before it commits
        e.db().exec("PRAGMA wal_autocheckpoint = 0");
        ControlImportRequest c;
        c.file = write(d / "controls.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Daily,Manual\n");
        importControls(e, n.partner, c);
        std::string csv = "Ticket,Opened,Summary\n";
        for (int i = 0; i < 20000; ++i)
            csv += "CHG-" + std::to_string(100000 + i) + ",2025-0" + std::to_string(1 + i % 9) + "-1" + std::to_string(i % 9) +
                   ",\"Change " + std::to_string(i) + ", with a summary long enough to fill pages\"\n";
        PopulationImportRequest p;
        p.file = write(d / "changes.csv", csv);
        p.control = "CM-03";
        p.name = "Changes";
        p.keyColumn = "Ticket";
        p.dateColumn = "Opened";
        CHECK(importPopulation(e, n.partner, p).rows == 20000);
        CHECK(fs::file_size(f.string() + "-wal") > 40 * (24 + 16384));
        requireNoClientText(f.string() + "-wal");
    }
    auto e = Engagement::open(f, {"TP", kPartnerPw});
    PopulationItems items(e, listPopulations(e).at(0).id);
    REQUIRE(items.rows() == 20000);
    CHECK(items.at(1).key == "CHG-100000");
    CHECK(items.at(20000).key == "CHG-119999");
    CHECK(items.at(12345).cells.back() == "Change 12344, with a summary long enough to fill pages");
    e.db().exec("PRAGMA integrity_check");
}

TEST_CASE("in rollback-journal mode the journal is encrypted too, and a rollback plays it back", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    {
        auto n = createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
        fill(n.engagement, n.partner, d);
    }
    auto e = Engagement::open(f, {"TP", kPartnerPw});
    e.db().exec("PRAGMA journal_mode = DELETE");
    e.db().exec("PRAGMA cache_size = 4");  // the changed pages spill to the file: the journal must hold the old ones
    const auto journal = fs::path(f.string() + "-journal");
    {
        db::Transaction tx(e.db());
        e.db().exec("UPDATE population_block SET data = zeroblob(length(data))");
        e.db().exec("UPDATE engagement SET client = 'changed'");
        REQUIRE(fs::exists(journal));
        CHECK(fs::file_size(journal) > 2 * 16384);
        requireNoClientText(journal);
        // not committed: the destructor rolls back from the journal
    }
    CHECK_FALSE(fs::exists(journal));
    CHECK(e.setup().client == kClient);
    PopulationItems items(e, listPopulations(e).at(0).id);
    CHECK(items.at(1).cells.back() == kEmployee);
    e.db().exec("PRAGMA integrity_check");
}

TEST_CASE("an encrypted copy of a plain engagement opens for the partner who made it, and for others once their keys are reset", "[encryption]") {
    TempDir d;
    const auto f = d / "plain.tickmark";
    auto setup = encryptedSetup();
    setup.encrypted = false;
    auto n = createEngagement(f, setup, criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
    addPerson(n.engagement, n.partner, "Sam Preparer", "SP", {"preparer"}, "sam-password-1");
    fill(n.engagement, n.partner, d);
    CHECK_FALSE(n.engagement.encrypted());
    CHECK_THROWS_WITH(n.engagement.copyEncrypted(d / "enc.tickmark", n.partner, "not-the-password"), Contains("wrong password"));
    CHECK_FALSE(fs::exists(d / "enc.tickmark"));
    n.engagement.copyEncrypted(d / "enc.tickmark", n.partner, kPartnerPw);
    requireNoClientText(d / "enc.tickmark");
    CHECK(Engagement::isEncrypted(d / "enc.tickmark"));
    requireRoundTrip(d / "enc.tickmark", {"TP", kPartnerPw}, d, "out");
    CHECK_THROWS_WITH(Engagement::open(d / "enc.tickmark", {"SP", "sam-password-1"}), Contains("no team member with the initials \"SP\""));
    {
        auto e = Engagement::open(d / "enc.tickmark", {"TP", kPartnerPw});
        resetMemberKey(e, authenticate(e, "TP", kPartnerPw), "SP", "sam-password-2");
    }
    CHECK(Engagement::open(d / "enc.tickmark", {"SP", "sam-password-2"}).setup().client == kClient);
}

TEST_CASE("an independent implementation (Python: hashlib scrypt, cryptography's AES-GCM) opens every page and WAL frame as documented", "[encryption]") {
    TempDir d;
    const auto f = d / "enc.tickmark";
    auto n = createEngagement(f, encryptedSetup(), criteriaCsv(), "Test Partner", "TP", {"partner"}, kPartnerPw);
    addPerson(n.engagement, n.partner, "Sam Preparer", "SP", {"preparer"}, "sam-password-1");
    n.engagement.db().exec("PRAGMA wal_autocheckpoint = 0");
    fill(n.engagement, n.partner, d);
    const std::string tool = "/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "check_encrypted.py").string()) + " " + quote(f.string());
    auto r = sh(tool + " SP sam-password-1");
    INFO(r.out << r.err);
    CHECK(r.status == 0);
    CHECK_THAT(r.out, Contains("ok pages="));
    CHECK_THAT(r.out, !Contains("frames=0"));  // the WAL's frames were read too
    r = sh(tool + " SP sam-password-2");
    CHECK(r.status == 1);
    CHECK_THAT(r.out, Contains("no wrap for SP opens"));
}

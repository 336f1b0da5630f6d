#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "sampling/selection.h"
#include "support.h"

using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

TEST_CASE("tickmark sample accept: a reviewer accepts a frequency adequacy finding with a reason, and test show flags it") {
    TempDir d;
    auto f = quote((d / "e.tickmark").string());
    auto as = [](const char* pw) { return std::string("TICKMARK_PASSWORD=") + pw + " " + TICKMARK_CLI + " "; };
    REQUIRE(sh(as("partner-pw-1") + "new " + f + " --client 'Acme SaaS' --system Platform --type 2 --period 2025-01-01..2025-12-31"
               " --partner 'Zoe Partner' --initials ZP").status == 0);
    write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nAR-01,Access reviewed,CC6.2,Quarterly,Manual\n");
    REQUIRE(sh(as("partner-pw-1") + "controls import " + f + " " + quote((d / "m.csv").string()) + " --user ZP").status == 0);
    REQUIRE(sh("TICKMARK_PASSWORD=partner-pw-1 TICKMARK_NEW_PASSWORD=senior-pw-1 " + std::string(TICKMARK_CLI) + " team add " + f +
               " --name 'Sam Senior' --initials SS --role preparer --user ZP").status == 0);
    write(d / "r.csv", "Review,Done\nR1,2025-01-10\nR2,2025-02-10\nR3,2025-04-10\nR4,2025-05-10\n"
                       "R5,2025-07-10\nR6,2025-08-10\nR7,2025-10-10\nR8,2025-11-10\n");
    REQUIRE(sh(as("senior-pw-1") + "population import " + f + " " + quote((d / "r.csv").string()) +
               " --control AR-01 --name Reviews --key Review --date Done --user SS").status == 0);
    // A seed that draws both reviews from one quarter (rows 2q+1 and 2q+2 are quarter q).
    std::uint64_t seed = 1;
    while (true) {
        auto p = tickmark::sampling::selectRandom(8, 2, seed);
        if (p[0] / 2 == p[1] / 2) break;
        ++seed;
    }
    write(d / "plan.json", R"({"method":"frequency","frequency":"quarterly","risk":"lower","sample_size":2})");
    REQUIRE(sh(as("senior-pw-1") + "sample draw " + f + " --population 1 --seed " + std::to_string(seed) + " --plan @" +
               quote((d / "plan.json").string()) + " --user SS").status == 0);
    REQUIRE(sh(as("senior-pw-1") + "test define " + f + " --control AR-01 --types inspection --sample 1 "
               "--procedure 'Inspected the review.' --attribute 'A=Reviewed by the owner' --user SS").status == 0);

    auto show = cli("test show " + f + " --control AR-01 --json");
    REQUIRE(show.status == 0);
    auto j = json::parse(show.out);
    REQUIRE(j["adequacy"].size() == 1);
    CHECK(j["adequacy"][0]["kind"] == "not-spread");
    CHECK(j["adequacy"][0]["required"] == 2);
    CHECK(j["adequacy"][0]["actual"] == 1);
    CHECK(j["adequacy"][0]["missing"].size() == 3);
    CHECK(j["adequacy"][0]["open"] == true);
    auto text = cli("test show " + f + " --control AR-01");
    CHECK_THAT(text.out, Contains("Frequency adequacy, not-spread"));
    CHECK_THAT(text.out, Contains("OPEN"));

    // A preparer may not accept; nor anyone without a reason. Both exit 2 and write nothing.
    auto r = sh(as("senior-pw-1") + "sample accept " + f + " --sample 1 --reason 'Fine' --user SS");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("Sam Senior is neither reviewer nor partner"));
    r = sh(as("partner-pw-1") + "sample accept " + f + " --sample 1 --reason '' --user ZP");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("needs the reason"));
    r = sh(as("partner-pw-1") + "sample accept " + f + " --sample 1 --user ZP");
    CHECK(r.status == 2);  // --reason is required
    CHECK(json::parse(cli("test show " + f + " --control AR-01 --json").out)["adequacy"][0]["open"] == true);

    r = sh(as("partner-pw-1") + "sample accept " + f + " --sample 1 --reason 'Two systems reviewed in Q1; agreed.' --user ZP --json");
    REQUIRE(r.status == 0);
    CHECK(json::parse(r.out)[0]["accepted"]["by"] == "Zoe Partner");
    j = json::parse(cli("test show " + f + " --control AR-01 --json").out);
    CHECK(j["adequacy"][0]["open"] == false);
    CHECK(j["adequacy"][0]["accepted"]["reason"] == "Two systems reviewed in Q1; agreed.");
    CHECK_THAT(cli("test show " + f + " --control AR-01").out, Contains("accepted by Zoe Partner: Two systems"));
    auto log = json::parse(cli("audit log " + f + " --workpaper test:AR-01 --json").out);
    CHECK(log.back()["field"] == "adequacy not-spread");
    CHECK(log.back()["reason"] == "Two systems reviewed in Q1; agreed.");
    CHECK(cli("audit verify " + f).status == 0);

    // The sample verifies as drawn.
    CHECK(cli("sample verify " + f + " --sample 1").status == 0);
}

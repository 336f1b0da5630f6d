#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.h"

using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {
std::string engagement(const TempDir& d) {
    auto f = (d / "e.tickmark").string();
    auto r = cli("new " + quote(f) + " --client 'Acme SaaS' --system Platform --type 2 --period 2025-01-01..2025-12-31 "
                 "--categories security,availability,confidentiality");
    REQUIRE(r.status == 0);
    write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Multiple times a day,Manual\n");
    REQUIRE(cli("controls import " + quote(f) + " " + quote((d / "m.csv").string())).status == 0);
    return f;
}
}  // namespace

TEST_CASE("tickmark population import --json reports the completeness profile") {
    TempDir d;
    auto f = engagement(d);
    auto csv = write(d / "p.csv", "Key,When\nA,2025-01-05\nA,2025-02-01\nB,2026-01-01\n,2025-03-01\nC,soon\n");
    auto r = cli("population import " + quote(f) + " " + quote(csv.string()) +
                 " --control CM-03 --name Changes --key Key --date When --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["rows"] == 5);
    CHECK(j["in_period"] == 3);
    CHECK(j["before_period"] == 0);
    CHECK(j["after_period"] == 1);
    CHECK(j["duplicate_keys"] == 1);
    CHECK(j["blank_keys"] == 1);
    CHECK(j["bad_dates"] == 1);
    CHECK(j["duplicates"][0]["key"] == "A");
    CHECK(j["bad_date_rows"][0]["row"] == 5);
    // The fingerprint matches what coreutils computes for the same bytes.
    auto sum = sh("sha256sum " + quote(csv.string()));
    CHECK(sum.out.substr(0, 64) == j["sha256"].get<std::string>());
    auto id = j["population_id"].get<int>();

    auto show = cli("population show " + quote(f) + " " + std::to_string(id) + " --json");
    REQUIRE(show.status == 0);
    CHECK(json::parse(show.out)["sha256"] == j["sha256"]);
    auto text = cli("population show " + quote(f) + " " + std::to_string(id));
    CHECK_THAT(text.out, Contains("! duplicate key A on rows 1, 2"));

    auto info = cli("info " + quote(f) + " --json");
    REQUIRE(info.status == 0);
    auto ij = json::parse(info.out);
    CHECK(ij["client"] == "Acme SaaS");
    CHECK(ij["criteria_in_scope"] == 38);
    CHECK(ij["populations"].size() == 1);
}

TEST_CASE("bad input exits 2 with the reason on stderr") {
    TempDir d;
    auto f = engagement(d);
    auto r = cli("new " + quote((d / "x.tickmark").string()) + " --client A --system B --period 2025-01-01");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--period"));
    r = cli("population import " + quote(f) + " " + quote((d / "m.csv").string()) +
            " --control NOPE --name X --key Key --date When");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("no control \"NOPE\""));
    r = cli("population show " + quote(f) + " 99");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("no population with id 99"));
    r = cli("info " + quote((d / "m.csv").string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("not a Tickmark engagement file"));
    r = cli("population import " + quote(f));
    CHECK(r.status == 2);
    r = cli("frobnicate");
    CHECK(r.status == 2);
}

TEST_CASE("tickmark demo builds the demo engagement") {
    TempDir d;
    auto r = cli("demo " + quote(d.path().string()) + " --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["client"] == "Lumen Ledger, Inc.");
    CHECK(j["controls"] == 45);
    CHECK(j["categories"] == json({"security", "availability", "confidentiality"}));
    REQUIRE(j["populations"].size() == 5);
    // Planted in demo/make_demo_data.py: 2,400 tickets + 2 before + 3 after + 2 exported twice.
    CHECK(j["populations"][0]["rows"] == 2407);
    CHECK(j["populations"][0]["in_period"] == 2401);
    CHECK(j["subservice_organizations"][0]["method"] == "carve-out");
    CHECK(j["cuecs"].size() == 3);
    CHECK(j["csocs"].size() == 3);
}

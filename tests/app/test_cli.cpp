#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.h"

using namespace testsupport;
using Catch::Matchers::Contains;
using nlohmann::json;

namespace {
std::string engagement(const TempDir& d) {
    auto f = engagementAt(d);
    auto r = sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " new " + quote(f) +
                " --client 'Acme SaaS' --system Platform --type 2 --period 2025-01-01..2025-12-31 "
                "--categories security,availability,confidentiality --partner 'Pat Partner' --initials PP --role partner,reviewer");
    REQUIRE(r.status == 0);
    write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Multiple times a day,Manual\n");
    REQUIRE(asPartner("controls import " + quote(f) + " " + quote((d / "m.csv").string())).status == 0);
    return f;
}
}  // namespace

TEST_CASE("tickmark population import --json reports the completeness profile", "[engines]") {
    TempDir d;
    auto f = engagement(d);
    auto csv = write(d / "p.csv", "Key,When\nA,2025-01-05\nA,2025-02-01\nB,2026-01-01\n,2025-03-01\nC,soon\n");
    auto r = asPartner("population import " + quote(f) + " " + quote(csv.string()) +
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
    auto r = sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " new " + quote((d / "x.tickmark").string()) +
                " --client A --system B --period 2025-01-01 --partner P --initials P");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("--period"));
    r = cli("new " + quote((d / "y.tickmark").string()) + " --client A --system B --period 2025-01-01..2025-12-31");
    CHECK(r.status == 2);  // no engagement partner
    CHECK_THAT(r.err, Contains("--partner"));
    CHECK_FALSE(fs::exists(d / "y.tickmark"));
    r = sh("TICKMARK_PASSWORD=short " + std::string(TICKMARK_CLI) + " new " + quote((d / "z.tickmark").string()) +
           " --client A --system B --period 2025-01-01..2025-12-31 --partner P --initials P");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("at least 8 characters"));
    CHECK_FALSE(fs::exists(d / "z.tickmark"));  // the file never exists without its partner
    r = asPartner("population import " + quote(f) + " " + quote((d / "m.csv").string()) +
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

TEST_CASE("tickmark plan and evaluate answer in JSON, with the AICPA numbers") {
    auto r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected 0.01 --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["sample_size"] == 93);
    CHECK(j["allowable_deviations"] == 1);
    r = cli("plan --method attribute --confidence 0.90 --tolerable 5% --expected 0.035 --json");
    CHECK(json::parse(r.out)["sample_size"] == 400);  // exact: ceil(0.035 * 400) = 14
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --likelihood hypergeometric --population-size 200 --json");
    CHECK(json::parse(r.out)["sample_size"] == 51);
    r = cli("plan --method frequency --frequency daily --risk higher --json");
    REQUIRE(r.status == 0);
    CHECK(json::parse(r.out)["sample_size"] == 40);
    r = cli("plan --method frequency --frequency daily --risk lower --population-size 12 --json");
    CHECK(json::parse(r.out)["sample_size"] == 12);
    CHECK(json::parse(r.out)["test_all"] == true);

    r = cli("evaluate --size 60 --deviations 1 --confidence 0.95 --tolerable 0.05 --json");
    REQUIRE(r.status == 0);
    j = json::parse(r.out);
    CHECK(j["upper_deviation_limit"].get<double>() == Approx(0.077));
    CHECK(j["upper_deviation_limit_exact"].get<double>() == Approx(0.07664).epsilon(1e-4));
    CHECK(j["supports_reliance"] == false);
    r = cli("evaluate --size 25 --deviations 0 --confidence 0.95 --json");
    CHECK(json::parse(r.out)["upper_deviation_limit"].get<double>() == Approx(0.113));
    r = cli("evaluate --method frequency --frequency multiple-daily --risk lower --size 25 --deviations 1 --json");
    CHECK(json::parse(r.out)["outcome"] == "extend-sample");
    CHECK(json::parse(r.out)["extend_by"] == 15);
}

TEST_CASE("bad planning input exits 2 and says why") {
    auto r = cli("plan --method attribute --confidence 1.2 --tolerable 0.05");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("strictly between 0.5 and 1"));
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0");
    CHECK(r.status == 2);
    r = cli("plan --method attribute --confidence 0.95 --tolerable 0.05 --expected 0.06 --json");
    CHECK(r.status == 2);
    CHECK(json::parse(r.out)["possible"] == false);
    CHECK_THAT(r.err, Contains("is not below the tolerable rate"));
    r = cli("evaluate --size 10 --deviations 12");
    CHECK(r.status == 2);
    r = cli("plan --method frequency --frequency fortnightly");
    CHECK(r.status == 2);
}

TEST_CASE("tickmark sample draw, show, extend and verify: a tampered population is caught", "[engines]") {
    TempDir d;
    auto f = engagement(d);
    std::string csv = "Key,When\n";
    for (int i = 1; i <= 300; ++i) csv += "K" + std::to_string(i) + ",2025-" + (i % 12 < 9 ? "0" : "") + std::to_string(i % 12 + 1) + "-15\n";
    auto src = write(d / "p.csv", csv);
    REQUIRE(asPartner("population import " + quote(f) + " " + quote(src.string()) + " --control CM-03 --name P --key Key --date When").status == 0);
    auto plan = cli("plan --method frequency --frequency multiple-daily --risk lower --json");
    write(d / "plan.json", plan.out);
    auto r = asPartner("sample draw " + quote(f) + " --population 1 --plan @" + quote((d / "plan.json").string()) +
                       " --seed 12345 --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["sample_id"] == 1);
    CHECK(j["seed"] == 12345);
    CHECK(j["size"] == 25);
    CHECK(j["plan"]["basis"] == "multiple-daily, lower risk: 25");
    REQUIRE(j["items"].size() == 25);
    CHECK(j["items"][0]["key"] == "K" + std::to_string(j["items"][0]["row"].get<int>()));
    CHECK(j["created_by"] == "Pat Partner");

    auto show = cli("sample show " + quote(f) + " --sample 1 --json");
    CHECK(json::parse(show.out)["items"] == j["items"]);
    auto ext = asPartner("sample extend " + quote(f) + " --sample 1 --by 15 --seed 7 --json");
    REQUIRE(ext.status == 0);
    CHECK(json::parse(ext.out)["extends_sample_id"] == 1);

    auto v = cli("sample verify " + quote(f) + " --sample 1");
    CHECK(v.status == 0);
    CHECK_THAT(v.out, Contains("identical"));
    v = cli("sample verify " + quote(f) + " --sample 2 --source " + quote(src.string()) + " --json");
    CHECK(v.status == 0);
    CHECK(json::parse(v.out)["identical"] == true);

    // One key of the stored population changed behind the program's back, the way someone who read
    // population.h would: each block decompressed (LZ4 frame), edited, compressed again. (A file's
    // blocks, with Python's sqlite3; the server's are changed the same way in test_server_store.cpp.)
    if (!onServer()) {
    auto t = sh("/usr/bin/python3 -c " +
                quote("import sqlite3, sys, lz4.frame\n"
                      "c = sqlite3.connect(sys.argv[1]); n = 0\n"
                      "for rowid, data in c.execute('SELECT rowid, data FROM population_block').fetchall():\n"
                      "    raw = lz4.frame.decompress(data)\n"
                      "    if b'K17' in raw:\n"
                      "        n += 1\n"
                      "        c.execute('UPDATE population_block SET data = ? WHERE rowid = ?',\n"
                      "                  (lz4.frame.compress(raw.replace(b'K17', b'K71'), store_size=True), rowid))\n"
                      "c.commit(); print(n)\n") +
                " " + quote(f));
    REQUIRE(t.status == 0);
    REQUIRE(t.out == "1\n");  // the edit happened, so the check below can fail
    v = cli("sample verify " + quote(f) + " --sample 1");
    CHECK(v.status == 2);
    CHECK_THAT(v.err, Contains("stored records changed since the selection was drawn"));
    }

    auto bad = asPartner("sample draw " + quote(f) + " --population 1 --size 5000");
    CHECK(bad.status == 2);
    CHECK_THAT(bad.err, Contains("larger than the frame"));
    bad = asPartner("sample draw " + quote(f) + " --population 9 --size 5");
    CHECK(bad.status == 2);
    bad = asPartner("sample draw " + quote(f) + " --population 1 --size 5 --seed -3");
    CHECK(bad.status == 2);
}

TEST_CASE("the demo's fieldwork: team, exceptions, open notes, a stale sign-off, an intact trail", "[engines]") {
    TempDir d;
    std::string out;
    auto f = cliDemo(d, &out);
    CHECK_THAT(out, Contains("DW  Dana Whitfield (partner,reviewer), password partner-2026"));
    CHECK_THAT(out, Contains("PR  Priya Raman (preparer), password prepare-2026"));
    auto info = json::parse(cli("info " + quote(f) + " --json").out);
    CHECK(info["team"].size() == 4);
    CHECK(info["fieldwork"]["tests"] == 45);
    CHECK(info["fieldwork"]["exceptions"] == 3);
    CHECK(info["fieldwork"]["open_review_notes"] == 2);
    CHECK(info["fieldwork"]["stale_signoffs"] == 2);  // LA-02: preparer and reviewer
    CHECK(info["audit_trail"]["intact"] == true);
    auto ex = json::parse(cli("exception list " + quote(f) + " --control CM-03 --json").out);
    REQUIRE(ex.size() == 1);
    CHECK(ex[0]["counts"] == "1 of 100");  // 60 drawn + 40 after extending, one deviation
    CHECK_FALSE(ex[0]["management_response"].get<std::string>().empty());
    auto so = json::parse(cli("signoff list " + quote(f) + " --workpaper test:LA-02 --json").out);
    REQUIRE(so.size() == 2);
    CHECK(so[0]["stale"] == true);
    CHECK(so[0]["changes_since"][0]["entity"].get<std::string>().rfind("result 3A (", 0) == 0);
}

TEST_CASE("fieldwork through the CLI: sign in, record, refuse, sign off, tamper, lock", "[engines]") {
    TempDir d;
    auto f = quote(cliDemo(d));
    auto as = [](const char* pw) { return std::string("TICKMARK_PASSWORD=") + pw + " "; };
    auto run = [&](const std::string& env, const std::string& args) { return sh(env + TICKMARK_CLI + " " + args); };

    auto r = run(as("wrong-password"), "result record " + f + " --control RM-02 --item 1 --attribute A --outcome pass --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("wrong password for \"PR\""));
    r = run(as("prepare-2026"), "result record " + f + " --control RM-02 --item 1 --attribute A --outcome pass --user PR");
    CHECK(r.status == 0);
    r = run(as("prepare-2026"), "result record " + f + " --control RM-02 --item 9 --attribute A --outcome pass --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("item 9 is not in the selection tested for RM-02"));
    r = run(as("review-2026"), "signoff add " + f + " --workpaper test:RM-02 --role reviewer --user ML");
    CHECK(r.status == 2);
    r = run(as("prepare-2026"), "signoff add " + f + " --workpaper test:RM-02 --role reviewer --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("does not hold the reviewer role"));

    auto evidence = write(d / "ticket.pdf", "%PDF-1.4 evidence");
    r = run(as("prepare-2026"), "evidence add " + f + " --file " + quote(evidence.string()) + " --control CM-03 --item 7 --attribute A --user PR --json");
    REQUIRE(r.status == 0);
    auto id = json::parse(r.out)["evidence_id"].get<int>();
    r = cli("evidence export " + f + " --id " + std::to_string(id) + " --to " + quote((d / "out").string()));
    CHECK(r.status == 0);
    CHECK(read(d / "out" / "ticket.pdf") == "%PDF-1.4 evidence");

    CHECK(cli("audit verify " + f).status == 0);
    if (!onServer()) {  // the server's trail, changed by its owner, is tried in test_server_store.cpp
        auto tampered = d / "tampered.tickmark";
        fs::copy_file(d / "lumen-ledger-fy26.tickmark", tampered);
        REQUIRE(sh("sqlite3 " + quote(tampered.string()) + " \"DROP TRIGGER audit_trail_no_update; UPDATE audit_trail SET actor = 'Someone Else' WHERE seq = 500\"").status == 0);
        r = cli("audit verify " + quote(tampered.string()));
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("broken at entry 500"));
    }

    CHECK(run(as("partner-2026"), "lock " + f + " --user DW").status == 2);  // no release date yet
    CHECK(run(as("review-2026"), "release " + f + " --date 2026-08-20 --user ML").status == 2);  // not a partner
    CHECK(run(as("partner-2026"), "release " + f + " --date 2026-08-20 --user DW").status == 0);
    CHECK(run(as("partner-2026"), "lock " + f + " --user DW").status == 0);
    r = run(as("prepare-2026"), "result record " + f + " --control RM-02 --item 1 --attribute A --outcome deviation --user PR");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("nothing may be changed or deleted"));
    r = run(as("review-2026"), "note raise " + f + " --workpaper test:CM-03 --text 'Archive memo' --user ML");
    CHECK(r.status == 2);
    r = run(as("review-2026"), "note raise " + f + " --workpaper test:CM-03 --text 'Archive memo' --reason 'Inspection request' --user ML");
    CHECK(r.status == 0);
    CHECK(cli("audit verify " + f).status == 0);
    if (onServer()) {  // the trail's owner turns the server's rules on it off and rewrites an entry: verify sees it
        REQUIRE(rawSql(cliArg(f), "ALTER TABLE audit_trail DISABLE TRIGGER USER; "
                                  "UPDATE audit_trail SET actor = 'Someone Else' WHERE seq = 500").status == 0);
        r = cli("audit verify " + f);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("broken at entry 500"));
    }
}

TEST_CASE("tickmark report: a draft always, --final refused while gates are open, nothing half-written", "[engines]") {
    TempDir d;
    auto f = quote(cliDemo(d));
    CHECK(fs::exists(d / "lumen-ledger-fy26-draft.pdf"));
    CHECK(fs::exists(d / "lumen-ledger-fy26-draft.xlsx"));

    auto r = cli("report " + f + " --pdf " + quote((d / "out.pdf").string()) + " --xlsx " + quote((d / "out.xlsx").string()) + " --json");
    REQUIRE(r.status == 0);
    auto j = json::parse(r.out);
    CHECK(j["draft"] == true);
    CHECK(j["opinion_proposed"] == "unmodified");
    CHECK(j["criteria_in_scope"] == 38);
    CHECK(j["gates"].size() == 12);  // with the populations gate (rules/population_currency.h)
    CHECK(sh("qpdf --check " + quote((d / "out.pdf").string())).status == 0);

    r = cli("report " + f + " --pdf " + quote((d / "final.pdf").string()) + " --final");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("cannot be issued as final; unmet gates"));
    CHECK_THAT(r.err, Contains("No open review notes: open: test:RM-02 note 3, test:OP-05 note 4"));
    CHECK_THAT(r.err, Contains("results missing: CF-02 (2 of 4 missing)"));
    CHECK_FALSE(fs::exists(d / "final.pdf"));

    r = cli("report " + f + " --pdf " + quote((d / "missing-folder" / "r.pdf").string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("does not exist; nothing was written"));

    auto as = [](const char* pw) { return std::string("TICKMARK_PASSWORD=") + pw + " " + TICKMARK_CLI + " "; };
    auto op = json::parse(sh(as("partner-2026") + "opinion " + f + " --json").out);
    CHECK(op["proposed"] == "unmodified");
    CHECK(op["chosen"].is_null());
    r = sh(as("partner-2026") + "opinion " + f + " --choose qualified --user DW");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("needs the partner's rationale"));
    r = sh(as("review-2026") + "opinion " + f + " --choose unmodified --user ML");
    CHECK(r.status == 2);
    CHECK(sh(as("partner-2026") + "opinion " + f + " --choose unmodified --user DW").status == 0);
    // The description changes after the choice: the choice is stale and the report cannot be signed on it.
    CHECK(sh(as("prepare-2026") + "description " + f + " --heading incidents --text 'None.' --user PR").status == 0);
    r = sh(as("prepare-2026") + "description " + f + " --heading weather --text 'Sunny' --user PR");
    CHECK(r.status == 2);
    op = json::parse(sh(as("partner-2026") + "opinion " + f + " --json").out);
    CHECK(op["stale"] == true);
    r = sh(as("partner-2026") + "signoff add " + f + " --workpaper report --role partner --user DW");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("the opinion choice is stale"));
    CHECK(sh(as("partner-2026") + "opinion " + f + " --choose unmodified --user DW").status == 0);
    CHECK(sh(as("partner-2026") + "signoff add " + f + " --workpaper report --role partner --user DW").status == 0);
    j = json::parse(cli("report " + f + " --xlsx " + quote((d / "again.xlsx").string()) + " --json").out);
    auto gateNamed = [&](const std::string& name) {
        for (auto& g : j["gates"]) if (g["gate"].get<std::string>().rfind(name, 0) == 0) return g;
        return json();
    };
    CHECK(gateNamed("The opinion chosen by the partner")["met"] == true);
    CHECK(gateNamed("Partner sign-off on the report")["met"] == true);
    // A change to a workpaper after the partner signed the report makes both decisions stale.
    CHECK(sh(as("partner-2026") + "particulars " + f + " --firm-city 'Salem, Massachusetts' --user DW").status == 0);
    j = json::parse(cli("report " + f + " --xlsx " + quote((d / "again.xlsx").string()) + " --json").out);
    CHECK(gateNamed("The opinion chosen by the partner")["met"] == false);
    CHECK(gateNamed("Partner sign-off on the report")["met"] == false);
}

TEST_CASE("tickmark team: the engagement partner starts the team, then a partner adds, never with a password in clear", "[engines]") {
    TempDir d;
    auto f = engagement(d);  // Pat Partner (PP) joined with `new`
    auto r = sh("TICKMARK_PASSWORD=partner-pass-1 TICKMARK_NEW_PASSWORD=second-pass " + std::string(TICKMARK_CLI) + " team add " + quote(f) +
                " --name 'Sam Senior' --initials SS --role preparer --user PP");
    REQUIRE(r.status == 0);
    r = sh("TICKMARK_PASSWORD=second-pass TICKMARK_NEW_PASSWORD=third-pass1 " + std::string(TICKMARK_CLI) + " team add " + quote(f) +
           " --name 'Other' --initials OT --role preparer --user SS");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("only a partner adds"));
    auto team = json::parse(cli("team list " + quote(f) + " --json").out);
    CHECK(team.size() == 2);
    auto dump = rawSql(f, "SELECT password_hash FROM person");
    CHECK(dump.out.find("partner-pass-1") == std::string::npos);
    CHECK_THAT(dump.out, Contains("sealed$131072$8$1$"));  // the signing key, sealed under the password at the program's cost
    auto trail = rawSql(f, "SELECT DISTINCT actor FROM audit_trail ORDER BY 1");
    CHECK(trail.out == "Pat Partner\n");  // the file's creation, the import and the new member: all the partner's
}

TEST_CASE("a file without a team refuses every write, naming the command that adds the engagement partner") {
    TempDir d;
    const auto file = d / "e.tickmark";
    { newEngagement(file); }  // as an earlier Tickmark left it: no team
    const auto f = quote(file.string());
    auto m = write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Multiple times a day,Manual\n");
    const std::string before = read(file);
    for (const std::string& args : {"controls import " + f + " " + quote(m.string()) + " --user Anyone",
                                    "controls import " + f + " " + quote(m.string()),
                                    "population import " + f + " " + quote(m.string()) + " --control CM-03 --name P --key 'Control ID' --date Frequency --user Anyone",
                                    "sample draw " + f + " --control CM-03 --method dates --size 2 --user Anyone",
                                    "subservice add " + f + " --name AWS --user Anyone",
                                    "cuec add " + f + " --text 'Customers review access.' --user Anyone",
                                    "csoc add " + f + " --subservice AWS --text 'Badges.' --user Anyone"}) {
        auto r = sh("TICKMARK_PASSWORD=whatever-1 " + std::string(TICKMARK_CLI) + " " + args);
        CHECK(r.status == 2);
        CHECK_THAT(r.err, Contains("has no team yet") && Contains("tickmark team add " + file.string() + " --name NAME --initials XX --role partner,reviewer"));
        CHECK(read(file) == before);  // byte for byte
    }
    // The first member must be the engagement partner; then the partner imports, under their name.
    auto r = sh("TICKMARK_PASSWORD=first-pass-1 " + std::string(TICKMARK_CLI) + " team add " + f + " --name 'Sam Senior' --initials SS --role preparer");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("the first team member is the engagement partner"));
    r = sh("TICKMARK_PASSWORD=first-pass-1 " + std::string(TICKMARK_CLI) + " team add " + f + " --name 'Pat Partner' --initials PP --role partner,reviewer");
    REQUIRE(r.status == 0);
    const std::string withTeam = read(file);
    r = sh("TICKMARK_PASSWORD=first-pass-1 " + std::string(TICKMARK_CLI) + " controls import " + f + " " + quote(m.string()));
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("sign in with --user"));
    r = sh("TICKMARK_PASSWORD=wrong-pass-1 " + std::string(TICKMARK_CLI) + " cuec add " + f + " --text 'X.' --user PP");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("wrong password for \"PP\""));
    r = sh("TICKMARK_PASSWORD=first-pass-1 " + std::string(TICKMARK_CLI) + " sample draw " + f +
           " --control CM-03 --method dates --size 2 --user 'Someone Else'");
    CHECK(r.status == 2);
    CHECK_THAT(r.err, Contains("no team member \"Someone Else\""));
    CHECK(read(file) == withTeam);  // byte for byte
    r = sh("TICKMARK_PASSWORD=first-pass-1 " + std::string(TICKMARK_CLI) + " controls import " + f + " " + quote(m.string()) + " --user PP");
    CHECK(r.status == 0);
    auto trail = sh("sqlite3 " + quote(file.string()) + " 'SELECT DISTINCT actor FROM audit_trail ORDER BY 1'");
    CHECK(trail.out == "Pat Partner\n");
}

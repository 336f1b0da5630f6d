#include "app/cli/proof_commands.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/output.h"
#include "app/cli/signin.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/people.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/keys.h"
#include "workpapers/proof/provenance.h"
#include "report/provenance_io.h"
#include "workpapers/proof/seal.h"
#include "workpapers/proof/team_keys.h"
#include "workpapers/trail.h"

namespace tickmark::cli {

using nlohmann::json;

struct ProofCommands {
    std::string file, user, name, initials, roles, identityReason, member, workpaper, report;
};

namespace {
void emit(const json& j) { std::cout << j.dump(2) << "\n"; }
}  // namespace

std::shared_ptr<ProofCommands> addProofCommands(CLI::App& app, std::function<void()>& action, bool& asJson, int& exitCode) {
    auto o = std::make_shared<ProofCommands>();
    auto& O = *o;
    auto fileOpt = [&](CLI::App* c) { c->add_option("file", O.file, "the engagement file")->required(); };
    auto userOpt = [&](CLI::App* c) {
        c->add_option("--user", O.user, "who acts (name or initials); password from --password-file, TICKMARK_PASSWORD or a prompt");
    };
    auto jsonOpt = [&](CLI::App* c) { c->add_flag("--json", asJson); };

    // team
    auto* teamCmd = app.add_subcommand("team", "The engagement team");
    teamCmd->require_subcommand(1);
    auto* teamAdd = teamCmd->add_subcommand("add", "Add a team member (the first adds themself; then a partner adds)");
    fileOpt(teamAdd);
    teamAdd->add_option("--name", O.name)->required();
    teamAdd->add_option("--initials", O.initials)->required();
    teamAdd->add_option("--role", O.roles, "preparer, reviewer, partner (comma list)")->required();
    teamAdd->add_option("--identity-reason", O.identityReason,
                        "a second identity of a member (the same name): why; recorded, and the duties rules see one person");
    userOpt(teamAdd);
    teamAdd->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            const std::string prompt = "New password for " + o->name + ": ";
            if (team(e).empty()) {
                // The engagement partner starts the team: no one signs in, so $TICKMARK_PASSWORD can only
                // mean theirs and serves too.
                const char* newEnv = std::getenv("TICKMARK_NEW_PASSWORD");
                auto pw = readPassword(prompt, newEnv && *newEnv ? "TICKMARK_NEW_PASSWORD" : "TICKMARK_PASSWORD");
                auto a = addEngagementPartner(e, o->name, o->initials, splitList(o->roles), pw);
                std::printf("Added %s (%s): %s, the engagement partner\n", a.name.c_str(), a.initials.c_str(), o->roles.c_str());
                return;
            }
            const Actor partner = signIn(e, o->user);
            // The new member's password: $TICKMARK_NEW_PASSWORD, or a prompt.
            auto p = addPerson(e, partner, o->name, o->initials, splitList(o->roles), readPassword(prompt, "TICKMARK_NEW_PASSWORD"),
                               o->identityReason);
            std::printf("Added %s (%s): %s%s\n", p.name.c_str(), p.initials.c_str(), o->roles.c_str(),
                        p.samePersonAs ? " (a second identity of a member, reason recorded)" : "");
        };
    });
    auto* teamList = teamCmd->add_subcommand("list", "List the team");
    fileOpt(teamList);
    jsonOpt(teamList);
    teamList->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            json a = json::array();
            const auto members = team(e);
            auto nameOf = [&](std::int64_t id) {
                for (auto& m : members)
                    if (m.id == id) return m.name + " (" + m.initials + ")";
                return std::to_string(id);
            };
            for (auto& p : members) {
                json m{{"name", p.name}, {"initials", p.initials}, {"roles", p.roles}, {"key_fingerprint", p.keyFingerprint},
                       {"key_certified_by", p.certifiedBy}};
                if (p.samePersonAs) m["second_identity_of"] = nameOf(*p.samePersonAs), m["identity_reason"] = p.identityReason;
                a.push_back(m);
            }
            if (asJson) return emit(a);
            for (auto& p : members) {
                std::string roles;
                for (auto& r : p.roles) roles += (roles.empty() ? "" : ", ") + r;
                std::printf("%-24s %-5s %-28s key %s%s\n", p.name.c_str(), p.initials.c_str(), roles.c_str(),
                            p.keyFingerprint.empty() ? "(none yet)" : p.keyFingerprint.c_str(),
                            p.certifiedBy.empty() ? (p.keyFingerprint.empty() ? "" : ", not certified")
                                                  : (p.certifiedBy == p.name ? ", the engagement's root" : (", certified by " + p.certifiedBy).c_str()));
                if (p.samePersonAs) std::printf("      second identity of %s: %s\n", nameOf(*p.samePersonAs).c_str(), p.identityReason.c_str());
            }
        };
    });

    auto* teamPassword = teamCmd->add_subcommand("password", "Change your password (your signing key is sealed again under it)");
    fileOpt(teamPassword);
    userOpt(teamPassword);
    teamPassword->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            const Actor a = signIn(e, o->user);
            changePassword(e, a, readPassword("New password for " + a.name + ": ", "TICKMARK_NEW_PASSWORD"));
            std::printf("Password changed for %s; the same signing key, sealed under the new password\n", a.name.c_str());
        };
    });
    auto* teamReset = teamCmd->add_subcommand("reset-key", "A partner gives a member who forgot their password a new one and a new key");
    fileOpt(teamReset);
    teamReset->add_option("--member", O.member, "name or initials")->required();
    userOpt(teamReset);
    teamReset->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            const Actor partner = signIn(e, o->user);
            resetMemberKey(e, partner, o->member, readPassword("New password for " + o->member + ": ", "TICKMARK_NEW_PASSWORD"));
            for (auto& p : team(e))
                if (p.name == o->member || p.initials == o->member)
                    std::printf("%s has a new password and a new signing key %s, certified by %s; what they signed before stays "
                                "verifiable under their old key\n", p.name.c_str(), p.keyFingerprint.c_str(), partner.name.c_str());
        };
    });
    auto* teamCertify = teamCmd->add_subcommand("certify", "A partner certifies a member's key and team record (after checking them)");
    fileOpt(teamCertify);
    teamCertify->add_option("--member", O.member, "name or initials")->required();
    userOpt(teamCertify);
    teamCertify->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            const Actor partner = signIn(e, o->user);
            certifyMemberKey(e, partner, o->member);
            std::printf("Certified the team record and key of %s\n", o->member.c_str());
        };
    });

    // audit
    auto* audit = app.add_subcommand("audit", "The audit trail");
    audit->require_subcommand(1);
    auto* verify = audit->add_subcommand("verify", "Check the hash chain: exit 0 intact, 2 with the first broken entry");
    fileOpt(verify);
    verify->add_option("--report", O.report, "also check that this PDF or DOCX report came from the file as it stands");
    jsonOpt(verify);
    verify->callback([&action, &asJson, &exitCode, o] {
        action = [&asJson, &exitCode, o] {
            auto e = Engagement::open(o->file);
            db::ReadSnapshot snapshot(e.db());  // every check below reads the same state of the file
            auto v = verifyTrail(e);
            if (!v.intact) {
                exitCode = 2;
                std::fprintf(stderr, "tickmark: the audit trail is broken at entry %lld: %s\n",
                             static_cast<long long>(*v.firstBroken), v.problem.c_str());
            }
            // Every signed workpaper recomputed against what was signed.
            auto altered = verifySignedRecords(e);
            json changed = json::array();
            for (auto& a : altered) {
                exitCode = 2;
                std::fprintf(stderr, "tickmark: %s\n", a.message().c_str());
                changed.push_back({{"workpaper", a.workpaper}, {"signer", a.signer}, {"role", a.role}, {"signed_at", a.signedAt},
                                   {"parts", a.parts}, {"message", a.message()}});
            }
            // Keys, seals, states, sign-off signatures, evidence content.
            const auto proof = proof::verifyProof(e);
            json findings = json::object();
            auto list = [&](const char* name, const std::vector<std::string>& v) {
                findings[name] = v;
                for (auto& m : v) {
                    exitCode = 2;
                    std::fprintf(stderr, "tickmark: %s\n", m.c_str());
                }
            };
            list("team", proof.team);
            list("seals", proof.seals);
            list("states", proof.states);
            list("signoffs", proof.signoffs);
            list("evidence", proof.evidence);
            json keys = json::array();
            for (auto& p : team(e))
                keys.push_back({{"name", p.name}, {"initials", p.initials}, {"fingerprint", p.keyFingerprint}, {"certified_by", p.certifiedBy}});
            const auto root = proof::rootKey(e.db());
            const std::string rootPrint = root ? proof::fingerprint(*root) : "";
            // A report: produced from this file, and does the file still stand as it did?
            json reportJson = nullptr;
            std::string reportText;
            if (!o->report.empty()) {
                auto props = report::readReportProperties(o->report, proof::ReportProvenance{}.properties());
                auto stamp = proof::ReportProvenance::fromProperties(props);
                if (!stamp)
                    throw InputError(o->report + ": carries no Tickmark provenance (not a report Tickmark produced, or one produced before "
                                                 "reports carried it); nothing to compare");
                auto check = proof::checkProvenance(e, *stamp);
                json since = json::array();
                for (auto& t : check.since) since.push_back(entryJson(t));
                reportJson = {{"file", o->report}, {"trail_seq", stamp->trailSeq}, {"from_this_file", check.fromThisFile},
                              {"as_it_stands", check.asItStands}, {"findings", check.findings}, {"entries_since", since}};
                if (!check.asItStands) exitCode = 2;
                for (auto& m : check.findings) std::fprintf(stderr, "tickmark: %s: %s\n", o->report.c_str(), m.c_str());
                reportText = check.asItStands
                    ? "Report " + o->report + ": produced from this file at trail entry " + std::to_string(stamp->trailSeq) +
                          "; what it rests on is unchanged (" + std::to_string(check.since.size()) + " trail entries since, none changing it).\n"
                    : check.fromThisFile
                    ? "Report " + o->report + ": produced from this file at trail entry " + std::to_string(stamp->trailSeq) +
                          ", but the file has changed what it rests on since: produce it again.\n"
                    : "Report " + o->report + ": NOT produced from this file as it stands.\n";
            }
            const bool intact = v.intact && altered.empty() && proof.clean() && (reportJson.is_null() || reportJson["as_it_stands"] == true);
            if (asJson)
                return emit({{"intact", intact}, {"chain_intact", v.intact}, {"entries", v.entries},
                             {"first_broken", v.firstBroken ? json(*v.firstBroken) : json(nullptr)}, {"problem", v.problem},
                             {"signed_records_changed", changed}, {"findings", findings}, {"root_key_fingerprint", rootPrint},
                             {"seals_checked", proof.sealsChecked}, {"signatures_checked", proof.signaturesChecked}, {"keys", keys},
                             {"report", reportJson}});
            if (v.intact) std::printf("Audit trail intact: %lld entries chain.\n", static_cast<long long>(v.entries));
            if (altered.empty()) std::printf("Signed workpapers: each one as it was signed.\n");
            if (proof.clean())
                std::printf("Signatures: %lld seals and %lld sign-offs verify under the team's certified keys; every workpaper is "
                            "as its last recorded write left it.\n",
                            static_cast<long long>(proof.sealsChecked), static_cast<long long>(proof.signaturesChecked));
            if (!rootPrint.empty()) std::printf("Engagement root key: %s\n", rootPrint.c_str());
            std::fputs(reportText.c_str(), stdout);
        };
    });
    auto* log = audit->add_subcommand("log", "Show the audit trail");
    fileOpt(log);
    log->add_option("--workpaper", O.workpaper);
    jsonOpt(log);
    log->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            json a = json::array();
            TrailQuery q;
            if (!o->workpaper.empty()) q.workpaper = o->workpaper;
            forEachTrailEntry(e, q, [&](const TrailEntry& t) {
                if (asJson) return a.push_back(entryJson(t));
                std::printf("%5lld %s %-16s %-7s %-16s %s.%s: %s -> %s%s%s\n", static_cast<long long>(t.seq), t.at.c_str(),
                            t.actor.c_str(), t.action.c_str(), t.workpaper.c_str(), t.entity.c_str(), t.field.c_str(),
                            t.oldValue.value_or("").c_str(), t.newValue.value_or("").c_str(),
                            t.reason.empty() ? "" : ("  (" + t.reason + ")").c_str(),
                            t.serverLogin ? ("  [server: " + *t.serverLogin + " " + t.serverAt.value_or("") + "]").c_str() : "");
            });
            if (asJson) emit(a);
        };
    });

    return o;
}

}  // namespace tickmark::cli

// tickmark: the command-line front end. Parses arguments, calls the library, prints the result.
// Exit codes: 0 success, 2 bad input or a refused operation, 1 internal failure.
#include <boost/algorithm/string/join.hpp>
#include <CLI/CLI.hpp>

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include "app/cli/output.h"
#include "app/cli/sampling_commands.h"
#include "app/cli/fieldwork_commands.h"
#include "app/cli/proof_commands.h"
#include "app/cli/presentation_commands.h"
#include "app/cli/population_commands.h"
#include "app/cli/report_commands.h"
#include "app/cli/signin.h"
#include "app/cli/server_commands.h"
#include "app/cli/workpapers_commands.h"
#include "workpapers/people.h"
#include "app/demo.h"
#include "workpapers/store/transfer.h"
#include "workpapers/controls.h"
#include "workpapers/db.h"
#include "workpapers/engagement.h"
#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/population.h"

namespace tickmark::cli {
namespace {

void emit(const nlohmann::json& j) { std::cout << j.dump(2) << "\n"; }

Date requireDate(const std::string& text, const std::string& what) {
    auto d = parseIsoDate(text);
    if (!d) throw InputError(what + " \"" + text + "\": write dates as YYYY-MM-DD");
    return *d;
}

int failure();

int run(int argc, char** argv) {
    CLI::App app{"Tickmark: SOC 2 fieldwork workbench"};
    app.require_subcommand(1);
    app.set_version_flag("--version", "tickmark " TICKMARK_VERSION);
    std::function<void()> action;

    bool json = false;
    int exitCode = 0;

    // tickmark new
    std::string file, client, systemName, period, asOf, categories = "security";
    std::string partner, partnerInitials, partnerRoles = "partner";
    int type = 2;
    auto* cNew = app.add_subcommand("new", "Create an engagement file");
    cNew->add_option("file", file, "the new engagement file (*.tickmark)")->required();
    cNew->add_option("--client", client, "the service organization")->required();
    cNew->add_option("--system", systemName, "the system examined")->required();
    cNew->add_option("--type", type, "report type: 1 (design at a date) or 2 (operating effectiveness over a period)")
        ->check(CLI::IsMember({1, 2}));
    cNew->add_option("--period", period, "Type II period START..END, e.g. 2025-07-01..2026-06-30");
    cNew->add_option("--as-of", asOf, "Type I date, YYYY-MM-DD");
    cNew->add_option("--categories", categories,
                     "categories in scope: security (always), availability, processing-integrity, confidentiality, privacy");
    cNew->add_option("--partner", partner, "the engagement partner, who is accountable for the file: their name")->required();
    cNew->add_option("--initials", partnerInitials, "the engagement partner's initials")->required();
    cNew->add_option("--role", partnerRoles, "the partner's roles (default: partner; e.g. partner,reviewer)");
    bool encryptNew = false, plainNew = false;
    cNew->add_flag("--encrypted", encryptNew,
                   "encrypt the whole file at rest: only team members, with their password, open it (the firm default when "
                   "TICKMARK_ENCRYPT_NEW=1)");
    cNew->add_flag("--plain", plainNew, "do not encrypt, whatever TICKMARK_ENCRYPT_NEW says");
    std::string timeZone;
    cNew->add_option("--time-zone", timeZone,
                     "the client's IANA time zone (e.g. America/Los_Angeles): timestamps with a UTC offset are placed "
                     "in the period by their day there");
    cNew->add_flag("--json", json);
    cNew->callback([&] {
        action = [&] {
            EngagementSetup s;
            s.client = client;
            s.systemName = systemName;
            s.reportType = type == 1 ? ReportType::TypeI : ReportType::TypeII;
            if (s.reportType == ReportType::TypeII) {
                auto dots = period.find("..");
                if (period.empty() || dots == std::string::npos)
                    throw InputError("--period: give the Type II period as START..END, e.g. 2025-07-01..2026-06-30");
                s.periodStart = requireDate(period.substr(0, dots), "--period start");
                s.periodEnd = requireDate(period.substr(dots + 2), "--period end");
            } else {
                if (asOf.empty()) throw InputError("--as-of: a Type I engagement needs its as-of date");
                s.asOf = requireDate(asOf, "--as-of");
            }
            s.categories = splitList(categories);
            if (!timeZone.empty()) s.timeZone = requireTimeZone(timeZone);
            if (encryptNew && plainNew) throw InputError("--encrypted and --plain: choose one");
            const char* firmDefault = std::getenv("TICKMARK_ENCRYPT_NEW");
            s.encrypted = encryptNew || (!plainNew && firmDefault && std::string(firmDefault) == "1");
            // The partner chooses their password here: $TICKMARK_PASSWORD, or a prompt.
            const std::string pw = readPassword("New password for " + partner + ": ");
            auto created = createEngagement(file, s, templatesDir() / "tsc-2017.csv", partner, partnerInitials,
                                            splitList(partnerRoles), pw);
            if (json) emit(engagementJson(created.engagement));
            else printEngagement(created.engagement, stdout);
        };
    });

    // tickmark info
    auto* cInfo = app.add_subcommand("info", "Show the engagement: scope, controls, populations");
    cInfo->add_option("file", file)->required();
    cInfo->add_flag("--json", json);
    cInfo->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            if (json) emit(engagementJson(e));
            else printEngagement(e, stdout);
        };
    });

    std::string source, sheet, user, reason, encoding;
    std::int64_t headerRow = 0;
    // tickmark time-zone
    bool clearZone = false;
    auto* cZone = app.add_subcommand("time-zone", "Set the client's time zone (IANA name), which places timestamps with "
                                                  "a UTC offset on the client's day");
    cZone->add_option("file", file)->required();
    cZone->add_option("zone", timeZone, "e.g. America/Los_Angeles, Europe/Berlin, UTC");
    cZone->add_flag("--clear", clearZone, "remove the time zone (offsets are then read in UTC)");
    cZone->add_option("--user", user, "who changes it (name or initials)");
    cZone->add_option("--reason", reason, "after assembly: why");
    cZone->callback([&] {
        action = [&] {
            if (clearZone == !timeZone.empty()) throw InputError("time-zone: give a zone, or --clear");
            auto e = Engagement::open(file);
            const Actor a = signIn(e, user);
            e.setTimeZone(a, clearZone ? std::nullopt : std::optional(timeZone), reason);
            auto z = e.timeZone();
            std::printf("Time zone: %s\n", z ? z->c_str() : "not set (offsets are read in UTC)");
            if (!listPopulations(e).empty())
                std::printf("  note: populations imported before keep the dates they were read with; replace them to "
                            "read their timestamps in the new zone\n");
        };
    });

    // tickmark controls import|list
    auto* cControls = app.add_subcommand("controls", "The control matrix");
    cControls->require_subcommand(1);
    std::vector<std::string> maps;
    auto* cCtlImport = cControls->add_subcommand("import", "Import the control matrix (CSV, XLSX, ODS)");
    cCtlImport->add_option("file", file)->required();
    cCtlImport->add_option("source", source, "the control matrix file")->required();
    cCtlImport->add_option("--sheet", sheet, "the sheet to read (default: the first with a table)");
    cCtlImport->add_option("--header-row", headerRow, "the row (1-based) naming the columns (default: found after title rows)");
    cCtlImport->add_option("--encoding", encoding, "text files: UTF-8, UTF-16LE, Windows-1252... (default: detected)");
    cCtlImport->add_option("--map", maps, "field=Header, for fields id, description, criteria, frequency, nature, owner");
    cCtlImport->add_option("--user", user, "who imports (name or initials); password from TICKMARK_PASSWORD or a prompt");
    cCtlImport->add_option("--reason", reason, "after assembly: why");
    cCtlImport->add_flag("--json", json);
    cCtlImport->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            ControlImportRequest req;
            req.file = source;
            req.reason = reason;
            if (!sheet.empty()) req.sheet = sheet;
            if (headerRow) req.headerRow = headerRow;
            if (!encoding.empty()) req.encoding = encoding;
            for (auto& m : maps) {
                auto eq = m.find('=');
                if (eq == std::string::npos) throw InputError("--map " + m + ": write it as field=Header");
                req.columnMap[m.substr(0, eq)] = m.substr(eq + 1);
            }
            TerminalProgress progress("Importing " + source, !json);
            const Actor a = signIn(e, user);
            auto r = importControls(e, a, req, &progress);
            if (json) return emit(toJson(r));
            std::printf("Imported %s: %lld controls added, %lld updated (SHA-256 %s)\n", terminalText(source).c_str(),
                        static_cast<long long>(r.added), static_cast<long long>(r.updated), r.source.sha256.c_str());
            printLayout(r.source, stdout);
            for (auto& w : r.warnings) std::printf("  note: %s\n", terminalText(w).c_str());
            for (auto& c : r.changes)
                std::printf("  changed %s %s: \"%s\" -> \"%s\" (its sign-offs before this are stale)\n",
                            terminalText(c.control).c_str(), c.field.c_str(), terminalText(c.oldValue).c_str(),
                            terminalText(c.newValue).c_str());
        };
    });
    auto* cCtlList = cControls->add_subcommand("list", "List the controls");
    cCtlList->add_option("file", file)->required();
    cCtlList->add_flag("--json", json);
    cCtlList->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            auto list = listControls(e);
            if (json) {
                nlohmann::json a = nlohmann::json::array();
                for (auto& c : list)
                    a.push_back({{"id", c.ref}, {"description", c.description}, {"criteria", c.criteria},
                                 {"frequency", c.frequency}, {"nature", c.nature}, {"owner", c.owner}});
                return emit(a);
            }
            for (auto& c : list) {
                const std::string crit = boost::algorithm::join(c.criteria, ",");
                std::printf("%-8s %-15s %-20s %-22s %s\n", terminalText(c.ref).c_str(), c.frequency.c_str(), c.nature.c_str(),
                            crit.c_str(), terminalText(c.description.substr(0, 60)).c_str());
            }
        };
    });

    // tickmark population import|show|list
    auto* cPop = app.add_subcommand("population", "Control populations");
    cPop->require_subcommand(1);
    std::string control, name, key, dateCol, amount, dateFormat, delimiter;
    auto* cPopImport = cPop->add_subcommand("import", "Import a population (CSV/TSV/UTF-16 text, XLSX, ODS)");
    cPopImport->add_option("file", file)->required();
    cPopImport->add_option("source", source, "the population file as the client delivered it")->required();
    cPopImport->add_option("--control", control, "the control this population belongs to")->required();
    cPopImport->add_option("--name", name, "a name for the population, e.g. \"Change tickets\"")->required();
    cPopImport->add_option("--key", key, "the column that identifies an item")->required();
    cPopImport->add_option("--date", dateCol, "the column that places an item in the period")->required();
    cPopImport->add_option("--amount", amount, "an amount column (optional)");
    cPopImport->add_option("--sheet", sheet, "the sheet to read (default: the first with a table)");
    cPopImport->add_option("--header-row", headerRow, "the row (1-based) naming the columns (default: found after title rows)");
    cPopImport->add_option("--encoding", encoding, "text files: UTF-8, UTF-16LE, Windows-1252... (default: detected)");
    cPopImport->add_option("--date-format", dateFormat,
                           "an Excel-style pattern (\"DD/MMM/YY h:mm AM/PM\", \"MMM D, YYYY\", \"YYYY/MM/DD\"), YYYY-MM-DD "
                           "(ISO 8601) or excel-serial (default: detected from the whole column)");
    bool acceptUnreadable = false;
    cPopImport->add_flag("--accept-unreadable-dates", acceptUnreadable,
                         "import even when most dates cannot be read (each is flagged); otherwise refused");
    cPopImport->add_option("--delimiter", delimiter, "text files: , ; or tab (default: detected)");
    cPopImport->add_option("--user", user, "who imports (name or initials); password from TICKMARK_PASSWORD or a prompt");
    cPopImport->add_option("--reason", reason, "after assembly: why");
    cPopImport->add_flag("--json", json);
    cPopImport->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            PopulationImportRequest req;
            req.file = source;
            req.reason = reason;
            req.control = control;
            req.name = name;
            req.keyColumn = key;
            req.dateColumn = dateCol;
            if (!amount.empty()) req.amountColumn = amount;
            if (!sheet.empty()) req.sheet = sheet;
            if (!dateFormat.empty()) req.dateFormat = requireDatePattern(dateFormat, "--date-format");
            if (headerRow) req.headerRow = headerRow;
            if (!encoding.empty()) req.encoding = encoding;
            req.acceptUnreadableDates = acceptUnreadable;
            if (!delimiter.empty()) {
                if (delimiter == "tab" || delimiter == "\\t") req.delimiter = '\t';
                else if (delimiter.size() == 1) req.delimiter = delimiter[0];
                else throw InputError("--delimiter " + delimiter + ": give one character, or tab");
            }
            TerminalProgress progress("Importing " + source, !json);
            const Actor a = signIn(e, user);
            auto profile = importPopulation(e, a, req, &progress);
            if (json) emit(toJson(profile));
            else printProfile(profile, stdout);
        };
    });
    std::int64_t popId = 0;
    auto* cPopShow = cPop->add_subcommand("show", "Show a population's completeness profile");
    cPopShow->add_option("file", file)->required();
    cPopShow->add_option("id", popId, "population id")->required();
    cPopShow->add_flag("--json", json);
    cPopShow->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            auto p = loadProfile(e, popId);
            if (json) {
                auto j = toJson(p);
                j.update(populationExtrasJson(e, popId));  // versions, controls served, analytics (population_commands.cpp)
                emit(j);
            } else {
                printProfile(p, stdout);
                printPopulationExtras(e, popId, stdout);
            }
        };
    });
    auto* cPopList = cPop->add_subcommand("list", "List the populations");
    cPopList->add_option("file", file)->required();
    cPopList->add_flag("--json", json);
    cPopList->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            auto j = engagementJson(e)["populations"];
            addPopulationListFields(e, j);
            if (json) return emit(j);
            for (auto& p : j)
                std::printf("%-4lld %-8s %-30s %8lld rows %8lld in period  %s%s\n", p["population_id"].get<long long>(),
                            terminalText(p["control"].get<std::string>()).c_str(),
                            terminalText(p["name"].get<std::string>()).c_str(), p["rows"].get<long long>(),
                            p["in_period"].get<long long>(), terminalText(p["file"].get<std::string>()).c_str(),
                            p["superseded_by"].is_null() ? ""
                                                         : ("  [superseded by " + std::to_string(p["superseded_by"].get<long long>()) + "]").c_str());
        };
    });

    // tickmark subservice add / cuec add / csoc add
    std::string services, method = "carve-out", text, criteria, org;
    auto* cSub = app.add_subcommand("subservice", "Subservice organizations");
    cSub->require_subcommand(1);
    auto* cSubAdd = cSub->add_subcommand("add", "Add a subservice organization");
    cSubAdd->add_option("file", file)->required();
    cSubAdd->add_option("--name", name)->required();
    cSubAdd->add_option("--services", services, "what it provides, e.g. \"Cloud hosting (IaaS)\"");
    cSubAdd->add_option("--method", method, "carve-out or inclusive")->check(CLI::IsMember({"carve-out", "inclusive"}));
    cSubAdd->add_option("--user", user, "who adds it (name or initials); password from TICKMARK_PASSWORD or a prompt");
    cSubAdd->add_flag("--json", json);
    cSubAdd->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            const Actor a = signIn(e, user);
            auto id = e.addSubserviceOrg(a, name, services, method);
            if (json) return emit({{"id", id}, {"name", name}, {"method", method}});
            std::printf("Added subservice organization %s (%s)\n", name.c_str(), method.c_str());
        };
    });
    auto* cCuec = app.add_subcommand("cuec", "Complementary user entity controls");
    cCuec->require_subcommand(1);
    auto* cCuecAdd = cCuec->add_subcommand("add", "Add a CUEC");
    cCuecAdd->add_option("file", file)->required();
    cCuecAdd->add_option("--text", text)->required();
    cCuecAdd->add_option("--criteria", criteria, "criteria it supports, e.g. CC6.1,CC6.2");
    cCuecAdd->add_option("--user", user, "who adds it (name or initials); password from TICKMARK_PASSWORD or a prompt");
    cCuecAdd->add_flag("--json", json);
    cCuecAdd->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            const Actor a = signIn(e, user);
            auto id = e.addCuec(a, text, splitCriteria(criteria));
            if (json) return emit({{"id", id}, {"criteria", splitCriteria(criteria)}});
            std::printf("Added CUEC %lld\n", static_cast<long long>(id));
        };
    });
    auto* cCsoc = app.add_subcommand("csoc", "Complementary subservice organization controls");
    cCsoc->require_subcommand(1);
    auto* cCsocAdd = cCsoc->add_subcommand("add", "Add a CSOC");
    cCsocAdd->add_option("file", file)->required();
    cCsocAdd->add_option("--subservice", org, "the subservice organization's name")->required();
    cCsocAdd->add_option("--text", text)->required();
    cCsocAdd->add_option("--criteria", criteria, "criteria it supports");
    cCsocAdd->add_option("--user", user, "who adds it (name or initials); password from TICKMARK_PASSWORD or a prompt");
    cCsocAdd->add_flag("--json", json);
    cCsocAdd->callback([&] {
        action = [&] {
            auto e = Engagement::open(file);
            const Actor a = signIn(e, user);
            auto id = e.addCsoc(a, org, text, splitCriteria(criteria));
            if (json) return emit({{"id", id}, {"subservice_organization", org}, {"criteria", splitCriteria(criteria)}});
            std::printf("Added CSOC %lld for %s\n", static_cast<long long>(id), org.c_str());
        };
    });

    // tickmark copy FROM TO
    std::string copyTo;
    bool copyDecrypted = false, copyEncrypted = false;
    auto* cCopy = app.add_subcommand("copy", "Copy an engagement: a file (an encrypted one stays encrypted, for the same team), or "
                                             "between a file and a server, either way, record for record");
    cCopy->add_option("file", file, "the engagement: a file or a postgresql:// URI")->required();
    cCopy->add_option("to", copyTo, "the new file (never overwritten), or a postgresql:// URI of a new or empty database")->required();
    cCopy->add_flag("--decrypted", copyDecrypted, "a plain copy of an encrypted engagement (anyone can read it: keep it safe)");
    cCopy->add_flag("--encrypted", copyEncrypted,
                    "an encrypted copy of a plain engagement, for the signed-in partner (--user); they give the others "
                    "access by resetting their keys (team reset-key)");
    cCopy->add_option("--user", user, "who signs in (initials)");
    cCopy->add_flag("--json", json);
    cCopy->callback([&] {
        action = [&] {
            if (copyDecrypted && copyEncrypted) throw InputError("--encrypted and --decrypted: choose one");
            auto e = Engagement::open(file);
            if (e.onServer() || db::isServerLocation(copyTo)) {
                if (copyDecrypted || copyEncrypted)
                    throw InputError("--encrypted and --decrypted are for copies between files; a server protects its own copy");
                TerminalProgress progress("Copying " + e.file().string(), !json);
                auto r = copyAcross(e, copyTo, &progress);
                if (json)
                    return emit({{"from", e.file().string()}, {"to", r.to}, {"tables", r.tables}, {"rows", r.rows},
                                 {"trail_entries", r.trailEntries}, {"workpapers_identical", r.workpapers}});
                std::printf("Copied %s to %s: %lld records in %lld tables; the copy verifies (trail of %lld entries intact, every seal "
                            "and sign-off), and its %zu workpapers hash as in the original\n",
                            e.file().string().c_str(), r.to.c_str(), static_cast<long long>(r.rows), static_cast<long long>(r.tables),
                            static_cast<long long>(r.trailEntries), r.workpapers.size());
                return;
            }
            if (copyDecrypted && !e.encrypted()) throw InputError(file + " is not encrypted; a plain copy needs no --decrypted");
            if (copyEncrypted && !e.encrypted()) {
                const std::string who = user.empty() ? (std::getenv("TICKMARK_USER") ? std::getenv("TICKMARK_USER") : "") : user;
                if (who.empty()) throw InputError("an encrypted copy is made for a partner: sign in with --user");
                const std::string password = unlockCredentials(file, who).password;
                e.copyEncrypted(copyTo, signIn(e, who), password);
                if (json) return emit({{"from", file}, {"to", copyTo}, {"encrypted", true}});
                std::printf("Copied %s to %s (encrypted; only %s opens it until a partner resets the others' keys)\n", file.c_str(),
                            copyTo.c_str(), who.c_str());
                return;
            }
            if (copyEncrypted) throw InputError(file + " is encrypted already: its copy stays encrypted without --encrypted");
            e.copyTo(copyTo, copyDecrypted ? CopyMode::Decrypted : CopyMode::Keep);
            const bool enc = e.encrypted() && !copyDecrypted;
            if (json) return emit({{"from", file}, {"to", copyTo}, {"encrypted", enc}});
            std::printf("Copied %s to %s (%s)\n", file.c_str(), copyTo.c_str(), enc ? "encrypted, for the same team" : "not encrypted");
        };
    });

    // tickmark demo [DIR]
    std::string dir = "tickmark-demo";
    auto* cDemo = app.add_subcommand("demo", "Build the demo engagement (a fictional SaaS company, Type II)");
    std::string demoAt;
    cDemo->add_option("dir", dir, "where to write it (default ./tickmark-demo)");
    cDemo->add_option("--at", demoAt, "build it at this location instead: a new file, or postgresql://... for a new engagement on a server");
    cDemo->add_flag("--json", json);
    cDemo->callback([&] {
        action = [&] {
            auto result = buildDemo(dir, dataDir() / "demo", templatesDir(), json ? nullptr : stdout, demoAt);
            if (json) {
                auto e = Engagement::open(result.engagementFile);
                emit(engagementJson(e));
            }
        };
    });

    auto proofCommands = addProofCommands(app, action, json, exitCode);
    auto samplingCommands = addSamplingCommands(app, action, json, exitCode);
    auto fieldworkCommands = addFieldworkCommands(app, action, json);
    auto reportCommands = addReportCommands(app, action, json, exitCode);
    auto presentationCommands = addPresentationCommands(app, action, json, exitCode);
    auto populationCommands = addPopulationCommands(app, action, json, exitCode);
    auto workpapersCommands = addWorkpapersCommands(app, action, json, exitCode);
    auto serverCommands = addServerCommands(app, action, json);

    // --password-file FILE anywhere on the line, for every command that signs in.
    std::string passwordFileOpt;
    app.add_option("--password-file", passwordFileOpt,
                   "read the sign-in password from the first line of FILE (yours alone: chmod 600) or a pipe (/dev/fd/3)");
    // --user anywhere on the line, for the commands that have none of their own: on an encrypted
    // engagement every command signs in, reads included ($TICKMARK_USER when not given).
    std::string globalUser;
    app.add_option("--user", globalUser, "who signs in (initials); an encrypted engagement asks on every command");
    std::function<void(CLI::App*)> fallthrough = [&](CLI::App* a) {
        for (auto* sub : a->get_subcommands({})) {
            sub->fallthrough();
            fallthrough(sub);
        }
    };
    fallthrough(&app);

    try {
        app.parse(argc, argv);
        if (!passwordFileOpt.empty()) setPasswordFile(passwordFileOpt);
        std::string givenUser = globalUser;
        for (auto* a = &app; givenUser.empty();) {  // the chosen command's own --user
            auto subs = a->get_subcommands();
            if (subs.empty()) break;
            a = subs.front();
            if (auto* o = a->get_option_no_throw("--user"); o && o->count() > 0) givenUser = o->as<std::string>();
        }
        if (givenUser.empty())
            if (const char* env = std::getenv("TICKMARK_USER")) givenUser = env;
        Engagement::setUnlockProvider([givenUser](const std::filesystem::path& f) { return unlockCredentials(f, givenUser); });
    } catch (const CLI::ParseError& e) {
        int rc = app.exit(e);
        return rc == 0 ? 0 : 2;
    }
    try {
        if (action) action();
        return exitCode;
    } catch (const std::exception& e) {
        // A write that committed stays done: a failure after it (showing the result) must not send
        // the user to do it again.
        if (db::lastWriteOutcome() != db::WriteOutcome::Committed) return failure();
        std::fprintf(stderr, "tickmark: the change was saved (committed to the engagement file): do not make it again. "
                             "What followed it failed: %s\n", terminalText(e.what(), true).c_str());
        return exitCode;
    }
}

// The exit code and message for a command whose write did not happen (or that wrote nothing).
// Called inside the handler of the exception it reports.
int failure() {
    try {
        throw;
    } catch (const BusyError& e) {
        std::fprintf(stderr, "tickmark: %s\n", terminalText(e.what(), true).c_str());
        return 2;
    } catch (const InputError& e) {
        std::fprintf(stderr, "tickmark: %s\n", terminalText(e.what(), true).c_str());
        return 2;
    } catch (const std::invalid_argument& e) {
        std::fprintf(stderr, "tickmark: %s\n", terminalText(e.what(), true).c_str());
        return 2;
    } catch (const Cancelled& e) {
        std::fprintf(stderr, "tickmark: %s\n", terminalText(e.what(), true).c_str());
        return 2;
    } catch (const StorageError& e) {
        if (e.code() != 0)
            std::fprintf(stderr, "tickmark: storage error (SQLite code %d): %s\n", e.code(), terminalText(e.what(), true).c_str());
        else
            std::fprintf(stderr, "tickmark: storage error: %s\n", terminalText(e.what(), true).c_str());
        return 1;
    } catch (const std::exception& e) {
        std::fprintf(stderr, "tickmark: internal error: %s\n", terminalText(e.what(), true).c_str());
        return 1;
    }
}

}  // namespace
}  // namespace tickmark::cli

int main(int argc, char** argv) { return tickmark::cli::run(argc, argv); }

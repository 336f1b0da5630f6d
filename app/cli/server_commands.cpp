#include "app/cli/server_commands.h"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/signin.h"
#include "workpapers/store/server_admin.h"

namespace tickmark::cli {

struct ServerCommands {
    std::string uri, login;
    bool newLogin = false;
};

std::shared_ptr<ServerCommands> addServerCommands(CLI::App& app, std::function<void()>& action, bool& asJson) {
    auto o = std::make_shared<ServerCommands>();
    auto* srv = app.add_subcommand("server", "The team's PostgreSQL server, for the firm's administrator: roles and access");
    srv->require_subcommand(1);

    auto* init = srv->add_subcommand("init", "Make the firm's administrator login, which creates engagements and gives auditors "
                                             "access (run once, as the server's superuser)");
    init->add_option("uri", o->uri, "the server's maintenance database, e.g. postgresql:///postgres (as postgres)")->required();
    init->add_option("--admin", o->login, "the administrator's login")->required();
    init->add_flag("--json", asJson);
    init->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            const std::string pw = readPassword("Password for the server login " + o->login + ": ", "TICKMARK_NEW_PASSWORD");
            auto r = server::init(o->uri, o->login, pw);
            if (asJson) {
                std::cout << nlohmann::json{{"admin", r.admin}, {"created", r.adminCreated}, {"server_version", r.serverVersion},
                                            {"advice", r.advice}}.dump(2)
                          << "\n";
                return;
            }
            std::printf("%s the administrator login %s (creates engagements and their teams; PostgreSQL %d.%d)\n",
                        r.adminCreated ? "Made" : "Updated", r.admin.c_str(), r.serverVersion / 10000, r.serverVersion % 10000);
            std::printf("Next, as %s: tickmark new postgresql://%s@HOST/ENGAGEMENT ...; tickmark server grant postgresql://%s@HOST/"
                        "ENGAGEMENT LOGIN --new\n",
                        r.admin.c_str(), r.admin.c_str(), r.admin.c_str());
            for (auto& a : r.advice) std::printf("Server configuration: %s\n", a.c_str());
        };
    });

    auto* grant = srv->add_subcommand("grant", "Give a login access to an engagement (joins its team role); --new makes the login");
    grant->add_option("uri", o->uri, "the engagement, as its owner: postgresql://ADMIN@HOST/ENGAGEMENT")->required();
    grant->add_option("login", o->login, "the auditor's server login")->required();
    grant->add_flag("--new", o->newLogin, "make the login, with a password from TICKMARK_NEW_PASSWORD or the terminal");
    grant->add_flag("--json", asJson);
    grant->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            std::optional<std::string> pw;
            if (o->newLogin) pw = readPassword("Password for the new server login " + o->login + ": ", "TICKMARK_NEW_PASSWORD");
            auto r = server::grantAccess(o->uri, o->login, pw);
            if (asJson) {
                std::cout << nlohmann::json{{"login", r.login}, {"team", r.team}, {"created", r.loginCreated}}.dump(2) << "\n";
                return;
            }
            std::printf("%s%s joins the team role %s: it may open this engagement\n", r.login.c_str(),
                        r.loginCreated ? " (a new login)" : "", r.team.c_str());
        };
    });

    auto* revoke = srv->add_subcommand("revoke", "Take a login's access to an engagement away (its open sessions end)");
    revoke->add_option("uri", o->uri, "the engagement, as its owner")->required();
    revoke->add_option("login", o->login, "the auditor's server login")->required();
    revoke->add_flag("--json", asJson);
    revoke->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            server::revokeAccess(o->uri, o->login);
            if (asJson) {
                std::cout << nlohmann::json{{"login", o->login}, {"revoked", true}}.dump(2) << "\n";
                return;
            }
            std::printf("%s no longer opens this engagement\n", o->login.c_str());
        };
    });

    auto* team = srv->add_subcommand("team", "The logins that may open an engagement, and who is connected now");
    team->add_option("uri", o->uri, "the engagement")->required();
    team->add_flag("--json", asJson);
    team->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto logins = server::teamLogins(o->uri);
            if (asJson) {
                auto out = nlohmann::json::array();
                for (auto& l : logins) {
                    auto sessions = nlohmann::json::array();
                    for (auto& s : l.sessions) sessions.push_back({{"application", s.application}, {"since", s.since}});
                    out.push_back({{"login", l.login}, {"sessions", sessions}});
                }
                std::cout << out.dump(2) << "\n";
                return;
            }
            if (logins.empty()) std::printf("No login is on this engagement's team yet (tickmark server grant)\n");
            for (auto& l : logins) {
                std::printf("%s", l.login.c_str());
                if (l.sessions.empty()) std::printf(": not connected\n");
                else
                    for (std::size_t i = 0; i < l.sessions.size(); ++i)
                        std::printf("%s%s since %s UTC", i ? "; " : ": connected, ", l.sessions[i].application.c_str(),
                                    l.sessions[i].since.c_str());
                if (!l.sessions.empty()) std::printf("\n");
            }
        };
    });
    return o;
}

}  // namespace tickmark::cli

#pragma once
// The firm's side of the team server (PostgreSQL): who may create engagements, and who may open
// each one. The server enforces it (roles, ownership and grants: workpapers/store/pg_guards.h), not
// this program: an auditor's login reaches only the engagements whose team it belongs to, and
// there cannot change the trail, its seals or a sign-off, nor change anything without a trail entry.
#include <optional>
#include <string>
#include <vector>

namespace tickmark::server {

struct InitReport {
    std::string admin;
    bool adminCreated = false;
    int serverVersion = 0;  // server_version_num
    std::vector<std::string> advice;  // what the server's own configuration should say (pg_hba.conf, TLS)
};
// Connected to the server's maintenance database as its superuser (or a role that may create roles):
// makes the firm's administrator login, which creates engagements (owning them, their schema and the
// rules in it) and gives auditors access. A password is sent to the server only as a SCRAM verifier.
// Refused (InputError) on a server older than PostgreSQL 13 or a role that may not create roles.
InitReport init(const std::string& uri, const std::string& admin, const std::optional<std::string>& password);

struct GrantReport {
    std::string login, team;
    bool loginCreated = false;
};
// On an engagement, as its owner: `login` joins the engagement's team role; a login that does not exist
// yet is made with `password` (needed then). A superuser login is refused: grants do not bind it.
GrantReport grantAccess(const std::string& engagementUri, const std::string& login, const std::optional<std::string>& password);
// `login` leaves the team; its sessions on the engagement end.
void revokeAccess(const std::string& engagementUri, const std::string& login);

struct Session {
    std::string application;  // "tickmark (Priya Raman)": the member signed in on that connection
    std::string since;        // when the connection opened, UTC
};
struct TeamLogin {
    std::string login;
    std::vector<Session> sessions;  // connected to this engagement now
};
// The team's logins, and who of them is connected now.
std::vector<TeamLogin> teamLogins(const std::string& engagementUri);

}  // namespace tickmark::server

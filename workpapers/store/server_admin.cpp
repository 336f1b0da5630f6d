#include "workpapers/store/server_admin.h"

#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/store/pg_engine.h"
#include "workpapers/store/pg_guards.h"

namespace tickmark::server {
namespace {

std::unique_ptr<db::Database> connect(const std::string& uri) {
    if (!db::isServerLocation(uri)) throw InputError(uri + ": not a postgresql:// URI; the server's roles are for engagements on a server");
    return db::Database::open(uri, db::Database::Mode::OpenExisting);
}

// Statements about roles, quoted by the server itself (format's %I and %L), then run.
void run(db::Database& db, const std::string& formatSql, const std::vector<std::string>& args) {
    std::string call = "SELECT format('" + formatSql + "'";
    for (std::size_t i = 0; i < args.size(); ++i) call += ", ?" + std::to_string(i + 1) + "::text";
    call += ")";
    auto st = db.prepare(call);
    for (std::size_t i = 0; i < args.size(); ++i) st.bind(static_cast<int>(i + 1), args[i]);
    st.step();
    const std::string sql = st.getText(0);
    st.reset();
    db.exec(sql);
}

struct RoleFacts {
    bool exists = false, super = false, createRole = false;
};
RoleFacts role(db::Database& db, const std::string& name) {
    auto st = db.prepare("SELECT rolsuper::int, rolcreaterole::int FROM pg_roles WHERE rolname = ?");
    st.bind(1, name);
    RoleFacts f;
    if (st.step()) f = {true, st.getInt(0) == 1, st.getInt(1) == 1};
    return f;
}
RoleFacts currentRole(db::Database& db) {
    auto st = db.prepare("SELECT current_user");
    st.step();
    return role(db, st.getText(0));
}

// The engagement's team role, after checking that this database is an engagement.
std::string teamOf(db::Database& db) {
    if (!db.hasTable("tickmark_meta") || !db.hasTable("trail_stamp"))
        throw InputError(db.path() + ": not a Tickmark engagement on this server (create one with `tickmark new`)");
    auto st = db.prepare(std::string("SELECT ") + schema::teamRoleSql());
    st.step();
    return st.getText(0);
}

void requireLoginName(const std::string& login) {
    if (login.empty() || login.size() > 63 || login.find_first_of("\"\\ ") != std::string::npos || login.rfind("pg_", 0) == 0)
        throw InputError("\"" + login + "\": a server login is 1 to 63 characters, without spaces or quotes, not starting with pg_");
}

}  // namespace

InitReport init(const std::string& uri, const std::string& admin, const std::optional<std::string>& password) {
    requireLoginName(admin);
    auto db = connect(uri);
    InitReport r;
    r.admin = admin;
    {
        auto v = db->prepare("SELECT current_setting('server_version_num')::bigint");
        v.step();
        r.serverVersion = static_cast<int>(v.getInt(0));
    }
    if (r.serverVersion < 130000)
        throw InputError(db->path() + ": PostgreSQL " + std::to_string(r.serverVersion / 10000) +
                         " is too old; Tickmark needs PostgreSQL 13 or later (Debian 12 ships 15)");
    const auto me = currentRole(*db);
    if (!me.super)
        throw InputError(db->path() + ": run `tickmark server init` as the server's superuser (on Debian: sudo -u postgres, "
                                      "connecting over the local socket); the administrator it makes has fewer rights");
    {
        auto ext = db->prepare("SELECT 1 FROM pg_available_extensions WHERE name = 'citext'");
        if (!ext.step())
            throw InputError(db->path() + ": the server lacks the citext extension (Debian: the postgresql-contrib files)");
    }
    const auto existing = role(*db, admin);
    if (existing.super) throw InputError(admin + " is a superuser on this server; the firm's administrator is an ordinary role");
    if (!existing.exists && !password) throw InputError(admin + " is a new login: it needs a password");
    db::Transaction tx(*db);
    if (!existing.exists) run(*db, "CREATE ROLE %I LOGIN", {admin});
    run(*db, "ALTER ROLE %I LOGIN CREATEDB CREATEROLE NOSUPERUSER", {admin});
    if (password) run(*db, "ALTER ROLE %I PASSWORD %L", {admin, db::scramVerifier(uri, admin, *password)});
    // Who holds an engagement's write lock, and since when, is read from pg_stat_activity.
    run(*db, "GRANT pg_read_all_stats TO %I", {admin});
    tx.commit();
    r.adminCreated = !existing.exists;

    auto enc = db->prepare("SELECT current_setting('password_encryption'), current_setting('ssl')");
    enc.step();
    if (enc.getText(0) != "scram-sha-256")
        r.advice.push_back("password_encryption is " + enc.getText(0) + ": set it to scram-sha-256 in postgresql.conf");
    if (enc.getText(1) != "on")
        r.advice.push_back("ssl is off: auditors on other machines need it (ssl = on, ssl_cert_file, ssl_key_file in postgresql.conf)");
    r.advice.push_back("pg_hba.conf: `local all all scram-sha-256` and `hostssl all all 0.0.0.0/0 scram-sha-256` (no `trust`, no "
                       "`host` without ssl), then reload the server");
    return r;
}

GrantReport grantAccess(const std::string& engagementUri, const std::string& login, const std::optional<std::string>& password) {
    requireLoginName(login);
    auto db = connect(engagementUri);
    GrantReport r;
    r.login = login;
    r.team = teamOf(*db);
    const auto existing = role(*db, login);
    if (existing.super)
        throw InputError(login + " is a superuser on this server: the engagement's grants do not bind it; give the auditor an "
                                 "ordinary login");
    if (!existing.exists && !password)
        throw InputError(login + " is a new login on this server: it needs a password (`tickmark server grant --new`)");
    db::Transaction tx(*db);
    if (!existing.exists) run(*db, "CREATE ROLE %I LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE", {login});
    if (password) run(*db, "ALTER ROLE %I PASSWORD %L", {login, db::scramVerifier(engagementUri, login, *password)});
    run(*db, "GRANT %I TO %I", {r.team, login});
    tx.commit();
    r.loginCreated = !existing.exists;
    return r;
}

void revokeAccess(const std::string& engagementUri, const std::string& login) {
    auto db = connect(engagementUri);
    const std::string team = teamOf(*db);
    auto member = db->prepare("SELECT 1 FROM pg_auth_members a JOIN pg_roles t ON t.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                              "WHERE t.rolname = ? AND m.rolname = ?");
    member.bind(1, team).bind(2, login);
    if (!member.step()) throw InputError(login + " is not on the team of " + db->path() + " (see `tickmark server team`)");
    member.reset();
    {
        db::Transaction tx(*db);
        run(*db, "REVOKE %I FROM %I", {team, login});
        tx.commit();
    }
    // Rights are checked as statements run, but a session already in keeps its connection: end it.
    auto end = db->prepare("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity WHERE datname = current_database() AND usename = ?");
    end.bind(1, login);
    end.step();
}

std::vector<TeamLogin> teamLogins(const std::string& engagementUri) {
    auto db = connect(engagementUri);
    const std::string team = teamOf(*db);
    std::vector<TeamLogin> out;
    auto st = db->prepare("SELECT m.rolname FROM pg_auth_members a JOIN pg_roles t ON t.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                          "WHERE t.rolname = ? ORDER BY m.rolname");
    st.bind(1, team);
    while (st.step()) out.push_back({st.getText(0), {}});
    auto s = db->prepare("SELECT usename, coalesce(application_name, ''), to_char(backend_start AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS') "
                         "FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() ORDER BY backend_start");
    while (s.step())
        for (auto& l : out)
            if (l.login == s.getText(0)) l.sessions.push_back({s.getText(1), s.isNull(2) ? "" : s.getText(2)});
    return out;
}

}  // namespace tickmark::server

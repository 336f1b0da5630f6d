#pragma once
// An engagement on the team's PostgreSQL server: one database per engagement, reached by a libpq
// connection URI (postgresql://[user@]host[:port]/database[?params]).
#include <memory>
#include <string>

#include "workpapers/store/engine.h"

namespace tickmark::db {

// create: the database may not exist yet (it is then created, with the C collation, from the
// server's maintenance database) or must hold no tables.
std::unique_ptr<Engine> openPostgres(const std::string& uri, bool create);

// A password as the server keeps it (a SCRAM-SHA-256 verifier), made here by the server's client
// library: the password itself never reaches the server or its logs.
std::string scramVerifier(const std::string& uri, const std::string& role, const std::string& password);

// The URI as messages show it: without a password.
std::string displayLocation(const std::string& uri);

}  // namespace tickmark::db

#pragma once
// The engagement's schema on a PostgreSQL server (workpapers/schema.cpp creates and upgrades it).
namespace tickmark::schema {

// The tables, indexes, fixed rows and append-only rules of schema version 13, in the server's words.
const char* serverSchemaV13();

}  // namespace tickmark::schema

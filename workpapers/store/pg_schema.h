#pragma once
// The engagement's schema on a PostgreSQL server (workpapers/schema.cpp creates and upgrades it).
namespace tickmark::schema {

// The tables, indexes, fixed rows and append-only rules of schema version 13, in the server's words.
const char* serverSchemaV13();
// The server form of the step that brings the schema to `version` (14 and on), beside the file's
// (workpapers/schema.cpp). Each step guards and grants what it adds, as serverGuards() does the base.
const char* serverStep(int version);

}  // namespace tickmark::schema

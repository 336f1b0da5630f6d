#pragma once
// What the server itself enforces on an engagement database, whoever connects and however: the
// rules live in objects the auditors' roles do not own, so they cannot drop or switch them off.
namespace tickmark::schema {

// After the tables (serverSchemaV13): the server's stamp on every trail entry (the login it
// authenticated and its own clock), the trail appended in one order with its hash chain checked by the
// server, no change to a workpaper table without its trail entry in the same transaction, and the
// engagement's team role with its grants (append-only where the record is signed). Run by the role
// that creates the engagement, which owns all of it.
const char* serverGuards();

// The engagement team's server role: its members are the auditors' login roles.
// (A function of the database's name, so that the server and the tools agree on it.)
const char* teamRoleSql();

}  // namespace tickmark::schema

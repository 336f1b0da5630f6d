#pragma once
// Where a client file's header was and which rows were not records (TableLayout), kept with the
// file's record so the profile can show it and a reviewer can check nothing was dropped.
#include <cstdint>
#include <string>

#include "workpapers/db.h"
#include "workpapers/readers/table_source.h"

namespace tickmark {

std::string layoutJson(const TableLayout& layout);
TableLayout layoutFromJson(const std::string& json);

// Inside the caller's transaction.
void saveLayout(db::Database& db, std::int64_t sourceFileId, const TableLayout& layout);
// An empty layout for a file imported before layouts were kept.
TableLayout loadLayout(db::Database& db, std::int64_t sourceFileId);

}  // namespace tickmark

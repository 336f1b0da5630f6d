#pragma once
// LISTEN tickmark on a connection of its own, made with the settings of the engagement's connection:
// the server tells it of every committed write (a trigger on the trail) and every member's move.
#include <memory>

#include "workpapers/store/engine.h"

typedef struct pg_conn PGconn;

namespace tickmark::db {

std::unique_ptr<ChangeListener> listenLike(PGconn* engagement);

}  // namespace tickmark::db

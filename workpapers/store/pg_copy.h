#pragma once
// The server's bulk load: COPY table (columns) FROM STDIN (FORMAT binary). Rows stream to the server
// without a round trip each, every value in its column type's binary form (no text to parse, no
// bytea in hex), and the server inserts them in batches. It runs inside the caller's transaction,
// fires the table's triggers and checks its constraints as an INSERT would.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "workpapers/store/engine.h"

// libpq's handles, as libpq-fe.h names them (kept out of this header's includers).
typedef struct pg_conn PGconn;
typedef struct pg_result PGresult;

namespace tickmark::db {

// A column as the binary stream must send it.
enum class CopyType { Int2, Int4, Int8, Float4, Float8, Bool, Text, Bytea };

// The server's type name (pg_type.typname) as sent in the stream; std::nullopt for a type whose
// binary form this program does not write.
std::optional<CopyType> copyTypeOf(std::string_view typname);

// The binary COPY stream (the server's "COPY" page, "Binary Format"), encoded into a buffer: pure,
// tested apart from any server. A value of another kind than its column's is converted as the
// server would read it from a parameter (42 into a text column is "42"), or refused naming the column.
class CopyEncoder {
public:
    CopyEncoder(std::string table, std::vector<std::string> columns, std::vector<CopyType> types);
    void putInt(std::int64_t v);
    void putDouble(double v);
    void putText(std::string_view v);
    void putBlob(const void* data, std::size_t size);
    void putNull();
    void endRow();
    // The stream's end marker.
    void finish();
    // What is encoded and not yet taken.
    std::string& pending() { return out_; }

private:
    CopyType type() const;  // the next value's column's
    std::string column() const;
    void field(const void* data, std::int64_t size);
    std::string table_;
    std::vector<std::string> columns_;
    std::vector<CopyType> types_;
    std::size_t at_ = 0;
    std::string out_;
};

// What the writer needs of its engine: the server's errors in the front ends' words, and to be told
// when the connection is free again.
struct CopyHost {
    std::function<void(const PGresult*, std::string_view)> check;
    std::function<void()> released;
};

// Starts the COPY (the connection is the writer's from here) and returns the writer.
std::unique_ptr<BulkWriter> startCopy(PGconn* conn, CopyHost host, std::string table, std::vector<std::string> columns,
                                      std::vector<CopyType> types);

}  // namespace tickmark::db

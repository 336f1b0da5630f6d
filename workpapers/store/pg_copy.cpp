#include "workpapers/store/pg_copy.h"

#include "workpapers/store/pg_handles.h"

#include <charconv>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <limits>
#include <stdexcept>

namespace tickmark::db {

std::optional<CopyType> copyTypeOf(std::string_view t) {
    if (t == "int2") return CopyType::Int2;
    if (t == "int4") return CopyType::Int4;
    if (t == "int8") return CopyType::Int8;
    if (t == "float4") return CopyType::Float4;
    if (t == "float8") return CopyType::Float8;
    if (t == "bool") return CopyType::Bool;
    // citext (the extension's case-blind text) sends and receives as text does.
    if (t == "text" || t == "varchar" || t == "bpchar" || t == "citext") return CopyType::Text;
    if (t == "bytea") return CopyType::Bytea;
    return std::nullopt;
}

namespace {
// The signature, the flags (no OIDs) and the header extension's length.
constexpr char kHeader[] = "PGCOPY\n\377\r\n\0\0\0\0\0\0\0\0\0";
constexpr std::size_t kHeaderSize = 19;
}  // namespace

CopyEncoder::CopyEncoder(std::string table, std::vector<std::string> columns, std::vector<CopyType> types)
    : table_(std::move(table)), columns_(std::move(columns)), types_(std::move(types)) {
    out_.append(kHeader, kHeaderSize);
}

namespace {
void bigEndian(std::string& out, std::uint64_t v, std::size_t n) {
    char b[8];
    for (std::size_t i = 0; i < n; ++i) b[i] = static_cast<char>((v >> (8 * (n - 1 - i))) & 0xff);
    out.append(b, n);
}
}  // namespace

CopyType CopyEncoder::type() const {
    if (at_ == types_.size())
        throw std::logic_error(table_ + ": a row was given more values than its " + std::to_string(types_.size()) + " columns");
    return types_[at_];
}

std::string CopyEncoder::column() const { return table_ + "." + columns_[at_]; }

// A field: its length (-1 for NULL) and its bytes; the row's field count before its first.
void CopyEncoder::field(const void* data, std::int64_t size) {
    type();
    if (size > std::numeric_limits<std::int32_t>::max())
        throw std::length_error(column() + ": a value of " + std::to_string(size) + " bytes is more than the server takes");
    if (at_ == 0) bigEndian(out_, types_.size(), 2);
    bigEndian(out_, static_cast<std::uint32_t>(static_cast<std::int32_t>(size)), 4);
    if (size > 0) out_.append(static_cast<const char*>(data), static_cast<std::size_t>(size));
    ++at_;
}

void CopyEncoder::putInt(std::int64_t v) {
    auto fixed = [&](std::int64_t lo, std::int64_t hi, std::size_t n) {
        if (v < lo || v > hi) throw std::out_of_range(column() + ": " + std::to_string(v) + " is out of the column's range");
        std::string b;
        bigEndian(b, static_cast<std::uint64_t>(v), n);
        field(b.data(), static_cast<std::int64_t>(n));
    };
    switch (type()) {
        case CopyType::Int2: return fixed(INT16_MIN, INT16_MAX, 2);
        case CopyType::Int4: return fixed(INT32_MIN, INT32_MAX, 4);
        case CopyType::Int8: return fixed(INT64_MIN, INT64_MAX, 8);
        case CopyType::Bool: return fixed(0, 1, 1);
        case CopyType::Float4: case CopyType::Float8: return putDouble(static_cast<double>(v));
        case CopyType::Text: case CopyType::Bytea: {
            const std::string s = std::to_string(v);
            return field(s.data(), static_cast<std::int64_t>(s.size()));
        }
    }
}

void CopyEncoder::putDouble(double v) {
    const CopyType t = type();
    if (t == CopyType::Float8 || t == CopyType::Float4) {
        std::string b;
        if (t == CopyType::Float8) {
            std::uint64_t bits;
            std::memcpy(&bits, &v, 8);
            bigEndian(b, bits, 8);
        } else {
            const float f = static_cast<float>(v);
            std::uint32_t bits;
            std::memcpy(&bits, &f, 4);
            bigEndian(b, bits, 4);
        }
        return field(b.data(), static_cast<std::int64_t>(b.size()));
    }
    if (t == CopyType::Text || t == CopyType::Bytea) {
        char buf[40];
        const int n = std::snprintf(buf, sizeof buf, "%.17g", v);
        return field(buf, n);
    }
    // An integer column takes a whole number only, as the server would from a typed parameter.
    if (std::trunc(v) != v || std::fabs(v) > 9.2e18) throw std::invalid_argument(column() + ": " + std::to_string(v) + " is not a whole number");
    putInt(static_cast<std::int64_t>(v));
}

void CopyEncoder::putText(std::string_view v) {
    const CopyType t = type();
    if (t == CopyType::Text || t == CopyType::Bytea) return field(v.data(), static_cast<std::int64_t>(v.size()));
    // Numbers given as text (SQLite keeps what a column was given): read as the server reads text.
    std::int64_t i = 0;
    if (auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), i); ec == std::errc() && p == v.data() + v.size()) return putInt(i);
    if (t == CopyType::Float4 || t == CopyType::Float8) {
        char* end = nullptr;
        const std::string s(v);
        const double d = std::strtod(s.c_str(), &end);
        if (!s.empty() && end == s.c_str() + s.size()) return putDouble(d);
    }
    throw std::invalid_argument(column() + ": \"" + std::string(v.substr(0, 40)) + "\" is not a number");
}

void CopyEncoder::putBlob(const void* data, std::size_t size) {
    const CopyType t = type();
    if (t != CopyType::Bytea && t != CopyType::Text) throw std::invalid_argument(column() + ": bytes given to a number column");
    field(data, static_cast<std::int64_t>(size));
}

void CopyEncoder::putNull() { field(nullptr, -1); }

void CopyEncoder::endRow() {
    if (at_ != types_.size())
        throw std::logic_error(table_ + ": a row ended after " + std::to_string(at_) + " of its " + std::to_string(types_.size()) + " values");
    at_ = 0;
}

void CopyEncoder::finish() {
    if (at_ != 0) throw std::logic_error(table_ + ": the stream ended inside a row");
    bigEndian(out_, 0xffff, 2);
}

namespace {

class CopyWriter final : public BulkWriter {
public:
    CopyWriter(PGconn* conn, CopyHost host, CopyEncoder enc) : conn_(conn), host_(std::move(host)), enc_(std::move(enc)) {}
    // Abandoned: the server ends the COPY with an error, which leaves the transaction for the caller to roll back.
    ~CopyWriter() override {
        if (!done_) end("the program abandoned the bulk write");
    }
    void putInt(std::int64_t v) override { enc_.putInt(v); }
    void putDouble(double v) override { enc_.putDouble(v); }
    void putText(std::string_view v) override { enc_.putText(v); }
    void putBlob(const void* data, std::size_t size) override { enc_.putBlob(data, size); }
    void putNull() override { enc_.putNull(); }
    void endRow() override {
        enc_.endRow();
        if (enc_.pending().size() >= kChunk) send();
    }
    void finish() override {
        enc_.finish();
        send();
        report(end(nullptr));
    }

private:
    // Handed to libpq in pieces of about this size: big enough that a call carries many rows, small
    // enough that the encoding of the next overlaps with the server reading this one.
    static constexpr std::size_t kChunk = 256 * 1024;
    void send() {
        auto& p = enc_.pending();
        if (p.empty()) return;
        if (PQputCopyData(conn_, p.data(), static_cast<int>(p.size())) != 1) {
            const auto failed = end("the connection failed");
            host_.check(failed.get(), "COPY");  // without a result: libpq's own message
        }
        p.clear();
    }
    // Ends the COPY (with an error of the program's when `error` is given) and reads every result, so the
    // connection is free again whatever the outcome; returns the first that is not a success, if any.
    pg::Result end(const char* error) {
        done_ = true;
        const bool ended = PQputCopyEnd(conn_, error) == 1;
        pg::Result first;
        while (PGresult* r = PQgetResult(conn_)) {
            pg::Result result(r);
            if (!first && (!ended || PQresultStatus(r) != PGRES_COMMAND_OK)) first = std::move(result);
        }
        host_.released();
        if (!ended && !first) host_.check(nullptr, "COPY");
        return first;
    }
    // The server's refusal, in the front ends' words.
    void report(const pg::Result& failed) {
        if (failed) host_.check(failed.get(), "COPY");
    }
    PGconn* conn_;
    CopyHost host_;
    CopyEncoder enc_;
    bool done_ = false;
};

}  // namespace

std::unique_ptr<BulkWriter> startCopy(PGconn* conn, CopyHost host, std::string table, std::vector<std::string> columns,
                                      std::vector<CopyType> types) {
    std::string sql = "COPY " + table + " (";
    for (std::size_t i = 0; i < columns.size(); ++i) sql += (i ? ", " : "") + columns[i];
    sql += ") FROM STDIN (FORMAT binary)";
    pg::Result r(PQexec(conn, sql.c_str()));
    if (!r || PQresultStatus(r.get()) != PGRES_COPY_IN) {
        host.check(r.get(), sql);
        throw std::logic_error(sql + ": the server did not start the COPY");
    }
    return std::make_unique<CopyWriter>(conn, std::move(host), CopyEncoder(std::move(table), std::move(columns), std::move(types)));
}

}  // namespace tickmark::db

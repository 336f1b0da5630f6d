// Bulk writes (db::BulkInsert): on a server a binary COPY stream (workpapers/store/pg_copy.cpp), on a
// file a prepared INSERT a row. The stream's bytes against the format as the server's manual lays it
// out, written here by hand; rows read back by the server's own shell and hashed by the server; what
// the server refuses reported at finish() with nothing kept; a population import that fails halfway
// through its stream leaving the engagement as it was and the connection usable.
#include <catch2/catch.hpp>

#include <random>

#include "support.h"
#include "workpapers/db.h"
#include "workpapers/errors.h"
#include "workpapers/population.h"
#include "workpapers/sha256.h"
#include "workpapers/store/pg_copy.h"

using namespace tickmark;
using namespace testsupport;
using Catch::Matchers::Contains;

namespace {

std::string bytes(std::initializer_list<int> v) {
    std::string s;
    for (int b : v) s += static_cast<char>(b);
    return s;
}

const char* kHeader = "PGCOPY\n\377\r\n";  // and a zero byte, then flags and extension length, 0 each

std::string header() { return std::string(kHeader, 10) + bytes({0, 0, 0, 0, 0, 0, 0, 0, 0}); }

}  // namespace

TEST_CASE("the binary COPY stream is the server's format, byte for byte") {
    using T = db::CopyType;
    db::CopyEncoder enc("t", {"id", "label", "data", "note", "small", "ratio", "flag"},
                        {T::Int8, T::Text, T::Bytea, T::Text, T::Int4, T::Float8, T::Bool});
    CHECK(enc.pending() == header());
    const std::string data = bytes({0x00, 0xff});
    enc.putInt(42);
    enc.putText("h\xc3\xa9");  // "hé" in UTF-8
    enc.putBlob(data.data(), data.size());
    enc.putNull();
    enc.putInt(-2);
    enc.putDouble(1.5);
    enc.putInt(1);
    enc.endRow();
    enc.finish();
    const std::string row = bytes({0, 7,                                     // seven fields
                                   0, 0, 0, 8, 0, 0, 0, 0, 0, 0, 0, 0x2a,   // int8 42
                                   0, 0, 0, 3, 'h', 0xc3, 0xa9,             // text, three bytes
                                   0, 0, 0, 2, 0x00, 0xff,                  // bytea
                                   0xff, 0xff, 0xff, 0xff,                  // NULL: length -1
                                   0, 0, 0, 4, 0xff, 0xff, 0xff, 0xfe,      // int4 -2, two's complement
                                   0, 0, 0, 8, 0x3f, 0xf8, 0, 0, 0, 0, 0, 0,  // float8 1.5 (IEEE 754)
                                   0, 0, 0, 1, 1,                           // bool true
                                   0xff, 0xff});                            // the trailer: -1 fields
    CHECK(enc.pending() == header() + row);
}

TEST_CASE("values of another kind than the column's are sent as the server reads a parameter, or refused naming the column") {
    using T = db::CopyType;
    auto enc = [] { return db::CopyEncoder("population", {"n", "s"}, {T::Int2, T::Text}); };
    {
        auto e = enc();
        e.putText("17");   // a number given as text, as SQLite keeps it
        e.putInt(-5);      // into the text column: its decimal digits
        e.endRow();
        CHECK(e.pending() == header() + bytes({0, 2, 0, 0, 0, 2, 0, 17, 0, 0, 0, 2, '-', '5'}));
    }
    {
        auto e = enc();
        CHECK_THROWS_WITH(e.putInt(40000), Contains("population.n: 40000 is out of the column's range"));
    }
    {
        auto e = enc();
        CHECK_THROWS_WITH(e.putText("twelve"), Contains("population.n: \"twelve\" is not a number"));
        CHECK_THROWS_WITH(e.putDouble(2.5), Contains("population.n: 2.500000 is not a whole number"));
        CHECK_THROWS_WITH(e.putBlob("x", 1), Contains("population.n: bytes given to a number column"));
    }
    {
        auto e = enc();
        e.putInt(1);
        CHECK_THROWS_WITH(e.endRow(), Contains("a row ended after 1 of its 2 values"));
        e.putNull();
        CHECK_THROWS_WITH(e.putNull(), Contains("more values than its 2 columns"));
    }
    CHECK(db::copyTypeOf("citext") == T::Text);
    CHECK(db::copyTypeOf("int8") == T::Int8);
    CHECK_FALSE(db::copyTypeOf("numeric").has_value());
}

TEST_CASE("a bulk insert stores every row exactly, on a file and on the server", "[server]") {
    TempDir d;
    for (const std::string& at : {(d / "bulk.tickmark").string(), serverUri(newServerDatabase(d, "bulk"))}) {
        INFO(at);
        auto db = db::Database::open(at, db::Database::Mode::Create);
        if (db->onServer()) {
            db->exec("CREATE EXTENSION IF NOT EXISTS citext");
            db->exec("CREATE TABLE scratch (id BIGINT PRIMARY KEY, label TEXT, data BYTEA, code CITEXT UNIQUE, small INT4, ratio FLOAT8)");
        } else {
            db->exec("CREATE TABLE scratch (id INTEGER PRIMARY KEY, label TEXT, data BLOB, code TEXT COLLATE NOCASE UNIQUE, small INTEGER, ratio REAL)");
        }
        // Every byte value in the blobs; text in several scripts; NULLs; the extremes of each number.
        std::mt19937_64 rng(20261205);
        struct Row {
            std::int64_t id;
            std::string label, data;
            std::optional<std::int64_t> small;
            double ratio;
        };
        std::vector<Row> rows;
        const char* words[] = {"change", "Änderung", "変更", "cambio \"quoted\"", "tab\there", "line\nbreak", ""};
        for (std::int64_t i = 1; i <= 20000; ++i) {
            Row r{i == 1 ? INT64_MIN : i == 2 ? INT64_MAX : i, words[rng() % 7] + std::to_string(i), {}, std::nullopt, 0};
            r.data.resize(rng() % 600);
            for (auto& c : r.data) c = static_cast<char>(rng());
            if (rng() % 3) r.small = static_cast<std::int32_t>(rng());
            r.ratio = static_cast<double>(static_cast<std::int64_t>(rng())) / 1e6;
            rows.push_back(std::move(r));
        }
        {
            db::Transaction tx(*db);
            auto bulk = db->bulkInsert("scratch", {"id", "label", "data", "code", "small", "ratio"});
            for (auto& r : rows) {
                bulk.add(r.id).add(r.label).addBlob(r.data.data(), r.data.size()).add("C" + std::to_string(r.id));
                if (r.small) bulk.add(*r.small);
                else bulk.addNull();
                bulk.add(r.ratio).endRow();
            }
            bulk.finish();
            tx.commit();
        }
        // Hashed by the engine's own shell and functions, against the same bytes hashed here, in the ids' order.
        std::sort(rows.begin(), rows.end(), [](const Row& a, const Row& b) { return a.id < b.id; });
        Sha256 want;
        std::int64_t smallSum = 0, nulls = 0;
        for (auto& r : rows) {
            want.update(r.data.data(), r.data.size());
            want.update(r.label.data(), r.label.size());
            if (r.small) smallSum += *r.small;
            else ++nulls;
        }
        const std::string digest = db->onServer()
            ? rawSql(at, "SELECT encode(sha256(string_agg(data || convert_to(label, 'UTF8'), ''::bytea ORDER BY id)), 'hex') FROM scratch").out
            : "";
        if (db->onServer()) CHECK(digest == want.hexDigest() + "\n");
        CHECK(rawSql(at, "SELECT count(*), sum(small), count(*) - count(small), min(id), max(id) FROM scratch").out ==
              std::to_string(rows.size()) + "|" + std::to_string(smallSum) + "|" + std::to_string(nulls) + "|" +
                  std::to_string(INT64_MIN) + "|" + std::to_string(INT64_MAX) + "\n");
        // Read back through the store too: each row as it was given.
        auto st = db->prepare("SELECT id, label, data, small, ratio FROM scratch ORDER BY id");
        std::size_t n = 0, same = 0;
        while (st.step()) {
            const auto& r = rows[n++];
            same += st.getInt(0) == r.id && st.getText(1) == r.label && st.getBlob(2) == r.data && st.getOptInt(3) == r.small &&
                    st.getDouble(4) == r.ratio;
        }
        CHECK(n == rows.size());
        CHECK(same == rows.size());

        // What the engine refuses (a code already there, in another case) ends the write with its words; nothing is kept.
        {
            db::Transaction tx(*db);
            auto bulk = db->bulkInsert("scratch", {"id", "label", "data", "code", "small", "ratio"});
            bulk.add(std::int64_t{900001}).add("new").addBlob("", 0).add("new code").addNull().add(0.0).endRow();
            CHECK_THROWS_WITH(
                [&] {
                    bulk.add(std::int64_t{900002}).add("again").addBlob("", 0).add("c5").addNull().add(0.0).endRow();
                    bulk.finish();
                }(),
                Contains("UNIQUE constraint failed: scratch.code") || Contains("Key (code)=(c5) already exists"));
        }
        CHECK(rawSql(at, "SELECT count(*) FROM scratch WHERE id BETWEEN 900000 AND 999999").out == "0\n");

        // Abandoned halfway (an error of the caller's): the transaction rolls back, the connection serves the next statement.
        {
            db::Transaction tx(*db);
            auto bulk = db->bulkInsert("scratch", {"id", "label", "data", "code", "small", "ratio"});
            for (int i = 0; i < 5000; ++i)
                bulk.add(std::int64_t{1000000 + i}).add("gone").addBlob("x", 1).add("g" + std::to_string(i)).addNull().add(1.0).endRow();
            if (db->onServer()) CHECK_THROWS_WITH(db->exec("SELECT 1"), Contains("while a bulk write held the connection"));
        }
        auto count = db->prepare("SELECT count(*) FROM scratch");
        REQUIRE(count.step());
        CHECK(count.getInt(0) == static_cast<std::int64_t>(rows.size()));
    }
}

// A tiny driver for the malformed-file corpus: reads a table as the importers do (readTable, any
// format) and prints how many records it delivered, or the refusal on stderr (exit 2). Run in a
// child process, its peak RSS is the reader's own, without the CLI's sign-in (scrypt takes 128 MiB).
#include <cstdio>

#include "workpapers/errors.h"
#include "workpapers/readers/table_source.h"

namespace {
struct Counter : tickmark::TableHandler {
    long long records = 0;
    std::size_t bytes = 0;
    void header(const std::vector<std::string>&) override {}
    void record(const std::vector<std::string_view>& cells, std::int64_t) override {
        ++records;
        for (auto c : cells) bytes += c.size();
    }
};
}  // namespace

int main(int argc, char** argv) {
    if (argc != 2 && !(argc == 4 && std::string_view(argv[2]) == "--encoding")) {
        std::fprintf(stderr, "usage: read_probe FILE [--encoding NAME]\n");
        return 64;
    }
    Counter c;
    tickmark::ReadOptions o;
    if (argc == 4) o.encoding = argv[3];
    try {
        tickmark::readTable(argv[1], o, c);
    } catch (const tickmark::InputError& e) {
        std::fprintf(stderr, "%s\n", e.what());
        return 2;
    }
    std::printf("%lld\n", c.records);
    return 0;
}

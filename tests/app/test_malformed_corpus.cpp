// The malformed-file corpus: tests/tools/make_malformed.py writes 100+ hostile or broken population
// files (truncated and corrupt zips, zip bombs, entity expansion, lying dimensions, 20,000 columns,
// 10 MB cells, control characters, lone surrogates, ODS repeats...) with what each must do. Each is
// read by a driver that only reads (tests/tools/read_probe.cpp) in a child process whose peak RSS is
// read back (wait4) and held to the file's bound, then imported by the CLI (held to 256 MiB; its
// sign-in alone, scrypt, peaks at ~141 MiB and frees it before the import), and every refusal must
// leave the engagement file's bytes as they were.
#include <fcntl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <catch2/catch.hpp>
#include <nlohmann/json.hpp>

#include "support.h"
#include "workpapers/sha256.h"

using namespace testsupport;
using nlohmann::json;

namespace {

struct Measured {
    int status = -1;
    std::string out, err;
    long maxRssKb = 0;
};

// Runs argv[0] with the arguments and one extra environment variable; stdout and stderr captured;
// the child's own peak resident set size from wait4.
Measured runMeasured(const std::vector<std::string>& argv, const std::string& env, const TempDir& d) {
    const auto outPath = d / "child.out", errPath = d / "child.err";
    pid_t pid = ::fork();
    if (pid == 0) {
        int o = ::open(outPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        int e = ::open(errPath.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
        ::dup2(o, 1);
        ::dup2(e, 2);
        ::putenv(const_cast<char*>(env.c_str()));
        std::vector<char*> args;
        for (auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
        args.push_back(nullptr);
        ::execv(args[0], args.data());
        ::_exit(127);
    }
    Measured m;
    int status = 0;
    struct rusage ru {};
    ::wait4(pid, &status, 0, &ru);
    m.status = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    m.maxRssKb = ru.ru_maxrss;
    m.out = read(outPath);
    m.err = read(errPath);
    return m;
}

std::vector<std::string> split(const std::string& s, char sep) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == sep) out.push_back(std::exchange(cur, {}));
        else cur += c;
    }
    out.push_back(cur);
    return out;
}

}  // namespace

TEST_CASE("the malformed corpus: each file refused or read as expected, in bounded memory, the engagement untouched", "[corpus]") {
    TempDir d;
    const auto corpus = d / "corpus";
    auto made = sh("/usr/bin/python3 " + quote((sourceDir() / "tests" / "tools" / "make_malformed.py").string()) + " " +
                   quote(corpus.string()));
    REQUIRE(made.status == 0);
    const std::string eng = (d / "e.tickmark").string();
    REQUIRE(sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " new " + quote(eng) +
               " --client Acme --system Platform --type 2 --period 2025-01-01..2025-12-31 --categories security "
               "--partner 'Pat Partner' --initials PP --role partner,reviewer")
                .status == 0);
    write(d / "m.csv", "Control ID,Description,Criteria,Frequency,Nature\nCM-03,Changes,CC8.1,Daily,Manual\n");
    REQUIRE(sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " controls import " + quote(eng) + " " +
               quote((d / "m.csv").string()) + " --user PP")
                .status == 0);

    std::istringstream manifest(read(corpus / "manifest.tsv"));
    std::string line;
    int files = 0, refused = 0, read = 0;
    long peakKb = 0, importPeakKb = 0;
    std::string peakFile, importPeakFile;
    while (std::getline(manifest, line)) {
        if (line.empty()) continue;
        auto f = split(line, '\t');
        REQUIRE(f.size() == 4);
        const std::string& name = f[0];
        const std::string& expect = f[1];
        const long boundKb = std::stol(f[2]) * 1024;
        std::vector<std::string> argv = {TICKMARK_CLI, "population", "import", eng, (corpus / name).string(),
                                         "--control", "CM-03", "--name", name, "--key", "Key", "--date", "When",
                                         "--json", "--user", "PP"};
        for (auto& extra : split(f[3], ' '))
            if (!extra.empty()) argv.push_back(extra);
        std::vector<std::string> probeArgv = {TICKMARK_READ_PROBE, (corpus / name).string()};
        if (f[3].starts_with("--encoding ")) probeArgv.insert(probeArgv.end(), {"--encoding", f[3].substr(11)});
        auto probe = runMeasured(probeArgv, "X=1", d);
        const std::string before = tickmark::sha256File(eng);
        auto r = runMeasured(argv, "TICKMARK_PASSWORD=partner-pass-1", d);
        ++files;
        INFO(name << ": expected " << expect << "; reader exit " << probe.status << ", peak RSS "
                  << probe.maxRssKb / 1024 << " MiB; import exit " << r.status << ", peak RSS " << r.maxRssKb / 1024
                  << " MiB; stderr: " << r.err.substr(0, 600));
        CHECK(probe.maxRssKb < boundKb);
        CHECK(r.maxRssKb < 256 * 1024);
        if (probe.maxRssKb > peakKb) peakKb = probe.maxRssKb, peakFile = name;
        if (r.maxRssKb > importPeakKb) importPeakKb = r.maxRssKb, importPeakFile = name;
        if (expect.starts_with("refused:")) {
            CHECK(probe.status == 2);
            ++refused;
            CHECK(r.status == 2);
            bool found = false;
            for (auto& fragment : split(expect.substr(8), '|')) found = found || r.err.find(fragment) != std::string::npos;
            CHECK(found);
            CHECK(r.err.find((corpus / name).string()) != std::string::npos);  // the message names the file
            CHECK(tickmark::sha256File(eng) == before);
        } else {
            ++read;
            REQUIRE(expect.starts_with("rows:"));
            CHECK(r.status == 0);
            if (r.status != 0) continue;
            CHECK(probe.status == 0);
            auto j = json::parse(r.out);
            auto parts = split(expect.substr(5), ';');
            CHECK(j["rows"].get<long long>() == std::stoll(parts[0]));
            CHECK(std::stoll("0" + probe.out) == std::stoll(parts[0]));
            for (std::size_t i = 1; i < parts.size(); ++i) {
                auto kv = split(parts[i], '=');
                CHECK(j[kv[0]].get<long long>() == std::stoll(kv[1]));
            }
        }
    }
    CHECK(files >= 100);
    WARN(files << " files: " << refused << " refused, " << read << " read; highest peak RSS of the reader "
               << peakKb / 1024 << " MiB (" << peakFile << "), of the import " << importPeakKb / 1024 << " MiB ("
               << importPeakFile << ")");
}

TEST_CASE("the CLI writes control characters in client text out instead of sending them to the terminal") {
    TempDir d;
    const std::string eng = (d / "e.tickmark").string();
    REQUIRE(sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " new " + quote(eng) +
               " --client Acme --system Platform --type 2 --period 2025-01-01..2025-12-31 --categories security "
               "--partner 'Pat Partner' --initials PP --role partner,reviewer")
                .status == 0);
    // A sheet name holding U+009B (CSI, the C1 form of ESC [), legal in XML, written by openpyxl.
    auto book = d / "book.xlsx";
    REQUIRE(sh("/usr/bin/python3 -c " +
               quote("import sys, openpyxl\nwb = openpyxl.Workbook(); wb.active.title = 'Q\\u009b2A'\n"
                     "wb.active.append(['Key', 'When']); wb.save(sys.argv[1])\n") +
               " " + quote(book.string()))
                .status == 0);
    auto r = sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " controls import " + quote(eng) + " " +
                quote(book.string()) + " --sheet Nope --user PP");
    CHECK(r.status == 2);
    CHECK(r.err.find("the workbook has \"Q\\u009b2A\"") != std::string::npos);
    CHECK(r.err.find("\xc2\x9b") == std::string::npos);
    // A file name with ESC [2A (cursor up two lines) in it: named in the message, written out.
    auto evil = write(d / "evil\x1b[2Aname.csv", "Control ID,Description\n");
    r = sh("TICKMARK_PASSWORD=partner-pass-1 " + std::string(TICKMARK_CLI) + " controls import " + quote(eng) + " " +
           quote(evil.string()) + " --user PP");
    CHECK(r.status == 2);
    CHECK(r.err.find("evil\\x1b[2Aname.csv") != std::string::npos);
    CHECK(r.err.find('\x1b') == std::string::npos);
}

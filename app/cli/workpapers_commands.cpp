#include "app/cli/workpapers_commands.h"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include <unistd.h>

#include "workpapers/progress.h"
#include "report/report.h"
#include "workpapers/engagement.h"
#include "workpapers/errors.h"

namespace tickmark::cli {

namespace {

// "Writing the workpapers: step 3 of 11" on a terminal (the writer counts its sheets, not bytes).
class SheetProgress : public Progress {
public:
    explicit SheetProgress(bool enabled) : enabled_(enabled && isatty(STDERR_FILENO)) {}
    ~SheetProgress() override {
        if (drawn_) std::fprintf(stderr, "\r\033[K");
    }
    void update(std::uint64_t done, std::uint64_t total) override {
        if (!enabled_) return;
        drawn_ = true;
        std::fprintf(stderr, "\rWriting the workpapers: step %llu of %llu\033[K", static_cast<unsigned long long>(done),
                     static_cast<unsigned long long>(total));
        std::fflush(stderr);
    }

private:
    bool enabled_, drawn_ = false;
};

}  // namespace

struct WorkpapersCommands {
    std::string file, xlsx;
};

std::shared_ptr<WorkpapersCommands> addWorkpapersCommands(CLI::App& app, std::function<void()>& action, bool& asJson, int&) {
    auto o = std::make_shared<WorkpapersCommands>();
    auto* wp = app.add_subcommand("workpapers", "The engagement's workpapers, for the team (never the client)");
    wp->require_subcommand(1);
    // tickmark workpapers export ENG --xlsx FILE: reads only; no sign-in.
    auto* ex = wp->add_subcommand("export", "Write the internal workpapers workbook: control matrix, tests, samples, results, "
                                            "exceptions, review notes, sign-offs, populations, evidence index");
    ex->add_option("file", o->file, "the engagement file")->required();
    ex->add_option("--xlsx", o->xlsx, "write the workbook here")->required();
    ex->add_flag("--json", asJson);
    ex->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            {
                SheetProgress progress(!asJson);
                report::writeWorkpapersXlsx(e, o->xlsx, &progress);
            }
            if (asJson) std::cout << nlohmann::json{{"xlsx", o->xlsx}}.dump(2) << "\n";
            else std::printf("Workpapers written: %s\n", o->xlsx.c_str());
        };
    });
    return o;
}

}  // namespace tickmark::cli

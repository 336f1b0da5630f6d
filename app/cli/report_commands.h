#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// report, particulars, description, opinion.
struct ReportCommands;
std::shared_ptr<ReportCommands> addReportCommands(CLI::App& app, std::function<void()>& action, bool& json, int& exitCode);

}  // namespace tickmark::cli

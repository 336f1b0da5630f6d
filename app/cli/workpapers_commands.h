#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// workpapers export: the internal workpapers workbook.
struct WorkpapersCommands;
std::shared_ptr<WorkpapersCommands> addWorkpapersCommands(CLI::App& app, std::function<void()>& action, bool& json, int& exitCode);

}  // namespace tickmark::cli

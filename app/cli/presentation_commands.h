#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// How the report words what the engagement holds: population describe, subservice assign and
// signatory; and the SOC 3 report.
struct PresentationCommands;
std::shared_ptr<PresentationCommands> addPresentationCommands(CLI::App& app, std::function<void()>& action, bool& json, int& exitCode);

}  // namespace tickmark::cli

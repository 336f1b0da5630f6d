#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// Adds `plan`, `evaluate` and `sample ...` to the app. The returned object holds the options'
// storage and must outlive parsing and the action.
struct SamplingCommands;
std::shared_ptr<SamplingCommands> addSamplingCommands(CLI::App& app, std::function<void()>& action, bool& json,
                                                      int& exitCode);

}  // namespace tickmark::cli

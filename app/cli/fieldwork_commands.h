#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// team, test, result, evidence, exception, conclusion, note, signoff, audit, release, lock.
struct FieldworkCommands;
std::shared_ptr<FieldworkCommands> addFieldworkCommands(CLI::App& app, std::function<void()>& action, bool& json,
                                                        int& exitCode);

}  // namespace tickmark::cli

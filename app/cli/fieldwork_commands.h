#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// test, result, evidence, exception, conclusion, note, signoff, audit, release, lock.
struct FieldworkCommands;
std::shared_ptr<FieldworkCommands> addFieldworkCommands(CLI::App& app, std::function<void()>& action, bool& json);

}  // namespace tickmark::cli

#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// team (members, their keys and passwords) and audit (the trail, its seals, verify).
struct ProofCommands;
std::shared_ptr<ProofCommands> addProofCommands(CLI::App& app, std::function<void()>& action, bool& json, int& exitCode);

}  // namespace tickmark::cli

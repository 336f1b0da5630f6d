#pragma once
#include <CLI/CLI.hpp>

#include <functional>
#include <memory>

namespace tickmark::cli {

// tickmark server init | grant | revoke | team: the firm's administrator sets up the team server.
struct ServerCommands;
std::shared_ptr<ServerCommands> addServerCommands(CLI::App& app, std::function<void()>& action, bool& json);

}  // namespace tickmark::cli

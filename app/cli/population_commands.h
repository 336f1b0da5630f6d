#pragma once
#include <CLI/CLI.hpp>

#include <cstdio>
#include <functional>
#include <memory>

#include <nlohmann/json.hpp>

#include "workpapers/engagement.h"
#include "workpapers/rules/population_currency.h"
#include "workpapers/samples.h"

namespace tickmark::cli {

// Adds `population rows|replace|delete|link|reconcile` and `sample add-item|accept-population` to the
// app (after the population and sample commands exist). The returned object holds the options' storage
// and must outlive parsing and the action.
struct PopulationCommands;
std::shared_ptr<PopulationCommands> addPopulationCommands(CLI::App& app, std::function<void()>& action, bool& json, int& exitCode);

// What `population show` adds to the completeness profile: versions, controls served, analytics,
// reconciliation.
nlohmann::json populationExtrasJson(Engagement& e, std::int64_t populationId);
void printPopulationExtras(Engagement& e, std::int64_t populationId, std::FILE* out);
// `population list`: each entry gains superseded_by, supersedes and controls.
void addPopulationListFields(Engagement& e, nlohmann::json& list);

nlohmann::json supersededJson(const SupersededSelection& f);
// `sample show`/`list`: the judgmental items and the superseded-population flag.
void addSelectionExtrasJson(Engagement& e, std::int64_t sampleId, nlohmann::json& j, bool withItems);
void printSelectionExtras(Engagement& e, std::int64_t sampleId);

}  // namespace tickmark::cli

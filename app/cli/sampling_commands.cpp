#include "app/cli/sampling_commands.h"

#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "sampling/attribute.h"
#include "sampling/frequency.h"
#include "workpapers/controls.h"
#include "workpapers/engagement.h"
#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/population.h"
#include "workpapers/rules/frequency_adequacy.h"
#include "workpapers/samples.h"
#include "workpapers/sampling_plan.h"
#include "app/cli/output.h"
#include "app/cli/population_commands.h"
#include "workpapers/population_life.h"
#include "app/cli/signin.h"

namespace tickmark::cli {

using nlohmann::json;
namespace smp = tickmark::sampling;

struct SamplingCommands {
    std::string method = "attribute", confidence = "0.95", tolerable, expected, likelihood = "binomial";
    std::string frequency, risk = "lower", engagement, planText, frame = "in-period", strata = "months", user, source, reason;
    std::string file;
    // kUnset, not -1, marks "not given": a typed -1 must reach the checks and be refused.
    static constexpr std::int64_t kUnset = INT64_MIN;
    std::int64_t expectedCount = kUnset, populationSize = kUnset, size = kUnset, deviations = kUnset,
                 extensionDeviations = kUnset;
    int periodMonths = 12;
    std::int64_t populationId = -1, sampleId = -1, by = 0;
    std::string seedText, control, kind;
    bool businessDays = false;
};

namespace {

void emit(const json& j) { std::cout << j.dump(2) << "\n"; }

std::optional<std::uint64_t> seedOption(const std::string& s) {
    if (s.empty()) return std::nullopt;
    return parseSeed(s);
}

std::string readPlanText(const std::string& text) {
    if (text.empty() || text[0] != '@') return text;
    std::ifstream in(text.substr(1));
    if (!in) throw InputError("--plan " + text + ": cannot read " + text.substr(1));
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

smp::FrequencyTable frequencyTable(const SamplingCommands& o, std::string& sourceName) {
    if (!o.engagement.empty()) {
        auto e = Engagement::open(o.engagement);
        sourceName = "engagement " + o.engagement;
        return frequencyTableForReading(e, templatesDir() / "frequency-table.csv");
    }
    sourceName = (templatesDir() / "frequency-table.csv").string();
    return readFrequencyTable(templatesDir() / "frequency-table.csv");
}

json itemsJson(const SampleRecord& r) {
    json a = json::array();
    for (auto& it : r.items) {
        json j{{"position", it.position}, {"key", it.key}};
        j["row"] = it.row ? json(*it.row) : json(nullptr);
        j["date"] = it.date ? json(*it.date) : json(nullptr);
        if (it.stratum) j["stratum"] = *it.stratum;
        a.push_back(j);
    }
    return a;
}

json recordJson(const SampleRecord& r, bool withItems) {
    json j{{"sample_id", r.id},
           {"control", r.control},
           {"population_id", r.populationId ? json(*r.populationId) : json(nullptr)},
           {"extends_sample_id", r.extendsSampleId ? json(*r.extendsSampleId) : json(nullptr)},
           {"method", r.method},
           {"algorithm", r.algorithm},
           {"generator", r.generator},
           {"tool_version", r.toolVersion},
           {"seed", r.seed},
           {"seed_text", std::to_string(r.seed)},
           {"seed_source", r.seedSource},
           {"frame", json::parse(r.frameJson)},
           {"frame_size", r.frameSize},
           {"excluded", json::parse(r.excludedJson)},
           {"population_sha256", r.populationSha256 ? json(*r.populationSha256) : json(nullptr)},
           {"population_rows", r.populationRows ? json(*r.populationRows) : json(nullptr)},
           {"population_digest", r.populationDigest ? json(*r.populationDigest) : json(nullptr)},
           {"plan", json::parse(r.planJson)},
           {"size", r.size},
           {"created_by", r.createdBy},
           {"created_at", r.createdAt}};
    if (withItems) j["items"] = itemsJson(r);
    return j;
}

void printRecord(Engagement& e, const SampleRecord& r) {
    std::printf("Selection %lld for %s: %s, %lld of %lld items in the frame\n", static_cast<long long>(r.id),
                terminalText(r.control).c_str(), r.method.c_str(), static_cast<long long>(r.size), static_cast<long long>(r.frameSize));
    if (r.extendsSampleId) std::printf("  Extends     selection %lld\n", static_cast<long long>(*r.extendsSampleId));
    if (r.populationId)
        std::printf("  Population  %lld (%lld rows, file SHA-256 %s)\n", static_cast<long long>(*r.populationId),
                    static_cast<long long>(*r.populationRows), r.populationSha256->c_str());
    std::printf("  Frame       %s\n  Excluded    %s\n", terminalText(r.frameJson).c_str(), terminalText(r.excludedJson).c_str());
    std::printf("  Seed        %llu (%s)\n  Algorithm   %s\n  Generator   %s\n", static_cast<unsigned long long>(r.seed),
                r.seedSource == "os" ? "drawn from the operating system" : "given", r.algorithm.c_str(), r.generator.c_str());
    std::printf("  Plan        %s\n  Drawn       %s by %s with %s\n", r.planJson.c_str(), r.createdAt.c_str(),
                r.createdBy.c_str(), r.toolVersion.c_str());
    // The date used beside the value as delivered, where they differ (a time, an offset, another pattern).
    std::optional<PopulationItems> population;
    if (r.populationId) population.emplace(e, *r.populationId);
    for (auto& it : r.items) {
        std::string delivered;
        if (population && it.row && *it.row <= population->rows()) {
            std::string_view v = population->at(*it.row).cells.at(population->dateColumn());
            if (v != it.date.value_or("")) delivered = "  (delivered \"" + std::string(v) + "\")";
        }
        std::printf("  %4lld  %-8s %-24s %s%s%s\n", static_cast<long long>(it.position),
                    it.row ? ("row " + std::to_string(*it.row)).c_str() : "", terminalText(it.key).c_str(),
                    terminalText(it.date.value_or("")).c_str(), terminalText(delivered).c_str(),
                    it.stratum ? ("  [" + terminalText(*it.stratum) + "]").c_str() : "");
    }
}

// A count option: absent stays absent; a negative count is refused here, naming the option.
std::optional<std::int64_t> opt(std::int64_t v, const char* option) {
    if (v == SamplingCommands::kUnset) return std::nullopt;
    if (v < 0) throw InputError(std::string(option) + " " + std::to_string(v) + ": give a count of 0 or more");
    return v;
}

std::string pct(double rate, int decimals) { return smp::percentText(rate, decimals); }

}  // namespace

std::shared_ptr<SamplingCommands> addSamplingCommands(CLI::App& app, std::function<void()>& action, bool& asJson,
                                                      int& exitCode) {
    auto o = std::make_shared<SamplingCommands>();
    auto& O = *o;

    // tickmark plan
    auto* plan = app.add_subcommand("plan", "Sample size: statistical attribute sampling or the firm's frequency table");
    plan->add_option("--method", O.method, "attribute or frequency")->check(CLI::IsMember({"attribute", "frequency"}));
    plan->add_option("--confidence", O.confidence, "confidence level, e.g. 0.95 (a 5% risk of overreliance)");
    plan->add_option("--tolerable", O.tolerable, "tolerable deviation rate, e.g. 0.05 or 5%");
    plan->add_option("--expected", O.expected, "expected deviation rate, e.g. 0.01");
    plan->add_option("--expected-count", O.expectedCount, "expected deviations as a count instead of a rate");
    plan->add_option("--likelihood", O.likelihood, "binomial (the AICPA tables), poisson or hypergeometric");
    plan->add_option("--population-size", O.populationSize, "items in the population (hypergeometric; frequency)");
    plan->add_option("--frequency", O.frequency, "annual, quarterly, monthly, weekly, daily, multiple-daily, automated, as-needed");
    plan->add_option("--risk", O.risk, "lower or higher");
    plan->add_option("--period-months", O.periodMonths, "months in the examination period (default 12)");
    plan->add_option("--engagement", O.engagement, "use (and on first use copy) this engagement's frequency table");
    plan->add_option("--population", O.populationId,
                     "size from this population's in-period count (with --engagement; instead of --population-size)");
    plan->add_flag("--json", asJson);
    plan->callback([&action, &asJson, &exitCode, o] {
        action = [&asJson, &exitCode, o] {
            auto& O = *o;
            std::string sizedFrom;
            if (O.populationId >= 0) {
                // The population's in-period count is the population size (the version in force: a superseded
                // version is named, not used silently).
                if (O.engagement.empty()) throw InputError("--population: name the engagement it is in with --engagement FILE");
                if (O.populationSize != SamplingCommands::kUnset)
                    throw InputError("--population and --population-size: give one (--population reads the size from the population)");
                auto e = Engagement::open(O.engagement);
                auto p = loadProfile(e, O.populationId);
                const auto current = currentPopulationVersion(e, O.populationId);
                if (current != O.populationId)
                    throw InputError("population " + std::to_string(O.populationId) + " was superseded; the version in force is population " +
                                     std::to_string(current) + " (plan from it)");
                O.populationSize = p.inPeriod;
                if (O.method == "frequency" && O.frequency.empty()) {
                    for (auto& c : listControls(e))  // the control the population belongs to (the store reads it)
                        if (c.ref == p.control) O.frequency = c.frequency;
                }
                sizedFrom = "population " + std::to_string(O.populationId) + " (" + p.name + "): " + std::to_string(p.inPeriod) +
                            " items in the period";
            }
            if (O.method == "attribute") {
                if (O.tolerable.empty()) throw InputError("--tolerable: give the tolerable deviation rate, e.g. 0.05");
                smp::AttributePlanInput in;
                in.confidence = smp::Rate::parse(O.confidence, "--confidence");
                in.tolerable = smp::Rate::parse(O.tolerable, "--tolerable");
                if (!O.expected.empty()) in.expectedRate = smp::Rate::parse(O.expected, "--expected");
                in.expectedCount = opt(O.expectedCount, "--expected-count");
                if (!in.expectedRate && !in.expectedCount) in.expectedRate = smp::Rate{0, 1};
                in.likelihood = smp::parseLikelihood(O.likelihood);
                in.populationSize = opt(O.populationSize, "--population-size");
                auto p = smp::planAttributeSample(in);
                // The plan's stored form comes from SamplingPlan, its one writer; the rest is for the reader.
                json j = json::parse(attributePlan(in, p).toJson());
                j["possible"] = p.possible;
                if (!sizedFrom.empty()) j["population_size_from"] = sizedFrom;
                if (p.possible) {
                    j["risk_at_size"] = p.riskAtSize;
                } else {
                    j["sample_size"] = nullptr;
                    j["why_not"] = p.whyNot;
                    exitCode = 2;
                    std::fprintf(stderr, "tickmark: no sample size: %s\n", p.whyNot.c_str());
                }
                if (asJson) return emit(j);
                if (p.possible)
                    std::printf("Sample size %lld, allowing %lld deviation%s (%s)\n", static_cast<long long>(p.sampleSize),
                                static_cast<long long>(p.allowableDeviations), p.allowableDeviations == 1 ? "" : "s",
                                p.basis.c_str());
                if (!p.warning.empty()) std::printf("Warning: %s\n", p.warning.c_str());
                if (!sizedFrom.empty()) std::printf("Population size from %s\n", sizedFrom.c_str());
                return;
            }
            if (O.frequency.empty()) throw InputError("--frequency: give how often the control runs, e.g. daily");
            std::string tableSource;
            auto table = frequencyTable(O, tableSource);
            auto popSize = opt(O.populationSize, "--population-size");
            const smp::FrequencyPlanInput in{O.frequency, smp::parseRisk(O.risk), popSize, O.periodMonths};
            auto p = smp::planByFrequency(table, in);
            json j = json::parse(frequencyPlan(in, p).toJson());
            j["table"] = tableSource;
            if (!sizedFrom.empty()) j["population_size_from"] = sizedFrom;
            if (asJson) return emit(j);
            std::printf("Sample size %lld (%s)%s\n", static_cast<long long>(p.sampleSize), p.basis.c_str(),
                        p.extendTo ? (", extend to " + std::to_string(*p.extendTo) + " after one isolated deviation").c_str() : "");
            if (!sizedFrom.empty()) std::printf("Population size from %s\n", sizedFrom.c_str());
        };
    });

    // tickmark evaluate
    auto* evaluate = app.add_subcommand("evaluate", "Evaluate a tested sample: upper deviation limit and conclusion");
    evaluate->add_option("--method", O.method, "attribute (default) or frequency")->check(CLI::IsMember({"attribute", "frequency"}));
    evaluate->add_option("--size", O.size, "items tested")->required();
    evaluate->add_option("--deviations", O.deviations, "deviations found")->required();
    evaluate->add_option("--confidence", O.confidence);
    evaluate->add_option("--tolerable", O.tolerable);
    evaluate->add_option("--likelihood", O.likelihood);
    evaluate->add_option("--population-size", O.populationSize);
    evaluate->add_option("--frequency", O.frequency, "frequency method: the control's frequency");
    evaluate->add_option("--risk", O.risk, "frequency method: lower or higher");
    evaluate->add_option("--extension-deviations", O.extensionDeviations, "frequency method: deviations in the extension");
    evaluate->add_flag("--json", asJson);
    evaluate->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto& O = *o;
            if (O.method == "frequency") {
                if (O.frequency.empty()) throw InputError("--frequency: give the control's frequency");
                std::string tableSource;
                auto table = frequencyTable(O, tableSource);
                auto p = smp::planByFrequency(table, {O.frequency, smp::parseRisk(O.risk), opt(O.populationSize, "--population-size"),
                                                      O.periodMonths});
                auto ev = smp::evaluateFrequencySample(p, O.size, O.deviations,
                                                       opt(O.extensionDeviations, "--extension-deviations"));
                json j{{"method", "frequency"}, {"sample_size", O.size}, {"deviations", O.deviations},
                       {"outcome", smp::outcomeName(ev.outcome)}, {"extend_by", ev.extendBy},
                       {"extend_to", p.extendTo ? json(*p.extendTo) : json(nullptr)}, {"conclusion", ev.conclusion}};
                if (asJson) return emit(j);
                std::printf("%s\n", ev.conclusion.c_str());
                return;
            }
            smp::AttributeEvaluationInput in;
            in.confidence = smp::Rate::parse(O.confidence, "--confidence");
            in.sampleSize = O.size;
            in.deviations = O.deviations;
            if (!O.tolerable.empty()) in.tolerable = smp::Rate::parse(O.tolerable, "--tolerable");
            in.likelihood = smp::parseLikelihood(O.likelihood);
            in.populationSize = opt(O.populationSize, "--population-size");
            auto ev = smp::evaluateAttributeSample(in);
            json j{{"method", "attribute"},
                   {"sample_size", O.size},
                   {"deviations", O.deviations},
                   {"confidence", in.confidence.text()},
                   {"likelihood", smp::likelihoodName(in.likelihood)},
                   {"sample_deviation_rate", ev.sampleRate},
                   {"upper_deviation_limit", ev.upperLimit},
                   {"upper_deviation_limit_exact", ev.upperLimitExact},
                   {"allowance_for_sampling_risk", ev.allowanceForSamplingRisk},
                   {"tolerable", in.tolerable ? json(in.tolerable->text()) : json(nullptr)},
                   {"supports_reliance", ev.supportsReliance ? json(*ev.supportsReliance) : json(nullptr)},
                   {"conclusion", ev.conclusion}};
            if (asJson) return emit(j);
            std::printf("Sample deviation rate %s, upper deviation limit %s (exact %s): %s\n", pct(ev.sampleRate, 1).c_str(),
                        pct(ev.upperLimit, 1).c_str(), pct(ev.upperLimitExact, 4).c_str(), ev.conclusion.c_str());
        };
    });

    // tickmark sample draw|extend|show|list|verify
    auto* sample = app.add_subcommand("sample", "Draw, extend, show and re-perform selections");
    sample->require_subcommand(1);
    auto* draw = sample->add_subcommand("draw", "Draw a selection from a population (or days of the period)");
    draw->add_option("file", O.file)->required();
    draw->add_option("--population", O.populationId, "the population to draw from");
    draw->add_option("--control", O.control, "with --method dates: the control the days are for");
    draw->add_option("--method", O.method, "random (default), systematic, stratified or dates")
        ->check(CLI::IsMember({"random", "systematic", "stratified", "dates", "attribute"}));
    draw->add_option("--size", O.size, "how many items (default: the plan's sample_size)");
    draw->add_option("--seed", O.seedText, "64-bit seed (default: drawn from the OS, and shown)");
    draw->add_option("--plan", O.planText, "the plan, as JSON or @file (e.g. the output of `tickmark plan --json`)");
    draw->add_option("--frame", O.frame, "in-period (default) or all: widen the frame explicitly");
    draw->add_option("--strata", O.strata, "stratified: months (default) or quarters");
    draw->add_flag("--business-days", O.businessDays, "dates: Monday to Friday only");
    draw->add_option("--user", O.user, "who draws it (name or initials); password from TICKMARK_PASSWORD or a prompt");
    draw->add_option("--reason", O.reason, "after assembly: why");
    draw->add_flag("--json", asJson);
    draw->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto& O = *o;
            auto e = Engagement::open(O.file);
            DrawRequest req;
            if (O.populationId >= 0) req.populationId = O.populationId;
            req.control = O.control;
            req.method = O.method == "attribute" ? "random" : O.method;
            req.seed = seedOption(O.seedText);
            req.frame = O.frame;
            req.strata = O.strata;
            req.businessDaysOnly = O.businessDays;
            req.planJson = readPlanText(O.planText);
            req.reason = O.reason;
            if (O.size != SamplingCommands::kUnset) req.size = O.size;
            const Actor a = signIn(e, O.user);
            auto r = drawSample(e, a, req);
            if (asJson) return emit(recordJson(r, true));
            printRecord(e, r);
        };
    });
    auto* extend = sample->add_subcommand("extend", "Extend a selection with items not yet selected");
    extend->add_option("file", O.file)->required();
    extend->add_option("--sample", O.sampleId, "the selection to extend")->required();
    extend->add_option("--by", O.by, "how many more items")->required();
    extend->add_option("--seed", O.seedText, "64-bit seed (default: drawn from the OS, and shown)");
    extend->add_option("--user", O.user, "who extends it (name or initials); password from TICKMARK_PASSWORD or a prompt");
    extend->add_flag("--json", asJson);
    extend->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            const Actor a = signIn(e, o->user);
            auto r = extendSample(e, a, o->sampleId, o->by, seedOption(o->seedText));
            if (asJson) return emit(recordJson(r, true));
            printRecord(e, r);
        };
    });
    auto* show = sample->add_subcommand("show", "Show a selection with its items");
    show->add_option("file", O.file)->required();
    show->add_option("id", O.sampleId, "the selection");
    show->add_option("--sample", O.sampleId, "the selection");
    show->add_flag("--json", asJson);
    show->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            if (o->sampleId < 0) throw InputError("name the selection: tickmark sample show FILE --sample ID");
            auto e = Engagement::open(o->file);
            auto r = loadSample(e, o->sampleId);
            if (asJson) {
                auto j = recordJson(r, true);
                addSelectionExtrasJson(e, r.id, j, true);  // judgmental items, superseded population
                return emit(j);
            }
            printRecord(e, r);
            printSelectionExtras(e, r.id);
        };
    });
    auto* list = sample->add_subcommand("list", "List the selections");
    list->add_option("file", O.file)->required();
    list->add_flag("--json", asJson);
    list->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            auto all = listSamples(e);
            if (asJson) {
                json a = json::array();
                for (auto& r : all) {
                    a.push_back(recordJson(r, false));
                    addSelectionExtrasJson(e, r.id, a.back(), false);
                }
                return emit(a);
            }
            for (auto& r : all) {
                json extras;
                addSelectionExtrasJson(e, r.id, extras, false);
                std::string flag;
                if (extras["judgmental_count"].get<std::size_t>() > 0)
                    flag += "  +" + std::to_string(extras["judgmental_count"].get<std::size_t>()) + " judgmental";
                if (!extras["population_superseded"].is_null())
                    flag += extras["population_superseded"]["open"].get<bool>() ? "  ! population superseded (open)"
                                                                                : "  population superseded (accepted)";
                std::printf("%-4lld %-8s %-11s %5lld of %7lld  seed %-20llu %s%s\n", static_cast<long long>(r.id),
                            r.control.c_str(), r.method.c_str(), static_cast<long long>(r.size),
                            static_cast<long long>(r.frameSize), static_cast<unsigned long long>(r.seed), r.createdAt.c_str(),
                            flag.c_str());
            }
        };
    });
    auto* accept = sample->add_subcommand("accept", "Accept a selection's frequency adequacy findings (reviewer or partner)");
    accept->add_option("file", O.file)->required();
    accept->add_option("--sample", O.sampleId, "the selection tested")->required();
    accept->add_option("--reason", O.reason, "why the selection is adequate all the same")->required();
    accept->add_option("--kind", O.kind, "only this finding: too-small, not-spread or unsized");
    accept->add_option("--user", O.user, "the reviewer or partner (signs in)");
    accept->add_flag("--json", asJson);
    accept->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            auto a = signIn(e, o->user);
            std::optional<AdequacyKind> kind;
            if (!o->kind.empty()) kind = parseAdequacyKind(o->kind);
            auto accepted = acceptAdequacy(e, a, o->sampleId, o->reason, kind);
            if (asJson) {
                json arr = json::array();
                for (auto& f : accepted) arr.push_back(adequacyJson(f));
                return emit(arr);
            }
            for (auto& f : accepted)
                std::printf("Accepted %s on selection %lld (%s): %s\n", adequacyKindName(f.kind).c_str(),
                            static_cast<long long>(f.sampleId), f.control.c_str(), f.text.c_str());
        };
    });
    auto* verify = sample->add_subcommand("verify", "Re-perform a selection from its record and compare");
    verify->add_option("file", O.file)->required();
    verify->add_option("--sample", O.sampleId, "the selection")->required();
    verify->add_option("--source", O.source, "also check this file is the population as delivered");
    verify->add_flag("--json", asJson);
    verify->callback([&action, &asJson, &exitCode, o] {
        action = [&asJson, &exitCode, o] {
            auto e = Engagement::open(o->file);
            std::optional<std::filesystem::path> src;
            if (!o->source.empty()) src = o->source;
            auto v = verifySample(e, o->sampleId, src);
            if (!v.identical) {
                exitCode = 2;
                std::fprintf(stderr, "tickmark: selection %lld does not re-perform: %s\n", static_cast<long long>(o->sampleId),
                             v.firstDifference.c_str());
            }
            if (asJson)
                return emit(json{{"sample_id", o->sampleId}, {"identical", v.identical}, {"checks", v.checks},
                                 {"first_difference", v.identical ? json(nullptr) : json(v.firstDifference)},
                                 {"judgmental", v.judgmental}});
            for (auto& c : v.checks) std::printf("  ok  %s\n", c.c_str());
            if (v.identical) std::printf("Selection %lld re-performed: identical.\n", static_cast<long long>(o->sampleId));
            if (!v.judgmental.empty())
                std::printf("Judgmental items, added apart from the draw (not re-performed):\n");
            for (auto& j : v.judgmental) std::printf("  J   %s\n", j.c_str());
        };
    });
    return o;
}

}  // namespace tickmark::cli

#include "app/cli/fieldwork_commands.h"
#include "app/cli/population_commands.h"

#include <cstdio>
#include <cstdlib>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/output.h"
#include "app/cli/signin.h"
#include "workpapers/errors.h"
#include "workpapers/fieldwork.h"
#include "workpapers/proof/digest.h"
#include "workpapers/people.h"
#include "workpapers/rules/frequency_adequacy.h"
#include "workpapers/trail.h"

namespace tickmark::cli {

using nlohmann::json;

struct FieldworkCommands {
    std::string file, user, reason, name, initials, roles, control, types, procedure, workpaper, subject, text;
    std::string items, letter, outcome, naReason, comment, tick, path, to, field, value, conclusion, date, identityReason;
    std::vector<std::string> attributes;
    std::int64_t sample = -1, id = -1, bytes = -1;
    std::optional<std::int64_t> seen;
};

namespace {

void emit(const json& j) { std::cout << j.dump(2) << "\n"; }

// "7", "1-25", "1,3,5-7" -> positions
std::vector<std::int64_t> parseItems(const std::string& s) {
    std::vector<std::int64_t> out;
    for (auto& part : splitList(s)) {
        auto dash = part.find('-');
        try {
            std::int64_t a = std::stoll(part.substr(0, dash)), b = dash == std::string::npos ? a : std::stoll(part.substr(dash + 1));
            if (a < 1 || b < a) throw std::invalid_argument("range");
            for (auto i = a; i <= b; ++i) out.push_back(i);
        } catch (const std::exception&) {
            throw InputError("--item " + s + ": give item numbers like 7, 1-25 or 1,3,5-7");
        }
    }
    if (out.empty()) throw InputError("--item: give the item numbers");
    return out;
}

json testJson(Engagement& e, const TestView& v) {
    json items = json::array();
    auto results = loadResults(e, v.control);
    for (auto& it : v.items) {
        json r = json::object();
        for (auto& res : results)
            if (res.position == it.position)
                r[res.letter] = {{"outcome", res.outcome}, {"comment", res.comment}, {"tick_mark", res.tickMark},
                                 {"na_reason", res.naReason}, {"recorded_by", res.recordedBy}};
        items.push_back({{"position", it.position}, {"key", it.key}, {"row", it.row ? json(*it.row) : json(nullptr)},
                         {"sample_id", it.sampleId}, {"judgmental", it.judgmental}, {"results", r}});
    }
    json attrs = json::array();
    for (auto& [l, q] : v.attributes) attrs.push_back({{"letter", l}, {"question", q}});
    json keptOut = json::array();  // results of items not in the selection now tested: kept, never counted
    for (auto& r : detachedResults(e, v.control))
        keptOut.push_back({{"key", r.itemKey}, {"occurrence", r.occurrence}, {"attribute", r.letter}, {"outcome", r.outcome},
                           {"comment", r.comment}, {"recorded_by", r.recordedBy}, {"recorded_at", r.recordedAt}});
    auto c = controlConclusion(e, v.control);
    json adequacy = json::array();
    for (auto& f : selectionAdequacy(e, v.control)) adequacy.push_back(adequacyJson(f));
    json superseded = nullptr;  // the selection tested was drawn from a population since superseded
    if (v.sampleId)
        if (auto f = supersededSelection(e, *v.sampleId)) superseded = supersededJson(*f);
    return json{{"control", v.control}, {"types", v.types}, {"procedure", v.procedure}, {"adequacy", adequacy},
                {"population_superseded", superseded},
                {"sample_id", v.sampleId ? json(*v.sampleId) : json(nullptr)}, {"design_only", v.designOnly},
                {"attributes", attrs}, {"items", items}, {"results_kept_out", keptOut},
                {"progress", {{"items", v.items.size()}, {"items_done", v.itemsDone}, {"results", v.recorded},
                              {"expected", v.expected}, {"deviations", v.deviations}}},
                {"conclusion", {{"computed", c.computed}, {"basis", c.basis},
                                {"override", c.overridden ? json(*c.overridden) : json(nullptr)},
                                {"override_reason", c.overrideReason}, {"effective", c.effective()}}}};
}

json exceptionJson(const ExceptionView& x) {
    return json{{"id", x.id}, {"control", x.control}, {"attribute", x.letter}, {"question", x.question},
                {"deviations", x.deviations}, {"tested", x.tested},
                {"counts", std::to_string(x.deviations) + " of " + std::to_string(x.tested)},
                {"description", x.description}, {"cause", x.cause}, {"nature", x.nature},
                {"management_response", x.managementResponse}, {"auditor_conclusion", x.auditorConclusion},
                {"criteria_met", x.criteriaMet ? json(*x.criteriaMet) : json(nullptr)}, {"criteria", x.criteria},
                {"concluded", x.concluded()}, {"opened_by", x.openedBy}, {"opened_at", x.openedAt}};
}

}  // namespace

std::shared_ptr<FieldworkCommands> addFieldworkCommands(CLI::App& app, std::function<void()>& action, bool& asJson) {
    auto o = std::make_shared<FieldworkCommands>();
    auto& O = *o;
    auto fileOpt = [&](CLI::App* c) { c->add_option("file", O.file, "the engagement file")->required(); };
    auto userOpt = [&](CLI::App* c) {
        c->add_option("--user", O.user, "who acts (name or initials); password from TICKMARK_PASSWORD or a prompt");
        c->add_option("--reason", O.reason, "after assembly: why this is added");
    };
    auto jsonOpt = [&](CLI::App* c) { c->add_flag("--json", asJson); };

    // test
    auto* testCmd = app.add_subcommand("test", "Test plans and progress per control");
    testCmd->require_subcommand(1);
    auto* define = testCmd->add_subcommand("define", "Define (or change) a control's test plan");
    fileOpt(define);
    define->add_option("--control", O.control)->required();
    define->add_option("--types", O.types, "inquiry, observation, inspection, reperformance (comma list)")->required();
    define->add_option("--procedure", O.procedure, "as it will read in Section IV")->required();
    define->add_option("--sample", O.sample, "the selection tested (Type II)");
    define->add_option("--attribute", O.attributes, "LETTER=question, e.g. \"A=Approved before deployment\"")->required();
    userOpt(define);
    define->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            auto a = signIn(e, o->user);
            TestDefinition d{o->control, splitList(o->types), o->procedure, std::nullopt, {}, o->reason};
            if (o->sample >= 0) d.sampleId = o->sample;
            for (auto& at : o->attributes) {
                auto eq = at.find('=');
                if (eq == std::string::npos) throw InputError("--attribute " + at + ": write it as LETTER=question");
                d.attributes.emplace_back(at.substr(0, eq), at.substr(eq + 1));
            }
            defineTest(e, a, d);
            std::printf("Test plan of %s recorded\n", o->control.c_str());
        };
    });
    auto* showTest = testCmd->add_subcommand("show", "Show a test workpaper: items x attributes, progress, conclusion");
    fileOpt(showTest);
    showTest->add_option("--control", O.control)->required();
    jsonOpt(showTest);
    showTest->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            auto v = loadTest(e, o->control);
            auto j = testJson(e, v);
            if (asJson) return emit(j);
            std::printf("Test of %s (%s)\n  %s\n", v.control.c_str(), j["types"].dump().c_str(), v.procedure.c_str());
            for (auto& [l, q] : v.attributes) std::printf("  %s  %s\n", l.c_str(), q.c_str());
            for (auto& it : j["items"]) {
                std::string line;
                for (auto& [l, q] : v.attributes) {
                    auto r = it["results"].contains(l) ? it["results"][l]["outcome"].get<std::string>() : "-";
                    line += "  " + l + ":" + (r == "pass" ? "✓" : r == "deviation" ? "✗" : r == "na" ? "n/a" : "·");
                }
                std::printf("  %3lld %-20s%s%s\n", it["position"].get<long long>(), terminalText(it["key"].get<std::string>()).c_str(),
                            line.c_str(), it["judgmental"].get<bool>() ? "  (judgmental: outside the statistical evaluation)" : "");
            }
            if (!j["results_kept_out"].empty())
                std::printf("  Kept out of the test (their items are not in this selection): %zu result%s, see --json\n",
                            j["results_kept_out"].size(), j["results_kept_out"].size() == 1 ? "" : "s");
            std::printf("  Progress: %lld of %lld items done, %lld deviation%s\n  Conclusion: %s (%s)%s\n",
                        static_cast<long long>(v.itemsDone), static_cast<long long>(v.items.size()),
                        static_cast<long long>(v.deviations), v.deviations == 1 ? "" : "s",
                        j["conclusion"]["effective"].get<std::string>().c_str(), j["conclusion"]["basis"].get<std::string>().c_str(),
                        j["conclusion"]["override"].is_null() ? "" : (" — overridden: " + j["conclusion"]["override_reason"].get<std::string>()).c_str());
            // Frequency adequacy: open findings stand out; accepted ones keep the reviewer's reason.
            for (auto& f : j["adequacy"]) {
                std::string state = f["open"].get<bool>()
                                        ? (f["acceptance_stale"].get<bool>() ? "OPEN (changed since it was accepted)" : "OPEN")
                                        : "accepted by " + f["accepted"]["by"].get<std::string>() + ": " +
                                              f["accepted"]["reason"].get<std::string>();
                std::printf("  Frequency adequacy, %s: %s\n      %s\n", f["kind"].get<std::string>().c_str(),
                            f["text"].get<std::string>().c_str(), state.c_str());
            }
            if (!j["population_superseded"].is_null())
                std::printf("  %s population superseded: %s\n", j["population_superseded"]["open"].get<bool>() ? "OPEN" : "Accepted,",
                            j["population_superseded"]["text"].get<std::string>().c_str());
        };
    });
    auto* listTest = testCmd->add_subcommand("list", "Progress of every control test");
    fileOpt(listTest);
    jsonOpt(listTest);
    listTest->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            json a = json::array();
            for (auto& v : listTests(e)) {
                auto c = controlConclusion(e, v.control);
                a.push_back({{"control", v.control}, {"items", v.items.size()}, {"items_done", v.itemsDone},
                             {"results", v.recorded}, {"expected", v.expected}, {"deviations", v.deviations},
                             {"conclusion", c.effective()}});
            }
            if (asJson) return emit(a);
            for (auto& t : a)
                std::printf("%-8s %4lld/%-4lld items  %5lld/%-5lld results  %2lld deviations  %s\n",
                            t["control"].get<std::string>().c_str(), t["items_done"].get<long long>(), t["items"].get<long long>(),
                            t["results"].get<long long>(), t["expected"].get<long long>(), t["deviations"].get<long long>(),
                            t["conclusion"].get<std::string>().c_str());
        };
    });
    auto* legend = testCmd->add_subcommand("legend", "The tick mark legend");
    fileOpt(legend);
    legend->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            for (auto& m : tickMarkLegend(e)) std::printf("%-4s %s\n", m.symbol.c_str(), m.meaning.c_str());
        };
    });

    // result
    auto* resultCmd = app.add_subcommand("result", "Test results");
    resultCmd->require_subcommand(1);
    auto* record = resultCmd->add_subcommand("record", "Record results: items x an attribute");
    fileOpt(record);
    record->add_option("--control", O.control)->required();
    record->add_option("--item", O.items, "7, 1-25 or 1,3,5-7")->required();
    record->add_option("--attribute", O.letter)->required();
    record->add_option("--outcome", O.outcome, "pass, deviation or na")->required();
    record->add_option("--reason-na", O.naReason, "with na: why the attribute does not apply");
    record->add_option("--comment", O.comment);
    record->add_option("--tick", O.tick, "a tick mark from the legend");
    userOpt(record);
    record->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            auto a = signIn(e, o->user);
            std::vector<ResultInput> rs;
            for (auto p : parseItems(o->items)) rs.push_back({o->control, p, o->letter, o->outcome, o->naReason, o->comment, o->tick});
            recordResults(e, a, rs, o->reason);
            auto v = loadTest(e, o->control);
            std::printf("Recorded %zu result%s for %s: %lld of %lld done\n", rs.size(), rs.size() == 1 ? "" : "s",
                        o->control.c_str(), static_cast<long long>(v.recorded), static_cast<long long>(v.expected));
        };
    });

    // evidence
    auto* evCmd = app.add_subcommand("evidence", "Evidence files kept in the engagement file");
    evCmd->require_subcommand(1);
    auto* evAdd = evCmd->add_subcommand("add", "Attach a file to the engagement, a control test, or a result");
    fileOpt(evAdd);
    evAdd->add_option("--file", O.path, "the evidence file")->required();
    evAdd->add_option("--control", O.control, "the control test (else the engagement)");
    evAdd->add_option("--item", O.items, "with --attribute: the result");
    evAdd->add_option("--attribute", O.letter);
    userOpt(evAdd);
    jsonOpt(evAdd);
    evAdd->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            auto a = signIn(e, o->user);
            EvidenceTarget t{o->control.empty() ? "engagement" : testWorkpaper(o->control), std::nullopt, std::nullopt};
            if (!o->items.empty()) t.position = parseItems(o->items).front();
            if (!o->letter.empty()) t.letter = o->letter;
            auto id = attachEvidence(e, a, t, o->path, o->reason);
            if (asJson) return emit({{"evidence_id", id}});
            std::printf("Attached %s as evidence %lld\n", o->path.c_str(), static_cast<long long>(id));
        };
    });
    auto* evList = evCmd->add_subcommand("list", "List evidence");
    fileOpt(evList);
    evList->add_option("--control", O.control);
    jsonOpt(evList);
    evList->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            std::optional<std::string> wp;
            if (!o->control.empty()) wp = testWorkpaper(o->control);
            json a = json::array();
            for (auto& v : listEvidence(e, wp))
                a.push_back({{"id", v.id}, {"workpaper", v.workpaper}, {"name", v.originalName}, {"size", v.size},
                             {"sha256", v.sha256}, {"item", v.position ? json(*v.position) : json(nullptr)},
                             {"attribute", v.letter ? json(*v.letter) : json(nullptr)}, {"added_by", v.addedBy}, {"added_at", v.addedAt}});
            if (asJson) return emit(a);
            for (auto& v : a)
                std::printf("%-4lld %-14s %-32s %10lld bytes  %s\n", v["id"].get<long long>(), v["workpaper"].get<std::string>().c_str(),
                            v["name"].get<std::string>().c_str(), v["size"].get<long long>(), v["added_by"].get<std::string>().c_str());
        };
    });
    auto* evExport = evCmd->add_subcommand("export", "Write an evidence file back out, byte for byte");
    fileOpt(evExport);
    evExport->add_option("--id", O.id)->required();
    evExport->add_option("--to", O.to, "the folder to write into")->required();
    evExport->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            std::printf("%s\n", exportEvidence(e, o->id, o->to).string().c_str());
        };
    });
    auto* evLimit = evCmd->add_subcommand("limit", "Set the largest evidence file accepted (partner)");
    fileOpt(evLimit);
    evLimit->add_option("--bytes", O.bytes)->required();
    userOpt(evLimit);
    evLimit->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            setEvidenceLimit(e, signIn(e, o->user), o->bytes);
        };
    });

    // exception
    auto* exCmd = app.add_subcommand("exception", "Exceptions opened by deviations");
    exCmd->require_subcommand(1);
    auto* exList = exCmd->add_subcommand("list", "List exceptions with their x-of-n counts");
    fileOpt(exList);
    exList->add_option("--control", O.control);
    jsonOpt(exList);
    exList->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            std::optional<std::string> c;
            if (!o->control.empty()) c = o->control;
            json a = json::array();
            for (auto& x : listExceptions(e, c)) a.push_back(exceptionJson(x));
            if (asJson) return emit(a);
            for (auto& x : a)
                std::printf("%-4lld %-8s %s  %s deviated  %-12s %s\n", x["id"].get<long long>(), x["control"].get<std::string>().c_str(),
                            x["attribute"].get<std::string>().c_str(), x["counts"].get<std::string>().c_str(),
                            x["nature"].get<std::string>().c_str(), x["concluded"].get<bool>() ? "concluded" : "awaiting conclusion");
        };
    });
    auto* exSet = exCmd->add_subcommand("set", "Record a field of an exception");
    fileOpt(exSet);
    exSet->add_option("--id", O.id)->required();
    exSet->add_option("--field", O.field, "description, cause, nature, management-response, conclusion, criteria-met, criteria")->required();
    exSet->add_option("--value", O.value)->required();
    userOpt(exSet);
    exSet->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            updateException(e, signIn(e, o->user), o->id, o->field, o->value, o->reason);
        };
    });

    // conclusion
    auto* concl = app.add_subcommand("conclusion", "A control's conclusion: computed, and the auditor's judgement on top");
    fileOpt(concl);
    concl->add_option("--control", O.control)->required();
    concl->add_option("--override", O.conclusion, "operating-effectively, exceptions-noted or not-effective (Type I: suitably-designed or not-suitably-designed)");
    concl->add_option("--seen", O.seen, "the test's version as you judged it (conclusion --json: version): refused if a result, "
                                        "an exception or a sign-off of the test changed since");
    userOpt(concl);
    jsonOpt(concl);
    concl->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            if (!o->conclusion.empty()) overrideConclusion(e, signIn(e, o->user), o->control, o->conclusion, o->reason, o->seen);
            // The version first: a write landing between the two reads makes it older, never newer, than what is shown.
            const auto version = workpaperVersion(e.db(), testWorkpaper(o->control));
            auto c = controlConclusion(e, o->control);
            if (asJson)
                return emit({{"control", o->control}, {"computed", c.computed}, {"basis", c.basis},
                             {"override", c.overridden ? json(*c.overridden) : json(nullptr)}, {"override_reason", c.overrideReason},
                             {"effective", c.effective()}, {"version", version}});
            std::printf("%s: %s (%s)%s\n", o->control.c_str(), c.effective().c_str(), c.basis.c_str(),
                        c.overridden ? (" — auditor's judgement over computed " + c.computed + ": " + c.overrideReason).c_str() : "");
        };
    });

    // note
    auto* noteCmd = app.add_subcommand("note", "Review notes");
    noteCmd->require_subcommand(1);
    auto* raise = noteCmd->add_subcommand("raise", "Raise a review note on a workpaper (test:CM-03, population:1)");
    fileOpt(raise);
    raise->add_option("--workpaper", O.workpaper)->required();
    raise->add_option("--subject", O.subject);
    raise->add_option("--text", O.text)->required();
    userOpt(raise);
    raise->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            auto id = raiseNote(e, signIn(e, o->user), o->workpaper, o->subject, o->text, o->reason);
            std::printf("Raised review note %lld on %s\n", static_cast<long long>(id), o->workpaper.c_str());
        };
    });
    auto* respond = noteCmd->add_subcommand("respond", "Respond to a review note");
    fileOpt(respond);
    respond->add_option("--id", O.id)->required();
    respond->add_option("--text", O.text)->required();
    respond->add_option("--seen", O.seen, "the note's version as you read it (note list --json: version): refused if someone "
                                          "changed the note since");
    userOpt(respond);
    respond->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            respondToNote(e, signIn(e, o->user), o->id, o->text, o->seen);
        };
    });
    auto* clear = noteCmd->add_subcommand("clear", "Clear a review note");
    fileOpt(clear);
    clear->add_option("--id", O.id)->required();
    clear->add_option("--seen", O.seen, "the note's version as you read it: refused if someone changed the note since");
    userOpt(clear);
    clear->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            clearNote(e, signIn(e, o->user), o->id, o->seen);
        };
    });
    auto* notes = noteCmd->add_subcommand("list", "List review notes");
    fileOpt(notes);
    notes->add_option("--workpaper", O.workpaper);
    jsonOpt(notes);
    notes->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            std::optional<std::string> wp;
            if (!o->workpaper.empty()) wp = o->workpaper;
            json a = json::array();
            for (auto& n : listNotes(e, wp))
                a.push_back({{"id", n.id}, {"workpaper", n.workpaper}, {"subject", n.subject}, {"text", n.text},
                             {"raised_by", n.raisedBy}, {"raised_at", n.raisedAt}, {"response", n.response ? json(*n.response) : json(nullptr)},
                             {"responded_by", n.respondedBy ? json(*n.respondedBy) : json(nullptr)},
                             {"cleared_by", n.clearedBy ? json(*n.clearedBy) : json(nullptr)}, {"open", n.open()},
                             {"version", n.version}});
            if (asJson) return emit(a);
            for (auto& n : a)
                std::printf("%-4lld %-14s %-6s %s: %s%s\n", n["id"].get<long long>(), n["workpaper"].get<std::string>().c_str(),
                            n["open"].get<bool>() ? "open" : "clear", n["raised_by"].get<std::string>().c_str(),
                            n["text"].get<std::string>().c_str(),
                            n["response"].is_null() ? "" : ("  — " + n["response"].get<std::string>()).c_str());
        };
    });

    // signoff
    auto* so = app.add_subcommand("signoff", "Sign off a workpaper, or list sign-offs");
    so->require_subcommand(1);
    auto* sign = so->add_subcommand("add", "Sign a workpaper as preparer, reviewer or partner");
    fileOpt(sign);
    sign->add_option("--workpaper", O.workpaper)->required();
    sign->add_option("--role", O.roles, "preparer, reviewer or partner")->required();
    userOpt(sign);
    sign->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            signOff(e, signIn(e, o->user), o->workpaper, o->roles, o->reason);
            std::printf("Signed %s as %s\n", o->workpaper.c_str(), o->roles.c_str());
        };
    });
    auto* soList = so->add_subcommand("list", "Sign-offs, with stale ones and what changed since");
    fileOpt(soList);
    soList->add_option("--workpaper", O.workpaper);
    jsonOpt(soList);
    soList->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            std::optional<std::string> wp;
            if (!o->workpaper.empty()) wp = o->workpaper;
            auto list = listSignOffs(e, wp);
            if (asJson) {
                json a = json::array();
                for (auto& s : list) {
                    json changes = json::array();
                    for (auto& t : s.changesSince) changes.push_back(entryJson(t));
                    a.push_back({{"id", s.id}, {"workpaper", s.workpaper}, {"role", s.role}, {"person", s.person},
                                 {"initials", s.initials}, {"signed_at", s.signedAt}, {"stale", s.stale}, {"changes_since", changes}});
                }
                return emit(a);
            }
            for (auto& s : list) {
                std::printf("%-14s %-9s %-4s %s%s\n", s.workpaper.c_str(), s.role.c_str(), s.initials.c_str(), s.signedAt.c_str(),
                            s.stale ? "  STALE: changed since" : "");
                for (auto& t : s.changesSince)
                    std::printf("      %s %s %s.%s: %s -> %s\n", t.at.c_str(), t.actor.c_str(), t.entity.c_str(), t.field.c_str(),
                                t.oldValue.value_or("(none)").c_str(), t.newValue.value_or("(none)").c_str());
            }
        };
    });

    // release, lock
    auto* release = app.add_subcommand("release", "Record the report release date (starts the 60-day assembly window)");
    fileOpt(release);
    release->add_option("--date", O.date, "YYYY-MM-DD")->required();
    userOpt(release);
    release->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            auto d = parseIsoDate(o->date);
            if (!d) throw InputError("--date " + o->date + ": write it as YYYY-MM-DD");
            recordRelease(e, signIn(e, o->user), *d);
            auto s = assemblyStatus(e, today());
            if (*s.daysLeft >= 0)
                std::printf("Report release date %s: assemble the final file by %s (%lld days left)\n", o->date.c_str(),
                            isoString(*s.assemblyDeadline).c_str(), static_cast<long long>(*s.daysLeft));
            else
                std::printf("Report release date %s: the 60-day assembly window ended on %s, %lld days ago; assemble now\n",
                            o->date.c_str(), isoString(*s.assemblyDeadline).c_str(), static_cast<long long>(-*s.daysLeft));
        };
    });
    auto* lock = app.add_subcommand("lock", "Assemble the final file: nothing changed or deleted after (partner)");
    fileOpt(lock);
    userOpt(lock);
    lock->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            lockFile(e, signIn(e, o->user));
            auto s = assemblyStatus(e, today());
            std::printf("Final file assembled on %s by %s: from now on nothing can be changed or deleted; additions need a reason.\n",
                        s.lockedAt->c_str(), s.lockedBy->c_str());
        };
    });
    return o;
}

}  // namespace tickmark::cli

#include "app/cli/presentation_commands.h"

#include <cstdio>
#include <iostream>

#include <nlohmann/json.hpp>

#include "app/cli/output.h"
#include "app/cli/signin.h"
#include "report/report.h"
#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/population_life.h"
#include "workpapers/presentation.h"

namespace tickmark::cli {

using nlohmann::json;

struct PresentationCommands {
    std::string file, user, reason, text, org, control, name, title, pdf, docx;
    std::int64_t population = -1, populationArg = -1;
    std::string newName, calendar;
    bool none = false, final = false;
};

std::shared_ptr<PresentationCommands> addPresentationCommands(CLI::App& app, std::function<void()>& action, bool& asJson, int& exitCode) {
    auto o = std::make_shared<PresentationCommands>();
    auto& O = *o;

    // tickmark population describe ENG ID [--description|--as "terminated employees"] [--name NAME]
    //   [--calendar business-days|every-day] --user U
    auto* describe = app.get_subcommand("population")->add_subcommand(
        "describe", "How the report names the population's items (\"terminated employees\"); its internal name; its gap calendar");
    describe->add_option("file", O.file)->required();
    describe->add_option("id", O.populationArg, "the population's id (`tickmark population list`)");
    describe->add_option("--population", O.population, "the population's id (as the positional id)");
    auto* asText = describe->add_option("--as,--description", O.text,
                                        "plural, lower case, as Section IV words it: \"For 2 of 20 terminated employees sampled\"");
    describe->add_option("--name", O.newName, "a new internal name (unique among the control's populations)");
    describe->add_option("--calendar", O.calendar, "daily gaps on business-days (Monday to Friday) or every-day")
        ->check(CLI::IsMember({"business-days", "every-day"}));
    describe->add_option("--user", O.user);
    describe->add_option("--reason", O.reason, "required after the file is locked");
    describe->callback([&action, o, asText] {
        action = [o, asText] {
            if (o->populationArg >= 0 && o->population >= 0 && o->populationArg != o->population)
                throw InputError("the population is named twice, differently (" + std::to_string(o->populationArg) + " and --population " +
                                 std::to_string(o->population) + ")");
            const std::int64_t id = o->populationArg >= 0 ? o->populationArg : o->population;
            if (id < 0) throw InputError("name the population: tickmark population describe FILE ID");
            const bool describing = asText->count() > 0;
            if (!describing && o->newName.empty() && o->calendar.empty())
                throw InputError("give --description TEXT (the report's wording), --name NAME or --calendar");
            auto e = Engagement::open(o->file);
            const Actor a = signIn(e, o->user);
            if (!o->newName.empty()) {
                renamePopulation(e, a, id, o->newName, o->reason);
                std::printf("Population %lld is named \"%s\"\n", static_cast<long long>(id), o->newName.c_str());
            }
            if (!o->calendar.empty()) {
                setBusinessDays(e, a, id, o->calendar == "business-days", o->reason);
                std::printf("Population %lld: daily gaps counted on %s\n", static_cast<long long>(id),
                            o->calendar == "business-days" ? "business days (Monday to Friday)" : "every day");
            }
            if (describing) {
                describePopulation(e, a, id, o->text, o->reason);
                std::printf("Population %lld reads in the report as \"%s\"\n", static_cast<long long>(id), o->text.c_str());
            }
        };
    });

    // tickmark subservice assign ENG --subservice ORG --control REF [--none] --user U
    auto* sub = app.get_subcommand("subservice");
    auto* assign = sub->add_subcommand("assign", "A control the inclusive subservice organization performs (--none: the service organization's own)");
    assign->add_option("file", O.file)->required();
    assign->add_option("--control", O.control)->required();
    assign->add_option("--subservice", O.org, "the inclusive subservice organization's name");
    assign->add_flag("--none", O.none, "performed by the service organization itself");
    assign->add_option("--user", O.user);
    assign->add_option("--reason", O.reason);
    assign->callback([&action, o] {
        action = [o] {
            if (o->none == !o->org.empty()) throw InputError("give either --subservice NAME or --none");
            auto e = Engagement::open(o->file);
            assignControlToSubservice(e, signIn(e, o->user), o->control, o->org, o->reason);
            std::printf("%s is performed by %s\n", o->control.c_str(), o->org.empty() ? "the service organization" : o->org.c_str());
        };
    });
    auto* signatory = sub->add_subcommand("signatory", "Who signs the inclusive subservice organization's assertion (Section II)");
    signatory->add_option("file", O.file)->required();
    signatory->add_option("--subservice", O.org)->required();
    signatory->add_option("--name", O.name)->required();
    signatory->add_option("--title", O.title)->required();
    signatory->add_option("--user", O.user);
    signatory->add_option("--reason", O.reason);
    signatory->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            setSubserviceSignatory(e, signIn(e, o->user), o->org, o->name, o->title, o->reason);
            std::printf("%s's assertion is signed by %s, %s\n", o->org.c_str(), o->name.c_str(), o->title.c_str());
        };
    });

    // tickmark soc3 ENG --pdf FILE [--docx FILE] [--final]
    auto* soc3 = app.add_subcommand("soc3", "The SOC 3 report (general use) from the same engagement: PDF and/or DOCX");
    soc3->add_option("file", O.file)->required();
    soc3->add_option("--pdf", O.pdf, "write the PDF here");
    soc3->add_option("--docx", O.docx, "write the Word document here");
    soc3->add_flag("--final", O.final, "refuse unless every issuance gate is met");
    soc3->add_flag("--json", asJson);
    soc3->callback([&action, &asJson, &exitCode, o] {
        action = [&asJson, &exitCode, o] {
            if (o->pdf.empty() && o->docx.empty()) throw InputError("name an output: --pdf OUT.pdf and/or --docx OUT.docx");
            auto e = Engagement::open(o->file);
            auto r = report::assembleSoc3(e, templatesDir());
            if (o->final && refuseDraftAsFinal(r.gates, "SOC 3 report", asJson, exitCode)) return;
            const json gates = gatesJson(r.gates);
            TerminalProgress progress("Writing the SOC 3 report", !asJson);
            if (!o->pdf.empty()) report::writePdf(r, o->pdf, report::Output{}, &progress);
            if (!o->docx.empty()) report::writeDocx(r, o->docx, templatesDir() / "firm" / "word-template.docx", &progress);
            if (asJson)
                return (void)(std::cout << json{{"pdf", o->pdf.empty() ? json(nullptr) : json(o->pdf)},
                                                {"docx", o->docx.empty() ? json(nullptr) : json(o->docx)},
                                                {"draft", !r.issuable()}, {"opinion", r.opinionUsed}, {"gates", gates}}
                                               .dump(2)
                                        << "\n");
            std::printf("%s SOC 3 report written:%s%s\n", r.issuable() ? "Final" : "Draft", o->pdf.empty() ? "" : (" " + o->pdf).c_str(),
                        o->docx.empty() ? "" : (" " + o->docx).c_str());
            std::printf("Opinion: %s\n", r.opinionUsed.c_str());
        };
    });
    return o;
}

}  // namespace tickmark::cli

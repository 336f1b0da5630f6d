#include "app/cli/report_commands.h"

#include <optional>
#include <cstdio>
#include <fstream>
#include <iostream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "app/cli/output.h"
#include "app/cli/signin.h"
#include "report/report.h"
#include "workpapers/errors.h"
#include "workpapers/paths.h"
#include "workpapers/reporting.h"
#include "workpapers/rules/opinion.h"
#include "workpapers/rules/scope.h"

namespace tickmark::cli {

using nlohmann::json;

struct ReportCommands {
    std::string file, pdf, docx, xlsx, user, reason, heading, text, textFile, choose, rationale;
    std::string firmName, firmCity, reportDate, signatoryName, signatoryTitle;
    bool final = false;
    std::optional<std::int64_t> seen;
};

std::shared_ptr<ReportCommands> addReportCommands(CLI::App& app, std::function<void()>& action, bool& asJson, int& exitCode) {
    auto o = std::make_shared<ReportCommands>();
    auto& O = *o;

    auto* rep = app.add_subcommand("report", "Assemble the SOC 2 report (Sections I-V) as PDF, DOCX and XLSX");
    rep->add_option("file", O.file, "the engagement file")->required();
    rep->add_option("--pdf", O.pdf, "write the PDF here");
    rep->add_option("--docx", O.docx, "write the Word document here (styles from templates/firm/word-template.docx when present)");
    rep->add_option("--xlsx", O.xlsx, "write the report workbook here (summary and Section IV; the workpapers: tickmark workpapers export)");
    rep->add_flag("--final", O.final, "refuse unless every issuance gate is met");
    rep->add_flag("--json", asJson);
    rep->callback([&action, &asJson, &exitCode, o] {
        action = [&asJson, &exitCode, o] {
            if (o->pdf.empty() && o->docx.empty() && o->xlsx.empty())
                throw InputError("name an output: --pdf OUT.pdf, --docx OUT.docx and/or --xlsx OUT.xlsx");
            auto e = Engagement::open(o->file);
            auto r = report::assemble(e, templatesDir());
            if (o->final && refuseDraftAsFinal(r.gates, "report", asJson, exitCode)) return;
            const json gates = gatesJson(r.gates);
            TerminalProgress progress("Writing the report", !asJson);
            if (!o->pdf.empty()) report::writePdf(r, o->pdf, report::Output{}, &progress);
            if (!o->docx.empty()) report::writeDocx(r, o->docx, templatesDir() / "firm" / "word-template.docx", &progress);
            if (!o->xlsx.empty()) report::writeReportXlsx(r, o->xlsx, &progress);
            json j{{"pdf", o->pdf.empty() ? json(nullptr) : json(o->pdf)}, {"docx", o->docx.empty() ? json(nullptr) : json(o->docx)},
                   {"xlsx", o->xlsx.empty() ? json(nullptr) : json(o->xlsx)},
                   {"draft", !r.issuable()}, {"opinion_proposed", r.opinionProposed}, {"opinion_used", r.opinionUsed},
                   {"proposal_basis", r.proposalBasis}, {"criteria_in_scope", r.criteriaInScope.size()}, {"gates", gates}};
            if (asJson) return (void)(std::cout << j.dump(2) << "\n");
            std::string written;
            for (auto* f : {&o->pdf, &o->docx, &o->xlsx})
                if (!f->empty()) written += (written.empty() ? ": " : ", ") + *f;
            std::printf("%s report written%s\n", r.issuable() ? "Final" : "Draft", written.c_str());
            std::printf("Opinion: %s (proposed from the workpapers: %s, %s)\n", r.opinionUsed.c_str(), r.opinionProposed.c_str(),
                        r.proposalBasis.c_str());
            for (auto& g : r.gates) std::printf("  [%s] %s: %s\n", g.met ? "met" : "open", g.name.c_str(), g.detail.c_str());
        };
    });

    auto* part = app.add_subcommand("particulars", "The firm and signatory details the report prints");
    part->add_option("file", O.file)->required();
    part->add_option("--firm-name", O.firmName);
    part->add_option("--firm-city", O.firmCity);
    part->add_option("--report-date", O.reportDate, "YYYY-MM-DD");
    part->add_option("--signatory-name", O.signatoryName, "management's signatory for Section II");
    part->add_option("--signatory-title", O.signatoryTitle);
    part->add_option("--user", O.user);
    part->add_option("--reason", O.reason);
    part->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            auto a = signIn(e, o->user);
            const std::pair<const char*, std::string*> fields[] = {{"firm_name", &o->firmName}, {"firm_city", &o->firmCity},
                                                                   {"report_date", &o->reportDate}, {"signatory_name", &o->signatoryName},
                                                                   {"signatory_title", &o->signatoryTitle}};
            int n = 0;
            for (auto& [k, v] : fields)
                if (!v->empty()) setReportSetting(e, a, k, *v, o->reason), ++n;
            if (!n) throw InputError("give at least one of --firm-name, --firm-city, --report-date, --signatory-name, --signatory-title");
            std::printf("Recorded %d report particular%s\n", n, n == 1 ? "" : "s");
        };
    });

    auto* desc = app.add_subcommand("description", "Write a heading of the system description (Section III)");
    desc->add_option("file", O.file)->required();
    desc->add_option("--heading", O.heading, "services, commitments, infrastructure, software, people, procedures, data, boundaries, incidents, criteria-not-applicable, changes")->required();
    desc->add_option("--text", O.text);
    desc->add_option("--text-file", O.textFile, "read the text from a file");
    desc->add_option("--user", O.user);
    desc->add_option("--reason", O.reason);
    desc->add_option("--seen", O.seen, "the trail entry you read the heading at (audit log): refused if another member "
                                       "changed the heading since");
    desc->callback([&action, o] {
        action = [o] {
            auto e = Engagement::open(o->file);
            std::string text = o->text;
            if (!o->textFile.empty()) {
                std::ifstream in(o->textFile);
                if (!in) throw InputError(o->textFile + ": cannot be read");
                std::stringstream s;
                s << in.rdbuf();
                text = s.str();
            }
            if (text.empty()) throw InputError("give the text with --text or --text-file");
            setDescription(e, signIn(e, o->user), o->heading, text, o->reason, o->seen);
        };
    });

    auto* op = app.add_subcommand("opinion", "The opinion the workpapers propose, criterion by criterion; the partner chooses");
    op->add_option("file", O.file)->required();
    op->add_option("--choose", O.choose, "unmodified, qualified, adverse or disclaimer");
    op->add_option("--rationale", O.rationale, "required when choosing other than the proposal");
    op->add_option("--user", O.user);
    op->add_flag("--json", asJson);
    op->callback([&action, &asJson, o] {
        action = [&asJson, o] {
            auto e = Engagement::open(o->file);
            if (!o->choose.empty()) chooseOpinion(e, signIn(e, o->user), o->choose, o->rationale);
            auto p = proposeOpinion(e);
            auto c = opinionChoice(e);
            json criteria = json::array(), unmet = json::array();
            for (auto& cr : p.criteria) {
                json xs = json::array();
                for (auto& x : cr.exceptions)
                    xs.push_back({{"id", x.id}, {"control", x.control}, {"attribute", x.letter}, {"deviations", x.deviations}, {"tested", x.tested}});
                json item{{"criterion", cr.id}, {"name", cr.name}, {"standing", toString(cr.standing)}, {"controls", cr.controls},
                          {"csocs", cr.csocs}, {"exceptions", xs}, {"reason", cr.reason}};
                if (cr.standing == Standing::NotMet || cr.standing == Standing::NotAddressed || cr.standing == Standing::NotExamined)
                    unmet.push_back(item);
                criteria.push_back(std::move(item));
            }
            json j{{"proposed", toString(p.opinion)}, {"basis", p.basis}, {"applicable", p.applicable}, {"pervasive_at", p.pervasiveAt},
                   {"unmet", unmet}, {"criteria", criteria},
                   {"chosen", c ? json(c->opinion) : json(nullptr)}, {"rationale", c ? json(c->rationale) : json(nullptr)},
                   {"chosen_by", c ? json(c->chosenBy) : json(nullptr)}, {"stale", c ? json(c->stale) : json(nullptr)},
                   {"stale_reason", c && c->stale ? json(c->staleReason) : json(nullptr)}};
            if (asJson) return (void)(std::cout << j.dump(2) << "\n");
            std::printf("Proposed: %s (%s)\n", toString(p.opinion).c_str(), p.basis.c_str());
            for (auto& u : unmet) {
                std::string why = u["reason"].get<std::string>();
                for (auto& x : u["exceptions"]) why += (why.empty() ? "" : "; ") + x["control"].get<std::string>() + " " + x["attribute"].get<std::string>() + ": " + std::to_string(x["deviations"].get<long long>()) + " of " + std::to_string(x["tested"].get<long long>());
                std::printf("  %-7s %-14s %s%s\n", u["criterion"].get<std::string>().c_str(), u["standing"].get<std::string>().c_str(),
                            u["name"].get<std::string>().c_str(), why.empty() ? "" : (" — " + why).c_str());
            }
            for (auto* na : p.with(Standing::NotApplicable)) std::printf("  %-7s not-applicable %s — %s\n", na->id.c_str(), na->name.c_str(), na->reason.c_str());
            if (c) std::printf("Chosen by %s: %s%s%s\n", c->chosenBy.c_str(), c->opinion.c_str(), c->rationale.empty() ? "" : (" — " + c->rationale).c_str(),
                               c->stale ? (" [STALE: " + c->staleReason + "]").c_str() : "");
        };
    });

    // tickmark criteria not-applicable|not-examined ENG --criterion ID --reason TEXT [--undo] --user U
    auto* crit = app.add_subcommand("criteria", "Criteria in scope marked not applicable, or not examined (evidence could not be obtained)");
    crit->require_subcommand(1);
    for (auto [name, kind, help] : {std::tuple{"not-applicable", CriterionStatus::NotApplicable, "The criterion does not apply to the system (Section III says why)"},
                                    std::tuple{"not-examined", CriterionStatus::NotExamined, "Sufficient appropriate evidence could not be obtained (a scope limitation)"}}) {
        auto* cmd = crit->add_subcommand(name, help);
        cmd->add_option("file", O.file)->required();
        cmd->add_option("--criterion", O.heading, "e.g. PI1.4")->required();
        cmd->add_option("--reason", O.reason, "why; required, also to undo")->required();
        cmd->add_flag("--undo", O.final, "remove the mark");
        cmd->add_option("--user", O.user);
        cmd->callback([&action, o, kind = kind, name = std::string(name)] {
            action = [o, kind, name] {
                auto e = Engagement::open(o->file);
                markCriterion(e, signIn(e, o->user), o->heading, kind, o->reason, o->final);
                std::printf("%s %s %s\n", o->heading.c_str(), o->final ? "is no longer marked" : "marked", name.c_str());
            };
        });
    }
    return o;
}

}  // namespace tickmark::cli

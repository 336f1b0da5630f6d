#pragma once
// Internal to report/: what the SOC 2 and SOC 3 assemblies read from the engagement once, and the
// wording both share (the exception sentence, the template data).
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "report/report.h"
#include "report/wording.h"
#include "workpapers/controls.h"
#include "workpapers/fieldwork.h"
#include "workpapers/rules/opinion.h"

namespace tickmark::report::assembly {

struct Facts {
    EngagementSetup setup;
    bool type2 = true;
    std::string start, end, asOf;  // long dates ("March 31, 2026"); start/end empty for Type I
    std::string when;              // "throughout the period April 1, 2025 to March 31, 2026" | "as of March 31, 2026"
    std::string descriptionTitle;  // Section III's exact title, which Section I names
    std::vector<std::string> categoryNames;  // "security", "availability", ...
    std::map<std::string, Criterion> criteria;  // in scope, by id (with its group)
    OpinionProposal proposal;
    std::string opinionUsed;
    std::vector<Gate> gates;
    std::map<std::string, std::string> settings, texts;
    std::vector<SubserviceOrg> orgs;
    std::vector<ComplementaryControl> cuecs, csocs;
    std::map<std::string, std::string> performedBy;  // control -> inclusive subservice organization
    std::vector<Control> controls;
    std::map<std::string, std::optional<TestView>> tests;
    std::map<std::string, ConclusionView> conclusions;
    std::vector<ExceptionView> exceptions;
    std::map<std::string, std::string> itemNouns;    // control -> "terminated employees" (client-facing)
    std::map<std::string, std::int64_t> frameSizes;  // control -> the population the selection was drawn from

    // A report particular, or the placeholder a draft prints while it is missing.
    std::string setting(const char* key, const char* placeholder) const;
    std::vector<std::string> controlsPerformedBy(const std::string& org) const;  // an inclusive organization's
    bool anyCarveOut() const;
    bool anyInclusive() const;
    bool hasCsocs() const { return !csocs.empty(); }
    bool hasCuecs() const { return !cuecs.empty(); }
};

Facts gather(Engagement& e);

// "For 2 of 20 terminated employees sampled, access was removed two days after termination."
std::string exceptionSentence(const Facts& f, const ExceptionView& x);

// The data every template sees (client, dates, scope, particulars, subservice organizations, the
// conditions, the criteria behind a modified opinion).
void fillTemplateData(const Facts& f, wording::Templates& t, Report& r);

// The cover and the fields every output carries.
void fillCover(const Facts& f, wording::Templates& t, Report& r, const std::string& kindTitle);

Section section4(const Facts& f, Report& r);

// Where the firm signs: its name (with the signature image the firm supplies), city and state, date.
Signature firmSignature(wording::Templates& t, const Report& r);
// The report's provenance into its properties, and as the last page's closing record.
void stampProvenance(Engagement& e, Report& r);
// Where management signs its assertion: name, title, company, date.
Signature managementSignature(const Facts& f, const Report& r);

}  // namespace tickmark::report::assembly

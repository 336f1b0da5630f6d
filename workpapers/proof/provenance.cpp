#include "workpapers/proof/provenance.h"

#include <algorithm>

#include "workpapers/people.h"
#include "workpapers/proof/digest.h"
#include "workpapers/proof/keys.h"
#include "workpapers/proof/team_keys.h"

namespace tickmark::proof {
namespace {
constexpr const char* kHead = "Tickmark Trail Head";
constexpr const char* kDigest = "Tickmark Report Inputs SHA-256";
constexpr const char* kRoot = "Tickmark Engagement Root Key";
constexpr const char* kSigners = "Tickmark Signers' Keys";
}  // namespace

std::vector<std::pair<std::string, std::string>> ReportProvenance::properties() const {
    std::string signerList;
    for (auto& s : signers) signerList += (signerList.empty() ? "" : "; ") + s;
    return {{kHead, std::to_string(trailSeq) + " " + trailHash}, {kDigest, reportDigest}, {kRoot, rootFingerprint}, {kSigners, signerList}};
}

std::optional<ReportProvenance> ReportProvenance::fromProperties(const std::vector<std::pair<std::string, std::string>>& props) {
    ReportProvenance p;
    bool head = false;
    for (auto& [k, v] : props) {
        if (k == kHead) {
            auto sp = v.find(' ');
            if (sp == std::string::npos) return std::nullopt;
            try {
                p.trailSeq = std::stoll(v.substr(0, sp));
            } catch (const std::exception&) {
                return std::nullopt;
            }
            p.trailHash = v.substr(sp + 1);
            head = true;
        } else if (k == kDigest) {
            p.reportDigest = v;
        } else if (k == kRoot) {
            p.rootFingerprint = v;
        } else if (k == kSigners) {
            for (std::size_t start = 0; start < v.size();) {
                auto end = v.find("; ", start);
                p.signers.push_back(v.substr(start, end == std::string::npos ? std::string::npos : end - start));
                start = end == std::string::npos ? v.size() : end + 2;
            }
        }
    }
    if (!head) return std::nullopt;
    return p;
}

std::string ReportProvenance::sentence() const {
    std::string s = "Produced by Tickmark from the engagement file at audit trail entry " + std::to_string(trailSeq) + " (SHA-256 " +
                    trailHash.substr(0, 16) + "…); the report's inputs have the SHA-256 " + reportDigest.substr(0, 16) +
                    "…; the engagement's root key is " + rootFingerprint;
    if (!signers.empty()) {
        s += "; signed off by ";
        for (std::size_t i = 0; i < signers.size(); ++i) s += (i ? ", " : "") + signers[i];
    }
    return s + ". `tickmark audit verify ENGAGEMENT --report THIS-FILE` confirms it.";
}

ReportProvenance currentProvenance(Engagement& e) {
    ReportProvenance p;
    auto head = e.db().prepare("SELECT seq, hash FROM audit_trail ORDER BY seq DESC LIMIT 1");
    if (head.step()) p.trailSeq = head.getInt(0), p.trailHash = head.getText(1);
    p.reportDigest = workpaperDigest(e, "report").total;
    if (auto root = rootKey(e.db())) p.rootFingerprint = fingerprint(*root);
    auto st = e.db().prepare(
        "SELECT p.name, p.initials, p.public_key FROM person p WHERE p.public_key IS NOT NULL AND p.id IN (SELECT person_id FROM signoff) "
        "ORDER BY p.id");
    while (st.step()) p.signers.push_back(st.getText(0) + " (" + st.getText(1) + ") " + fingerprint(st.getText(2)));
    return p;
}

ProvenanceCheck checkProvenance(Engagement& e, const ReportProvenance& p) {
    ProvenanceCheck c;
    const auto now = currentProvenance(e);
    if (p.rootFingerprint != now.rootFingerprint)
        c.findings.push_back("the report names the engagement root key " + p.rootFingerprint + "; this file's is " + now.rootFingerprint +
                             ": another engagement, or this one rebuilt");
    auto st = e.db().prepare("SELECT hash FROM audit_trail WHERE seq = ?");
    st.bind(1, p.trailSeq);
    if (!st.step())
        c.findings.push_back("this file's audit trail has no entry " + std::to_string(p.trailSeq) +
                             ", which the report was produced at: the trail was cut short, or the report is from another file");
    else if (st.getText(0) != p.trailHash)
        c.findings.push_back("entry " + std::to_string(p.trailSeq) + " of this file's audit trail is not the one the report was produced at "
                             "(another hash): another file, or a rewritten trail");
    c.fromThisFile = c.findings.empty();
    if (c.fromThisFile) {
        forEachTrailEntry(e, TrailQuery{std::nullopt, p.trailSeq, false, std::nullopt}, [&](const TrailEntry& t) { c.since.push_back(t); });
        if (p.reportDigest != now.reportDigest)
            c.findings.push_back("what the report rests on changed since it was produced (" + std::to_string(c.since.size()) +
                                 " trail entries since entry " + std::to_string(p.trailSeq) + ")");
        for (auto& s : p.signers)
            if (std::find(now.signers.begin(), now.signers.end(), s) == now.signers.end())
                c.findings.push_back("the report names the signer key " + s + ", which this file's team no longer holds");
    }
    c.asItStands = c.findings.empty();
    return c;
}

}  // namespace tickmark::proof

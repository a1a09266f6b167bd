#include "store/run_compare.h"

#include <fmt/format.h>
#include <map>
#include <set>
#include <tuple>

namespace ptxwb::store {

const char* checkChangeName(CheckChange change) {
    switch (change) {
    case CheckChange::Same:
        return "same";
    case CheckChange::NewlyFailing:
        return "newly_failing";
    case CheckChange::NewlyPassing:
        return "newly_passing";
    case CheckChange::EvidenceChanged:
        return "evidence_changed";
    case CheckChange::StatusChanged:
        return "status_changed";
    case CheckChange::OnlyInA:
        return "only_in_a";
    case CheckChange::OnlyInB:
        return "only_in_b";
    }
    return "same";
}

std::string kernelSourceLabel(bool present, const std::string& hash) {
    if (!present) return "(absent)";
    return hash.empty() ? "(no PTX recorded)" : hash.substr(0, 16);
}

std::size_t RunComparison::count(CheckChange change) const {
    std::size_t n = 0;
    for (const auto& c : checks)
        n += c.change == change ? 1 : 0;
    return n;
}

std::vector<EnvironmentDifference> environmentDifferences(const Environment& a,
                                                          const Environment& b) {
    std::vector<EnvironmentDifference> out;
    auto field = [&](const char* name, const std::string& x, const std::string& y) {
        if (x != y) out.push_back({name, x, y});
    };
    // Ordered by how often each explains a changed result.
    field("driver_version", a.driverVersion, b.driverVersion);
    field("sm_arch", a.smArch, b.smArch);
    field("gpu_name", a.gpuName, b.gpuName);
    field("toolkit_version", a.toolkitVersion, b.toolkitVersion);
    field("kernel_set_hash", a.kernelSetHash, b.kernelSetHash);
    field("kernel_set_name", a.kernelSetName, b.kernelSetName);
    field("model_hash", a.modelHash, b.modelHash);
    field("model_name", a.modelName, b.modelName);
    field("seed", a.seed ? std::to_string(*a.seed) : "", b.seed ? std::to_string(*b.seed) : "");
    field("ptxwb_version", a.ptxwbVersion, b.ptxwbVersion);
    field("git_revision", a.gitRevision, b.gitRevision);
    field("gpu_uuid", a.gpuUuid, b.gpuUuid);
    field("host", a.host, b.host);
    return out;
}

namespace {

/// Evidence without its measurements: a kernel that got faster has not changed its verdict.
nlohmann::json withoutTimings(const nlohmann::json& evidence) {
    if (!evidence.is_object() || !evidence.contains("timing")) return evidence;
    nlohmann::json out = evidence;
    out.erase("timing");
    return out;
}

bool sameEvidence(const Check& a, const Check& b) {
    return a.counts == b.counts && a.maxUlp == b.maxUlp && a.maxRelError == b.maxRelError &&
           a.firstMismatches == b.firstMismatches &&
           withoutTimings(a.evidence) == withoutTimings(b.evidence);
}

std::string shortText(std::string text) {
    constexpr std::size_t kMax = 160;
    if (text.size() > kMax) text = text.substr(0, kMax - 3) + "...";
    return text;
}

std::string jsonText(const nlohmann::json& value) {
    if (value.is_null()) return "(absent)";
    if (value.is_string()) return shortText(value.get<std::string>());
    return shortText(value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

std::string mismatchText(const std::vector<ElementMismatch>& m) {
    if (m.empty()) return "(none)";
    const auto& e = m.front();
    return fmt::format("row {} col {}: {} ({}) vs expected {}, {} ULP", e.row, e.col, e.actual,
                       categoryName(e.category), e.expected, e.ulp);
}

std::string failingText(const CategoryCounts& counts) {
    std::string out;
    for (std::size_t i = 0; i < kElementCategoryCount; ++i) {
        auto category = static_cast<ElementCategory>(i);
        if (!isFailing(category) || counts[category] == 0) continue;
        out += fmt::format("{}{} {}", out.empty() ? "" : ", ", counts[category],
                           categoryLabel(category));
    }
    return out.empty() ? fmt::format("0 of {}", counts.total()) : out;
}

std::vector<EvidenceDifference> evidenceDifferences(const Check& a, const Check& b) {
    std::vector<EvidenceDifference> out;
    auto field = [&](const char* name, const std::string& x, const std::string& y) {
        if (x != y) out.push_back({name, x, y});
    };
    field("failing elements", failingText(a.counts), failingText(b.counts));
    if (a.counts.total() != b.counts.total())
        field("elements", std::to_string(a.counts.total()), std::to_string(b.counts.total()));
    field("max ULP", std::to_string(a.maxUlp), std::to_string(b.maxUlp));
    if (a.maxRelError != b.maxRelError)
        field("max relative error", fmt::format("{:.6g}", a.maxRelError),
              fmt::format("{:.6g}", b.maxRelError));
    field("first mismatch", mismatchText(a.firstMismatches), mismatchText(b.firstMismatches));
    const nlohmann::json ea = withoutTimings(a.evidence);
    const nlohmann::json eb = withoutTimings(b.evidence);
    std::set<std::string> keys;
    for (const auto* e : {&ea, &eb})
        if (e->is_object())
            for (const auto& [key, value] : e->items())
                keys.insert(key);
    for (const auto& key : keys) {
        nlohmann::json va = ea.is_object() && ea.contains(key) ? ea[key] : nlohmann::json();
        nlohmann::json vb = eb.is_object() && eb.contains(key) ? eb[key] : nlohmann::json();
        if (va != vb) out.push_back({key, jsonText(va), jsonText(vb)});
    }
    return out;
}

CheckChange classify(const Check& a, const Check& b) {
    if (a.status == b.status)
        return sameEvidence(a, b) ? CheckChange::Same : CheckChange::EvidenceChanged;
    const bool failedA = isFailing(a.status);
    const bool failedB = isFailing(b.status);
    if (!failedA && failedB) return CheckChange::NewlyFailing;
    if (failedA && b.status == CheckStatus::Passed) return CheckChange::NewlyPassing;
    return CheckChange::StatusChanged;
}

CheckComparison describe(const Check* a, const Check* b) {
    const Check& any = b ? *b : *a;
    CheckComparison c;
    c.kind = any.kind;
    c.name = any.name;
    if (a) {
        c.statusA = a->status;
        c.maxUlpA = a->maxUlp;
        c.failingElementsA = a->counts.failing();
    }
    if (b) {
        c.statusB = b->status;
        c.maxUlpB = b->maxUlp;
        c.failingElementsB = b->counts.failing();
    }
    c.change = a && b ? classify(*a, *b) : (a ? CheckChange::OnlyInA : CheckChange::OnlyInB);
    if (a && b && c.change != CheckChange::Same) c.evidence = evidenceDifferences(*a, *b);
    return c;
}

} // namespace

RunComparison compareRuns(const Run& a, const Run& b) {
    RunComparison out;
    out.a = summarize(a);
    out.b = summarize(b);
    out.environment = environmentDifferences(a.environment, b.environment);
    std::set<std::string> labelKeys;
    for (const auto* labels : {&a.labels, &b.labels})
        for (const auto& [key, value] : *labels)
            labelKeys.insert(key);
    for (const auto& key : labelKeys) {
        auto ia = a.labels.find(key);
        auto ib = b.labels.find(key);
        std::string va = ia == a.labels.end() ? "" : ia->second;
        std::string vb = ib == b.labels.end() ? "" : ib->second;
        if (va != vb) out.environment.push_back({"label:" + key, va, vb});
    }

    std::map<std::string, std::string> hashA;
    std::map<std::string, std::string> hashB;
    for (const auto& k : a.kernels)
        hashA[k.name] = k.ptxHash;
    for (const auto& k : b.kernels)
        hashB[k.name] = k.ptxHash;
    std::set<std::string> changedKernels;
    for (const auto& [name, hash] : hashA) {
        auto it = hashB.find(name);
        std::string other = it == hashB.end() ? "" : it->second;
        if (other != hash || it == hashB.end()) {
            out.kernelSources.push_back({name, hash, other, true, it != hashB.end()});
            changedKernels.insert(name);
        }
    }
    for (const auto& [name, hash] : hashB) {
        if (!hashA.contains(name)) {
            out.kernelSources.push_back({name, "", hash, false, true});
            changedKernels.insert(name);
        }
    }

    using Key = std::tuple<CheckKind, std::string>;
    std::map<Key, const Check*> checksA;
    for (const auto& c : a.checks)
        checksA.emplace(Key{c.kind, c.name}, &c);
    std::set<Key> seen;
    auto withKernels = [&](CheckComparison cmp, const Check& check) {
        for (const auto& k : check.kernels) {
            if (changedKernels.contains(k)) cmp.changedKernels.push_back(k);
        }
        return cmp;
    };
    for (const auto& cb : b.checks) {
        Key key{cb.kind, cb.name};
        seen.insert(key);
        auto it = checksA.find(key);
        out.checks.push_back(
            withKernels(describe(it == checksA.end() ? nullptr : it->second, &cb), cb));
    }
    for (const auto& ca : a.checks) {
        if (!seen.contains(Key{ca.kind, ca.name}))
            out.checks.push_back(withKernels(describe(&ca, nullptr), ca));
    }
    return out;
}

} // namespace ptxwb::store

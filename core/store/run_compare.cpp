#include "store/run_compare.h"

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

bool sameEvidence(const Check& a, const Check& b) {
    return a.counts == b.counts && a.maxUlp == b.maxUlp && a.maxRelError == b.maxRelError &&
           a.firstMismatches == b.firstMismatches && a.evidence == b.evidence;
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
    return c;
}

} // namespace

RunComparison compareRuns(const Run& a, const Run& b) {
    RunComparison out;
    out.a = summarize(a);
    out.b = summarize(b);
    out.environment = environmentDifferences(a.environment, b.environment);

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
        if (other != hash) {
            out.kernelSources.push_back({name, hash, other});
            changedKernels.insert(name);
        }
    }
    for (const auto& [name, hash] : hashB) {
        if (!hashA.contains(name)) {
            out.kernelSources.push_back({name, "", hash});
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

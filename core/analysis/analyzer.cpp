#include "analysis/analyzer.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

namespace ptxwb::analysis {

struct Analyzer::ModuleState {
    std::unique_ptr<SourceText> source;
    std::vector<KernelIR> kernels;
    std::vector<std::unique_ptr<KernelDataflow>> flows;
    std::vector<KernelUnit> units; ///< filled by run() with contracts
};

namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out)
        c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

/// "BatchedQ6KGemvKernel" / "batched_q6k_gemv" → "q6kgemvkernel" / "q6k_gemv".
std::string unbatchedName(std::string_view batched) {
    std::string l = lower(batched);
    for (std::string_view prefix : {"batched_", "batched"})
        if (l.starts_with(prefix)) return l.substr(prefix.size());
    return {};
}

} // namespace

Analyzer::Analyzer(AnalysisOptions options) : options_(std::move(options)) {
    for (const auto& r : allRules())
        rules_.push_back(&r);
}

Analyzer::~Analyzer() = default;

Status Analyzer::selectRules(const std::vector<std::string>& ids) {
    std::vector<const RuleInfo*> chosen;
    for (const auto& id : ids) {
        const RuleInfo* r = findRule(id);
        if (!r) return makeError(ErrorKind::Usage, "unknown rule '" + id + "' (see `ptxwb rules`)");
        if (std::find(chosen.begin(), chosen.end(), r) == chosen.end()) chosen.push_back(r);
    }
    rules_ = std::move(chosen);
    return {};
}

void Analyzer::setContracts(std::vector<KernelContract> contracts) {
    contracts_ = std::move(contracts);
}

void Analyzer::addPair(std::string single, std::string batched) {
    pairs_.emplace_back(std::move(single), std::move(batched));
}

void Analyzer::addModule(std::string path, const ptx::Module& module) {
    auto state = std::make_unique<ModuleState>();
    state->source = std::make_unique<SourceText>(std::move(path), module.source);
    state->kernels = lowerModule(module);
    for (const auto& k : state->kernels)
        state->flows.push_back(std::make_unique<KernelDataflow>(k));
    modules_.push_back(std::move(state));
}

KernelContract Analyzer::contractFor(const KernelIR& k) const {
    for (const auto& c : contracts_) {
        if (c.kernel != k.name) continue;
        // Manifests name parameters as in the source ("x"); nvcc names them
        // "<entry>_param_N". Bind by position when the names do not match.
        KernelContract bound = c;
        if (bound.params.size() == k.params.size())
            for (std::size_t i = 0; i < k.params.size(); ++i) {
                const auto ptxName = k.symbols[k.params[i]].name;
                if (bound.roleOf(ptxName).empty()) {
                    bound.params[i].sourceName = bound.params[i].name;
                    bound.params[i].name = std::string(ptxName);
                }
            }
        return bound;
    }
    std::vector<std::string> names;
    std::vector<bool> pointerSized;
    for (auto p : k.params) {
        names.emplace_back(k.symbols[p].name);
        pointerSized.push_back(k.symbols[p].elementBits == 64);
    }
    return inferContract(k.name, names, pointerSized);
}

AnalysisReport Analyzer::run() const {
    AnalysisReport report;
    // Build the units (kernel + contract) once.
    std::vector<std::vector<KernelUnit>> units(modules_.size());
    for (std::size_t m = 0; m < modules_.size(); ++m) {
        const auto& st = *modules_[m];
        for (std::size_t i = 0; i < st.kernels.size(); ++i)
            units[m].push_back(
                {st.source.get(), &st.kernels[i], st.flows[i].get(), contractFor(st.kernels[i])});
    }
    // Name indexes: a large module has tens of thousands of kernels.
    std::unordered_map<std::string_view, const KernelUnit*> byName;
    std::unordered_map<std::string, const KernelUnit*> byLowerName;
    for (const auto& mu : units)
        for (const auto& u : mu)
            if (u.ir->isEntry) {
                byName.try_emplace(u.ir->name, &u);
                byLowerName.try_emplace(lower(u.ir->name), &u);
            }
    auto findUnit = [&](std::string_view name) -> const KernelUnit* {
        auto it = byName.find(name);
        return it == byName.end() ? nullptr : it->second;
    };

    // Pairs: explicit, then manifest pairs_with, then the "Batched" naming convention.
    std::vector<std::pair<const KernelUnit*, const KernelUnit*>> pairs;
    std::set<std::pair<const KernelUnit*, const KernelUnit*>> pairSet;
    auto addPairUnits = [&](const KernelUnit* s, const KernelUnit* b) {
        if (pairSet.emplace(s, b).second) pairs.emplace_back(s, b);
    };
    for (const auto& [single, batched] : pairs_) {
        const KernelUnit* s = findUnit(single);
        const KernelUnit* b = findUnit(batched);
        if (!s || !b) {
            report.warnings.push_back("--pair " + single + "=" + batched + ": no kernel named '" +
                                      (s ? batched : single) + "' in the analysed files");
            continue;
        }
        addPairUnits(s, b);
    }
    for (const auto& mu : units)
        for (const auto& u : mu) {
            if (u.contract.variant != KernelVariant::Batched || !u.ir->isEntry) continue;
            if (!u.contract.pairsWith.empty()) {
                if (const KernelUnit* s = findUnit(u.contract.pairsWith)) addPairUnits(s, &u);
                continue;
            }
            if (!pairs_.empty() || !u.contract.inferred) continue;
            const auto want = unbatchedName(u.ir->name);
            if (auto it = byLowerName.find(want); it != byLowerName.end() && it->second != &u)
                addPairUnits(it->second, &u);
        }

    // Kernel rules run kernel by kernel (all rules on one kernel while its IR and dataflow are
    // in cache), then pair and module rules. Output order does not depend on this: findings
    // are sorted below.
    std::vector<FindingSink> sinks;
    for (const RuleInfo* rule : rules_)
        sinks.emplace_back(report.findings, rule->id, rule->severity, rule->fixHint);
    for (const auto& mu : units)
        for (const auto& u : mu)
            for (std::size_t r = 0; r < rules_.size(); ++r)
                if (rules_[r]->kernelCheck) rules_[r]->kernelCheck(u, options_, sinks[r]);
    for (std::size_t r = 0; r < rules_.size(); ++r) {
        if (rules_[r]->pairCheck)
            for (const auto& [s, b] : pairs)
                rules_[r]->pairCheck(*s, *b, options_, sinks[r]);
        if (rules_[r]->moduleCheck)
            for (std::size_t m = 0; m < units.size(); ++m)
                rules_[r]->moduleCheck(*modules_[m]->source, units[m], options_, sinks[r]);
    }
    sortFindings(report.findings);

    std::unordered_map<const KernelUnit*, std::vector<const KernelUnit*>> partners;
    for (const auto& [a, b] : pairs) {
        partners[a].push_back(b);
        partners[b].push_back(a);
    }
    for (const auto& mu : units)
        for (const auto& u : mu) {
            if (!u.ir->isEntry) continue;
            KernelSummary s;
            s.file = u.source->fileName();
            s.kernel = std::string(u.ir->name);
            const bool batched = u.contract.variant == KernelVariant::Batched;
            s.variant = batched ? "batched" : "single";
            if (batched) s.batchAxis = std::string(batchAxisName(u.contract.batchAxis));
            s.positionMode = positionModeOf(u);
            s.fromManifest = !u.contract.inferred;
            s.instructions = u.ir->instructions.size();
            for (const KernelUnit* other : partners[&u]) {
                if (!s.pairedWith.empty()) s.pairedWith += ',';
                s.pairedWith += other->ir->name;
            }
            report.kernels.push_back(std::move(s));
        }
    return report;
}

} // namespace ptxwb::analysis

#include "analysis/analyzer.h"

#include "util/thread_pool.h"

#include <algorithm>
#include <cctype>
#include <set>
#include <unordered_map>

namespace ptxwb::analysis {

struct Analyzer::ModuleState {
    std::unique_ptr<SourceText> source;
    const ptx::Module* module = nullptr;
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
    setThreads(0);
    for (const auto& r : allRules())
        rules_.push_back(&r);
}

Analyzer::~Analyzer() = default;

void Analyzer::setThreads(unsigned threads) {
    threads_ = threads;
    ownPool_.reset();
    if (threads > 1) ownPool_ = std::make_unique<ThreadPool>(threads);
}

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
    state->module = &module;
    modules_.push_back(std::move(state));
}

KernelContract Analyzer::contractFor(const ptx::Module& m, const ptx::Function& f) const {
    const std::string_view name = m.text(f.name);
    const auto params = m.paramsOf(f);
    for (const auto& c : contracts_) {
        if (c.kernel != name) continue;
        // Manifests name parameters as in the source ("x"); nvcc names them
        // "<entry>_param_N". Bind by position when the names do not match.
        KernelContract bound = c;
        if (bound.params.size() == params.size())
            for (std::size_t i = 0; i < params.size(); ++i) {
                const auto ptxName = m.text(params[i].name);
                if (bound.roleOf(ptxName).empty()) {
                    bound.params[i].sourceName = bound.params[i].name;
                    bound.params[i].name = std::string(ptxName);
                }
            }
        return bound;
    }
    std::vector<std::string> names;
    std::vector<bool> pointerSized;
    names.reserve(params.size());
    pointerSized.reserve(params.size());
    for (const auto& p : params) {
        names.emplace_back(m.text(p.name));
        pointerSized.push_back(ptx::typeBits(p.type) == 64);
    }
    return inferContract(name, names, pointerSized);
}

namespace {

/// One function with a body, from the first (name-only) pass to the rules.
struct KernelSlot {
    std::size_t module = 0;
    std::uint32_t function = 0;
    std::string_view name;
    bool isEntry = false;
    bool retained = false; ///< keeps IR, dataflow and contract after its kernel rules (pairs)
    KernelVariant variant = KernelVariant::Single;
    std::string_view pairsWith; ///< from the manifest ("" when none)
    bool inferred = true;       ///< no manifest entry
    KernelContract contract;    ///< the full contract, kept only for retained kernels
    std::unique_ptr<KernelIR> ir;
    std::unique_ptr<KernelDataflow> flow;
    std::size_t summary = kNoId; ///< index into AnalysisReport::kernels
};

} // namespace

AnalysisReport Analyzer::run() const {
    AnalysisReport report;
    // Pass 1, names only: contracts and pairs, so that pass 2 can stream kernels through the
    // rules and keep only the IR of kernels a pair or module rule needs afterwards. A 40 MB
    // module has tens of thousands of kernels; holding all their IR at once cost more in
    // allocation and cache misses than the rules themselves.
    std::vector<KernelSlot> slots;
    std::size_t functionCount = 0;
    for (const auto& ms : modules_)
        functionCount += ms->module->functions.size();
    slots.reserve(functionCount);
    for (std::size_t mi = 0; mi < modules_.size(); ++mi) {
        const ptx::Module& m = *modules_[mi]->module;
        for (std::uint32_t f = 0; f < m.functions.size(); ++f) {
            const ptx::Function& fn = m.functions[f];
            if (!fn.hasBody) continue;
            KernelSlot slot;
            slot.module = mi;
            slot.function = f;
            slot.name = m.text(fn.name);
            slot.isEntry = fn.isEntry;
            // Only what pairing needs now; the full contract (parameter roles) is built when the
            // kernel is analysed, so 27,000 kernels do not hold 27,000 contracts at once.
            const KernelContract* declared = nullptr;
            for (const auto& c : contracts_)
                if (c.kernel == slot.name) {
                    declared = &c;
                    break;
                }
            if (declared) {
                slot.variant = declared->variant;
                slot.pairsWith = declared->pairsWith;
                slot.inferred = false;
            } else {
                slot.variant = inferVariant(slot.name);
            }
            slots.push_back(std::move(slot));
        }
    }
    // Entries by name, built on the first explicit or manifest pair only: a module without
    // either (most of them) does not hash every kernel name.
    std::unordered_map<std::string_view, std::size_t> byName;
    auto findSlot = [&](std::string_view name) -> std::size_t {
        if (byName.empty()) {
            byName.reserve(slots.size());
            for (std::size_t i = 0; i < slots.size(); ++i)
                if (slots[i].isEntry) byName.try_emplace(slots[i].name, i);
        }
        auto it = byName.find(name);
        return it == byName.end() ? kNoId : it->second;
    };

    // Pairs: explicit, then manifest pairs_with, then the "Batched" naming convention.
    std::vector<std::pair<std::size_t, std::size_t>> pairs;
    std::set<std::pair<std::size_t, std::size_t>> pairSet;
    auto addPairSlots = [&](std::size_t s, std::size_t b) {
        if (pairSet.emplace(s, b).second) pairs.emplace_back(s, b);
    };
    for (const auto& [single, batched] : pairs_) {
        const auto s = findSlot(single);
        const auto b = findSlot(batched);
        if (s == kNoId || b == kNoId) {
            report.warnings.push_back("--pair " + single + "=" + batched + ": no kernel named '" +
                                      (s != kNoId ? batched : single) + "' in the analysed files");
            continue;
        }
        addPairSlots(s, b);
    }
    // The naming convention pairs a batched entry with the first entry whose lower-case name
    // is its own without the "batched" prefix. Only those wanted names are hashed, not the
    // lower-case name of every entry of the module.
    std::unordered_map<std::string, std::size_t> singleOf; // wanted name → first entry (kNoId)
    auto byConvention = [&](const KernelSlot& u) {
        return u.variant == KernelVariant::Batched && u.isEntry && u.pairsWith.empty() &&
               pairs_.empty() && u.inferred;
    };
    for (const auto& u : slots)
        if (byConvention(u)) singleOf.try_emplace(unbatchedName(u.name), kNoId);
    if (!singleOf.empty()) {
        std::string lowered;
        for (std::size_t i = 0; i < slots.size(); ++i) {
            if (!slots[i].isEntry) continue;
            lowered.assign(slots[i].name);
            for (auto& c : lowered)
                c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
            if (auto it = singleOf.find(lowered); it != singleOf.end() && it->second == kNoId)
                it->second = i;
        }
    }
    for (std::size_t i = 0; i < slots.size(); ++i) {
        const auto& u = slots[i];
        if (u.variant != KernelVariant::Batched || !u.isEntry) continue;
        if (!u.pairsWith.empty()) {
            if (const auto s = findSlot(u.pairsWith); s != kNoId) addPairSlots(s, i);
            continue;
        }
        if (!pairs_.empty() || !u.inferred) continue;
        const auto it = singleOf.find(unbatchedName(u.name));
        if (it != singleOf.end() && it->second != kNoId && it->second != i)
            addPairSlots(it->second, i);
    }

    bool pairRules = false;
    for (const RuleInfo* rule : rules_)
        pairRules = pairRules || rule->pairCheck;
    if (pairRules)
        for (const auto& [s, b] : pairs)
            slots[s].retained = slots[b].retained = true;

    // Pass 2: lower, build dataflow and run every kernel rule on one kernel before the next
    // (its IR and dataflow stay in cache); the IR of a kernel nobody needs later is dropped
    // right away. Kernels are independent, so chunks of them run on the shared thread pool,
    // each chunk collecting its own findings; output order does not depend on this because
    // findings are sorted below and summaries have their slot reserved here.
    std::vector<std::unique_ptr<ModuleLowerer>> lowerers;
    for (const auto& ms : modules_)
        lowerers.push_back(std::make_unique<ModuleLowerer>(*ms->module));
    report.kernels.reserve(static_cast<std::size_t>(
        std::count_if(slots.begin(), slots.end(), [](const auto& s) { return s.isEntry; })));
    for (auto& slot : slots)
        if (slot.isEntry) slot.summary = report.kernels.size(), report.kernels.emplace_back();
    constexpr std::size_t kKernelsPerChunk = 64;
    const std::size_t chunks = (slots.size() + kKernelsPerChunk - 1) / kKernelsPerChunk;
    std::vector<std::vector<Finding>> chunkFindings(chunks);
    auto analyseChunk = [&](std::size_t begin, std::size_t end) {
        auto& findings = chunkFindings[begin / kKernelsPerChunk];
        std::vector<FindingSink> sinks;
        for (const RuleInfo* rule : rules_)
            sinks.emplace_back(findings, rule->id, rule->severity, rule->fixHint);
        KernelIR scratch;
        std::unique_ptr<KernelDataflow> spareFlow; // storage of the last unretained dataflow
        for (std::size_t i = begin; i < end; ++i) {
            KernelSlot& slot = slots[i];
            KernelIR* ir = &scratch;
            if (slot.retained) {
                slot.ir = std::make_unique<KernelIR>();
                ir = slot.ir.get();
            }
            lowerers[slot.module]->lower(slot.function, *ir);
            auto flow = spareFlow ? std::make_unique<KernelDataflow>(*ir, std::move(*spareFlow))
                                  : std::make_unique<KernelDataflow>(*ir);
            const ModuleState& ms = *modules_[slot.module];
            const KernelUnit unit{ms.source.get(), ir, flow.get(),
                                  contractFor(*ms.module, ms.module->functions[slot.function])};
            for (std::size_t r = 0; r < rules_.size(); ++r)
                if (rules_[r]->kernelCheck) rules_[r]->kernelCheck(unit, options_, sinks[r]);
            if (slot.isEntry) {
                KernelSummary& s = report.kernels[slot.summary];
                s.file = unit.source->fileName();
                s.kernel = std::string(slot.name);
                const bool batched = unit.contract.variant == KernelVariant::Batched;
                s.variant = batched ? "batched" : "single";
                if (batched) s.batchAxis = std::string(batchAxisName(unit.contract.batchAxis));
                s.positionMode = positionModeOf(unit);
                s.fromManifest = !unit.contract.inferred;
                s.instructions = ir->instructions.size();
            }
            if (slot.retained) {
                slot.flow = std::move(flow);
                slot.contract = unit.contract;
            } else {
                spareFlow = std::move(flow);
            }
        }
    };
    if (threads_ == 1 || chunks < 2) {
        analyseChunk(0, slots.size());
    } else {
        ThreadPool& pool = threads_ == 0 ? ThreadPool::shared() : *ownPool_;
        pool.parallelFor(slots.size(), kKernelsPerChunk, analyseChunk);
    }
    lowerers.clear();
    for (auto& f : chunkFindings)
        report.findings.insert(report.findings.end(), std::make_move_iterator(f.begin()),
                               std::make_move_iterator(f.end()));

    std::vector<FindingSink> sinks;
    for (const RuleInfo* rule : rules_)
        sinks.emplace_back(report.findings, rule->id, rule->severity, rule->fixHint);
    auto unitOf = [&](const KernelSlot& slot) {
        return KernelUnit{modules_[slot.module]->source.get(), slot.ir.get(), slot.flow.get(),
                          slot.contract};
    };
    // Module rules see every kernel's header (module, name, entry, declaration) and, for the
    // kernels a pair rule kept, the whole unit. Keeping the body of all 27,000 kernels of a
    // 40 MB module only for them cost more than lowering them.
    std::vector<KernelIR> headers;
    auto headerUnitOf = [&](const KernelSlot& slot) {
        if (slot.ir) return unitOf(slot);
        const ptx::Module& m = *modules_[slot.module]->module;
        const ptx::Function& f = m.functions[slot.function];
        KernelIR& h = headers.emplace_back();
        h.module = &m;
        h.functionIndex = slot.function;
        h.name = slot.name;
        h.isEntry = slot.isEntry;
        h.declaration = {f.name.offset, f.name.offset + f.name.length};
        return KernelUnit{modules_[slot.module]->source.get(), &h, nullptr, {}};
    };
    for (std::size_t r = 0; r < rules_.size(); ++r) {
        if (rules_[r]->pairCheck)
            for (const auto& [s, b] : pairs)
                rules_[r]->pairCheck(unitOf(slots[s]), unitOf(slots[b]), options_, sinks[r]);
        if (rules_[r]->moduleCheck)
            for (std::size_t mi = 0; mi < modules_.size(); ++mi) {
                std::vector<KernelUnit> units;
                headers.clear();
                headers.reserve(slots.size()); // units point into it
                for (const auto& slot : slots)
                    if (slot.module == mi) units.push_back(headerUnitOf(slot));
                rules_[r]->moduleCheck(*modules_[mi]->source, units, options_, sinks[r]);
            }
    }
    sortFindings(report.findings);

    for (const auto& [a, b] : pairs)
        for (const auto& [self, other] : {std::pair{a, b}, std::pair{b, a}}) {
            auto& paired = report.kernels[slots[self].summary].pairedWith;
            if (!paired.empty()) paired += ',';
            paired += slots[other].name;
        }
    return report;
}

} // namespace ptxwb::analysis

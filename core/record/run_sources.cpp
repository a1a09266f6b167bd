// Trace launches, kernel sources with their exact PTX, and the run status (job_results.h).
#include "kernels/kernel_loader.h"
#include "record/job_results.h"
#include "record/result_errors.h"

#include <filesystem>
#include <fmt/format.h>
#include <map>
#include <set>

namespace ptxwb::record {

using nlohmann::json;

store::TraceLaunch toStoreLaunch(const engine::TraceLaunch& l) {
    store::TraceLaunch s;
    s.seq = static_cast<std::uint32_t>(l.seq);
    s.layer = l.layer;
    s.op = l.op;
    s.kernel = l.kernel;
    s.entry = l.entry;
    s.grid = l.grid;
    s.block = l.block;
    s.sharedBytes = l.sharedBytes;
    s.registers = static_cast<std::uint32_t>(l.registers);
    for (const auto& p : l.params) {
        s.scalarParams[p.name] = p.pointer ? fmt::format("-> {}+{}", p.tensor, p.offset) : p.value;
    }
    s.positionPath = engine::positionPathName(l.positionPath);
    s.positionValue = l.positionValue;
    s.durationUs = l.durationUs.value_or(0.0);
    s.phase = l.phase;
    s.fromGraph = l.fromGraph;
    return s;
}

void addTrace(store::Run& run, const engine::Trace& trace) {
    if (!trace.model.empty() && run.environment.modelName.empty())
        run.environment.modelName = std::filesystem::path(trace.model).filename().string();
    if (!trace.kernelSet.empty() && run.environment.kernelSetName.empty())
        run.environment.kernelSetName = trace.kernelSet;
    for (const auto& l : trace.launches)
        run.traceLaunches.push_back(toStoreLaunch(l));
}

Status addTraceResult(store::Run& run, const json& result) {
    const std::string source = "trace result";
    if (!result.is_object()) return detail::badResult(source, "", "the result must be an object");
    if (!result.contains("trace_jsonl") || !result["trace_jsonl"].is_string())
        return detail::badResult(source, "/trace_jsonl", "missing (a string of JSON Lines)");
    applyJobEnvironment(run.environment, result.value("environment", json::object()));
    PTXWB_TRY(auto trace, engine::traceFromJsonl(result["trace_jsonl"].get<std::string>(), source));
    addTrace(run, trace);
    return {};
}

int archNumber(const std::string& smArch) {
    if (smArch.rfind("sm_", 0) != 0 || smArch.size() < 5) return 0;
    int n = 0;
    for (char ch : smArch.substr(3)) {
        if (ch < '0' || ch > '9') break; // "sm_90a": the feature suffix does not change the PTX
        n = n * 10 + (ch - '0');
    }
    return n;
}

void addKernelSources(store::Run& run, const kernels::KernelSet& set, int arch) {
    run.environment.kernelSetName = set.manifest().name;
    run.environment.kernelSetHash = set.contentHash();
    std::set<std::string> names;
    for (const auto& c : run.checks)
        names.insert(c.kernels.begin(), c.kernels.end());
    for (const auto& l : run.traceLaunches)
        names.insert(l.kernel);
    std::set<std::string> present;
    for (const auto& k : run.kernels)
        present.insert(k.name);
    std::map<std::string, std::string> ptxBySource; // "" when it cannot be produced here
    for (const auto& name : names) {
        const kernels::KernelSpec* spec = set.manifest().find(name);
        if (spec == nullptr || present.contains(name)) continue;
        auto it = ptxBySource.find(spec->source);
        if (it == ptxBySource.end()) {
            // .ptx sources are their own PTX; .cu sources need NVRTC and a target.
            const bool isPtx = spec->source.ends_with(".ptx");
            auto ptx = arch > 0 || isPtx ? kernels::ptxForSource(set, spec->source, arch)
                                         : Expected<std::string>(std::string());
            it = ptxBySource.emplace(spec->source, ptx ? *ptx : std::string()).first;
        }
        store::KernelSource k;
        k.name = name;
        k.entry = spec->entry;
        k.sourcePath = spec->source;
        k.ptxText = it->second;
        run.kernels.push_back(std::move(k));
    }
}

void settleRunStatus(store::Run& run) {
    if (run.status == store::RunStatus::Error) return;
    std::size_t failing = 0;
    const store::Check* first = nullptr;
    for (const auto& c : run.checks) {
        if (!store::isFailing(c.status)) continue;
        ++failing;
        if (first == nullptr) first = &c;
    }
    if (failing == 0) {
        run.status = store::RunStatus::Passed;
        run.statusReason.clear();
        return;
    }
    run.status = store::RunStatus::Failed;
    run.statusReason =
        fmt::format("{} of {} checks failed, first: {}", failing, run.checks.size(), first->name);
}

} // namespace ptxwb::record

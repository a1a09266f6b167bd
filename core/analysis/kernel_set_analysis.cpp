#include "analysis/kernel_set_analysis.h"

#include "kernels/kernel_loader.h"
#include "ptx/diagnostics.h"
#include "ptx/parser.h"
#include "ptx/source_manager.h"
#include "util/mapped_file.h"

#include <fmt/format.h>
#include <map>
#include <set>

namespace ptxwb::analysis {

std::vector<KernelContract> contractsFromManifest(const kernels::KernelSetManifest& m) {
    std::map<std::string, std::string, std::less<>> entryOfName;
    for (const auto& k : m.kernels)
        entryOfName[k.name] = k.entry;
    std::vector<KernelContract> out;
    out.reserve(m.kernels.size());
    for (const auto& k : m.kernels) {
        KernelContract c;
        c.kernel = k.entry;
        c.variant =
            k.variant == kernels::Variant::Batched ? KernelVariant::Batched : KernelVariant::Single;
        c.batchAxis = k.batch == kernels::BatchMode::Loop ? BatchAxis::Loop : BatchAxis::GridY;
        c.batchAxisDeclared = c.variant == KernelVariant::Batched;
        for (const auto& p : k.params)
            c.params.push_back({p.name, p.roleText, {}});
        if (!k.pairsWith.empty()) {
            auto it = entryOfName.find(k.pairsWith);
            c.pairsWith = it != entryOfName.end() ? it->second : k.pairsWith;
        }
        out.push_back(std::move(c));
    }
    return out;
}

Expected<std::vector<KernelContract>> readManifestContracts(const std::string& path) {
    PTXWB_TRY(auto text, readFileText(path));
    PTXWB_TRY(auto manifest, kernels::parseManifest(text, path));
    return contractsFromManifest(manifest);
}

std::string analysedFileName(const std::string& source, int arch) {
    if (source.ends_with(".ptx")) return source;
    return fmt::format("{}.sm_{}.ptx", source, arch);
}

Expected<KernelSetAnalysis> analyzeKernelSet(const kernels::KernelSet& set,
                                             const KernelSetAnalysisOptions& options) {
    KernelSetAnalysis out;
    Analyzer analyzer(options.analysis);
    if (!options.rules.empty()) PTXWB_CHECK(analyzer.selectRules(options.rules));
    analyzer.setContracts(contractsFromManifest(set.manifest()));

    std::set<std::string> sources;
    for (const auto& k : set.manifest().kernels)
        sources.insert(k.source);
    // The analyzer refers to the text and modules until run(): keep them here.
    ptx::SourceManager buffers;
    std::vector<ptx::Module> modules;
    modules.reserve(sources.size());
    for (const auto& source : sources) {
        auto ptx = kernels::ptxForSource(set, source, options.arch, false);
        if (!ptx) {
            out.skipped.push_back(fmt::format("{}: {}", source, ptx.error().format()));
            continue;
        }
        const std::string name = analysedFileName(source, options.arch);
        out.ptx.emplace_back(name, *ptx);
        const auto buffer = buffers.addBuffer(name, std::move(*ptx));
        ptx::DiagnosticList diagnostics;
        modules.push_back(ptx::parseModule(buffers, buffer, diagnostics));
        for (const auto& d : diagnostics.all())
            if (d.severity == ptx::Severity::Error) return ptx::toError(buffers, buffer, d);
        analyzer.addModule(name, modules.back());
    }
    out.report = analyzer.run();
    return out;
}

std::vector<KernelPathBadge> summarizeKernelPaths(const kernels::KernelSet& set, int arch) {
    KernelSetAnalysisOptions options;
    options.analysis.ptxasPath.clear();
    options.rules = {"indirect-position"};
    options.arch = arch;
    auto analysed = analyzeKernelSet(set, options);
    std::vector<KernelPathBadge> out;
    for (const auto& k : set.manifest().kernels) {
        KernelPathBadge b;
        b.kernel = k.name;
        b.entry = k.entry;
        b.source = k.source;
        b.variant = kernels::variantName(k.variant);
        if (k.variant == kernels::Variant::Batched)
            b.batchAxis = k.batch == kernels::BatchMode::Loop ? "loop" : "grid.y";
        b.positionMode = "unknown";
        if (analysed)
            for (const auto& s : analysed->report.kernels)
                if (s.kernel == k.entry && s.file == analysedFileName(k.source, arch)) {
                    b.positionMode = s.positionMode;
                    break;
                }
        out.push_back(std::move(b));
    }
    return out;
}

} // namespace ptxwb::analysis

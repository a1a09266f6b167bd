// `ptxwb kernels list|export|compile`: the kernel set (built-in or --kernel-set DIR).
#include "analysis/kernel_set_analysis.h"
#include "cli_output.h"
#include "command_registry.h"
#include "kernels/kernel_loader.h"
#include "kernels/kernel_set.h"
#include "util/mapped_file.h"

#include <filesystem>
#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <set>

namespace ptxwb::cli {
namespace {

std::string geometryText(const std::array<kernels::GeometryExpr, 3>& g) {
    return fmt::format("[{}, {}, {}]", g[0].text(), g[1].text(), g[2].text());
}

int listKernels(const std::string& dir, bool json) {
    auto set = kernels::KernelSet::load(dir);
    if (!set) return printError(set.error());
    const auto& m = set->manifest();
    if (json) {
        nlohmann::json out{
            {"name", m.name}, {"origin", set->origin()}, {"hash", set->contentHash()}};
        out["kernels"] = nlohmann::json::array();
        for (const auto& k : m.kernels) {
            nlohmann::json j{{"name", k.name},
                             {"entry", k.entry},
                             {"source", k.source},
                             {"op", kernels::opKindName(k.op)},
                             {"variant", kernels::variantName(k.variant)},
                             {"grid", geometryText(k.grid)},
                             {"block", geometryText(k.block)}};
            if (k.weights != kernels::WeightFormat::None)
                j["weights"] = kernels::weightFormatName(k.weights);
            if (!k.pairsWith.empty()) {
                j["pairs_with"] = k.pairsWith;
                j["contract"] = k.contract.text();
            }
            if (k.zoo) j["zoo"] = {{"bug", k.zoo->bug}, {"caught_by", k.zoo->caughtBy}};
            out["kernels"].push_back(j);
        }
        fmt::print("{}\n", out.dump(2));
        return 0;
    }
    fmt::print("kernel set {} ({}), {} kernels, sha256 {}\n", m.name, set->origin(),
               m.kernels.size(), set->contentHash().substr(0, 16));
    fmt::print("{:<30} {:<13} {:<7} {:<8} {:<24} {}\n", "kernel", "op", "weights", "variant",
               "pairs with", "zoo (caught by)");
    for (const auto& k : m.kernels) {
        fmt::print("{:<30} {:<13} {:<7} {:<8} {:<24} {}\n", k.name, kernels::opKindName(k.op),
                   kernels::weightFormatName(k.weights), kernels::variantName(k.variant),
                   k.pairsWith.empty() ? "-" : k.pairsWith + " (" + k.contract.text() + ")",
                   k.zoo ? k.zoo->caughtBy : "-");
    }
    return 0;
}

int exportKernels(const std::string& dir, const std::string& target) {
    auto set = kernels::KernelSet::load(dir);
    if (!set) return printError(set.error());
    if (auto st = set->exportTo(target); !st) return printError(st.error());
    fmt::print("wrote {} files of kernel set {} to {}\n", set->files().size(), set->manifest().name,
               target);
    return 0;
}

// Compiles every .cu source with NVRTC (no GPU needed): the CI check that the set builds.
/// What `kernels compile` does: which sources, for which targets, and where the PTX goes.
struct CompileOptions {
    std::string dir;
    std::vector<int> archs{80, 90};
    std::vector<std::string> sources; ///< empty: every source the manifest names
    std::string outputDir;            ///< empty: only report sizes
};

int compileKernels(const CompileOptions& o) {
    auto set = kernels::KernelSet::load(o.dir);
    if (!set) return printError(set.error());
    std::set<std::string> sources;
    for (const auto& k : set->manifest().kernels)
        sources.insert(k.source);
    for (const auto& wanted : o.sources) {
        if (!sources.contains(wanted)) {
            printUsageError(
                fmt::format("--source {}: no kernel of the set has this source", wanted));
            return exit_code::usage;
        }
    }
    if (!o.sources.empty()) sources = {o.sources.begin(), o.sources.end()};
    if (!o.outputDir.empty()) {
        std::error_code ec;
        std::filesystem::create_directories(o.outputDir, ec);
        if (ec)
            return printError(
                Error(ErrorKind::Environment,
                      fmt::format("{}: cannot create: {}", o.outputDir, ec.message())));
    }
    for (int arch : o.archs) {
        for (const auto& s : sources) {
            // A PTX source is the same for every architecture: written (and listed) once.
            if (s.ends_with(".ptx") && arch != o.archs.front()) continue;
            auto ptx = kernels::ptxForSource(*set, s, arch, false);
            if (!ptx) return printError(ptx.error());
            if (o.outputDir.empty()) {
                fmt::print("compute_{} {:<28} {:>8} bytes of PTX\n", arch, s, ptx->size());
                continue;
            }
            // The analyzer's name for a compiled source, so findings name the same file.
            const auto path =
                std::filesystem::path(o.outputDir) / analysis::analysedFileName(s, arch);
            if (auto st = writeFileAtomic(path.string(), *ptx); !st) return printError(st.error());
            fmt::print("{}\n", path.string());
        }
    }
    return 0;
}

void setupKernelsCommand(CommandLine& cl) {
    auto* cmd = cl.app().add_subcommand("kernels", "List, export or compile a kernel set");
    cmd->require_subcommand(1);
    auto dir = std::make_shared<std::string>();
    auto json = std::make_shared<bool>(false);
    auto* list = cmd->add_subcommand("list", "List the kernels of the set");
    list->add_option("--kernel-set", *dir, "Kernel set directory (default: built-in)");
    list->add_flag("--json", *json, "Print as JSON");
    onRun(cl, list, [dir, json] { return listKernels(*dir, *json); });

    auto target = std::make_shared<std::string>();
    auto* exp = cmd->add_subcommand("export", "Write the kernel set's files into DIR for editing");
    exp->add_option("DIR", *target, "Target directory")->required();
    exp->add_option("--kernel-set", *dir, "Kernel set directory (default: built-in)");
    onRun(cl, exp, [dir, target] { return exportKernels(*dir, *target); });

    auto compile = std::make_shared<CompileOptions>();
    auto* comp =
        cmd->add_subcommand("compile", "Compile every .cu source with NVRTC (no GPU needed)");
    comp->add_option("--kernel-set", compile->dir, "Kernel set directory (default: built-in)");
    comp->add_option("--arch", compile->archs,
                     "Compute capabilities as 10*major+minor (default 80 90)");
    comp->add_option("--source", compile->sources, "Only this source of the set; repeatable");
    comp->add_option("-o,--output", compile->outputDir,
                     "Write each source's PTX here as SOURCE.sm_ARCH.ptx and print the paths");
    onRun(cl, comp, [compile] { return compileKernels(*compile); });
}

} // namespace
PTXWB_REGISTER_COMMAND(kernels, 20, setupKernelsCommand);
} // namespace ptxwb::cli

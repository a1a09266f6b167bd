// `ptxwb ptx check|print|stats|diff`: the PTX front end on the command line.
//   check FILE...                parse + verify; diagnostics on stderr; exit 0 or 3
//   print FILE                   canonical PTX on stdout
//   stats FILE [--json]          per-function statistics
//   diff A.ptx[:FUNC] B.ptx[:FUNC] [--json]   normalised diff; exit 0 if equivalent, 1 if not
#include "cli_output.h"
#include "command_registry.h"
#include "ptx/function_diff.h"
#include "ptx/module_stats.h"
#include "ptx/printer.h"
#include "ptx_cli_support.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {
namespace {

int runCheck(const std::vector<std::string>& files, bool quiet) {
    int rc = exit_code::ok;
    for (const std::string& path : files) {
        LoadedPtx loaded;
        int status = loadPtx(path, loaded, true);
        if (status == exit_code::ok && !quiet)
            fmt::print("{}: ok ({} functions, {} instructions)\n", path,
                       loaded.module.functions.size(), loaded.module.instructions.size());
        if (status != exit_code::ok) rc = status;
    }
    return rc;
}

int runPrint(const std::string& path) {
    LoadedPtx loaded;
    if (int status = loadPtx(path, loaded, false); status != exit_code::ok) return status;
    std::string text = ptx::printModule(loaded.module);
    std::fwrite(text.data(), 1, text.size(), stdout);
    return exit_code::ok;
}

nlohmann::json statsJson(const ptx::ModuleStats& s) {
    nlohmann::json functions = nlohmann::json::array();
    for (const auto& f : s.functions) {
        nlohmann::json classes = nlohmann::json::object();
        for (std::size_t c = 0; c < f.byClass.size(); ++c)
            if (f.byClass[c])
                classes[std::string(ptx::opcodeClassName(static_cast<ptx::OpcodeClass>(c)))] =
                    f.byClass[c];
        functions.push_back({{"name", f.name},
                             {"kind", f.isEntry ? "entry" : "func"},
                             {"defined", f.hasBody},
                             {"instructions", f.instructions},
                             {"instructionsByClass", classes},
                             {"instructionsByOpcode", f.byOpcode},
                             {"registersByType", f.registersByType},
                             {"sharedBytes", f.sharedBytes},
                             {"localBytes", f.localBytes},
                             {"constBytes", f.constBytes},
                             {"paramBytes", f.paramBytes},
                             {"basicBlocks", f.basicBlocks},
                             {"calls", f.calls},
                             {"callees", f.callees}});
    }
    return {{"instructions", s.instructions},      {"globalBytes", s.globalBytes},
            {"sharedBytes", s.sharedBytes},        {"constBytes", s.constBytes},
            {"dynamicShared", s.hasDynamicShared}, {"functions", functions}};
}

int runStats(const std::string& path, bool json) {
    LoadedPtx loaded;
    if (int status = loadPtx(path, loaded, false); status != exit_code::ok) return status;
    ptx::ModuleStats s = ptx::computeStats(loaded.module);
    if (json) {
        fmt::print("{}\n", statsJson(s).dump(2));
        return exit_code::ok;
    }
    fmt::print(
        "{}: {} functions, {} instructions; module .global {} B, .shared {} B{}, .const {} B\n",
        path, s.functions.size(), s.instructions, s.globalBytes, s.sharedBytes,
        s.hasDynamicShared ? " + dynamic" : "", s.constBytes);
    for (const auto& f : s.functions) {
        if (!f.hasBody) continue;
        fmt::print("\n{} {}\n", f.isEntry ? ".entry" : ".func", f.name);
        fmt::print("  instructions {:>8}   basic blocks {:>6}   calls {:>4}\n", f.instructions,
                   f.basicBlocks, f.calls);
        std::string classes;
        for (std::size_t c = 0; c < f.byClass.size(); ++c)
            if (f.byClass[c])
                classes += fmt::format(
                    " {}={}", ptx::opcodeClassName(static_cast<ptx::OpcodeClass>(c)), f.byClass[c]);
        fmt::print("  by class    {}\n", classes);
        std::string regs;
        for (const auto& [type, n] : f.registersByType)
            regs += fmt::format(" {}={}", type, n);
        fmt::print("  registers   {}\n", regs);
        fmt::print("  shared {} B   local {} B   const {} B   params {} B\n", f.sharedBytes,
                   f.localBytes, f.constBytes, f.paramBytes);
        if (!f.callees.empty()) fmt::print("  callees      {}\n", fmt::join(f.callees, ", "));
    }
    return exit_code::ok;
}

int runDiff(const std::string& leftSpec, const std::string& rightSpec, bool json) {
    PtxFunctionSpec left = splitFunctionSpec(leftSpec), right = splitFunctionSpec(rightSpec);
    LoadedPtx a, b;
    if (int st = loadPtx(left.path, a, false); st != exit_code::ok) return st;
    if (int st = loadPtx(right.path, b, false); st != exit_code::ok) return st;
    std::vector<std::pair<std::uint32_t, std::uint32_t>> pairs;
    if (int st = pairFunctions(a, left.function, b, right.function, pairs); st != exit_code::ok)
        return st;
    bool equivalent = true;
    nlohmann::json out = nlohmann::json::array();
    for (auto [fa, fb] : pairs) {
        ptx::FunctionDiff d = ptx::diffFunctions(a.module, fa, b.module, fb);
        equivalent &= d.equivalent();
        std::string nameA(a.module.text(a.module.functions[fa].name)),
            nameB(b.module.text(b.module.functions[fb].name));
        if (json) {
            out.push_back(diffJson(a, b, nameA, nameB, d));
            continue;
        }
        printDiff(a, b, nameA, nameB, d);
    }
    if (json) fmt::print("{}\n", out.dump(2));
    return equivalent ? exit_code::ok : exit_code::checksFailed;
}

void setupPtxCommand(CommandLine& cl) {
    auto* ptxCmd = cl.app().add_subcommand("ptx", "Parse, check, print, measure and compare PTX");
    ptxCmd->require_subcommand(1);

    auto files = std::make_shared<std::vector<std::string>>();
    auto* check = ptxCmd->add_subcommand("check", "Parse and verify PTX files (exit 3 on errors)");
    check->add_option("files", *files, "PTX files")->required();
    onRun(cl, check, [files, &cl] { return runCheck(*files, cl.global().quiet); });

    auto printFile = std::make_shared<std::string>();
    auto* print = ptxCmd->add_subcommand("print", "Print a PTX file in canonical form");
    print->add_option("file", *printFile, "PTX file")->required();
    onRun(cl, print, [printFile] { return runPrint(*printFile); });

    auto statsFile = std::make_shared<std::string>();
    auto statsJsonFlag = std::make_shared<bool>(false);
    auto* stats = ptxCmd->add_subcommand("stats", "Per-function statistics of a PTX file");
    stats->add_option("file", *statsFile, "PTX file")->required();
    stats->add_flag("--json", *statsJsonFlag, "Print as JSON");
    onRun(cl, stats, [statsFile, statsJsonFlag] { return runStats(*statsFile, *statsJsonFlag); });

    auto diffA = std::make_shared<std::string>(), diffB = std::make_shared<std::string>();
    auto diffJsonFlag = std::make_shared<bool>(false);
    auto* diff = ptxCmd->add_subcommand(
        "diff", "Compare functions ignoring register and label renaming (exit 1 if they differ)");
    diff->add_option("left", *diffA, "A.ptx[:FUNCTION]")->required();
    diff->add_option("right", *diffB, "B.ptx[:FUNCTION]")->required();
    diff->add_flag("--json", *diffJsonFlag, "Print as JSON");
    onRun(cl, diff,
          [diffA, diffB, diffJsonFlag] { return runDiff(*diffA, *diffB, *diffJsonFlag); });
}

} // namespace
PTXWB_REGISTER_COMMAND(ptx, 30, setupPtxCommand);
} // namespace ptxwb::cli

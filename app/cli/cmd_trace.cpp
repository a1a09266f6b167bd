// `ptxwb trace --import FILE.jsonl`: shows a layer-to-PTX trace written by ptxwb or by another
// engine in the same schema (core/engine/trace.h) as a table grouped by layer, or re-emits it.
#include "cli_output.h"
#include "command_registry.h"
#include "engine/trace.h"
#include "engine/trace_table.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {
namespace {

struct TraceOptions {
    std::string importPath;
    std::string format = "table";
};

int runTrace(const TraceOptions& opts) {
    if (opts.importPath.empty()) {
        printUsageError("pass --import FILE.jsonl to show a recorded trace");
        return exit_code::usage;
    }
    auto trace = engine::readTraceFile(opts.importPath);
    if (!trace) return printError(trace.error());
    if (opts.format == "jsonl") {
        fmt::print("{}", engine::traceToJsonl(*trace));
    } else if (opts.format == "json") {
        // One JSON document: the header fields plus an array of launches.
        nlohmann::json doc = nlohmann::json::array();
        std::string text = engine::traceToJsonl(*trace);
        std::size_t pos = 0;
        while (pos < text.size()) {
            auto nl = text.find('\n', pos);
            doc.push_back(nlohmann::json::parse(text.substr(pos, nl - pos)));
            pos = nl + 1;
        }
        nlohmann::json out = doc.front();
        out["launches"] = nlohmann::json::array();
        for (std::size_t i = 1; i < doc.size(); ++i)
            out["launches"].push_back(doc[i]);
        fmt::print("{}\n", out.dump(2));
    } else {
        fmt::print("{}", engine::formatTraceTable(*trace));
    }
    return exit_code::ok;
}

void setupTraceCommand(CommandLine& cl) {
    auto opts = std::make_shared<TraceOptions>();
    auto* sub =
        cl.app().add_subcommand("trace", "Layer-to-PTX trace: which kernel each op launched");
    sub->add_option("--import", opts->importPath,
                    "Show a trace file (JSON Lines, schema ptxwb.trace)");
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"table", "json", "jsonl"}));
    onRun(cl, sub, [opts] { return runTrace(*opts); });
}

} // namespace
PTXWB_REGISTER_COMMAND(trace, 60, setupTraceCommand);
} // namespace ptxwb::cli

// `ptxwb trace --import FILE.jsonl`: shows a layer-to-PTX trace written by ptxwb or by another
// engine in the same schema (core/engine/trace.h) as a table grouped by layer, or re-emits it.
#include "cli_output.h"
#include "command_registry.h"
#include "engine/trace.h"
#include "engine/trace_table.h"
#include "util/mapped_file.h"
#include "worker_client.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

namespace ptxwb::cli {
namespace {

struct TraceOptions {
    std::string importPath;
    std::string model;
    std::string kernelSet;
    std::vector<int> tokens;
    std::string prefill = "batched";
    int decode = 0;
    bool graph = false;
    bool measureOverhead = false;
    std::vector<std::string> inject;
    std::string out;
    double deadlineSeconds = 300;
    std::string format = "table";
};

/// Runs the engine on the GPU (in a supervised worker) and returns the trace it recorded.
Expected<engine::Trace> traceModel(const GlobalOptions& global, const TraceOptions& opts) {
    nlohmann::json params{{"model", opts.model},
                          {"kernel_set", opts.kernelSet},
                          {"prefill", opts.prefill},
                          {"decode", opts.decode},
                          {"graph", opts.graph},
                          {"inject", opts.inject},
                          {"measure_overhead", opts.measureOverhead}};
    if (!opts.tokens.empty()) params["tokens"] = opts.tokens;
    worker::JobRequest request{"trace", params,
                               std::chrono::milliseconds(long(opts.deadlineSeconds * 1000))};
    PTXWB_TRY(auto result, runJobInWorker(global, request));
    const auto& t = result["timing"];
    fmt::print(stderr, "traced on {}: {:.2f} s from cold start", result.value("gpu", ""),
               t.value("cold_start_to_trace_s", 0.0));
    if (t.contains("decode_tokens_per_s_untraced")) {
        fmt::print(stderr, "; decode {:.1f} tokens/s traced, {:.1f} untraced ({:.2f}x overhead)",
                   t.value("decode_tokens_per_s_traced", 0.0),
                   t.value("decode_tokens_per_s_untraced", 0.0), t.value("trace_overhead", 0.0));
    }
    fmt::print(stderr, "\n");
    const std::string jsonl = result["trace_jsonl"].get<std::string>();
    if (!opts.out.empty()) PTXWB_CHECK(writeFileAtomic(opts.out, jsonl));
    return engine::traceFromJsonl(jsonl, "worker trace");
}

int runTrace(const GlobalOptions& global, const TraceOptions& opts) {
    if (opts.importPath.empty() == opts.model.empty()) {
        printUsageError("pass either --model FILE (trace a run on the GPU) or --import FILE.jsonl");
        return exit_code::usage;
    }
    auto trace =
        opts.model.empty() ? engine::readTraceFile(opts.importPath) : traceModel(global, opts);
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
                    "Show a trace file (JSON Lines, schema ptxwb.trace)")
        ->check(CLI::ExistingFile);
    sub->add_option("--model", opts->model, "GGUF model to run on the GPU and trace")
        ->check(CLI::ExistingFile);
    sub->add_option("--kernel-set", opts->kernelSet, "Kernel set directory (default: built-in)")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--tokens", opts->tokens, "Prompt token ids (comma separated)")->delimiter(',');
    sub->add_option("--prefill", opts->prefill, "Prefill path")
        ->check(CLI::IsMember({"serial", "batched"}));
    sub->add_option("--decode", opts->decode, "Decode this many tokens after prefill")
        ->check(CLI::NonNegativeNumber);
    sub->add_flag(
        "--graph", opts->graph,
        "Decode through a captured CUDA graph (positions from position_buf / seq_len_buf)");
    sub->add_flag("--measure-overhead", opts->measureOverhead,
                  "Also decode untraced and report the tracing overhead");
    sub->add_option("--inject", opts->inject, "Reproduce a bug (see ptxwb qa --help)");
    sub->add_option("-o,--output", opts->out, "Also write the trace as JSON Lines to this file");
    sub->add_option("--deadline", opts->deadlineSeconds, "Deadline for the GPU job in seconds")
        ->check(CLI::PositiveNumber);
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"table", "json", "jsonl"}));
    onRun(cl, sub, [&cl, opts] { return runTrace(cl.global(), *opts); });
}

} // namespace
PTXWB_REGISTER_COMMAND(trace, 60, setupTraceCommand);
} // namespace ptxwb::cli

// `ptxwb qa --validate-kv-cache`: serial vs batched prefill KV caches, compared slot by slot.
// With --serial-dump/--batched-dump it validates caches another engine wrote (.npy per layer,
// layout in core/engine/kv_cache_snapshot.h); no GPU is needed for that, and --batched-trace
// names the launches that wrote each slot. Runs record a summary check plus one check per
// (layer, K/V, KV head) with its positions x head_dim map, which the GUI's KV-cache view shows.
#include "cli_output.h"
#include "command_registry.h"
#include "engine/kv_head_maps.h"
#include "engine/kv_validation.h"
#include "kv_report_output.h"
#include "record/job_results.h"
#include "record/kv_results.h"
#include "run_recorder.h"
#include "store/results.h"
#include "util/mapped_file.h"
#include "worker_client.h"

#include <algorithm>
#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

struct QaOptions {
    bool validateKvCache = false;
    std::string model;
    std::string kernelSet;
    std::vector<int> tokens;
    std::vector<std::string> inject;
    std::string traceOut;
    double deadlineSeconds = 300;
    std::string serialDump;
    std::string batchedDump;
    std::string batchedTrace;
    int promptLength = -1;
    int tokenCount = 0;
    double tolerance = 0.0;
    std::string format = "text";
};

/// Leading positions of layer 0, head 0 that serial prefill wrote: the prompt length when the
/// user does not give one.
int inferTokens(const engine::KvCacheSnapshot& serial) {
    int n = 0;
    while (n < serial.geometry.maxLen && !serial.slotUnwritten(0, 0, n))
        ++n;
    return n;
}

engine::KvValidationReport reportFromJson(const nlohmann::json& j) {
    engine::KvValidationReport r;
    r.passed = j.value("passed", false);
    r.problems = j.value("problems", std::vector<std::string>{});
    r.passes = j.value("passes", std::vector<std::string>{});
    r.elementsCompared = j.value("elements_compared", std::uint64_t{0});
    r.elementsMismatched = j.value("elements_mismatched", std::uint64_t{0});
    r.maxAbsDifference = j.value("max_abs_difference", 0.0);
    return r;
}

/// The summary check of a validation (the whole report as evidence) and one KV row per
/// sentence of the report.
void addKvReport(store::Run& run, const engine::KvValidationReport& report, std::size_t tokens,
                 nlohmann::json evidence) {
    store::Check check;
    check.kind = store::CheckKind::Kv;
    check.name = fmt::format("kv-cache serial vs batched prefill, {} tokens", tokens);
    check.status = report.passed ? store::CheckStatus::Passed : store::CheckStatus::Failed;
    check.maxRelError = report.maxAbsDifference;
    evidence["problems"] = report.problems;
    evidence["passes"] = report.passes;
    evidence["elements_compared"] = report.elementsCompared;
    evidence["elements_mismatched"] = report.elementsMismatched;
    check.evidence = std::move(evidence);
    run.checks.push_back(std::move(check));
    for (const auto& [texts, status] : {std::pair{&report.problems, store::CheckStatus::Failed},
                                        std::pair{&report.passes, store::CheckStatus::Passed}}) {
        for (const auto& text : *texts) {
            store::KvValidation row;
            row.layer = -1;
            row.tensor = "kv";
            row.status = status;
            row.expectedLength = std::int64_t(tokens);
            row.message = text;
            run.kvValidations.push_back(std::move(row));
        }
    }
}

void settleKvRun(store::Run& run, const engine::KvValidationReport& report) {
    run.status = report.passed ? store::RunStatus::Passed : store::RunStatus::Failed;
    if (!report.passed) run.statusReason = report.problems.front();
}

/// Records a model qa run: the summary check and rows (addKvReport), one check per (layer,
/// K/V, KV head) with its mismatch map, and the batched prefill's launches.
void recordModelQa(const GlobalOptions& global, store::Run run, const QaOptions& opts,
                   const Expected<nlohmann::json>& result) {
    run.environment.modelName = std::filesystem::path(opts.model).filename().string();
    run.environment.modelHash = fileSha256(opts.model);
    if (!result) {
        run.status = store::RunStatus::Error;
        run.statusReason = result.error().message;
        recordRun(global, run);
        return;
    }
    const auto& r = *result;
    record::applyJobEnvironment(run.environment, r.value("environment", nlohmann::json::object()));
    run.environment.kernelSetName = r.value("kernel_set", std::string());
    auto report = reportFromJson(r["report"]);
    addKvReport(run, report, r["tokens"].size(),
                {{"faults", r["faults"]}, {"timing", r["timing"]}});
    if (auto st = record::addKvHeadChecks(run, r); !st)
        printWarning("KV head maps not recorded: " + st.error().format());
    if (auto trace = engine::traceFromJsonl(r.value("trace_jsonl", std::string()), "trace")) {
        for (const auto& l : trace->launches)
            run.traceLaunches.push_back(record::toStoreLaunch(l));
    }
    settleKvRun(run, report);
    recordRun(global, run);
}

/// Serial vs batched prefill of a model on the GPU, in a supervised worker.
int runModelQa(const GlobalOptions& global, const QaOptions& opts) {
    nlohmann::json params{{"model", opts.model},
                          {"kernel_set", opts.kernelSet},
                          {"inject", opts.inject},
                          {"tolerance", opts.tolerance}};
    if (!opts.tokens.empty()) params["tokens"] = opts.tokens;
    if (opts.tokens.empty() && opts.tokenCount > 0) params["prompt_length"] = opts.tokenCount;
    worker::JobRequest request{"validate-kv-cache", params,
                               std::chrono::milliseconds(long(opts.deadlineSeconds * 1000))};
    store::Run run = beginRun(global, "qa");
    auto result = runJobInWorker(global, request);
    if (!result && result.error().kind != ErrorKind::Environment &&
        result.error().kind != ErrorKind::Usage) {
        recordModelQa(global, run, opts, result); // a GPU fault or timeout is history too
    }
    if (!result) return printError(result.error());
    auto report = reportFromJson((*result)["report"]);
    if (!opts.traceOut.empty()) {
        if (auto st = writeFileAtomic(opts.traceOut, (*result)["trace_jsonl"].get<std::string>());
            !st) {
            return printError(st.error());
        }
    }
    if (opts.format == "json") {
        fmt::print("{}\n", result->dump(2));
    } else if (opts.format == "junit") {
        fmt::print("{}", kvReportJunit(report, "ptxwb.kv-cache"));
    } else {
        const auto& r = *result;
        fmt::print("model {} on {} ({}), {} tokens{}\n", r.value("model", ""), r.value("gpu", ""),
                   r.value("arch", ""), r["tokens"].size(),
                   r["faults"].empty()
                       ? std::string()
                       : fmt::format(", injected: {}",
                                     fmt::join(r["faults"].get<std::vector<std::string>>(), ", ")));
        fmt::print("{}", kvReportText(report));
        const auto& t = r["timing"];
        fmt::print(
            "time: {:.2f} s from cold start (load {:.0f} ms, serial prefill {:.1f} ms, batched "
            "prefill {:.1f} ms, CPU reference {:.0f} ms)\n",
            t.value("total_s", 0.0), t.value("load_ms", 0.0), t.value("serial_prefill_ms", 0.0),
            t.value("batched_prefill_ms", 0.0), t.value("reference_ms", 0.0));
    }
    recordModelQa(global, run, opts, result);
    return report.passed ? exit_code::ok : exit_code::checksFailed;
}

/// The launches of a batched prefill trace (all of them when the trace names no phases).
Expected<std::vector<engine::TraceLaunch>> batchedPrefillLaunches(const std::string& path) {
    PTXWB_TRY(auto trace, engine::readTraceFile(path));
    const bool phased = std::any_of(trace.launches.begin(), trace.launches.end(),
                                    [](const auto& l) { return l.phase == "prefill-batched"; });
    std::vector<engine::TraceLaunch> launches;
    for (auto& l : trace.launches) {
        if (!phased || l.phase == "prefill-batched") launches.push_back(std::move(l));
    }
    return launches;
}

/// Validates two dump directories. The run is recorded only in a history named with --db:
/// dumps come from other engines, often while a script iterates, and should not fill the
/// default history unasked.
int runDumpQa(const GlobalOptions& global, const QaOptions& opts) {
    store::Run run = beginRun(global, "qa");
    auto serial = engine::readKvDump(opts.serialDump);
    if (!serial) return printError(serial.error());
    auto batched = engine::readKvDump(opts.batchedDump);
    if (!batched) return printError(batched.error());
    engine::KvValidationInput in;
    in.serial = &*serial;
    in.batched = &*batched;
    in.tokens = opts.promptLength >= 0 ? opts.promptLength : inferTokens(*serial);
    in.tolerance = opts.tolerance;
    if (!opts.batchedTrace.empty()) {
        auto launches = batchedPrefillLaunches(opts.batchedTrace);
        if (!launches) return printError(launches.error());
        in.launches = std::move(*launches);
    }
    const auto maps = engine::compareKvHeads(in);
    auto report = engine::validateKvCaches(in, maps);
    if (opts.format == "json") {
        auto j = report.toJson();
        j["tokens"] = in.tokens;
        j["serial_dump"] = opts.serialDump;
        j["batched_dump"] = opts.batchedDump;
        fmt::print("{}\n", j.dump(2));
    } else if (opts.format == "junit") {
        fmt::print("{}", kvReportJunit(report, "ptxwb.kv-cache"));
    } else {
        fmt::print("{}", kvReportText(report));
    }
    if (!global.dbPath.empty()) {
        addKvReport(run, report, std::size_t(in.tokens), nlohmann::json::object());
        record::addKvHeadChecks(run, maps, in.tokens);
        for (const auto& l : in.launches)
            run.traceLaunches.push_back(record::toStoreLaunch(l));
        run.labels["kv_source"] = "dumps";
        settleKvRun(run, report);
        recordRun(global, run);
    }
    return report.passed ? exit_code::ok : exit_code::checksFailed;
}

int runQa(const GlobalOptions& global, const QaOptions& opts) {
    if (!opts.validateKvCache) {
        printUsageError("nothing to do: pass --validate-kv-cache");
        return exit_code::usage;
    }
    if (!opts.model.empty()) return runModelQa(global, opts);
    if (opts.serialDump.empty() || opts.batchedDump.empty()) {
        printUsageError("--validate-kv-cache needs --model FILE, or --serial-dump DIR and "
                        "--batched-dump DIR");
        return exit_code::usage;
    }
    return runDumpQa(global, opts);
}

void setupQaCommand(CommandLine& cl) {
    auto opts = std::make_shared<QaOptions>();
    auto* sub = cl.app().add_subcommand("qa", "Quality checks of engine state (KV cache)");
    sub->add_flag("--validate-kv-cache", opts->validateKvCache,
                  "Compare the KV cache after serial prefill with the one after batched prefill");
    sub->add_option("--model", opts->model, "GGUF model to prefill serially and batched on the GPU")
        ->check(CLI::ExistingFile);
    sub->add_option("--kernel-set", opts->kernelSet, "Kernel set directory (default: built-in)")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--tokens", opts->tokens, "Prompt token ids (comma separated)")->delimiter(',');
    sub->add_option("--token-count", opts->tokenCount,
                    "Prompt length when --tokens is not given (default 12)")
        ->check(CLI::PositiveNumber);
    sub->add_option("--inject", opts->inject,
                    "Reproduce a bug: stale-position-buf, "
                    "seq-len-buf-not-updated, batched-rope-row0-positions");
    sub->add_option("--trace-out", opts->traceOut,
                    "Write the batched prefill's trace (JSON Lines)");
    sub->add_option("--deadline", opts->deadlineSeconds, "Deadline for the GPU job in seconds")
        ->check(CLI::PositiveNumber);
    sub->add_option("--serial-dump", opts->serialDump,
                    "Directory of K/V .npy dumps written after serial prefill")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--batched-dump", opts->batchedDump,
                    "Directory of K/V .npy dumps written after batched prefill")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--batched-trace", opts->batchedTrace,
                    "Trace of the batched prefill (ptxwb.trace JSON Lines): names the launches "
                    "that wrote each slot of the dumps")
        ->check(CLI::ExistingFile);
    sub->add_option("--prompt-length", opts->promptLength,
                    "Number of prefilled tokens (default: inferred from the serial dump)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--tolerance", opts->tolerance,
                    "Largest allowed |serial - batched| per element (default 0: bit-identical)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"text", "json", "junit"}));
    onRun(cl, sub, [&cl, opts] { return runQa(cl.global(), *opts); });
}

} // namespace
PTXWB_REGISTER_COMMAND(qa, 70, setupQaCommand);
} // namespace ptxwb::cli

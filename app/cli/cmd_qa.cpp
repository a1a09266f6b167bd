// `ptxwb qa --validate-kv-cache`: serial vs batched prefill KV caches, compared slot by slot.
// With --serial-dump/--batched-dump it validates caches another engine wrote (.npy per layer,
// layout in core/engine/kv_cache_snapshot.h); no GPU is needed for that.
#include "cli_output.h"
#include "command_registry.h"
#include "engine/kv_validation.h"
#include "kv_report_output.h"

#include <fmt/format.h>

namespace ptxwb::cli {
namespace {

struct QaOptions {
    bool validateKvCache = false;
    std::string serialDump;
    std::string batchedDump;
    int tokens = -1;
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

int runQa(const QaOptions& opts) {
    if (!opts.validateKvCache) {
        printUsageError("nothing to do: pass --validate-kv-cache");
        return exit_code::usage;
    }
    if (opts.serialDump.empty() || opts.batchedDump.empty()) {
        printUsageError("--validate-kv-cache needs --serial-dump DIR and --batched-dump DIR");
        return exit_code::usage;
    }
    auto serial = engine::readKvDump(opts.serialDump);
    if (!serial) return printError(serial.error());
    auto batched = engine::readKvDump(opts.batchedDump);
    if (!batched) return printError(batched.error());
    engine::KvValidationInput in;
    in.serial = &*serial;
    in.batched = &*batched;
    in.tokens = opts.tokens >= 0 ? opts.tokens : inferTokens(*serial);
    in.tolerance = opts.tolerance;
    auto report = engine::validateKvCaches(in);
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
    return report.passed ? exit_code::ok : exit_code::checksFailed;
}

void setupQaCommand(CommandLine& cl) {
    auto opts = std::make_shared<QaOptions>();
    auto* sub = cl.app().add_subcommand("qa", "Quality checks of engine state (KV cache)");
    sub->add_flag("--validate-kv-cache", opts->validateKvCache,
                  "Compare the KV cache after serial prefill with the one after batched prefill");
    sub->add_option("--serial-dump", opts->serialDump,
                    "Directory of K/V .npy dumps written after serial prefill")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--batched-dump", opts->batchedDump,
                    "Directory of K/V .npy dumps written after batched prefill")
        ->check(CLI::ExistingDirectory);
    sub->add_option("--prompt-length", opts->tokens,
                    "Number of prefilled tokens (default: inferred from the serial dump)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--tolerance", opts->tolerance,
                    "Largest allowed |serial - batched| per element (default 0: bit-identical)")
        ->check(CLI::NonNegativeNumber);
    sub->add_option("--format", opts->format, "Output format")
        ->check(CLI::IsMember({"text", "json", "junit"}));
    onRun(cl, sub, [opts] { return runQa(*opts); });
}

} // namespace
PTXWB_REGISTER_COMMAND(qa, 70, setupQaCommand);
} // namespace ptxwb::cli

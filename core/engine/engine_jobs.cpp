#include "engine/engine_jobs.h"

#include "cuda/context.h"
#include "cuda/device_info.h"
#include "engine/kv_head_maps.h"
#include "engine/llama_engine.h"
#include "engine/logits_check.h"
#include "reference/llama_forward.h"

#include <chrono>
#include <fmt/format.h>

namespace ptxwb::engine {

using nlohmann::json;
using Clock = std::chrono::steady_clock;

namespace {

double msSince(Clock::time_point t) {
    return std::chrono::duration<double, std::milli>(Clock::now() - t).count();
}

/// What both jobs read from their parameters.
struct EngineJobInputs {
    std::string modelPath;
    std::string kernelSetDir;
    int device = 0; ///< CUDA ordinal (params "device", the CLI's --device)
    std::vector<std::int32_t> tokens;
    EngineOptions options;
};

Expected<EngineJobInputs> readInputs(const json& params, std::uint32_t vocab) {
    EngineJobInputs in;
    in.modelPath = params.value("model", std::string());
    if (in.modelPath.empty()) return makeError(ErrorKind::Usage, "the job needs a \"model\"");
    in.kernelSetDir = params.value("kernel_set", std::string());
    in.device = params.value("device", 0);
    if (params.contains("tokens") && params["tokens"].is_array() && !params["tokens"].empty()) {
        for (const auto& t : params["tokens"]) {
            if (!t.is_number_integer() || t.get<std::int64_t>() < 0 ||
                t.get<std::int64_t>() >= std::int64_t(vocab)) {
                return makeError(
                    ErrorKind::Usage,
                    fmt::format("token {} is outside the vocabulary (0..{})", t.dump(), vocab - 1));
            }
            in.tokens.push_back(t.get<std::int32_t>());
        }
    } else {
        // A deterministic prompt that avoids the special tokens at the start of the vocabulary.
        const int n = params.value("prompt_length", 12);
        for (int i = 0; i < n; ++i)
            in.tokens.push_back(std::int32_t(3 + (i * 37) % (vocab - 3)));
    }
    if (params.contains("inject")) {
        for (const auto& f : params["inject"]) {
            auto fault = faultFromName(f.get<std::string>());
            if (!fault) {
                return makeError(ErrorKind::Usage,
                                 fmt::format("unknown fault '{}' (known: {})", f.get<std::string>(),
                                             fmt::join(faultNames(), ", ")));
            }
            in.options.faults.push_back(*fault);
        }
    }
    return in;
}

json environmentJson(const std::string& kernelSetHash) {
    json env = cuda::toJson(cuda::queryGpuEnvironment());
    env["kernel_set_hash"] = kernelSetHash;
    return env;
}

std::vector<std::string> faultList(const EngineOptions& o) {
    std::vector<std::string> names;
    for (auto f : o.faults)
        names.emplace_back(faultName(f));
    return names;
}

/// Launches of the trace in `phase`, as JSON objects.
json launchesOf(const Trace& trace, const std::string& phase) {
    Trace sub;
    sub.model = trace.model;
    sub.kernelSet = trace.kernelSet;
    for (const auto& l : trace.launches) {
        if (phase.empty() || l.phase == phase) sub.launches.push_back(l);
    }
    return traceToJsonl(sub);
}

struct LoadedEngine {
    std::unique_ptr<cuda::Context> context;
    std::optional<gguf::GgufFile> model;         // optional: neither has a default constructor
    std::optional<kernels::KernelSet> kernelSet; // both must stay put while the engine lives
    std::unique_ptr<LlamaEngine> engine;
};

Expected<std::unique_ptr<LoadedEngine>> loadEngine(const EngineJobInputs& in, int maxLen,
                                                   bool tracing) {
    auto e = std::make_unique<LoadedEngine>();
    PTXWB_TRY(e->context, cuda::Context::create(in.device));
    PTXWB_TRY(auto model, gguf::GgufFile::open(in.modelPath));
    e->model.emplace(std::move(model));
    PTXWB_TRY(auto kernelSet, kernels::KernelSet::load(in.kernelSetDir));
    e->kernelSet.emplace(std::move(kernelSet));
    EngineOptions options = in.options;
    options.maxLen = maxLen;
    options.tracing = tracing;
    PTXWB_TRY(e->engine, LlamaEngine::create(*e->context, *e->model, *e->kernelSet, options));
    return e;
}

Expected<std::uint32_t> vocabOf(const json& params) {
    PTXWB_TRY(auto file, gguf::GgufFile::open(params.value("model", std::string())));
    PTXWB_TRY(auto hp, gguf::readLlamaHparams(file));
    return hp.vocabSize;
}

} // namespace

Expected<json> runKvValidationJob(const json& params, const ProgressSink& progress,
                                  const CancelToken& cancel) {
    const auto start = Clock::now();
    if (params.value("model", std::string()).empty()) {
        return makeError(ErrorKind::Usage, "the job needs a \"model\"");
    }
    PTXWB_TRY(std::uint32_t vocab, vocabOf(params));
    PTXWB_TRY(EngineJobInputs in, readInputs(params, vocab));
    const int n = int(in.tokens.size());
    report(progress, 0, 6, "loading model and kernels");
    // Room for the prompt and a few decode steps; unwritten tail slots are checked too.
    PTXWB_TRY(auto loaded, loadEngine(in, n + 8, /*tracing=*/true));
    LlamaEngine& engine = *loaded->engine;
    json timing;
    timing["load_ms"] = msSince(start);

    report(progress, 1, 6, "serial prefill");
    auto t = Clock::now();
    PTXWB_TRY(Logits serialLogits, engine.prefillSerial(in.tokens));
    timing["serial_prefill_ms"] = msSince(t);
    PTXWB_TRY(KvCacheSnapshot serial, engine.snapshotKv());
    if (cancel.cancelled()) return makeError(ErrorKind::Cancelled, "cancelled");

    // Real engines validate the first generated token through the graph-mode decode path; that
    // capture leaves position_buf set, which the KV reset must clear.
    report(progress, 2, 6, "first-token check (CUDA graph)");
    PTXWB_CHECK(engine.resetKv());
    PTXWB_CHECK(engine.firstTokenGraphCheck(in.tokens.front()));
    PTXWB_CHECK(engine.resetKv());

    report(progress, 3, 6, "batched prefill");
    const std::size_t firstBatchedLaunch = engine.trace().launches.size();
    t = Clock::now();
    PTXWB_TRY(Logits batchedLogits, engine.prefillBatched(in.tokens));
    timing["batched_prefill_ms"] = msSince(t);
    PTXWB_TRY(KvCacheSnapshot batched, engine.snapshotKv());

    KvValidationInput kv;
    kv.serial = &serial;
    kv.batched = &batched;
    kv.tokens = n;
    kv.hostLengths = engine.kvCacheLengths();
    kv.tolerance = params.value("tolerance", 0.0);
    kv.launches.assign(engine.trace().launches.begin() + long(firstBatchedLaunch),
                       engine.trace().launches.end());
    PTXWB_TRY(kv.deviceValues, engine.deviceValueChecks(/*afterBatchedPrefill=*/true));
    // The per-head maps: the report's sentences come from them, and the KV-cache view shows them.
    const std::vector<KvHeadMap> maps = compareKvHeads(kv);
    KvValidationReport result = validateKvCaches(kv, maps);
    json headMaps = kvHeadMapsToJson(maps, serial.geometry, n);

    report(progress, 4, 6, "graph decode after prefill");
    for (int step = 0; step < 2; ++step) {
        PTXWB_TRY(Logits next,
                  engine.decode(in.tokens[std::size_t(step) % in.tokens.size()], true));
        (void)next;
    }
    PTXWB_TRY(auto decodeChecks, engine.deviceValueChecks(/*afterBatchedPrefill=*/false));
    for (const auto& c : decodeChecks) {
        std::string text = fmt::format("after graph decode: {} = {} on the device", c.name,
                                       c.actual ? fmt::format("{}", *c.actual) : "none");
        if (c.actual == c.expected) {
            result.passes.push_back(text + " as expected");
        } else {
            result.problems.push_back(
                fmt::format("{}, expected {} ({})", text,
                            c.expected ? fmt::format("{}", *c.expected) : "none", c.why));
        }
    }

    report(progress, 5, 6, "CPU reference forward");
    t = Clock::now();
    PTXWB_TRY(auto weights, reference::LlamaWeights::load(*loaded->model));
    PTXWB_TRY(auto ref, reference::llamaForward(weights, in.tokens, {.errorBound = true}));
    timing["reference_ms"] = msSince(t);
    for (const auto& check :
         {compareLogitsBitwise(serialLogits, batchedLogits),
          compareLogitsWithReference(serialLogits, ref.logits, ref.logitBound, "serial prefill"),
          compareLogitsWithReference(batchedLogits, ref.logits, ref.logitBound,
                                     "batched prefill")}) {
        (check.passed ? result.passes : result.problems).push_back(check.text);
    }
    result.passed = result.problems.empty();
    timing["total_s"] = msSince(start) / 1000.0;
    report(progress, 6, 6, "done");

    json out{{"model", in.modelPath},
             {"gpu", loaded->context->device().name},
             {"arch", loaded->context->device().smArch()},
             {"kernel_set", loaded->kernelSet->manifest().name},
             {"kernel_set_hash", loaded->kernelSet->contentHash()},
             {"tokens", in.tokens},
             {"faults", faultList(in.options)},
             {"environment", environmentJson(loaded->kernelSet->contentHash())},
             {"report", result.toJson()},
             {"timing", timing},
             {"kv_head_maps", std::move(headMaps)},
             {"trace_jsonl", launchesOf(engine.trace(), "prefill-batched")}};
    return out;
}

Expected<json> runTraceJob(const json& params, const ProgressSink& progress,
                           const CancelToken& cancel) {
    const auto start = Clock::now();
    if (params.value("model", std::string()).empty()) {
        return makeError(ErrorKind::Usage, "the job needs a \"model\"");
    }
    PTXWB_TRY(std::uint32_t vocab, vocabOf(params));
    PTXWB_TRY(EngineJobInputs in, readInputs(params, vocab));
    const std::string prefill = params.value("prefill", std::string("batched"));
    if (prefill != "serial" && prefill != "batched") {
        return makeError(ErrorKind::Usage, "prefill must be \"serial\" or \"batched\"");
    }
    const int decodeSteps = params.value("decode", 0);
    const bool graph = params.value("graph", false);
    const int maxLen = int(in.tokens.size()) + decodeSteps + 2;

    // Runs the whole scenario once; returns decode tokens per second.
    auto scenario = [&](LlamaEngine& engine) -> Expected<double> {
        if (in.options.has(Fault::StalePositionBuf)) {
            PTXWB_CHECK(engine.firstTokenGraphCheck(in.tokens.front()));
            PTXWB_CHECK(engine.resetKv());
        }
        PTXWB_TRY(Logits logits, prefill == "serial" ? engine.prefillSerial(in.tokens)
                                                     : engine.prefillBatched(in.tokens));
        const float* last =
            logits.values.data() + std::size_t(logits.rows - 1) * std::size_t(logits.vocab);
        std::int32_t next = std::int32_t(std::max_element(last, last + logits.vocab) - last);
        auto t = Clock::now();
        for (int step = 0; step < decodeSteps; ++step) {
            if (cancel.cancelled()) return makeError(ErrorKind::Cancelled, "cancelled");
            report(progress, std::uint64_t(step + 1), std::uint64_t(decodeSteps), "decode");
            PTXWB_TRY(Logits out, engine.decode(next, graph));
            next = std::int32_t(std::max_element(out.values.begin(), out.values.end()) -
                                out.values.begin());
        }
        const double seconds = std::chrono::duration<double>(Clock::now() - t).count();
        return decodeSteps > 0 ? decodeSteps / seconds : 0.0;
    };

    report(progress, 0, 1, "loading model and kernels");
    PTXWB_TRY(auto traced, loadEngine(in, maxLen, true));
    PTXWB_TRY(double tracedRate, scenario(*traced->engine));
    json timing{{"cold_start_to_trace_s", msSince(start) / 1000.0},
                {"decode_tokens_per_s_traced", tracedRate}};
    if (params.value("measure_overhead", false) && decodeSteps > 0) {
        // Same scenario without tracing on a fresh engine (kernels already JIT-compiled).
        PTXWB_TRY(auto untraced, loadEngine(in, maxLen, false));
        PTXWB_TRY(double plainRate, scenario(*untraced->engine));
        timing["decode_tokens_per_s_untraced"] = plainRate;
        timing["trace_overhead"] = plainRate > 0 ? plainRate / std::max(tracedRate, 1e-9) : 0.0;
    }
    Trace& trace = traced->engine->trace();
    trace.tokens.assign(in.tokens.begin(), in.tokens.end());
    return json{{"model", in.modelPath},
                {"gpu", traced->context->device().name},
                {"faults", faultList(in.options)},
                {"environment", environmentJson(traced->kernelSet->contentHash())},
                {"timing", timing},
                {"trace_jsonl", traceToJsonl(trace)}};
}

} // namespace ptxwb::engine

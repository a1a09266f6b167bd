#pragma once
// The results a run records, as plain structs. Commands convert their own results into these
// (parity::PairResult -> Check, analysis::Finding -> Finding, engine::Trace -> TraceLaunch ...),
// so the store never depends on the modules that produce them.

#include "store/mismatch_map.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::store {

/// What kind of check produced a result; decides how reports group and explain it.
enum class CheckKind {
    Parity,    ///< batched vs single-vector kernel on identical inputs
    Reference, ///< a kernel against the CPU reference within the op's error bound
    Probe,     ///< dequant probe: weights as the kernel sees them vs CPU dequantization
    Selftest,  ///< built-in self test of the workbench on this machine
    Kv,        ///< KV cache state after serial vs batched prefill
    Static,    ///< static PTX analysis summarised as a pass/fail check
    Trace,     ///< expectations on a recorded launch trace
};
[[nodiscard]] const char* checkKindName(CheckKind kind);
[[nodiscard]] std::optional<CheckKind> parseCheckKind(std::string_view name);

/// Outcome of one check.
enum class CheckStatus {
    Passed,
    Failed,  ///< ran and found a difference beyond its contract
    Error,   ///< could not run to a verdict (GPU fault, JIT failure, timeout)
    Skipped, ///< not applicable on this machine (e.g. unsupported SM architecture)
};
[[nodiscard]] const char* checkStatusName(CheckStatus status);
[[nodiscard]] std::optional<CheckStatus> parseCheckStatus(std::string_view name);
[[nodiscard]] constexpr bool isFailing(CheckStatus s) {
    return s == CheckStatus::Failed || s == CheckStatus::Error;
}

/// One element that broke the contract, with both values so a report can show them.
struct ElementMismatch {
    std::uint32_t row = 0;
    std::uint32_t col = 0;
    ElementCategory category = ElementCategory::Mismatch;
    double expected = 0; ///< reference value (single-vector kernel or CPU oracle)
    double actual = 0;   ///< value under test (batched kernel)
    std::uint32_t ulp = 0;
    friend bool operator==(const ElementMismatch&, const ElementMismatch&) = default;
};

/// One check of a run, e.g. "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096".
struct Check {
    CheckKind kind = CheckKind::Parity;
    std::string name;                 ///< unique per (run, kind); the key for compare and trend
    std::vector<std::string> kernels; ///< kernel names it exercised (keys into Run::kernels)
    CheckStatus status = CheckStatus::Passed;
    CategoryCounts counts;
    std::uint32_t maxUlp = 0;
    double maxRelError = 0;
    std::vector<ElementMismatch> firstMismatches; ///< the first few, in row-major order
    /// Free-form details of the producer (contract, shapes, batch size M, error message, dequant
    /// probe location ...). An object; compared as a whole to detect "evidence changed", except
    /// for the key "timing", which holds measurements (kernel times, seconds) that vary from
    /// run to run without any change in the verdict.
    nlohmann::json evidence = nlohmann::json::object();
    std::optional<MismatchMap> mismatchMap;
};

enum class Severity { Error, Warning, Note };
[[nodiscard]] const char* severityName(Severity severity);
[[nodiscard]] std::optional<Severity> parseSeverity(std::string_view name);

/// A source range related to a finding (e.g. the u32 use that the u64 address conflicts with).
struct RelatedLocation {
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t endLine = 0;   ///< 0: unknown
    std::uint32_t endColumn = 0; ///< 0: unknown
    std::string message;
    friend bool operator==(const RelatedLocation&, const RelatedLocation&) = default;
};

/// A static-analysis finding on PTX (analysis::Finding at the store boundary).
struct Finding {
    std::string ruleId; ///< e.g. "shared-address-u64"
    Severity severity = Severity::Warning;
    std::string kernel;
    std::string file;
    std::uint32_t line = 0;
    std::uint32_t column = 0;
    std::uint32_t endLine = 0;
    std::uint32_t endColumn = 0;
    std::string message;
    std::vector<RelatedLocation> related;
    std::string fixHint;
    friend bool operator==(const Finding&, const Finding&) = default;
};

/// One kernel launch recorded by a layer trace.
struct TraceLaunch {
    std::uint32_t seq = 0; ///< launch order within the run
    int layer = -1;        ///< transformer layer, -1 outside any layer (embedding, lm head)
    std::string op;        ///< op kind from the kernel set: rmsnorm, gemv, rope, kv_scatter ...
    std::string kernel;
    std::string entry; ///< PTX .entry name
    std::array<std::uint32_t, 3> grid{1, 1, 1};
    std::array<std::uint32_t, 3> block{1, 1, 1};
    std::uint32_t sharedBytes = 0;
    std::uint32_t registers = 0;
    nlohmann::json scalarParams = nlohmann::json::object(); ///< position, seq_len, batch size ...
    std::string positionPath; ///< "direct" or "indirect" (read from a device buffer), or ""
    std::optional<std::int64_t> positionValue; ///< the position the kernel actually used
    double durationUs = 0;
    std::string phase;      ///< prefill-serial, prefill-batched, decode, graph-replay ... or ""
    bool fromGraph = false; ///< launched as a node of a CUDA graph (parameters read back from it)
};

/// One row of KV cache validation (serial vs batched prefill, per layer and tensor).
struct KvValidation {
    int layer = 0;
    std::string tensor; ///< "k" or "v"
    CheckStatus status = CheckStatus::Passed;
    std::uint64_t mismatchedElements = 0;
    double maxAbsDiff = 0;
    std::int64_t expectedLength = 0; ///< kv_cache_lengths expected after prefill
    std::int64_t actualLength = 0;
    std::string message; ///< e.g. "all tokens scattered to position 0"
};

/// A kernel of the run and the exact PTX it ran, stored once per content hash.
struct KernelSource {
    std::string name;       ///< kernel name in the kernel set
    std::string entry;      ///< PTX .entry
    std::string sourcePath; ///< path inside the kernel set, for reports
    std::string ptxHash;    ///< SHA-256 hex of the PTX text; computed on insert when empty
    std::string ptxText;    ///< filled on insert; loaded only on request (HistoryStore::ptxText)
};

} // namespace ptxwb::store

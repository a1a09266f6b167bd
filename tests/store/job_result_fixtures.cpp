#include "job_result_fixtures.h"

#include "cuda/device_info.h"
#include "engine/trace.h"
#include "parity/check_result.h"
#include "parity/probe.h"
#include "parity/selftest.h"

#include <bit>
#include <fmt/format.h>

namespace ptxwb::testing {

using nlohmann::json;

namespace {

struct Pair {
    const char* candidate;
    const char* reference;
    const char* op;
    const char* contract;
    const char* shape;
    std::uint32_t cols; ///< output elements per row
};

// Pairs of the built-in set with the shapes `ptxwb parity` runs by default.
constexpr Pair kPairs[] = {
    {"BatchedRmsNormKernel", "RmsNormKernel", "rmsnorm", "bitwise", "D=4096", 4096},
    {"BatchedSwigluKernel", "SwigluKernel", "swiglu", "bitwise", "F=14336", 14336},
    {"BatchedQ4KGemvKernel", "Q4KGemvKernel", "gemv", "bitwise", "K=4096 N=4096", 4096},
    {"BatchedQ6KGemvKernel", "Q6KGemvKernel", "gemv", "bitwise", "K=4096 N=4096", 4096},
};

parity::CheckResult pairResult(const Pair& p, int m, double timingScale) {
    parity::CheckResult r;
    r.candidate = p.candidate;
    r.reference = p.reference;
    r.op = p.op;
    r.contract = p.contract;
    r.shape = p.shape;
    r.m = m;
    r.map = parity::MismatchMap(static_cast<std::uint32_t>(m), p.cols);
    r.counts[static_cast<int>(parity::Category::Identical)] = std::uint64_t(m) * p.cols;
    r.ulpHistogram[0] = std::uint64_t(m) * p.cols;
    r.referenceVsOracle = {0, 0.0625, 1.5e-7, -1};
    r.candidateVsOracle = {0, 0.0625, 1.5e-7, -1};
    r.referenceTiming = {p.reference, 11.5 * timingScale, 4.0 * p.cols * m};
    r.candidateTiming = {p.candidate, 9.25 * timingScale, 4.0 * p.cols * m};
    r.summary = fmt::format("all {} elements bit-identical", std::uint64_t(m) * p.cols);
    r.seconds = 0.0125 * timingScale;
    return r;
}

/// Rows >= 1, quants 8..15 of sub-block 5 of every super-block: the batched kernel read the
/// sub-block scale of row 0.
void breakDequant(parity::CheckResult& r) {
    auto& counts = r.counts;
    counts = {};
    r.ulpHistogram = {};
    r.firstMismatches.clear();
    for (std::uint32_t row = 0; row < r.map.rows(); ++row) {
        for (std::uint32_t col = 0; col < r.map.cols(); ++col) {
            const std::uint32_t inBlock = col % 256;
            const bool bad = row >= 1 && inBlock / 16 == 5 && inBlock % 16 >= 8;
            const std::size_t index = std::size_t(row) * r.map.cols() + col;
            if (!bad) {
                ++counts[static_cast<int>(parity::Category::Identical)];
                continue;
            }
            const std::uint32_t ulps = 1u << (10 + (col / 256) % 6);
            r.map.set(index, parity::Category::Mismatch, ulps);
            ++counts[static_cast<int>(parity::Category::Mismatch)];
            ++r.ulpHistogram[parity::ulpBucket(ulps)];
            r.maxUlp = std::max(r.maxUlp, ulps);
            if (r.firstMismatches.size() < 4) {
                const float reference = 0.125f * static_cast<float>(1 + col % 7);
                const float candidate =
                    std::bit_cast<float>(std::bit_cast<std::uint32_t>(reference) + ulps);
                r.firstMismatches.push_back(
                    {row, col, candidate, reference, std::bit_cast<std::uint32_t>(candidate),
                     std::bit_cast<std::uint32_t>(reference), ulps, parity::Category::Mismatch});
            }
        }
    }
    r.ulpHistogram[0] = counts[0];
    r.maxRelError = 0.4375;
    r.candidateVsOracle = {counts[static_cast<int>(parity::Category::Mismatch)], 5.25e3, 0.4375,
                           4096 + 88};
    r.status = parity::CheckStatus::Fail;
    const auto& first = r.firstMismatches.front();
    r.summary =
        fmt::format("{} bitwise violations of {} elements (max {} ULP; first at row {} col "
                    "{}: {:.9g} (0x{:08x}) vs {:.9g} (0x{:08x}))",
                    counts[2], r.map.rows() * r.map.cols(), r.maxUlp, first.row, first.col,
                    first.candidate, first.candidateBits, first.reference, first.referenceBits);
}

} // namespace

json jobEnvironment(const ParityJobOptions& o) {
    cuda::GpuEnvironment env;
    env.driverVersion = o.driverVersion;
    cuda::DeviceInfo d;
    d.name = o.gpuName;
    d.smMajor = o.smMajor;
    d.smMinor = o.smMinor;
    d.totalMemoryBytes = 85'045'870'592;
    d.multiprocessors = 132;
    env.devices.push_back(d);
    env.nvrtc = cuda::NvrtcInfo{"libnvrtc.so.12", 12, 4, {75, 80, 86, 89, 90}};
    json j = cuda::toJson(env);
    j["kernel_set_hash"] = "4a1f0c2e9b7d3c5a6e8f0a1b2c3d4e5f60718293a4b5c6d7e8f9a0b1c2d3e4f5";
    return j;
}

json parityJobResult(const ParityJobOptions& o) {
    json checks = json::array();
    int passed = 0, failed = 0;
    auto add = [&](const parity::CheckResult& r) {
        (r.status == parity::CheckStatus::Pass ? passed : failed) += 1;
        checks.push_back(parity::toJson(r));
    };
    for (const auto& pair : kPairs) {
        for (int m : {1, 4}) {
            auto r = pairResult(pair, m, o.timingScale);
            if (o.dequantBug && m == 4 && std::string(pair.candidate) == "BatchedQ6KGemvKernel")
                breakDequant(r);
            add(r);
        }
    }
    if (o.withZoo) {
        Pair zoo = kPairs[3];
        zoo.candidate = "ZooBatchedQ6KGemvDequant";
        auto r = pairResult(zoo, 4, o.timingScale);
        breakDequant(r);
        add(r);
    }
    json result;
    result["environment"] = jobEnvironment(o);
    result["seed"] = o.seed;
    result["distribution"] = "normal";
    result["checks"] = checks;
    result["totals"] = {
        {"planned", checks.size()}, {"passed", passed}, {"failed", failed}, {"errors", 0}};
    return result;
}

json probeJobResult(bool failing) {
    parity::ProbeResult r;
    r.kernel = "BatchedQ6KGemvKernel";
    r.format = "Q6_K";
    r.n = 64;
    r.k = 1024;
    r.blockValues = 256;
    r.subBlockValues = 16;
    r.elements = 64 * 1024;
    r.bySuperBlock.assign(4, 0);
    r.bySubBlock.assign(16, 0);
    r.byPosition.assign(256, 0);
    if (failing) {
        for (int q = 88; q < 96; ++q)
            r.byPosition[q] = 63 * 4;
        r.bySubBlock[5] = 63 * 4 * 8;
        for (auto& s : r.bySuperBlock)
            s = 63 * 8;
        r.mismatches = 63 * 4 * 8;
        r.samples = {{1, 88, 0.0625f, 0.03125f}, {1, 89, -0.25f, -0.125f}};
    }
    r.seconds = 0.4;
    json j = parity::toJson(r);
    j["environment"] = jobEnvironment({});
    return j;
}

json selftestJobResult(bool goodKernelFails) {
    std::vector<parity::StaticCheckRow> rows = {
        {"manifest", "kernelset.json", "ok", "38 kernels"},
        {"nvrtc-compile", "rmsnorm.cu", "ok", "sm_80, sm_90"},
        {"zoo-designation", "ZooBatchedRmsNormSharedU64", "pending", "needs the PTX analyzer"},
    };
    json out;
    out["static"] = parity::toJson(rows);
    out["totals"] = {{"static_failures", 0}, {"pending", 1}};
    out["environment"] = jobEnvironment({});
    out["zoo"] = json::array(
        {json{{"mutant", "ZooBatchedQ6KGemvDequant"},
              {"expected_check", "parity:mismatch"},
              {"bug", "sub-block scale of row 0 for every row"},
              {"caught", "yes"},
              {"evidence", "1536 bitwise violations of 16384 elements"},
              {"seconds", 0.31}},
         json{{"mutant", "ZooBatchedRmsNormSharedU64"},
              {"expected_check", "static:shared-address-u64"},
              {"bug", "u64 shared-memory addresses"},
              {"caught", "pending"},
              {"evidence", "needs the PTX analyzer; parity: all 16384 elements bit-identical"},
              {"seconds", 0.12}}});
    out["good"] = json::array(
        {json{{"kernel", "BatchedRmsNormKernel"},
              {"pairs_with", "RmsNormKernel"},
              {"status", "pass"},
              {"evidence", "all 12288 elements bit-identical"},
              {"seconds", 0.05}},
         json{{"kernel", "BatchedQ4KGemvKernel"},
              {"pairs_with", "Q4KGemvKernel"},
              {"status", goodKernelFails ? "FAIL" : "pass"},
              {"evidence", goodKernelFails ? "M=3: 12 bitwise violations of 12288 elements"
                                           : "all 12288 elements bit-identical; probe exact"},
              {"seconds", 0.2}}});
    out["totals"]["escaped"] = 0;
    out["totals"]["good_failed"] = goodKernelFails ? 1 : 0;
    out["seconds"] = 1.5;
    return out;
}

json traceJobResult() {
    engine::Trace trace;
    trace.model = "models/tiny-llama-q8_0.gguf";
    trace.kernelSet = "builtin-llama";
    trace.tokens = {1, 15043, 3186};
    engine::TraceLaunch rope;
    rope.seq = 7;
    rope.phase = "prefill-batched";
    rope.layer = 0;
    rope.op = "rope_q";
    rope.kernel = "BatchedRopeKernel";
    rope.entry = "rope_batched";
    rope.module = "rope.cu";
    rope.grid = {3, 32, 1};
    rope.block = {64, 1, 1};
    rope.registers = 24;
    rope.durationUs = 2.5;
    rope.positionPath = engine::PositionPath::Batched;
    rope.params = {{"x", "input", true, "", "q", 0}, {"m", "dim:M", false, "3", "", 0}};
    engine::TraceLaunch scatter;
    scatter.seq = 8;
    scatter.phase = "prefill-batched";
    scatter.layer = 0;
    scatter.op = "kv_scatter";
    scatter.kernel = "KvScatterIndirectKernel";
    scatter.entry = "kv_scatter_indirect";
    scatter.module = "kv_scatter.cu";
    scatter.grid = {1, 8, 1};
    scatter.block = {128, 1, 1};
    scatter.registers = 16;
    scatter.positionPath = engine::PositionPath::Indirect;
    scatter.positionValue = 0;
    scatter.positionsWritten = {0, 0, 0};
    scatter.params = {{"pos_buf", "position_buf", true, "", "position_buf", 0}};
    trace.launches = {rope, scatter};
    return {{"gpu", "NVIDIA H100 80GB HBM3"},
            {"environment", jobEnvironment({})},
            {"timing", {{"cold_start_to_trace_s", 2.5}}},
            {"trace_jsonl", engine::traceToJsonl(trace)}};
}

} // namespace ptxwb::testing

#include "fixture_runs.h"

#include "util/sha256.h"

#include <array>
#include <fmt/format.h>

namespace ptxwb::store::fixtures {

namespace {

struct Pair {
    const char* batched;
    const char* single;
    const char* op;
    const char* shape;
    std::uint32_t cols;
};

constexpr std::array<Pair, 6> kPairs{{
    {"BatchedVectorizedRmsNormKernel", "VectorizedRmsNormKernel", "rmsnorm", "4096", 4096},
    {"BatchedQ4KGemvKernel", "Q4KGemvKernel", "gemv_q4k", "4096x4096", 4096},
    {"BatchedQ6KGemvKernel", "Q6KGemvKernel", "gemv_q6k", "4096x4096", 4096},
    {"BatchedResidualAddKernel", "ResidualAddKernel", "residual_add", "4096", 4096},
    {"BatchedRopeKernel", "RopeKernel", "rope", "32x128", 4096},
    {"BatchedSwigluKernel", "SwigluKernel", "swiglu", "14336", 14336},
}};

std::string uuidForSeed(std::uint64_t seed, int salt) {
    std::string h = Sha256::hex(fmt::format("fixture-run-{}-{}", seed, salt));
    return fmt::format("{}-{}-4{}-8{}-{}", h.substr(0, 8), h.substr(8, 4), h.substr(13, 3),
                       h.substr(17, 3), h.substr(20, 12));
}

/// The three dequant errors of the original report, as they show in a 4 x 4096 parity map: row
/// 0 (M=1 path) agrees, rows 1..3 go wrong in sub-block 5 of every super-block, one NaN, and
/// the last 6 outputs of row 3 are never written.
MismatchMap dequantBugParityMap() {
    MismatchMap map(4, 4096);
    for (std::uint32_t r = 1; r < 4; ++r) {
        for (std::uint32_t c = 0; c < 4096; ++c) {
            if ((c / 16) % 16 == 5) {
                map.set(r, c, ElementCategory::Mismatch, 1u << (12 + r * 3 + c % 5));
            } else if (c % 97 == 0) {
                map.set(r, c, ElementCategory::WithinContract, 1 + c % 2);
            }
        }
    }
    map.set(2, 1000, ElementCategory::NanInf, 0xffffffffu);
    for (std::uint32_t c = 4090; c < 4096; ++c)
        map.set(3, c, ElementCategory::Unwritten, 0);
    return map;
}

/// Dequant probe: the weights as the kernel sees them, 256 rows x 4096 (Q6_K layout); quants
/// 8..15 of sub-block 5 wrong in every super-block.
MismatchMap dequantBugProbeMap() {
    MismatchMap map(256, 4096);
    map.probeLayout = ProbeLayout{"Q6_K", 256, 16};
    for (std::uint32_t r = 0; r < 256; ++r) {
        for (std::uint32_t c = 0; c < 4096; ++c) {
            auto pos = map.probeLayout->locate(c);
            if (pos.subBlock == 5 && pos.quant >= 8) {
                map.set(r, c, ElementCategory::Mismatch, 1u << (8 + (r + c) % 16));
            }
        }
    }
    return map;
}

Check parityCheck(const Pair& pair, std::uint32_t m, bool failing) {
    Check c;
    c.kind = CheckKind::Parity;
    c.name = fmt::format("{} vs {} M={} {}", pair.batched, pair.single, m, pair.shape);
    c.kernels = {pair.batched, pair.single};
    c.evidence = {{"contract", "bitwise"}, {"m", m}, {"op", pair.op}, {"shape", pair.shape}};
    if (failing) {
        c.mismatchMap = dequantBugParityMap();
        c.status = CheckStatus::Failed;
        c.counts = c.mismatchMap->counts();
        c.maxUlp = c.mismatchMap->maxUlp();
        c.maxRelError = 0.4375;
        c.firstMismatches = {{1, 80, ElementCategory::Mismatch, 0.125, 0.0625, 4096},
                             {1, 81, ElementCategory::Mismatch, -0.5, -0.25, 8192}};
        c.evidence["diagnosis"] = "sub-block 5 of every super-block: scale read from the wrong "
                                  "row for rows >= 1";
    } else {
        c.counts[ElementCategory::Identical] = std::uint64_t{m} * pair.cols;
    }
    return c;
}

} // namespace

std::string fixturePtx(const std::string& kernel, int variant) {
    return fmt::format(".version 8.4\n.target sm_90\n.address_size 64\n\n"
                       "// fixture variant {}\n.visible .entry {}(\n    .param .u64 out\n)\n{{\n"
                       "    ret;\n}}\n",
                       variant, kernel);
}

Run makeParityRun(const ParityRunOptions& o) {
    Run run;
    run.uuid = o.uuid.empty() ? uuidForSeed(o.seed, o.withDequantBug ? 1 : 0) : o.uuid;
    run.command = "parity";
    run.commandLine = {"ptxwb",   "parity", "--kernel-set",
                       "builtin", "--seed", std::to_string(o.seed),
                       "--m",     "1,4"};
    run.startedUnixMs = o.startedUnixMs;
    run.endedUnixMs = o.startedUnixMs + 5230;
    Environment& e = run.environment;
    e.host = "gpu-node-07";
    e.gpuName = o.gpuName;
    e.gpuUuid = "GPU-5b1c0d3e-9f1a-4c2b-8e7d-0a1b2c3d4e5f";
    e.smArch = o.smArch;
    e.driverVersion = o.driverVersion;
    e.toolkitVersion = "12.4";
    e.ptxwbVersion = "0.1.0";
    e.gitRevision = "959a045";
    e.kernelSetName = "builtin";
    e.modelName = "llama-3.2-1b-q6_k.gguf";
    e.modelHash = Sha256::hex("fixture model");
    e.seed = o.seed;
    run.labels = {{"ci.job", "parity-matrix"}, {"node", "gpu-node-07"}};

    Sha256 setHash;
    for (const auto& pair : kPairs) {
        for (const char* name : {pair.batched, pair.single}) {
            // The buggy build carries a different BatchedQ6KGemvKernel: the kernel-source
            // difference a comparison should point at.
            int variant = (o.withDequantBug && std::string(name) == "BatchedQ6KGemvKernel") ? 1 : 0;
            KernelSource k;
            k.name = name;
            k.entry = name;
            k.sourcePath = fmt::format("kernels/{}.ptx", name);
            k.ptxText = fixturePtx(name, variant);
            setHash.update(k.ptxText);
            k.ptxHash = Sha256::hex(k.ptxText);
            run.kernels.push_back(std::move(k));
        }
    }
    e.kernelSetHash = setHash.finishHex();

    for (const auto& pair : kPairs) {
        for (std::uint32_t m : {1u, 4u}) {
            bool failing = o.withDequantBug && m == 4 && std::string(pair.op) == "gemv_q6k";
            run.checks.push_back(parityCheck(pair, m, failing));
        }
    }
    if (o.withDequantBug) {
        Check probe;
        probe.kind = CheckKind::Probe;
        probe.name = "BatchedQ6KGemvKernel dequant probe 256x4096";
        probe.kernels = {"BatchedQ6KGemvKernel"};
        probe.mismatchMap = dequantBugProbeMap();
        probe.status = CheckStatus::Failed;
        probe.counts = probe.mismatchMap->counts();
        probe.maxUlp = probe.mismatchMap->maxUlp();
        probe.maxRelError = 1.0;
        probe.firstMismatches = {{0, 88, ElementCategory::Mismatch, 0.03125, -0.03125, 256}};
        probe.evidence = {{"quantFormat", "Q6_K"},
                          {"location", "super-block *, sub-block 5, quants 8..15"}};
        run.checks.push_back(std::move(probe));
    }
    if (o.withLargeMap) {
        Check big;
        big.kind = CheckKind::Parity;
        big.name = "BatchedSwigluKernel vs SwigluKernel M=512 14336";
        big.kernels = {"BatchedSwigluKernel", "SwigluKernel"};
        big.mismatchMap = MismatchMap(512, 14336);
        big.mismatchMap->set(300, 9000, ElementCategory::Overrun, 0);
        big.status = CheckStatus::Failed;
        big.counts = big.mismatchMap->counts();
        big.evidence = {{"contract", "bitwise"}, {"guard", "1 guard word written after row 300"}};
        run.checks.push_back(std::move(big));
    }

    Finding f;
    f.ruleId = "shared-address-u64";
    f.severity = Severity::Warning;
    f.kernel = "BatchedVectorizedRmsNormKernel";
    f.file = "kernels/BatchedVectorizedRmsNormKernel.ptx";
    f.line = 41;
    f.column = 5;
    f.endLine = 41;
    f.endColumn = 38;
    f.message = "shared memory address held in a 64-bit register (%rd12); the single-vector "
                "kernel uses 32-bit (%r7)";
    f.related = {{"kernels/VectorizedRmsNormKernel.ptx", 37, 5, 37, 35,
                  "32-bit shared address in the single-vector kernel"}};
    f.fixHint = "cvta.to.shared.u32 and use a %r register for ld.shared/st.shared";
    run.findings.push_back(f);

    for (std::uint32_t i = 0; i < 4; ++i) {
        TraceLaunch t;
        t.seq = i;
        t.layer = static_cast<int>(i / 2);
        t.op = i % 2 == 0 ? "rmsnorm" : "kv_scatter";
        t.kernel = i % 2 == 0 ? "BatchedVectorizedRmsNormKernel" : "KvScatterKernel";
        t.entry = t.kernel;
        t.grid = {4, 1, 1};
        t.block = {256, 1, 1};
        t.sharedBytes = 1024;
        t.registers = 32;
        t.scalarParams = {{"seq_len", 7}, {"batch", 4}};
        t.positionPath = i % 2 == 0 ? "" : "indirect";
        if (i % 2 == 1) t.positionValue = o.withDequantBug ? 0 : 7;
        t.durationUs = 12.5 + i;
        t.phase = i < 2 ? "prefill-batched" : "graph-replay";
        t.fromGraph = i >= 2;
        run.traceLaunches.push_back(std::move(t));
    }
    for (int layer = 0; layer < 2; ++layer) {
        for (const char* tensor : {"k", "v"}) {
            KvValidation kv;
            kv.layer = layer;
            kv.tensor = tensor;
            kv.expectedLength = 7;
            kv.actualLength = 7;
            run.kvValidations.push_back(kv);
        }
    }

    const bool failed = o.withDequantBug || o.withLargeMap;
    run.status = failed ? RunStatus::Failed : RunStatus::Passed;
    if (failed) {
        std::size_t n = 0;
        for (const auto& c : run.checks)
            n += isFailing(c.status) ? 1 : 0;
        run.statusReason = fmt::format("{} of {} checks failed", n, run.checks.size());
    }
    return run;
}

Run makeHostileNamesRun() {
    Run run;
    run.uuid = uuidForSeed(666, 2);
    run.command = "parity";
    run.commandLine = {"ptxwb", "parity", "--kernel-set", "evil dir/<b>set</b>", "--seed", "3"};
    run.startedUnixMs = 1764003600000;
    run.endedUnixMs = 1764003601000;
    run.status = RunStatus::Failed;
    run.statusReason = "1 of 1 checks failed: <img src=x onerror=alert(2)>";
    run.environment.gpuName = "GPU \"quoted\" & <b>bold</b>";
    run.environment.smArch = "sm_89";
    run.environment.driverVersion = "555.42.02";
    run.environment.kernelSetName = "<script>alert(1)</script>";
    const std::string evil = "<script>alert(1)</script>";
    KernelSource k;
    k.name = evil;
    k.entry = "evil_entry";
    k.sourcePath = "kernels/evil.ptx";
    k.ptxText = fixturePtx("evil_entry", 7);
    run.kernels.push_back(k);
    Check c;
    c.kind = CheckKind::Parity;
    c.name = evil + " vs | pipe `tick` *star* M=4";
    c.kernels = {evil};
    c.status = CheckStatus::Failed;
    c.mismatchMap = MismatchMap(4, 64);
    c.mismatchMap->set(1, 7, ElementCategory::Mismatch, 3);
    c.counts = c.mismatchMap->counts();
    c.maxUlp = 3;
    c.firstMismatches = {{1, 7, ElementCategory::Mismatch, 1.0, 1.0000004, 3}};
    c.evidence = {{"note", "</pre><script>alert(3)</script>"}};
    run.checks.push_back(std::move(c));
    Finding f;
    f.ruleId = "rule<x>";
    f.severity = Severity::Error;
    f.kernel = evil;
    f.file = "kernels/evil.ptx";
    f.line = 3;
    f.column = 1;
    f.message = "message with <tags> & \"quotes\" and ]]> CDATA end";
    run.findings.push_back(std::move(f));
    return run;
}

} // namespace ptxwb::store::fixtures

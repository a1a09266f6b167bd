#pragma once
// A recorded trace run for the Trace view tests, written with core/store's writer: an embedding
// launch, two layers (attn_norm batched, rope_q direct, kv_scatter indirect reading position 0),
// the output head, and the PTX of the batched RMSNorm kernel (tests/views/data/rmsnorm_pair.ptx,
// whose `.entry batched_rmsnorm_f32` is on line 67).

#include "store/history_store.h"

#include <QFile>
#include <QString>

namespace ptxwb::testing {

inline store::TraceLaunch traceLaunch(std::uint32_t seq, int layer, const char* op,
                                      const char* kernel, const char* entry,
                                      const char* path = "none") {
    store::TraceLaunch l;
    l.seq = seq;
    l.layer = layer;
    l.op = op;
    l.kernel = kernel;
    l.entry = entry;
    l.grid = {32, 4, 1};
    l.block = {128, 1, 1};
    l.sharedBytes = 512;
    l.registers = 40;
    l.positionPath = path;
    l.durationUs = 2.5;
    return l;
}

/// The trace run (uuid fixed so tests can name prefixes).
inline store::Run traceFixtureRun() {
    store::Run run;
    run.uuid = "5e1f0c2a-7b3d-4c8e-9a10-2b3c4d5e6f70";
    run.command = "trace";
    run.commandLine = {"ptxwb", "trace", "--model", "tiny-llama.gguf"};
    run.startedUnixMs = 1'780'000'000'000;
    run.endedUnixMs = run.startedUnixMs + 4000;
    run.environment.modelName = "tiny-llama.gguf";
    run.environment.gpuName = "NVIDIA H100 80GB HBM3";
    run.environment.smArch = "sm_90";
    run.labels["prefill"] = "batched";
    std::uint32_t seq = 0;
    run.traceLaunches.push_back(traceLaunch(seq++, -1, "embedding", "EmbedF16", "embed_f16"));
    for (int layer = 0; layer < 2; ++layer) {
        auto norm = traceLaunch(seq++, layer, "attn_norm", "RmsNormF32 Batched",
                                "batched_rmsnorm_f32", "none");
        norm.scalarParams = {{"M", 4}, {"eps", "1e-05"}};
        run.traceLaunches.push_back(norm);
        auto rope = traceLaunch(seq++, layer, "rope_q", "RopeNeox", "rope_neox", "direct");
        rope.scalarParams = {{"pos", 3}};
        run.traceLaunches.push_back(rope);
        auto scatter = traceLaunch(seq++, layer, "kv_scatter", "KvScatterIndirect",
                                   "kv_scatter_indirect", "indirect");
        scatter.positionValue = 0;
        scatter.scalarParams = {{"position_buf", "-> position_buf+0"}};
        run.traceLaunches.push_back(scatter);
        auto rows = traceLaunch(seq++, layer, "rope_k", "RopeBatched", "rope_batched", "batched");
        rows.scalarParams = {{"M", 4}};
        run.traceLaunches.push_back(rows);
    }
    run.traceLaunches.push_back(traceLaunch(seq++, -1, "output", "GemvQ6K", "gemv_q6k"));
    QFile ptx(QStringLiteral(PTXWB_VIEWS_TEST_DATA "/rmsnorm_pair.ptx"));
    if (ptx.open(QIODevice::ReadOnly))
        run.kernels.push_back({"RmsNormF32 Batched", "batched_rmsnorm_f32", "rmsnorm_pair.ptx", "",
                               ptx.readAll().toStdString()});
    return run;
}

/// An analyze run: no launches.
inline store::Run analyzeFixtureRun() {
    store::Run run;
    run.uuid = "a11a1a1a-0000-4000-8000-000000000001";
    run.command = "analyze";
    run.startedUnixMs = 1'780'000'100'000;
    run.endedUnixMs = run.startedUnixMs + 100;
    return run;
}

/// Writes both runs into a new history at `path`; returns an error message ("" on success).
inline QString writeTraceFixture(const QString& path) {
    auto history = store::HistoryStore::open(path.toStdString());
    if (!history) return QString::fromStdString(history.error().format());
    for (const store::Run& run : {traceFixtureRun(), analyzeFixtureRun()})
        if (auto st = history->insertRun(run); !st)
            return QString::fromStdString(st.error().format());
    return {};
}

} // namespace ptxwb::testing

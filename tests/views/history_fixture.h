#pragma once
// A run-history database for the history, results and export tests, written with core/store's
// writer from the store fixtures (tests/store/fixture_runs.h):
//   passing  seed 1, NVIDIA H100, sm_90, driver 550.54.15                       (T)
//   failing  seed 2 with the Q6_K dequant bug, H100, sm_90, driver 555.42.02    (T + 1 h)
//   l40s     seed 3 with the bug, NVIDIA L40S, sm_89, driver 550.54.15          (T + 2 h)
//   hostile  markup in every name, sm_89, driver 555.42.02                      (T + 1 h)
// BatchedQ6KGemvKernel's PTX differs by one instruction between the passing run and the bug
// runs (q6kPtx), so a comparison has a real PTX diff to show.
// The failing check of the bug runs is kFailingCheck: a 4 x 4096 map, rows 1..3 wrong in
// sub-block 5 (columns 80..95 of every 256) of every super-block.

#include "fixture_runs.h"
#include "store/history_store.h"
#include "util/sha256.h"

#include <QString>
#include <string>

namespace ptxwb::testing {

inline constexpr const char* kFailingCheck = "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096";
inline constexpr std::int64_t kFixtureStartMs = 1764000000000;
inline constexpr std::int64_t kHourMs = 3600 * 1000;

/// BatchedQ6KGemvKernel's PTX: the buggy build steps its output pointer by 64 bytes, not 32.
inline std::string q6kPtx(bool buggy) {
    std::string text = store::fixtures::fixturePtx("BatchedQ6KGemvKernel", buggy ? 1 : 0);
    const std::string body = std::string("    .reg .b64 %rd<3>;\n    ld.param.u64 %rd1, [out];\n"
                                         "    add.s64 %rd2, %rd1, ") +
                             (buggy ? "64" : "32") + ";\n    ret;\n";
    const std::string ret = "    ret;\n";
    text.replace(text.find(ret), ret.size(), body);
    return text;
}

/// The run with BatchedQ6KGemvKernel's PTX replaced by q6kPtx(its bug flag).
inline store::Run withQ6kPtx(store::Run run, bool buggy) {
    for (auto& k : run.kernels) {
        if (k.name != "BatchedQ6KGemvKernel") continue;
        k.ptxText = q6kPtx(buggy);
        k.ptxHash = Sha256::hex(k.ptxText);
    }
    return run;
}

struct HistoryFixture {
    std::string passing, failing, l40s, hostile; ///< run UUIDs
};

/// Writes the four runs into a new history at `path`; empty uuids on failure (and `error`).
inline HistoryFixture writeHistoryFixture(const QString& path, QString* error = nullptr) {
    auto history = store::HistoryStore::open(path.toStdString());
    if (!history) {
        if (error) *error = QString::fromStdString(history.error().format());
        return {};
    }
    namespace fx = store::fixtures;
    fx::ParityRunOptions passing;
    passing.seed = 1;
    fx::ParityRunOptions failing;
    failing.seed = 2;
    failing.withDequantBug = true;
    failing.driverVersion = "555.42.02";
    failing.startedUnixMs = kFixtureStartMs + kHourMs;
    fx::ParityRunOptions l40s;
    l40s.seed = 3;
    l40s.withDequantBug = true;
    l40s.gpuName = "NVIDIA L40S";
    l40s.smArch = "sm_89";
    l40s.startedUnixMs = kFixtureStartMs + 2 * kHourMs;
    const std::vector<store::Run> runs{
        withQ6kPtx(fx::makeParityRun(passing), false), withQ6kPtx(fx::makeParityRun(failing), true),
        withQ6kPtx(fx::makeParityRun(l40s), true), fx::makeHostileNamesRun()};
    for (const store::Run& run : runs) {
        if (auto inserted = history->insertRun(run); !inserted) {
            if (error) *error = QString::fromStdString(inserted.error().format());
            return {};
        }
    }
    return {runs[0].uuid, runs[1].uuid, runs[2].uuid, runs[3].uuid};
}

} // namespace ptxwb::testing

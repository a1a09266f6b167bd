#pragma once
// A history with KV validation runs recorded the way `ptxwb qa --validate-kv-cache` records
// them, from caches the CPU reference forward computed (tests/engine/kv_reference_caches.h):
// the stale-position_buf run (every token scattered to position 0) and a clean run, plus a
// parity-like run that has no KV maps.

#include "engine/kv_head_maps.h"
#include "engine/kv_validation.h"
#include "kv_reference_caches.h"
#include "record/job_results.h"
#include "record/kv_results.h"
#include "store/history_store.h"

#include <string>

namespace ptxwb::testing {

inline constexpr int kKvFixtureTokens = 6;

struct KvFixtureHistory {
    std::string path;
    std::string staleUuid;
    std::string cleanUuid;
    std::string otherUuid;
    engine::test::ReferenceKvCaches caches;
};

/// One recorded validation: the summary check and rows as cmd_qa writes them, the head
/// checks, and the launches.
inline store::Run kvFixtureRun(const engine::KvCacheSnapshot& serial,
                               const engine::KvCacheSnapshot& batched,
                               const std::vector<engine::TraceLaunch>& launches) {
    engine::KvValidationInput in{&serial, &batched, kKvFixtureTokens};
    in.launches = launches;
    const auto maps = engine::compareKvHeads(in);
    const auto report = engine::validateKvCaches(in, maps);
    store::Run run;
    run.uuid = store::newRunUuid();
    run.command = "qa";
    run.environment.modelName = "tiny-q8_0.gguf";
    store::Check summary;
    summary.kind = store::CheckKind::Kv;
    summary.name = "kv-cache serial vs batched prefill, 6 tokens";
    summary.status = report.passed ? store::CheckStatus::Passed : store::CheckStatus::Failed;
    summary.evidence = {{"problems", report.problems}, {"passes", report.passes}};
    run.checks.push_back(summary);
    record::addKvHeadChecks(run, maps, kKvFixtureTokens);
    for (const auto& l : launches)
        run.traceLaunches.push_back(record::toStoreLaunch(l));
    run.status = report.passed ? store::RunStatus::Passed : store::RunStatus::Failed;
    return run;
}

/// Writes the fixture history at `path` (which must not exist).
inline KvFixtureHistory writeKvFixtureHistory(const std::string& path) {
    KvFixtureHistory h;
    h.path = path;
    h.caches = engine::test::referenceKvCaches(kKvFixtureTokens);
    auto history = store::HistoryStore::open(path);
    if (!history) throw std::runtime_error(history.error().format());
    const auto& c = h.caches;
    store::Run stale = kvFixtureRun(c.serial, c.staleBatched, c.staleLaunches);
    store::Run clean = kvFixtureRun(c.serial, c.cleanBatched, c.cleanLaunches);
    store::Run other;
    other.uuid = store::newRunUuid();
    other.command = "parity";
    for (const store::Run* run : {&stale, &clean, &other}) {
        if (auto st = history->insertRun(*run); !st) throw std::runtime_error(st.error().format());
    }
    h.staleUuid = stale.uuid;
    h.cleanUuid = clean.uuid;
    h.otherUuid = other.uuid;
    return h;
}

} // namespace ptxwb::testing

// KV head maps -> store checks (shapes in kv_results.h).
#include "record/kv_results.h"

#include <bit>
#include <fmt/format.h>

namespace ptxwb::record {

using nlohmann::json;

namespace {

store::ElementCategory categoryOf(engine::KvElementState state) {
    switch (state) {
    case engine::KvElementState::Identical:
        return store::ElementCategory::Identical;
    case engine::KvElementState::WithinTolerance:
        return store::ElementCategory::WithinContract;
    case engine::KvElementState::Mismatch:
        return store::ElementCategory::Mismatch;
    case engine::KvElementState::NanMismatch:
        return store::ElementCategory::NanInf;
    case engine::KvElementState::Unwritten:
        return store::ElementCategory::Unwritten;
    case engine::KvElementState::WrittenBeyond:
        return store::ElementCategory::Overrun;
    }
    return store::ElementCategory::Mismatch;
}

store::MismatchMap mapOf(const engine::KvHeadMap& m) {
    store::MismatchMap map(std::uint32_t(m.positions), std::uint32_t(m.headDim));
    for (int pos = 0; pos < m.positions; ++pos) {
        for (int d = 0; d < m.headDim; ++d) {
            const std::size_t i = std::size_t(pos) * std::size_t(m.headDim) + std::size_t(d);
            map.set(std::uint32_t(pos), std::uint32_t(d), categoryOf(m.states[i]), m.ulps[i]);
        }
    }
    return map;
}

json countsJson(const std::map<int, int>& counts) {
    json j = json::object();
    for (const auto& [pos, n] : counts)
        j[std::to_string(pos)] = n;
    return j;
}

json writersJson(const engine::KvHeadMap& m) {
    json writers = json::object();
    for (const auto& [pos, seqs] : m.writers)
        writers[std::to_string(pos)] = seqs;
    return writers;
}

} // namespace

std::string kvHeadCheckName(int layer, engine::KvTensor tensor, int head) {
    return fmt::format("kv-cache layer {} {} head {}", layer, engine::kvTensorName(tensor), head);
}

store::Check kvHeadCheck(const engine::KvHeadMap& m, int tokens) {
    store::Check check;
    check.kind = store::CheckKind::Kv;
    check.name = kvHeadCheckName(m.layer, m.tensor, m.head);
    check.status = m.failing() ? store::CheckStatus::Failed : store::CheckStatus::Passed;
    store::MismatchMap map = mapOf(m);
    check.counts = map.counts();
    check.maxUlp = map.maxUlp();
    check.maxRelError = m.maxAbsDifference; // as the summary check: KV compares absolutely
    for (const auto& s : m.samples) {
        store::ElementMismatch e;
        e.row = std::uint32_t(s.position);
        e.col = std::uint32_t(s.dim);
        e.category = map.category(e.row, e.col);
        e.expected = double(std::bit_cast<float>(s.serialBits));
        e.actual = double(std::bit_cast<float>(s.batchedBits));
        e.ulp = map.ulp(e.row, e.col);
        check.firstMismatches.push_back(e);
    }
    check.evidence = {{"layer", m.layer},
                      {"tensor", engine::kvTensorName(m.tensor)},
                      {"head", m.head},
                      {"tokens", tokens},
                      {"positions", m.positions},
                      {"head_dim", m.headDim},
                      {"never_written", m.neverWritten},
                      {"serial_never_written", m.serialNeverWritten},
                      {"written_beyond", m.writtenBeyond},
                      {"written_twice", m.writtenTwice},
                      {"write_counts", countsJson(m.writeCounts)},
                      {"mismatched_positions", m.mismatched},
                      {"writers", writersJson(m)},
                      {"max_abs_difference", m.maxAbsDifference}};
    check.mismatchMap = std::move(map);
    return check;
}

void addKvHeadChecks(store::Run& run, const std::vector<engine::KvHeadMap>& maps, int tokens) {
    for (const auto& m : maps)
        run.checks.push_back(kvHeadCheck(m, tokens));
}

Status addKvHeadChecks(store::Run& run, const json& result) {
    if (!result.is_object() || !result.contains("kv_head_maps")) return {};
    const json& maps = result["kv_head_maps"];
    PTXWB_TRY(auto heads, engine::kvHeadMapsFromJson(maps, "kv-cache result (kv_head_maps)"));
    const int tokens = maps.value("tokens", 0);
    addKvHeadChecks(run, heads, tokens);
    return {};
}

} // namespace ptxwb::record

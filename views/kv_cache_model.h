#pragma once
// The data behind the KV-cache view, Qt-free: a recorded `ptxwb qa --validate-kv-cache` run
// read back from the history. Its per-head checks (core/record/kv_results.h: one Kv check per
// (layer, K/V, KV head) with a positions x head_dim map and evidence) are indexed by layer,
// tensor and head; the batched prefill's trace launches by seq, so the launches that wrote a
// position are a lookup away. Maps are decoded when a head is shown.

#include "store/history_store.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ptxwb::views {

/// Marks of one position (row) of a head, as the view's row margin draws them.
enum KvRowMark : unsigned {
    kRowNeverWritten = 1u << 0,    ///< a prompt position batched prefill never wrote
    kRowWrittenTwice = 1u << 1,    ///< a scatter op wrote it more than once
    kRowWrittenBeyond = 1u << 2,   ///< past the prompt, but written
    kRowMismatched = 1u << 3,      ///< written, with values that differ from serial prefill
    kRowSerialUnwritten = 1u << 4, ///< serial prefill (the reference) left it unwritten
};

/// One (layer, tensor, head) check of the run.
struct KvHeadEntry {
    int layer = 0;
    std::string tensor; ///< "k" or "v"
    int head = 0;
    std::string checkName;
    store::CheckStatus status = store::CheckStatus::Passed;
    int tokens = 0;
    int positions = 0; ///< map rows
    int headDim = 0;   ///< map columns
    store::CategoryCounts counts;
    std::vector<int> neverWritten;
    std::vector<int> serialNeverWritten;
    std::vector<int> writtenBeyond;
    std::vector<int> writtenTwice;
    std::map<int, int> writeCounts; ///< writtenTwice -> times written
    std::vector<int> mismatched;
    std::map<int, std::vector<std::uint32_t>> writers; ///< position -> launch seqs
    std::vector<store::ElementMismatch> firstMismatches;
};

class KvCacheModel {
public:
    /// Reads run `runUuid` (a full UUID, a unique prefix or "latest") without its maps. A run
    /// without per-head KV checks (another command, or recorded before ptxwb kept the maps) is
    /// a Usage error that says so; malformed evidence is a BadInput error naming the check.
    static Expected<KvCacheModel> load(store::HistoryStore& history, const std::string& runUuid);

    [[nodiscard]] const std::string& runUuid() const { return run_.uuid; }
    [[nodiscard]] const store::Run& run() const { return run_; }
    /// Sentences of the run's summary check (what `ptxwb qa` printed as FAIL lines).
    [[nodiscard]] const std::vector<std::string>& problems() const { return problems_; }

    [[nodiscard]] std::vector<int> layers() const;
    [[nodiscard]] std::vector<int> heads() const;
    [[nodiscard]] const std::vector<KvHeadEntry>& entries() const { return entries_; }
    /// The entry of (layer, "k"/"v", head), or nullptr.
    [[nodiscard]] const KvHeadEntry* find(int layer, const std::string& tensor, int head) const;

    /// The head's map, decoded from the store.
    Expected<store::MismatchMap> loadMap(store::HistoryStore& history,
                                         const KvHeadEntry& entry) const;

    /// The recorded launch with this seq, or nullptr.
    [[nodiscard]] const store::TraceLaunch* launch(std::uint32_t seq) const;
    /// The recorded launches that wrote `position` of the head, in seq order (a seq the trace
    /// lacks is skipped; writersOf(...).size() <= entry.writers[position].size()).
    [[nodiscard]] std::vector<const store::TraceLaunch*> writersOf(const KvHeadEntry& entry,
                                                                   int position) const;
    /// KvRowMark bits of `position`.
    [[nodiscard]] static unsigned rowMarks(const KvHeadEntry& entry, int position);

private:
    store::Run run_;
    std::vector<std::string> problems_;
    std::vector<KvHeadEntry> entries_;
    std::map<std::uint32_t, std::size_t> launchBySeq_;
};

/// "kv_scatter_k · KvScatterIndirectKernel (kv_scatter_indirect)".
[[nodiscard]] std::string describeLaunchKernel(const store::TraceLaunch& launch);
/// "grid (1, 1, 1) · block (64, 1, 1)".
[[nodiscard]] std::string describeLaunchGeometry(const store::TraceLaunch& launch);
/// The position the launch used: "position_buf = 0" (indirect), "position = 4" (direct),
/// "positions[] per row" (batched), or "" when it recorded none.
[[nodiscard]] std::string describeLaunchPosition(const store::TraceLaunch& launch);

} // namespace ptxwb::views

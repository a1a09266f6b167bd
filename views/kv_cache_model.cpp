#include "kv_cache_model.h"

#include <algorithm>
#include <charconv>
#include <set>
#include <stdexcept>
#include <tuple>

namespace ptxwb::views {

namespace {

using nlohmann::json;

std::string joinDims(const std::array<std::uint32_t, 3>& d) {
    return "(" + std::to_string(d[0]) + ", " + std::to_string(d[1]) + ", " + std::to_string(d[2]) +
           ")";
}

/// "12" -> 12; throws for anything that is not a whole non-negative number.
int positionKey(const std::string& field, const std::string& key) {
    int position = -1;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), position);
    if (ec != std::errc() || end != key.data() + key.size() || position < 0)
        throw std::invalid_argument(field + ": \"" + key + "\" is not a position");
    return position;
}

/// Reads the evidence of a head check; throws nlohmann exceptions on wrongly typed values.
KvHeadEntry entryOf(const store::Check& check) {
    const json& e = check.evidence;
    KvHeadEntry entry;
    entry.layer = e.at("layer").get<int>();
    entry.tensor = e.at("tensor").get<std::string>();
    entry.head = e.at("head").get<int>();
    entry.checkName = check.name;
    entry.status = check.status;
    entry.tokens = e.at("tokens").get<int>();
    entry.positions = e.at("positions").get<int>();
    entry.headDim = e.at("head_dim").get<int>();
    entry.counts = check.counts;
    entry.neverWritten = e.at("never_written").get<std::vector<int>>();
    entry.serialNeverWritten = e.value("serial_never_written", std::vector<int>{});
    entry.writtenBeyond = e.value("written_beyond", std::vector<int>{});
    entry.writtenTwice = e.at("written_twice").get<std::vector<int>>();
    entry.mismatched = e.value("mismatched_positions", std::vector<int>{});
    for (const auto& [key, seqs] : e.at("writers").items())
        entry.writers[positionKey("writers", key)] = seqs.get<std::vector<std::uint32_t>>();
    // A named object: items() of a temporary would dangle inside the loop.
    const json counts = e.value("write_counts", json::object());
    for (const auto& [key, n] : counts.items())
        entry.writeCounts[positionKey("write_counts", key)] = n.get<int>();
    entry.firstMismatches = check.firstMismatches;
    return entry;
}

bool contains(const std::vector<int>& sorted, int value) {
    return std::binary_search(sorted.begin(), sorted.end(), value);
}

} // namespace

Expected<KvCacheModel> KvCacheModel::load(store::HistoryStore& history,
                                          const std::string& runUuid) {
    PTXWB_TRY(std::string uuid, history.resolveRun(runUuid));
    KvCacheModel model;
    PTXWB_TRY(model.run_, history.loadRun(uuid, store::LoadOptions{.mismatchMaps = false}));
    for (const auto& check : model.run_.checks) {
        if (check.kind != store::CheckKind::Kv) continue;
        if (!check.evidence.contains("layer")) {
            // The summary check of the whole validation.
            model.problems_ = check.evidence.value("problems", std::vector<std::string>{});
            continue;
        }
        std::string problem;
        try {
            model.entries_.push_back(entryOf(check));
        } catch (const json::exception& e) {
            problem = e.what();
            // nlohmann's "[json.exception.type_error.302] " prefix says nothing to a user.
            if (const auto close = problem.find("] "); close != std::string::npos)
                problem = problem.substr(close + 2);
        } catch (const std::invalid_argument& e) {
            problem = e.what();
        }
        if (!problem.empty()) {
            return makeError(ErrorKind::BadInput,
                             "check \"" + check.name + "\": evidence: " + problem,
                             ErrorLocation::file(history.path()));
        }
    }
    if (model.entries_.empty()) {
        return makeError(ErrorKind::Usage,
                         "run " + uuid.substr(0, 8) + " (" + model.run_.command +
                             ") has no KV-cache head maps: they come from `ptxwb qa "
                             "--validate-kv-cache` runs");
    }
    std::sort(model.entries_.begin(), model.entries_.end(), [](const auto& a, const auto& b) {
        return std::tie(a.layer, a.tensor, a.head) < std::tie(b.layer, b.tensor, b.head);
    });
    for (std::size_t i = 0; i < model.run_.traceLaunches.size(); ++i)
        model.launchBySeq_.emplace(model.run_.traceLaunches[i].seq, i);
    return model;
}

std::vector<int> KvCacheModel::layers() const {
    std::set<int> s;
    for (const auto& e : entries_)
        s.insert(e.layer);
    return {s.begin(), s.end()};
}

std::vector<int> KvCacheModel::heads() const {
    std::set<int> s;
    for (const auto& e : entries_)
        s.insert(e.head);
    return {s.begin(), s.end()};
}

const KvHeadEntry* KvCacheModel::find(int layer, const std::string& tensor, int head) const {
    for (const auto& e : entries_)
        if (e.layer == layer && e.tensor == tensor && e.head == head) return &e;
    return nullptr;
}

Expected<store::MismatchMap> KvCacheModel::loadMap(store::HistoryStore& history,
                                                   const KvHeadEntry& entry) const {
    PTXWB_TRY(auto map, history.loadMismatchMap(run_.uuid, store::CheckKind::Kv, entry.checkName));
    if (!map) {
        return makeError(ErrorKind::BadInput, "check \"" + entry.checkName + "\" has no map",
                         ErrorLocation::file(history.path()));
    }
    return std::move(*map);
}

const store::TraceLaunch* KvCacheModel::launch(std::uint32_t seq) const {
    const auto it = launchBySeq_.find(seq);
    return it == launchBySeq_.end() ? nullptr : &run_.traceLaunches[it->second];
}

std::vector<const store::TraceLaunch*> KvCacheModel::writersOf(const KvHeadEntry& entry,
                                                               int position) const {
    std::vector<const store::TraceLaunch*> out;
    const auto it = entry.writers.find(position);
    if (it == entry.writers.end()) return out;
    for (auto seq : it->second)
        if (const auto* l = launch(seq)) out.push_back(l);
    return out;
}

unsigned KvCacheModel::rowMarks(const KvHeadEntry& entry, int position) {
    unsigned marks = 0;
    if (contains(entry.neverWritten, position)) marks |= kRowNeverWritten;
    if (contains(entry.writtenTwice, position)) marks |= kRowWrittenTwice;
    if (contains(entry.writtenBeyond, position)) marks |= kRowWrittenBeyond;
    if (contains(entry.mismatched, position)) marks |= kRowMismatched;
    if (contains(entry.serialNeverWritten, position)) marks |= kRowSerialUnwritten;
    return marks;
}

std::string describeLaunchKernel(const store::TraceLaunch& l) {
    std::string text = l.op.empty() ? l.kernel : l.op + " · " + l.kernel;
    if (!l.entry.empty() && l.entry != l.kernel) text += " (" + l.entry + ")";
    return text;
}

std::string describeLaunchGeometry(const store::TraceLaunch& l) {
    return "grid " + joinDims(l.grid) + " · block " + joinDims(l.block);
}

std::string describeLaunchPosition(const store::TraceLaunch& l) {
    if (l.positionPath == "batched") return "positions[] per row";
    if (!l.positionValue) return {};
    const std::string value = std::to_string(*l.positionValue);
    if (l.positionPath == "indirect") return "position_buf = " + value;
    return "position = " + value;
}

} // namespace ptxwb::views

// The JSON form of the KV head maps (layout in kv_head_maps.h). States are run-length encoded
// because a map is mostly one state (all identical, or whole rows unwritten), and the ULPs are
// listed only for the elements that differ, so a clean 7B-shaped run stays a few kilobytes.
#include "engine/kv_head_maps.h"

#include <charconv>
#include <fmt/format.h>
#include <optional>

namespace ptxwb::engine {

using nlohmann::json;

namespace {

constexpr int kStateCount = 6;

bool hasUlp(KvElementState s) {
    return s == KvElementState::WithinTolerance || s == KvElementState::Mismatch ||
           s == KvElementState::NanMismatch;
}

json runLengths(const std::vector<KvElementState>& states) {
    json runs = json::array();
    for (std::size_t i = 0; i < states.size();) {
        std::size_t j = i;
        while (j < states.size() && states[j] == states[i])
            ++j;
        runs.push_back({int(states[i]), j - i});
        i = j;
    }
    return runs;
}

json countsJson(const std::map<int, int>& counts) {
    json j = json::object();
    for (const auto& [pos, n] : counts)
        j[std::to_string(pos)] = n;
    return j;
}

/// "12" -> 12; nullopt for anything that is not a whole non-negative number.
std::optional<int> positionKey(const std::string& key) {
    int position = 0;
    auto [end, ec] = std::from_chars(key.data(), key.data() + key.size(), position);
    if (ec != std::errc() || end != key.data() + key.size() || position < 0) return std::nullopt;
    return position;
}

json headToJson(const KvHeadMap& m) {
    json ulps = json::array();
    for (std::size_t i = 0; i < m.states.size(); ++i)
        if (hasUlp(m.states[i])) ulps.push_back(m.ulps[i]);
    json writers = json::object();
    for (const auto& [pos, seqs] : m.writers)
        writers[std::to_string(pos)] = seqs;
    json samples = json::array();
    for (const auto& s : m.samples)
        samples.push_back({s.position, s.dim, s.serialBits, s.batchedBits});
    return json{{"layer", m.layer},
                {"tensor", kvTensorName(m.tensor)},
                {"head", m.head},
                {"positions", m.positions},
                {"head_dim", m.headDim},
                {"states", runLengths(m.states)},
                {"ulps", std::move(ulps)},
                {"never_written", m.neverWritten},
                {"serial_never_written", m.serialNeverWritten},
                {"written_beyond", m.writtenBeyond},
                {"written_twice", m.writtenTwice},
                {"write_counts", countsJson(m.writeCounts)},
                {"mismatched", m.mismatched},
                {"writers", std::move(writers)},
                {"samples", std::move(samples)},
                {"mismatched_elements", m.mismatchedElements},
                {"max_abs_difference", m.maxAbsDifference}};
}

/// Reads one head; throws nlohmann exceptions on wrongly typed values (the caller names the
/// head) and returns a message for values of the right type but a wrong meaning.
std::string readHead(const json& j, KvHeadMap& m) {
    m.layer = j.at("layer").get<int>();
    const auto tensor = j.at("tensor").get<std::string>();
    if (tensor != "k" && tensor != "v")
        return fmt::format("tensor: expected \"k\" or \"v\", not \"{}\"", tensor);
    m.tensor = tensor == "k" ? KvTensor::K : KvTensor::V;
    m.head = j.at("head").get<int>();
    m.positions = j.at("positions").get<int>();
    m.headDim = j.at("head_dim").get<int>();
    if (m.layer < 0 || m.head < 0 || m.positions < 0 || m.headDim < 0)
        return "layer, head, positions and head_dim must not be negative";
    const std::size_t size = std::size_t(m.positions) * std::size_t(m.headDim);
    m.states.reserve(size);
    for (const auto& run : j.at("states")) {
        const int state = run.at(0).get<int>();
        const auto count = run.at(1).get<std::uint64_t>();
        if (state < 0 || state >= kStateCount)
            return fmt::format("states: unknown state {}", state);
        if (count > size - m.states.size())
            return fmt::format("states: runs cover more than the {}x{} elements", m.positions,
                               m.headDim);
        m.states.insert(m.states.end(), std::size_t(count), KvElementState(state));
    }
    if (m.states.size() != size) {
        return fmt::format("states: runs cover {} of the {}x{} elements", m.states.size(),
                           m.positions, m.headDim);
    }
    m.ulps.assign(size, 0);
    const auto& ulps = j.at("ulps");
    std::size_t next = 0;
    for (std::size_t i = 0; i < size; ++i) {
        if (!hasUlp(m.states[i])) continue;
        if (next == ulps.size()) return "ulps: fewer values than differing elements";
        m.ulps[i] = ulps.at(next++).get<std::uint32_t>();
    }
    if (next != ulps.size()) return "ulps: more values than differing elements";
    m.neverWritten = j.at("never_written").get<std::vector<int>>();
    m.serialNeverWritten = j.at("serial_never_written").get<std::vector<int>>();
    m.writtenBeyond = j.at("written_beyond").get<std::vector<int>>();
    m.writtenTwice = j.at("written_twice").get<std::vector<int>>();
    m.mismatched = j.at("mismatched").get<std::vector<int>>();
    for (const auto& [key, seqs] : j.at("writers").items()) {
        const auto position = positionKey(key);
        if (!position) return fmt::format("writers: \"{}\" is not a position", key);
        m.writers[*position] = seqs.get<std::vector<std::uint64_t>>();
    }
    for (const auto& [key, n] : j.at("write_counts").items()) {
        const auto position = positionKey(key);
        if (!position) return fmt::format("write_counts: \"{}\" is not a position", key);
        m.writeCounts[*position] = n.get<int>();
    }
    for (const auto& s : j.at("samples")) {
        m.samples.push_back({s.at(0).get<int>(), s.at(1).get<int>(), s.at(2).get<std::uint32_t>(),
                             s.at(3).get<std::uint32_t>()});
    }
    m.mismatchedElements = j.at("mismatched_elements").get<std::uint64_t>();
    m.maxAbsDifference =
        j.at("max_abs_difference").is_number() ? j.at("max_abs_difference").get<double>() : 0.0;
    return {};
}

Unexpected badMaps(const std::string& source, const std::string& pointer,
                   const std::string& message) {
    return makeError(ErrorKind::BadInput, fmt::format("{}: {}", pointer, message),
                     ErrorLocation::file(source));
}

} // namespace

json kvHeadMapsToJson(const std::vector<KvHeadMap>& maps, const KvGeometry& geometry, int tokens) {
    json heads = json::array();
    for (const auto& m : maps)
        heads.push_back(headToJson(m));
    return json{{"tokens", tokens},
                {"geometry",
                 {{"layers", geometry.layers},
                  {"kv_heads", geometry.kvHeads},
                  {"max_len", geometry.maxLen},
                  {"head_dim", geometry.headDim}}},
                {"heads", std::move(heads)}};
}

Expected<std::vector<KvHeadMap>> kvHeadMapsFromJson(const json& j, const std::string& source) {
    if (!j.is_object() || !j.contains("heads") || !j["heads"].is_array())
        return badMaps(source, "/heads", "expected an array of head maps");
    std::vector<KvHeadMap> maps;
    for (std::size_t i = 0; i < j["heads"].size(); ++i) {
        const std::string pointer = fmt::format("/heads/{}", i);
        KvHeadMap m;
        std::string problem;
        try {
            problem = readHead(j["heads"][i], m);
        } catch (const json::exception& e) {
            std::string what = e.what();
            const auto close = what.find("] ");
            problem = close == std::string::npos ? what : what.substr(close + 2);
        }
        if (!problem.empty()) return badMaps(source, pointer, problem);
        maps.push_back(std::move(m));
    }
    return maps;
}

} // namespace ptxwb::engine

#include "engine/kv_validation.h"

#include "engine/kv_head_maps.h"
#include "util/runs_text.h"

#include <algorithm>
#include <fmt/format.h>
#include <iterator>
#include <map>

namespace ptxwb::engine {

namespace {

std::string plural(std::size_t n, const char* one, const char* many) {
    return n == 1 ? one : many;
}

/// Sorted union of two sorted position lists.
std::vector<int> unite(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<int> out;
    std::set_union(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
    return out;
}

struct LayerFindings {
    std::vector<KvSlotProblems> heads; ///< one per KV head
    std::vector<KvMultiWrite> multiWrites;
};

/// Prompt positions of a map with an unwritten element, other than whole unwritten rows.
std::vector<int> partlyWritten(const KvHeadMap& m, int tokens) {
    std::vector<int> out;
    for (int pos = 0; pos < std::min(tokens, m.positions); ++pos) {
        if (std::binary_search(m.neverWritten.begin(), m.neverWritten.end(), pos) ||
            std::binary_search(m.serialNeverWritten.begin(), m.serialNeverWritten.end(), pos)) {
            continue;
        }
        for (int d = 0; d < m.headDim; ++d) {
            if (m.state(pos, d) == KvElementState::Unwritten) {
                out.push_back(pos);
                break;
            }
        }
    }
    return out;
}

/// One (layer, head) from its K and V maps; adds their element counts to the report.
KvSlotProblems slotProblems(const KvHeadMap& k, const KvHeadMap& v, int tokens,
                            KvValidationReport& report) {
    KvSlotProblems p;
    p.neverWritten = unite(k.neverWritten, v.neverWritten);
    p.serialNeverWritten = unite(k.serialNeverWritten, v.serialNeverWritten);
    p.partlyWritten = unite(partlyWritten(k, tokens), partlyWritten(v, tokens));
    p.mismatched = unite(k.mismatched, v.mismatched);
    p.writtenBeyond = unite(k.writtenBeyond, v.writtenBeyond);
    for (const KvHeadMap* m : {&k, &v}) {
        const std::size_t prompt =
            std::size_t(std::min(tokens, m->positions)) * std::size_t(m->headDim);
        report.elementsCompared += std::uint64_t(
            std::count_if(m->states.begin(), m->states.begin() + long(prompt),
                          [](KvElementState s) { return s != KvElementState::Unwritten; }));
        report.elementsMismatched += m->mismatchedElements;
        report.maxAbsDifference = std::max(report.maxAbsDifference, m->maxAbsDifference);
    }
    return p;
}

std::vector<KvMultiWrite> multiWritesOfLayer(const KvValidationInput& in, int layer) {
    // Counted per op: the K and the V scatter each write a position once in a correct prefill.
    std::map<std::string, std::map<int, KvMultiWrite>> byOp;
    for (const auto& launch : in.launches) {
        if (launch.layer != layer || launch.positionsWritten.empty()) continue;
        auto& byPosition = byOp[launch.op];
        for (int pos : launch.positionsWritten) {
            auto& w = byPosition[pos];
            w.position = pos;
            ++w.count;
            if (w.launches.empty() || w.launches.back() != &launch) w.launches.push_back(&launch);
        }
    }
    std::map<int, KvMultiWrite> worst;
    for (auto& [op, byPosition] : byOp) {
        for (auto& [pos, w] : byPosition) {
            if (w.count > 1 && w.count > worst[pos].count) worst[pos] = std::move(w);
        }
    }
    std::vector<KvMultiWrite> out;
    for (auto& [pos, w] : worst) {
        if (w.count > 1) out.push_back(std::move(w));
    }
    return out;
}

std::vector<std::string> slotParts(const KvSlotProblems& p, int tokens) {
    std::vector<std::string> parts;
    if (!p.neverWritten.empty()) {
        parts.push_back(fmt::format("{} {} never written",
                                    plural(p.neverWritten.size(), "position", "positions"),
                                    formatPositions(p.neverWritten)));
    }
    if (!p.serialNeverWritten.empty()) {
        parts.push_back(fmt::format("serial prefill left {} {} unwritten",
                                    plural(p.serialNeverWritten.size(), "position", "positions"),
                                    formatPositions(p.serialNeverWritten)));
    }
    if (!p.partlyWritten.empty()) {
        parts.push_back(fmt::format("{} {} only partly written",
                                    plural(p.partlyWritten.size(), "position", "positions"),
                                    formatPositions(p.partlyWritten)));
    }
    if (!p.mismatched.empty()) {
        parts.push_back(fmt::format("K/V differ from serial prefill at {} {}",
                                    plural(p.mismatched.size(), "position", "positions"),
                                    formatPositions(p.mismatched)));
    }
    if (!p.writtenBeyond.empty()) {
        parts.push_back(fmt::format("{} {} written beyond the {} prompt tokens",
                                    plural(p.writtenBeyond.size(), "position", "positions"),
                                    formatPositions(p.writtenBeyond), tokens));
    }
    return parts;
}

std::string launchEvidence(const std::vector<const TraceLaunch*>& launches) {
    std::vector<std::string> seqs;
    for (const auto* l : launches)
        seqs.push_back(fmt::format("#{}", l->seq));
    if (seqs.size() > 4) {
        std::size_t more = seqs.size() - 4;
        seqs.resize(4);
        seqs.push_back(fmt::format("and {} more", more));
    }
    std::string text =
        fmt::format("{} {}", plural(launches.size(), "launch", "launches"), fmt::join(seqs, ", "));
    const TraceLaunch& first = *launches.front();
    if (first.positionValue) {
        const char* source =
            first.positionPath == PositionPath::Indirect ? "position_buf" : "position";
        text += fmt::format(", {} = {}", source, *first.positionValue);
    }
    return text;
}

std::vector<std::string> multiWriteParts(const std::vector<std::vector<KvMultiWrite>>& perLayer) {
    // All layers of a group have equal (position, count) lists; launches differ per layer.
    std::vector<std::string> parts;
    for (std::size_t i = 0; i < perLayer.front().size(); ++i) {
        std::vector<const TraceLaunch*> launches;
        for (const auto& layer : perLayer) {
            launches.insert(launches.end(), layer[i].launches.begin(), layer[i].launches.end());
        }
        const auto& w = perLayer.front()[i];
        parts.push_back(fmt::format("position {} written {} times by {} ({})", w.position, w.count,
                                    launches.front()->entry, launchEvidence(launches)));
    }
    return parts;
}

bool sameSignature(const LayerFindings& a, const LayerFindings& b) {
    if (a.heads != b.heads || a.multiWrites.size() != b.multiWrites.size()) return false;
    for (std::size_t i = 0; i < a.multiWrites.size(); ++i) {
        if (a.multiWrites[i].position != b.multiWrites[i].position ||
            a.multiWrites[i].count != b.multiWrites[i].count) {
            return false;
        }
    }
    return true;
}

void describeLayerGroup(const KvValidationInput& in, const std::vector<LayerFindings>& layers,
                        int first, int last, KvValidationReport& report) {
    const LayerFindings& sig = layers[std::size_t(first)];
    std::vector<int> layerIds;
    std::vector<std::vector<KvMultiWrite>> multi;
    for (int l = first; l <= last; ++l) {
        layerIds.push_back(l);
        multi.push_back(layers[std::size_t(l)].multiWrites);
    }
    const std::string where = fmt::format("layer {}", formatIndexRanges(layerIds));
    auto multiParts = sig.multiWrites.empty() ? std::vector<std::string>{} : multiWriteParts(multi);

    // Group heads with identical problems.
    std::vector<std::pair<KvSlotProblems, std::vector<int>>> headGroups;
    for (int h = 0; h < int(sig.heads.size()); ++h) {
        if (sig.heads[std::size_t(h)].empty()) continue;
        auto it = std::find_if(headGroups.begin(), headGroups.end(),
                               [&](const auto& g) { return g.first == sig.heads[std::size_t(h)]; });
        if (it == headGroups.end())
            headGroups.push_back({sig.heads[std::size_t(h)], {h}});
        else
            it->second.push_back(h);
    }
    const bool allHeadsAlike =
        headGroups.size() == 1 && headGroups.front().second.size() == sig.heads.size();
    if (allHeadsAlike) {
        auto parts = slotParts(headGroups.front().first, in.tokens);
        parts.insert(parts.end(), multiParts.begin(), multiParts.end());
        report.problems.push_back(
            fmt::format("{}, all KV heads: {}", where, fmt::join(parts, ", ")));
        return;
    }
    for (const auto& [problems, heads] : headGroups) {
        report.problems.push_back(
            fmt::format("{}, KV {} {}: {}", where, plural(heads.size(), "head", "heads"),
                        formatIndexRanges(heads), fmt::join(slotParts(problems, in.tokens), ", ")));
    }
    if (!multiParts.empty()) {
        report.problems.push_back(fmt::format("{}: {}", where, fmt::join(multiParts, ", ")));
    }
}

void checkLengths(const KvValidationInput& in, KvValidationReport& report) {
    if (in.hostLengths.empty()) return;
    std::map<int, std::vector<int>> wrongByValue;
    for (std::size_t l = 0; l < in.hostLengths.size(); ++l) {
        if (in.hostLengths[l] != in.tokens) wrongByValue[in.hostLengths[l]].push_back(int(l));
    }
    if (wrongByValue.empty()) {
        report.passes.push_back(fmt::format("kv_cache_lengths = {} in every layer (matches the {} "
                                            "prefilled tokens)",
                                            in.tokens, in.tokens));
        return;
    }
    for (const auto& [value, layers] : wrongByValue) {
        report.problems.push_back(fmt::format("layer {}: kv_cache_lengths = {} but {} tokens were "
                                              "prefilled",
                                              formatIndexRanges(layers), value, in.tokens));
    }
}

std::string optionalValue(const std::optional<std::int64_t>& v) {
    return v ? fmt::format("{}", *v) : std::string("none");
}

void checkDeviceValues(const KvValidationInput& in, KvValidationReport& report) {
    for (const auto& check : in.deviceValues) {
        if (check.actual == check.expected) {
            report.passes.push_back(
                fmt::format("{} = {} as expected", check.name, optionalValue(check.actual)));
            continue;
        }
        std::string text = fmt::format("{} = {} on the device, expected {}", check.name,
                                       optionalValue(check.actual), optionalValue(check.expected));
        if (!check.why.empty()) text += fmt::format(" ({})", check.why);
        report.problems.push_back(std::move(text));
    }
}

} // namespace

std::string formatPositions(const std::vector<int>& positions) {
    return formatRuns(positions, "..");
}
std::string formatIndexRanges(const std::vector<int>& indices) {
    return formatRuns(indices, "-");
}

KvValidationReport validateKvCaches(const KvValidationInput& in) {
    return validateKvCaches(in, compareKvHeads(in));
}

KvValidationReport validateKvCaches(const KvValidationInput& in,
                                    const std::vector<KvHeadMap>& maps) {
    KvValidationReport report;
    const auto& g = in.serial->geometry;
    if (!(g == in.batched->geometry)) {
        report.problems.push_back(fmt::format(
            "the caches have different shapes: serial {} layers x [{}, {}, {}], batched {} layers "
            "x [{}, {}, {}]",
            g.layers, g.kvHeads, g.maxLen, g.headDim, in.batched->geometry.layers,
            in.batched->geometry.kvHeads, in.batched->geometry.maxLen,
            in.batched->geometry.headDim));
        report.passed = false;
        return report;
    }
    if (in.tokens > g.maxLen) {
        report.problems.push_back(
            fmt::format("{} tokens do not fit a cache of {} positions", in.tokens, g.maxLen));
        report.passed = false;
        return report;
    }
    // compareKvHeads' order: by layer, K before V, then head.
    const std::size_t heads = std::size_t(g.kvHeads);
    if (maps.size() != std::size_t(g.layers) * 2 * heads) {
        report.problems.push_back(fmt::format("internal: {} KV head maps for {} layers x {} heads",
                                              maps.size(), g.layers, g.kvHeads));
        report.passed = false;
        return report;
    }
    std::vector<LayerFindings> layers(std::size_t(g.layers));
    for (std::size_t l = 0; l < layers.size(); ++l) {
        for (std::size_t h = 0; h < heads; ++h) {
            layers[l].heads.push_back(slotProblems(
                maps[(2 * l) * heads + h], maps[(2 * l + 1) * heads + h], in.tokens, report));
        }
        layers[l].multiWrites = multiWritesOfLayer(in, int(l));
    }
    for (int first = 0; first < g.layers;) {
        int last = first;
        while (last + 1 < g.layers &&
               sameSignature(layers[std::size_t(first)], layers[std::size_t(last + 1)])) {
            ++last;
        }
        const auto& sig = layers[std::size_t(first)];
        bool clean = sig.multiWrites.empty() &&
                     std::all_of(sig.heads.begin(), sig.heads.end(),
                                 [](const KvSlotProblems& p) { return p.empty(); });
        if (!clean) describeLayerGroup(in, layers, first, last, report);
        first = last + 1;
    }
    if (report.problems.empty()) {
        report.passes.push_back(
            fmt::format("every layer, every KV head: positions {} written{}, {} serial prefill",
                        formatPositions([&] {
                            std::vector<int> all(std::size_t(std::max(in.tokens, 0)));
                            for (int i = 0; i < in.tokens; ++i)
                                all[std::size_t(i)] = i;
                            return all;
                        }()),
                        in.launches.empty() ? "" : " once",
                        in.tolerance == 0.0 ? "bit-identical to" : "within tolerance of"));
    }
    checkLengths(in, report);
    checkDeviceValues(in, report);
    report.passed = report.problems.empty();
    return report;
}

nlohmann::json KvValidationReport::toJson() const {
    return nlohmann::json{{"passed", passed},
                          {"problems", problems},
                          {"passes", passes},
                          {"elements_compared", elementsCompared},
                          {"elements_mismatched", elementsMismatched},
                          {"max_abs_difference", maxAbsDifference}};
}

} // namespace ptxwb::engine

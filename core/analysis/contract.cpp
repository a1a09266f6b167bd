#include "analysis/contract.h"

#include <algorithm>
#include <array>
#include <cctype>

namespace ptxwb::analysis {
namespace {

std::string lower(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

bool oneOf(std::string_view s, std::initializer_list<std::string_view> names) {
    return std::find(names.begin(), names.end(), s) != names.end();
}

} // namespace

std::string_view batchAxisName(BatchAxis a) {
    switch (a) {
    case BatchAxis::GridX:
        return "grid.x";
    case BatchAxis::GridY:
        return "grid.y";
    case BatchAxis::GridZ:
        return "grid.z";
    case BatchAxis::Loop:
        return "loop";
    }
    return "grid.y";
}

std::optional<BatchAxis> parseBatchAxis(std::string_view text) {
    if (text == "grid.x") return BatchAxis::GridX;
    if (text == "grid.y") return BatchAxis::GridY;
    if (text == "grid.z") return BatchAxis::GridZ;
    if (text == "loop") return BatchAxis::Loop;
    return std::nullopt;
}

std::string_view KernelContract::roleOf(std::string_view paramName) const {
    for (const auto& p : params)
        if (p.name == paramName) return p.role;
    return {};
}

std::string KernelContract::displayName(std::string_view paramName) const {
    for (const auto& p : params)
        if (p.name == paramName && !p.sourceName.empty() && p.sourceName != p.name)
            return p.sourceName + " (" + p.name + ")";
    return std::string(paramName);
}

bool isBatchIndexedRole(std::string_view role) {
    return role == "input" || role == "output" || role == "positions" ||
           role.starts_with("input:") || role.starts_with("output:");
}

bool isIndirectPositionRole(std::string_view role) {
    return role == "position_buf" || role == "seq_len_buf";
}

std::string stripMangledParamName(std::string_view kernel, std::string_view param) {
    // nvcc names parameters "<entry>_param_<N>"; hand-written PTX and PTX builders often use
    // "<entry>_<name>" or just "<name>".
    if (!kernel.empty() && param.size() > kernel.size() + 1 && param.starts_with(kernel) &&
        param[kernel.size()] == '_')
        param.remove_prefix(kernel.size() + 1);
    return std::string(param);
}

std::string inferRoleFromName(std::string_view rawName, bool isPointerSized) {
    const std::string name = lower(rawName);
    if (name.starts_with("param_")) return "unknown"; // nvcc lost the source name
    if (oneOf(name, {"position_buf", "pos_buf", "positions_buf", "position_ptr", "pos_ptr"}))
        return "position_buf";
    if (oneOf(name, {"seq_len_buf", "seqlen_buf", "kv_len_buf", "seq_lens_buf", "len_buf"}))
        return "seq_len_buf";
    if (oneOf(name, {"positions", "pos_ids", "position_ids"})) return "positions";
    if (oneOf(name, {"pos", "position", "start_pos"})) return "position";
    if (oneOf(name, {"m", "m_dim", "batch", "batch_size", "num_rows", "rows", "n_rows"}))
        return "dim:M";
    if (oneOf(name, {"n", "n_dim", "rows_out"})) return "dim:N";
    if (oneOf(name, {"k", "k_dim"})) return "dim:K";
    if (oneOf(name, {"d", "dim", "hidden", "hidden_dim"})) return "dim:D";
    if (oneOf(name, {"eps", "epsilon"})) return "eps";
    if (oneOf(name, {"gamma", "weight_norm", "norm_w", "norm_weight"})) return "gamma";
    // Quantised weight blocks (Q4_K/Q6_K field names) are weights, shared by all rows.
    if (oneOf(name, {"w", "weight", "weights", "wq", "w_q", "qweight", "ql", "qh", "qs", "scales",
                     "blocks"}))
        return "weights";
    if (oneOf(name, {"y", "out", "output", "dst", "result"})) return "output";
    if (oneOf(name, {"cache", "k_cache", "v_cache", "kv_cache"})) return "cache";
    if (isPointerSized) return "input";
    return "scalar";
}

KernelVariant inferVariant(std::string_view kernel) {
    // ASCII case folding, as std::tolower does in the "C" locale (without a call per byte):
    // c | 0x20 folds exactly 'A'..'Z' onto 'a'..'z' among the bytes compared with letters.
    constexpr std::string_view word = "batched";
    for (std::size_t i = 0; i + word.size() <= kernel.size(); ++i) {
        if ((kernel[i] | 0x20) != 'b') continue;
        std::size_t j = 1;
        while (j < word.size() && (kernel[i + j] | 0x20) == word[j])
            ++j;
        if (j == word.size()) return KernelVariant::Batched;
    }
    return KernelVariant::Single;
}

KernelContract inferContract(std::string_view kernel, const std::vector<std::string>& paramNames,
                             const std::vector<bool>& pointerSized) {
    KernelContract c;
    c.kernel = std::string(kernel);
    c.inferred = true;
    c.variant = inferVariant(kernel);
    for (std::size_t i = 0; i < paramNames.size(); ++i) {
        const std::string shortName = stripMangledParamName(kernel, paramNames[i]);
        const bool ptr = i < pointerSized.size() && pointerSized[i];
        c.params.push_back({paramNames[i], inferRoleFromName(shortName, ptr),
                            shortName != paramNames[i] ? shortName : std::string()});
    }
    return c;
}

} // namespace ptxwb::analysis

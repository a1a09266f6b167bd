#pragma once
// The part of a kernel-set manifest entry that rules look at. The CLI fills it from
// kernelset.json when one is given; otherwise inferContract() guesses it from names, and the
// guess is marked so rules can word their findings accordingly.
//
// Naming heuristics (documented for users in resources/rules/batched-row-selection.md):
// - variant: a kernel whose name contains "batched" (any case) is batched, otherwise single.
// - batch axis: grid.y, unless the kernel has no %ctaid.y read and loads an `m` dimension
//   parameter, in which case the analyzer treats it as a loop (decided by the rule, not here).
// - roles from parameter names (case-insensitive, a trailing `_param_N` of nvcc mangling and
//   the mangled kernel prefix are stripped first):
//   position_buf / pos_buf / positions_buf → position_buf; seq_len_buf / seqlen_buf /
//   kv_len_buf → seq_len_buf; positions / pos_ids → positions; pos / position → position;
//   m / batch / batch_size / num_rows / rows → dim:M; n, k, d, dim, hidden → dim:<NAME>;
//   eps / epsilon → eps; gamma / weight_norm / norm_w → gamma; w / weight / weights / qweight / ql
//   / qh / qs / scales / blocks → weights; y / out / output / dst → output; everything else that is
//   a pointer → input.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::analysis {

enum class KernelVariant : std::uint8_t { Single, Batched };
/// How a batched kernel walks its M rows.
enum class BatchAxis : std::uint8_t { GridX, GridY, GridZ, Loop };

[[nodiscard]] std::string_view batchAxisName(BatchAxis a);
/// Parses "grid.x", "grid.y", "grid.z", "loop".
[[nodiscard]] std::optional<BatchAxis> parseBatchAxis(std::string_view text);

/// One parameter and its role ("input", "output", "weights", "dim:M", "position_buf", ...).
struct ParameterRole {
    std::string name; ///< the PTX parameter name once bound to a kernel
    std::string role;
    std::string sourceName; ///< the manifest's name ("x") when it differs from `name`
};

/// What the manifest says about one kernel.
struct KernelContract {
    std::string kernel; ///< PTX entry name
    KernelVariant variant = KernelVariant::Single;
    BatchAxis batchAxis = BatchAxis::GridY;
    bool batchAxisDeclared = false; ///< false: the default or a guess
    std::vector<ParameterRole> params;
    std::string pairsWith; ///< entry name of the single kernel of a batched one ("" if none)
    bool inferred = false; ///< built by inferContract, not read from a manifest

    /// The role of a parameter, or "" when the contract does not name it.
    [[nodiscard]] std::string_view roleOf(std::string_view paramName) const;
    /// How findings name a parameter: "x (k_param_1)" when the manifest's name differs.
    [[nodiscard]] std::string displayName(std::string_view paramName) const;
};

/// True for roles whose pointer is indexed by the batch row (one row per token):
/// input, output, positions, and any role declared per-row ("input:*", "output:*").
[[nodiscard]] bool isBatchIndexedRole(std::string_view role);
/// True for roles that carry a position or length through memory (indirect mode).
[[nodiscard]] bool isIndirectPositionRole(std::string_view role);

/// The parameter name a person would write: nvcc's `_Z..._param_3` names are reduced to the
/// index ("param_3") unless the source name survives; the kernel name prefix is dropped.
[[nodiscard]] std::string stripMangledParamName(std::string_view kernel, std::string_view param);
/// The role the naming heuristic gives a parameter name (see the header comment).
[[nodiscard]] std::string inferRoleFromName(std::string_view name, bool isPointerSized);

/// The variant the naming heuristic gives a kernel: Batched when its name contains "batched"
/// in any case. Allocation-free (the analyzer asks it of every kernel of a module up front).
[[nodiscard]] KernelVariant inferVariant(std::string_view kernel);
/// Guesses a contract from the kernel and parameter names (`pointerSized[i]` says whether
/// parameter i is 64-bit and so may be a pointer).
[[nodiscard]] KernelContract inferContract(std::string_view kernel,
                                           const std::vector<std::string>& paramNames,
                                           const std::vector<bool>& pointerSized);

} // namespace ptxwb::analysis

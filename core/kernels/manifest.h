#pragma once
// The kernel-set manifest (kernelset.json): which kernels exist, what op each computes, what its
// parameters mean (roles), how to launch it (geometry over dims), and how its batched variant
// must relate to the single one (pairs_with + contract). See docs/kernel-set.md.

#include "kernels/geometry.h"
#include "util/expected.h"

#include <array>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::kernels {

enum class OpKind { RmsNorm, ResidualAdd, Swiglu, Gemv, Rope, KvScatter, Attention, Embedding };
enum class Variant { Single, Batched };
/// How a batched kernel walks its rows: one grid row per batch row, or an in-kernel loop.
enum class BatchMode { GridY, Loop };
enum class WeightFormat { None, Q4_K, Q6_K, Q8_0, F16 };

/// What a kernel parameter means, so ptxwb can drive a kernel it did not write.
enum class ParamRole {
    Input,
    InputA,
    InputB,
    Gate,
    Up,
    Output,
    Weights,
    Gamma,
    Eps,
    Dim,
    Position,
    PositionBuf,
    SeqLenBuf, ///< device buffer holding the sequence length (graph-mode attention)
    Positions,
    Token,
    Tokens,
    KCache,
    VCache,
    Cache,
    RopeBase
};

/// The parity contract of a pair.
struct Contract {
    enum class Kind { Bitwise, Ulp, Bound } kind = Kind::Bitwise;
    std::uint32_t ulps = 0;
    /// "bitwise", "ulp:4", "bound".
    static Expected<Contract> parse(std::string_view text);
    [[nodiscard]] std::string text() const;
};

struct ParamSpec {
    std::string name;
    ParamRole role = ParamRole::Input;
    std::string dim;      ///< for ParamRole::Dim: the dim's name ("K")
    std::string roleText; ///< as written ("dim:K")
};

/// A known-bad kernel of the bug zoo and the check that must catch it.
struct ZooEntry {
    std::string bug;      ///< what is wrong, in one sentence
    std::string caughtBy; ///< "parity:bitwise", "parity:reference", "guard:overrun",
                          ///< "probe:dequant", "static:shared-u64-address"
};

struct KernelSpec {
    std::string name;
    std::string entry;
    std::string source;
    OpKind op = OpKind::RmsNorm;
    WeightFormat weights = WeightFormat::None;
    Variant variant = Variant::Single;
    BatchMode batch = BatchMode::GridY;
    std::string pairsWith; ///< the single kernel this one must match (empty: not a candidate)
    Contract contract;
    std::vector<ParamSpec> params;
    std::array<GeometryExpr, 3> grid;
    std::array<GeometryExpr, 3> block;
    GeometryExpr sharedBytes = GeometryExpr::constant(0);
    DimValues fixed; ///< constants the kernel bakes in instead of taking as parameters
    std::optional<ZooEntry> zoo;
    std::string description;

    [[nodiscard]] bool hasRole(ParamRole role) const;
};

struct KernelSetManifest {
    std::string name;
    int version = 1;
    std::vector<std::string> headers; ///< files every .cu source may #include
    std::vector<KernelSpec> kernels;

    [[nodiscard]] const KernelSpec* find(std::string_view name) const;
};

/// Parses and validates a manifest; every error is BadInput at path:line:col.
Expected<KernelSetManifest> parseManifest(std::string_view text, const std::string& path);

const char* opKindName(OpKind op);
const char* weightFormatName(WeightFormat f);
const char* variantName(Variant v);
/// The dims an op's shapes are made of (besides M): gemv -> N, K.
const std::vector<std::string>& opDims(OpKind op);

} // namespace ptxwb::kernels

#include "engine/kernel_choice.h"

#include <fmt/format.h>

namespace ptxwb::engine {

using kernels::ParamRole;

namespace {
bool takesPositionsBy(const kernels::KernelSpec& k, PositionPath path) {
    switch (path) {
    case PositionPath::None:
        return true;
    case PositionPath::Direct:
        return k.hasRole(ParamRole::Position);
    case PositionPath::Indirect:
        return k.hasRole(ParamRole::PositionBuf) || k.hasRole(ParamRole::SeqLenBuf);
    case PositionPath::Batched:
        return k.hasRole(ParamRole::Positions);
    }
    return false;
}
} // namespace

Expected<std::string> chooseKernel(const kernels::KernelSetManifest& manifest,
                                   const KernelQuery& q) {
    for (const auto& k : manifest.kernels) {
        if (k.zoo || k.op != q.op || k.variant != q.variant) continue;
        if (q.weights != kernels::WeightFormat::None && k.weights != q.weights) continue;
        if (!takesPositionsBy(k, q.path)) continue;
        return k.name;
    }
    return makeError(
        ErrorKind::BadInput,
        fmt::format("kernel set '{}' has no {} {} kernel{}{}", manifest.name,
                    kernels::variantName(q.variant), kernels::opKindName(q.op),
                    q.weights == kernels::WeightFormat::None
                        ? std::string()
                        : fmt::format(" for {} weights", kernels::weightFormatName(q.weights)),
                    q.path == PositionPath::None
                        ? std::string()
                        : fmt::format(" taking {} positions", positionPathName(q.path))));
}

} // namespace ptxwb::engine

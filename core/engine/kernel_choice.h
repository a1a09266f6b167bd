#pragma once
// Which kernel of a set the engine launches for an op: the first kernel that is not a zoo
// entry and matches the op, the weight format, the variant and the way it takes positions.

#include "engine/trace.h"
#include "kernels/manifest.h"

#include <string>

namespace ptxwb::engine {

struct KernelQuery {
    kernels::OpKind op = kernels::OpKind::RmsNorm;
    kernels::Variant variant = kernels::Variant::Single;
    kernels::WeightFormat weights = kernels::WeightFormat::None;
    PositionPath path = PositionPath::None;
};

/// The kernel's name, or a BadInput error naming what the kernel set lacks.
Expected<std::string> chooseKernel(const kernels::KernelSetManifest& manifest,
                                   const KernelQuery& query);

} // namespace ptxwb::engine

#pragma once
// Reads the fields rules need (entry, variant, batch, params' roles, pairs_with) from a
// kernelset.json manifest. Deliberately lenient and small: the full manifest model, with
// validation of geometry and sources, belongs to core/kernels; once it lands the CLI builds
// KernelContracts from that model instead and this reader can go.

#include "analysis/contract.h"
#include "util/expected.h"

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::analysis {

/// Contracts for every kernel of the manifest, keyed by PTX entry name (`entry`, else `name`).
/// `pairs_with` names a manifest kernel and is translated to that kernel's entry.
/// Errors (kind BadInput, located at `path`) for a manifest without a "kernels" array or a
/// kernel without "name", or an unknown variant/batch value.
[[nodiscard]] Expected<std::vector<KernelContract>>
contractsFromManifest(const nlohmann::json& manifest, const std::string& path);

/// Reads and parses the file, then contractsFromManifest.
[[nodiscard]] Expected<std::vector<KernelContract>> readManifestContracts(const std::string& path);

} // namespace ptxwb::analysis

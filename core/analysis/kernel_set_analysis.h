#pragma once
// The analyzer over kernel sets: rules read core/kernels' manifest model (roles such as
// position_buf and seq_len_buf, variant single/batched, pairs_with, the batch axis), and a whole
// set (the built-in one or a directory) can be analysed as it would be loaded: `.ptx` sources
// as written, `.cu` sources compiled to PTX by NVRTC (no GPU needed).
//
// This is a separate library (ptxwb_core_analysis_kernels) so that the rule engine itself
// depends on core/ptx and core/util only; this part adds core/kernels.

#include "analysis/analyzer.h"
#include "kernels/kernel_set.h"
#include "util/expected.h"

#include <string>
#include <vector>

namespace ptxwb::analysis {

/// One contract per manifest kernel, keyed by its PTX entry; `pairs_with` (a manifest kernel
/// name) becomes that kernel's entry. A manifest states the batch axis of every batched kernel
/// (grid.y when it does not say), so the axis counts as declared.
[[nodiscard]] std::vector<KernelContract>
contractsFromManifest(const kernels::KernelSetManifest& m);

/// Reads and validates a kernelset.json with core/kernels' parser (errors are BadInput at
/// file:line:col), then contractsFromManifest.
[[nodiscard]] Expected<std::vector<KernelContract>> readManifestContracts(const std::string& path);

struct KernelSetAnalysisOptions {
    AnalysisOptions analysis;       ///< thresholds, ptxas
    std::vector<std::string> rules; ///< rule ids; empty: all
    int arch = 80;                  ///< compute_<arch> for NVRTC
};

/// A set analysed source by source.
struct KernelSetAnalysis {
    AnalysisReport report;
    /// Sources not analysed, each "source: reason" (e.g. NVRTC missing on this machine).
    std::vector<std::string> skipped;
    /// The PTX of each analysed source, by source name, as findings refer to it: a `.ptx`
    /// source under its own name, a `.cu` source as "<source>.sm_<arch>.ptx".
    std::vector<std::pair<std::string, std::string>> ptx;
};

/// The file name findings use for the PTX of a source of the set.
[[nodiscard]] std::string analysedFileName(const std::string& source, int arch);

/// Analyses every source of `set` with its manifest's contracts and pairs. A source that cannot
/// be compiled (no NVRTC, a compile error) is listed in `skipped`, not an error; a PTX that
/// does not parse is an error located in it.
[[nodiscard]] Expected<KernelSetAnalysis> analyzeKernelSet(const kernels::KernelSet& set,
                                                           const KernelSetAnalysisOptions& options);

/// How each kernel of a set gets its position, for badges in a kernel-set browser: the
/// manifest kernel name with the analyzer's summary (positionMode "direct", "indirect",
/// "batched-positions", "none", or several joined by '+'). Kernels whose source could not be
/// analysed get positionMode "unknown". Runs only the cheap indirect-position rule.
struct KernelPathBadge {
    std::string kernel; ///< manifest name
    std::string entry;
    std::string source;
    std::string variant;      ///< "single" / "batched"
    std::string batchAxis;    ///< "grid.y" / "loop" for batched kernels
    std::string positionMode; ///< see above
};
[[nodiscard]] std::vector<KernelPathBadge> summarizeKernelPaths(const kernels::KernelSet& set,
                                                                int arch = 80);

} // namespace ptxwb::analysis

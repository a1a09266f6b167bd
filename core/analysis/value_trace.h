#pragma once
// Questions rules ask about where a value comes from, answered over reaching definitions:
// which instructions built a register, whether an address is a symbol plus a constant, and
// which instructions load a parameter.

#include "analysis/dataflow.h"

#include <cstdint>
#include <optional>
#include <vector>

namespace ptxwb::analysis {

/// Instructions `ld.param` (or `mov` of the symbol) that read parameter symbol `param`.
[[nodiscard]] std::vector<std::uint32_t> parameterReads(const KernelIR& k, std::uint32_t param);

/// The instructions that built the value of `reg` as read by `inst`, nearest first, following
/// only registers of at least `minBits` bits (0: all). Stops after `limit` instructions.
[[nodiscard]] std::vector<std::uint32_t> definitionChain(const KernelDataflow& flow,
                                                         std::uint32_t inst, std::uint32_t reg,
                                                         std::uint16_t minBits,
                                                         std::size_t limit = 8);

/// A shared address known to be `symbol + offset` on every path.
struct ConstantAddress {
    std::uint32_t symbol = kNoId;
    std::int64_t offset = 0;
    std::uint32_t formedAt = kNoId; ///< the instruction that took the symbol's address
};

/// Resolves an address operand of `inst` to symbol + constant when every reaching definition
/// agrees (mov of a symbol, add/sub of constants, cvta between spaces); nullopt otherwise.
[[nodiscard]] std::optional<ConstantAddress>
resolveConstantAddress(const KernelDataflow& flow, std::uint32_t inst, const IrAddress& address);

/// The value of `reg` at `inst` when it is a compile-time integer constant on every path.
[[nodiscard]] std::optional<std::int64_t> constantValue(const KernelDataflow& flow,
                                                        std::uint32_t inst, std::uint32_t reg,
                                                        unsigned depth = 0);

/// The symbols (e.g. .shared arrays) an address may point into, through mov/add/cvta chains;
/// empty when unknown.
[[nodiscard]] std::vector<std::uint32_t>
addressSymbols(const KernelDataflow& flow, std::uint32_t inst, const IrAddress& address);

} // namespace ptxwb::analysis

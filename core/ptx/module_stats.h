#pragma once
// Per-function statistics of a module: instructions by class and opcode, registers by type,
// shared/local/const bytes, basic blocks and calls. Feeds `ptxwb ptx stats` and GUI summaries.

#include "ptx/ast.h"

#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace ptxwb::ptx {

inline constexpr std::size_t kOpcodeClassCount = static_cast<std::size_t>(OpcodeClass::Unknown) + 1;

struct FunctionStats {
    std::string name;
    bool isEntry = false;
    bool hasBody = false;
    std::uint64_t instructions = 0;
    std::array<std::uint64_t, kOpcodeClassCount> byClass{}; ///< indexed by OpcodeClass
    std::map<std::string, std::uint64_t> byOpcode;          ///< "ld", "cp.async.bulk", ...
    std::map<std::string, std::uint64_t> registersByType;   ///< ".b32" → declared registers
    std::uint64_t sharedBytes = 0; ///< static .shared declared in the function
    std::uint64_t localBytes = 0;
    std::uint64_t constBytes = 0;
    std::uint64_t paramBytes = 0; ///< parameters of the function
    std::uint64_t basicBlocks = 0;
    std::uint64_t calls = 0;
    std::vector<std::string> callees; ///< distinct direct callees, sorted
};

struct ModuleStats {
    std::vector<FunctionStats> functions;
    std::uint64_t instructions = 0;
    std::uint64_t globalBytes = 0; ///< module-scope .global
    std::uint64_t sharedBytes = 0; ///< module-scope static .shared
    std::uint64_t constBytes = 0;  ///< module-scope .const
    bool hasDynamicShared = false; ///< an `.extern .shared` array
};

/// Size in bytes of a declared variable (0 for unsized `[]` arrays).
[[nodiscard]] std::uint64_t variableBytes(const Module& module, const Variable& v);
[[nodiscard]] ModuleStats computeStats(const Module& module);

} // namespace ptxwb::ptx

#pragma once
// Parsing PTX text into a Module. The parser is recursive descent with one function per grammar
// rule; it recovers at ';' and '}' so one typo produces one diagnostic, bounds its nesting depth
// (deeply nested braces cannot overflow the stack) and never throws.

#include "ptx/ast.h"
#include "ptx/diagnostics.h"
#include "ptx/source_manager.h"

#include <cstdint>
#include <string_view>

namespace ptxwb::ptx {

/// Largest N accepted in `.reg .b32 %r<N>` (ptxas allows far fewer registers per thread).
inline constexpr std::uint32_t kMaxRegisterRange = 1u << 20;

struct ParseOptions {
    /// Deepest `{ }` nesting accepted inside a function body; deeper input is one error.
    std::uint32_t maxScopeDepth = 256;
    /// Deepest nesting of operands and constant expressions ((((1)))), {[{...}]}).
    std::uint32_t maxExpressionDepth = 64;
};

/// Parses one buffer. Always returns a Module holding everything that parsed; problems are in
/// `diagnostics`. The Module points into the buffer, which must outlive it.
Module parseModule(const SourceManager& sources, BufferId buffer, DiagnosticList& diagnostics,
                   const ParseOptions& options = {});

/// Parses text that is not in a SourceManager (fuzzing, benchmarks). Offsets are into `text`.
Module parseText(std::string_view text, DiagnosticList& diagnostics,
                 const ParseOptions& options = {});

} // namespace ptxwb::ptx

#pragma once
// Semantic checks on a parsed Module, separate from the parser: names declared before use,
// branch targets are labels, operand counts per opcode, register widths against the
// instruction type, guard predicates, and state-space consistency of direct memory accesses.
// Each mistake is reported once (the first use of an undeclared register, not every use).

#include "ptx/ast.h"
#include "ptx/diagnostics.h"

namespace ptxwb::ptx {

struct VerifyOptions {
    /// Report modifiers the tables do not know as warnings (off for newer-ISA tolerance).
    bool warnUnknownModifiers = true;
};

/// Appends the problems found in `module` to `diagnostics`.
void verifyModule(const Module& module, DiagnosticList& diagnostics,
                  const VerifyOptions& options = {});

} // namespace ptxwb::ptx

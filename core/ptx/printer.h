#pragma once
// Writes a Module back as canonical PTX: one statement per line, tab-indented bodies, operands
// separated by ", ". Names and literals are printed as spelled, so ptxas assembles the printed
// text to the same code as the original (the round-trip tests check the cubins).

#include "ptx/ast.h"

#include <string>

namespace ptxwb::ptx {

/// Canonical PTX text of a whole module.
[[nodiscard]] std::string printModule(const Module& module);
/// One instruction without indentation or newline ("@%p1 bra $L__BB0_2;").
[[nodiscard]] std::string printInstruction(const Module& module, const Instruction& inst);
/// One operand ("[%rd1+8]", "{%f1, %f2}").
void appendOperand(std::string& out, const Module& module, const Operand& op);

} // namespace ptxwb::ptx

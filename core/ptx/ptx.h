#pragma once
// core/ptx — the PTX front end of ptxwb. One include for clients that want all of it.
//
// Layers, each usable alone (headers in this folder):
//
//   defs/*.def          X-macro tables: tokens, directives, state spaces, types, modifiers,
//                       opcodes (class + operand counts), special registers. The only place the
//                       PTX vocabulary is spelled; add an ISA feature here first.
//   tables.h            enums generated from the tables + O(1) lookups (lookupKeyword,
//                       lookupOpcode, lookupSpecialRegister, typeBits, opcodeClass ...).
//   source_manager.h    owns file text (mmap); offsets → line:col on demand.
//   lexer.h / token.h   never-throwing lexer; tokens are string_views into the buffer.
//   highlight.h         one-line highlighter for editors: TokenCategory + RegisterClass per span,
//                       block-comment state carried between lines (GUI: call per visible line).
//   parser.h / ast.h    recursive-descent parser → Module (pools of nodes, 32-bit indices, every
//                       node has a SourceRange). Recovers at ';' / '}'; bounded nesting.
//   diagnostics.h       Diagnostic (severity, range, message, notes) + compiler-style printing.
//   verifier.h          declared-before-use, labels, operand counts, widths, guards, spaces.
//   printer.h           canonical PTX; ptxas assembles print(parse(f)) to the same code as f.
//   register_file.h     per-function name binding (scopes!), dense RegisterIds, declared types.
//   control_flow.h      basic blocks + CFG (bra, brx.idx tables, ret/exit/trap, guards).
//   def_use.h           per-instruction defs/uses, per-register chains, reaching definitions.
//   function_diff.h     alignment + alpha-equivalence diff of two functions.
//   module_stats.h      per-function statistics (`ptxwb ptx stats`).
//
// Typical analyzer rule (dataflow):
//
//   ptx::SourceManager sources;
//   auto buffer = sources.addFile(path);               // Expected<BufferId>
//   ptx::DiagnosticList diags;
//   ptx::Module m = ptx::parseModule(sources, *buffer, diags);
//   ptx::verifyModule(m, diags);
//   ptx::ModuleSymbols globals(m);
//   for (uint32_t f = 0; f < m.functions.size(); ++f) {
//       if (!m.functions[f].hasBody) continue;
//       ptx::FunctionSymbols sym(m, globals, f);       // keep alive while cfg/du are used
//       ptx::ControlFlowGraph cfg(m, sym);
//       ptx::DefUse du(m, sym, cfg);
//       for (uint32_t inst : cfg.instructions())
//           for (const ptx::RegisterAccess& use : du.usesBy(inst)) {
//               ptx::ReachingDefinitions r = du.reachingDefinitions(inst, use.reg);
//               // r.definitions: instructions that may have written the register on some path;
//               // r.mayBeUndefined: some path from the entry reaches here with no definition.
//           }
//   }
//
// Typical GUI use (highlighting a visible line):
//
//   ptx::HighlightState state = stateAtLineStart;       // cache per line for incremental work
//   std::vector<ptx::HighlightSpan> spans;
//   ptx::highlightLine(lineText, state, spans);         // spans: offset, length, category, width
//
// Side-by-side view: ptx::diffFunctions(left, fl, right, fr).lines — same/changed/only-left/
// only-right with both source ranges (SourceManager::lineColumn turns them into line numbers).

#include "ptx/ast.h"
#include "ptx/control_flow.h"
#include "ptx/def_use.h"
#include "ptx/diagnostics.h"
#include "ptx/function_diff.h"
#include "ptx/highlight.h"
#include "ptx/lexer.h"
#include "ptx/module_stats.h"
#include "ptx/parser.h"
#include "ptx/printer.h"
#include "ptx/register_file.h"
#include "ptx/source_manager.h"
#include "ptx/tables.h"
#include "ptx/verifier.h"

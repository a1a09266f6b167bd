// libFuzzer entry point for the PTX front end: parse (diagnostics collected and dropped),
// verify, print, re-parse the printed text, and run the per-function analyses, so a crash, a
// hang or a sanitizer report anywhere in core/ptx is found. Seeds: tests/fuzz/corpus/ptx/.
#include "ptx/control_flow.h"
#include "ptx/def_use.h"
#include "ptx/function_diff.h"
#include "ptx/highlight.h"
#include "ptx/module_stats.h"
#include "ptx/parser.h"
#include "ptx/printer.h"
#include "ptx/verifier.h"

#include <cstddef>
#include <cstdint>
#include <string_view>

using namespace ptxwb::ptx;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    std::string_view text(reinterpret_cast<const char*>(data), size);
    DiagnosticList diags(16);
    Module m = parseText(text, diags);
    verifyModule(m, diags);
    (void)computeStats(m);
    ModuleSymbols globals(m);
    for (std::uint32_t f = 0; f < m.functions.size() && f < 8; ++f) {
        if (!m.functions[f].hasBody) continue;
        FunctionSymbols sym(m, globals, f);
        ControlFlowGraph cfg(m, sym);
        DefUse du(m, sym, cfg);
        auto order = cfg.instructions();
        for (std::size_t i = 0; i < order.size() && i < 64; ++i)
            for (const RegisterAccess& use : du.usesBy(order[i]))
                (void)du.reachingDefinitions(order[i], use.reg);
        (void)diffFunctions(m, f, m, f);
    }
    if (!diags.hasErrors()) {
        // The printer's output must parse again without errors.
        std::string printed = printModule(m);
        DiagnosticList again(16);
        Module m2 = parseText(printed, again);
        if (again.hasErrors()) __builtin_trap();
    }
    HighlightState state;
    std::vector<HighlightSpan> spans;
    std::size_t lineStart = 0;
    for (std::size_t i = 0; i <= text.size() && lineStart <= text.size(); ++i) {
        if (i == text.size() || text[i] == '\n') {
            highlightLine(text.substr(lineStart, i - lineStart), state, spans);
            lineStart = i + 1;
        }
    }
    return 0;
}

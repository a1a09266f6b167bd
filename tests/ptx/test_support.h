#pragma once
// Parsing helpers for the PTX tests: a module with its diagnostics rendered as
// "line:col: severity: message" strings that tests compare exactly.

#include "ptx/parser.h"
#include "ptx/verifier.h"

#include <memory>
#include <string>
#include <vector>

namespace ptxwb::ptx::test {

struct Parsed {
    std::unique_ptr<SourceManager> sources = std::make_unique<SourceManager>();
    BufferId buffer = 0;
    Module module;
    DiagnosticList diagnostics;
    /// "3:14: error: expected ';' after instruction" per diagnostic.
    std::vector<std::string> messages() const {
        std::vector<std::string> out;
        for (const auto& d : diagnostics.all()) {
            LineColumn lc = sources->lineColumn(buffer, d.range.begin);
            out.push_back(std::to_string(lc.line) + ":" + std::to_string(lc.column) + ": " +
                          (d.severity == Severity::Error     ? "error"
                           : d.severity == Severity::Warning ? "warning"
                                                             : "note") +
                          ": " + d.message);
        }
        return out;
    }
};

inline std::unique_ptr<Parsed> parse(std::string text, bool verify = false) {
    auto p = std::make_unique<Parsed>();
    p->buffer = p->sources->addBuffer("test.ptx", std::move(text));
    p->module = parseModule(*p->sources, p->buffer, p->diagnostics);
    if (verify && !p->diagnostics.hasErrors()) verifyModule(p->module, p->diagnostics);
    return p;
}

/// A module header followed by `body` inside `.visible .entry k(.param .u64 k_p0) { ... }`.
inline std::string kernel(const std::string& body) {
    return ".version 9.0\n.target sm_90a\n.address_size 64\n.visible .entry k(\n\t.param .u64 "
           "k_p0\n)\n{\n" +
           body + "}\n";
}

} // namespace ptxwb::ptx::test

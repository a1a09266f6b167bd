#include "analysis/format.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::analysis {
namespace {

/// The source line and a caret line under [column, endColumn] (tabs kept so they line up).
void appendCaret(std::string& out, const SourceLocation& loc) {
    if (!loc.hasPosition() || loc.lineText.empty()) return;
    out += loc.lineText;
    out += '\n';
    std::string caret;
    const auto& line = loc.lineText;
    for (std::uint32_t c = 1; c < loc.column && c <= line.size(); ++c)
        caret += line[c - 1] == '\t' ? '\t' : ' ';
    const std::uint32_t last =
        loc.endLine == loc.line
            ? std::max(loc.endColumn, loc.column)
            : static_cast<std::uint32_t>(std::max<std::size_t>(line.size(), loc.column));
    caret += '^';
    for (std::uint32_t c = loc.column + 1; c <= last; ++c)
        caret += '~';
    out += caret;
    out += '\n';
}

std::string where(const SourceLocation& loc) {
    if (!loc.hasPosition()) return loc.file;
    return fmt::format("{}:{}:{}", loc.file, loc.line, loc.column);
}

} // namespace

std::string formatText(const std::vector<Finding>& findings, bool color) {
    std::string out;
    std::string lastKernel, lastFile;
    auto paint = [color](std::string_view code, std::string_view text) {
        return color ? fmt::format("\x1b[{}m{}\x1b[0m", code, text) : std::string(text);
    };
    for (const auto& f : findings) {
        if (!f.kernel.empty() && (f.kernel != lastKernel || f.location.file != lastFile))
            out += fmt::format("{}: In kernel '{}':\n", f.location.file, f.kernel);
        lastKernel = f.kernel;
        lastFile = f.location.file;
        const std::string_view sev = severityName(f.severity);
        const std::string_view code = f.severity == Severity::Error     ? "1;31"
                                      : f.severity == Severity::Warning ? "1;35"
                                                                        : "1;36";
        out += fmt::format("{}: {}: {} [{}]\n", where(f.location), paint(code, sev), f.message,
                           f.ruleId);
        appendCaret(out, f.location);
        for (const auto& r : f.related) {
            out += fmt::format("{}: {}: {}\n", where(r.location), paint("1;36", "note"), r.message);
            appendCaret(out, r.location);
        }
        if (!f.fixHint.empty()) out += fmt::format("  fix: {}\n", f.fixHint);
    }
    return out;
}

std::string formatSummary(const std::vector<KernelSummary>& kernels) {
    std::size_t wk = 6, wf = 4;
    for (const auto& k : kernels) {
        wk = std::max(wk, k.kernel.size());
        wf = std::max(wf, k.file.size());
    }
    std::string out =
        fmt::format("{:<{}}  {:<{}}  {:<8}  {:<7}  {:<18}  {:<9}  {}\n", "file", wf, "kernel", wk,
                    "variant", "batch", "positions", "contract", "paired with");
    for (const auto& k : kernels)
        out += fmt::format("{:<{}}  {:<{}}  {:<8}  {:<7}  {:<18}  {:<9}  {}\n", k.file, wf,
                           k.kernel, wk, k.variant, k.batchAxis.empty() ? "-" : k.batchAxis,
                           k.positionMode, k.fromManifest ? "manifest" : "inferred",
                           k.pairedWith.empty() ? "-" : k.pairedWith);
    return out;
}

} // namespace ptxwb::analysis

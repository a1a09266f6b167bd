// Shared helpers of the `ptxwb ptx` subcommands (see ptx_cli_support.h). The file is named
// cmd_ptx_*.cpp so the CLI's CMake glob picks it up; it registers no command itself.
#include "cli_output.h"
#include "ptx/verifier.h"
#include "ptx_cli_support.h"

#include <cstdio>
#include <filesystem>
#include <fmt/format.h>

namespace ptxwb::cli {

int loadPtx(const std::string& path, LoadedPtx& out, bool verify) {
    out.path = path;
    auto id = out.sources.addFile(path);
    if (!id) return printError(id.error());
    out.buffer = *id;
    ptx::DiagnosticList diags;
    out.module = ptx::parseModule(out.sources, out.buffer, diags);
    if (verify && !diags.hasErrors()) ptx::verifyModule(out.module, diags);
    for (const auto& d : diags.all())
        std::fputs(ptx::formatDiagnostic(out.sources, out.buffer, d).c_str(), stderr);
    if (diags.all().size() < diags.errorCount() + diags.warningCount())
        std::fprintf(stderr, "%s: %zu more diagnostics not shown\n", path.c_str(),
                     diags.errorCount() + diags.warningCount() - diags.all().size());
    if (diags.hasErrors()) {
        std::fprintf(stderr, "%s: %zu error%s\n", path.c_str(), diags.errorCount(),
                     diags.errorCount() == 1 ? "" : "s");
        return exit_code::badInput;
    }
    return exit_code::ok;
}

PtxFunctionSpec splitFunctionSpec(const std::string& spec) {
    std::error_code ec;
    if (std::filesystem::exists(spec, ec)) return {spec, {}};
    std::size_t colon = spec.rfind(':');
    if (colon == std::string::npos || colon == 0) return {spec, {}};
    return {spec.substr(0, colon), spec.substr(colon + 1)};
}

int pairFunctions(const LoadedPtx& a, const std::string& fa, const LoadedPtx& b,
                  const std::string& fb,
                  std::vector<std::pair<std::uint32_t, std::uint32_t>>& pairs) {
    auto find = [](const LoadedPtx& p, const std::string& name, std::uint32_t& out) {
        out = p.module.findFunction(name);
        if (out == ptx::kNoIndex || !p.module.functions[out].hasBody) {
            printError(Error(ErrorKind::Usage,
                             fmt::format("no function '{}' with a body in {}", name, p.path)));
            return false;
        }
        return true;
    };
    if (!fa.empty() || !fb.empty()) {
        std::uint32_t ia = 0, ib = 0;
        if (!find(a, fa.empty() ? fb : fa, ia) || !find(b, fb.empty() ? fa : fb, ib))
            return exit_code::usage;
        pairs.emplace_back(ia, ib);
        return exit_code::ok;
    }
    std::vector<std::uint32_t> da, db;
    for (std::uint32_t i = 0; i < a.module.functions.size(); ++i)
        if (a.module.functions[i].hasBody) da.push_back(i);
    for (std::uint32_t i = 0; i < b.module.functions.size(); ++i)
        if (b.module.functions[i].hasBody) db.push_back(i);
    if (da.size() == 1 && db.size() == 1) {
        pairs.emplace_back(da[0], db[0]);
        return exit_code::ok;
    }
    for (std::uint32_t i : da) {
        std::uint32_t j = b.module.findFunction(a.module.text(a.module.functions[i].name));
        if (j != ptx::kNoIndex && b.module.functions[j].hasBody) pairs.emplace_back(i, j);
    }
    if (pairs.empty()) {
        printError(
            Error(ErrorKind::Usage,
                  "the files define no function of the same name; name them as FILE:FUNCTION"));
        return exit_code::usage;
    }
    return exit_code::ok;
}

void printDiff(const LoadedPtx& a, const LoadedPtx& b, const std::string& nameA,
               const std::string& nameB, const ptx::FunctionDiff& d) {
    fmt::print("--- {}:{}\n+++ {}:{}\n", a.path, nameA, b.path, nameB);
    for (const auto& line : d.lines) {
        auto where = [](const LoadedPtx& p, ptx::SourceRange r) {
            ptx::LineColumn lc = p.sources.lineColumn(p.buffer, r.begin);
            return fmt::format("{}", lc.line);
        };
        switch (line.kind) {
        case ptx::DiffKind::Same:
            fmt::print("  {:>6} {:>6}  {}\n", where(a, line.leftRange), where(b, line.rightRange),
                       line.leftText);
            break;
        case ptx::DiffKind::Changed:
            fmt::print("~ {:>6} {:>6}  {}\n", where(a, line.leftRange), where(b, line.rightRange),
                       line.leftText);
            fmt::print("  {:>6} {:>6}  => {}\n", "", "", line.rightText);
            break;
        case ptx::DiffKind::OnlyLeft:
            fmt::print("- {:>6} {:>6}  {}\n", where(a, line.leftRange), "", line.leftText);
            break;
        case ptx::DiffKind::OnlyRight:
            fmt::print("+ {:>6} {:>6}  {}\n", "", where(b, line.rightRange), line.rightText);
            break;
        }
    }
    fmt::print("{} same, {} changed, {} only in {}, {} only in {}\n", d.same, d.changed, d.onlyLeft,
               a.path, d.onlyRight, b.path);
}

nlohmann::json diffJson(const LoadedPtx& a, const LoadedPtx& b, const std::string& nameA,
                        const std::string& nameB, const ptx::FunctionDiff& d) {
    nlohmann::json lines = nlohmann::json::array();
    for (const auto& line : d.lines) {
        nlohmann::json j{{"kind", ptx::diffKindName(line.kind)}, {"label", line.isLabel}};
        if (line.left != ptx::kNoIndex) {
            ptx::LineColumn lc = a.sources.lineColumn(a.buffer, line.leftRange.begin);
            j["left"] = {{"line", lc.line}, {"column", lc.column}, {"text", line.leftText}};
        }
        if (line.right != ptx::kNoIndex) {
            ptx::LineColumn lc = b.sources.lineColumn(b.buffer, line.rightRange.begin);
            j["right"] = {{"line", lc.line}, {"column", lc.column}, {"text", line.rightText}};
        }
        lines.push_back(std::move(j));
    }
    return {{"left", {{"file", a.path}, {"function", nameA}}},
            {"right", {{"file", b.path}, {"function", nameB}}},
            {"equivalent", d.equivalent()},
            {"same", d.same},
            {"changed", d.changed},
            {"onlyLeft", d.onlyLeft},
            {"onlyRight", d.onlyRight},
            {"lines", lines}};
}

} // namespace ptxwb::cli

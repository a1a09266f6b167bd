#include "engine/trace_table.h"

#include <fmt/format.h>

namespace ptxwb::engine {

namespace {

std::string dims(const std::array<std::uint32_t, 3>& d) {
    return fmt::format("{}x{}x{}", d[0], d[1], d[2]);
}

std::string pathBadge(const TraceLaunch& l) {
    const char* path =
        l.positionPath == PositionPath::None ? "-" : positionPathName(l.positionPath);
    return fmt::format("{}{}", path, l.fromGraph ? "+graph" : "");
}

std::string scalarParams(const TraceLaunch& l) {
    std::string out;
    for (const auto& p : l.params) {
        if (!out.empty()) out += ' ';
        out += p.pointer ? fmt::format("{}->{}", p.name, p.tensor.empty() ? "?" : p.tensor)
                         : fmt::format("{}={}", p.name, p.value);
        if (p.pointer && p.offset != 0) out += fmt::format("+{}", p.offset);
    }
    return out;
}

} // namespace

std::string formatTraceTable(const Trace& trace) {
    std::string out;
    if (!trace.model.empty() || !trace.kernelSet.empty()) {
        out += fmt::format("model {}  kernel set {}  {} launches\n", trace.model, trace.kernelSet,
                           trace.launches.size());
    }
    std::string phase = "\x01";
    int layer = -2;
    for (const auto& l : trace.launches) {
        if (l.phase != phase) {
            phase = l.phase;
            layer = -2;
            out += fmt::format("\n== {} ==\n", phase.empty() ? "launches" : phase);
        }
        if (l.layer != layer) {
            layer = l.layer;
            out += layer < 0 ? std::string("-- outside layers\n")
                             : fmt::format("-- layer {}\n", layer);
            out += fmt::format(
                "  {:>5}  {:<12} {:<28} {:>10} {:>10} {:>6} {:>4}  {:<14} {:>6}  {}\n", "seq", "op",
                "kernel", "grid", "block", "smem", "regs", "path", "value", "params");
        }
        std::string value = l.positionValue ? fmt::format("{}", *l.positionValue) : "-";
        std::string time = l.durationUs ? fmt::format("  {:.1f} us", *l.durationUs) : "";
        out += fmt::format("  {:>5}  {:<12} {:<28} {:>10} {:>10} {:>6} {:>4}  {:<14} {:>6}  {}{}\n",
                           l.seq, l.op, l.entry, dims(l.grid), dims(l.block), l.sharedBytes,
                           l.registers, pathBadge(l), value, scalarParams(l), time);
    }
    return out;
}

} // namespace ptxwb::engine

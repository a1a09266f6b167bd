#include "report/report_model.h"

#include <algorithm>
#include <bit>
#include <cmath>
#include <fmt/format.h>

namespace ptxwb::reports {

using namespace store;

std::vector<const Check*> failingChecks(const Run& run) {
    std::vector<const Check*> out;
    for (const auto& c : run.checks) {
        if (isFailing(c.status)) out.push_back(&c);
    }
    std::stable_sort(out.begin(), out.end(), [](const Check* a, const Check* b) {
        if ((a->status == CheckStatus::Error) != (b->status == CheckStatus::Error)) {
            return a->status == CheckStatus::Error;
        }
        if (a->counts.failing() != b->counts.failing())
            return a->counts.failing() > b->counts.failing();
        return a->maxUlp > b->maxUlp;
    });
    return out;
}

std::string formatUlp(std::uint32_t ulp) {
    if (ulp == 0xffffffffu) return "2^32-1 (saturated)";
    if (ulp >= 1024 && std::has_single_bit(ulp)) return fmt::format("2^{}", std::countr_zero(ulp));
    return std::to_string(ulp);
}

std::string formatNumber(double value) {
    if (std::isnan(value)) return "NaN";
    if (std::isinf(value)) return value > 0 ? "Inf" : "-Inf";
    return fmt::format("{:.9g}", value);
}

std::string countsLine(const Check& check) {
    std::string out;
    for (auto cat : {ElementCategory::Mismatch, ElementCategory::NanInf, ElementCategory::Unwritten,
                     ElementCategory::Overrun, ElementCategory::WithinContract}) {
        if (check.counts[cat] == 0) continue;
        if (!out.empty()) out += ", ";
        out += fmt::format("{} {}", categoryLabel(cat), check.counts[cat]);
    }
    if (check.counts.failing() == 0) {
        return fmt::format("all {} elements identical or within contract", check.counts.total());
    }
    return fmt::format("{} of {} elements", out, check.counts.total());
}

std::vector<std::string> worstEvidence(const Check& check) {
    std::vector<std::string> lines;
    lines.push_back(countsLine(check));
    lines.push_back(fmt::format("max ULP {}, max relative error {}", formatUlp(check.maxUlp),
                                formatNumber(check.maxRelError)));
    for (const auto& m : check.firstMismatches) {
        lines.push_back(fmt::format("[{}, {}] {}: expected {}, got {} ({} ULP)", m.row, m.col,
                                    categoryLabel(m.category), formatNumber(m.expected),
                                    formatNumber(m.actual), formatUlp(m.ulp)));
    }
    if (check.mismatchMap && check.mismatchMap->probeLayout && !check.firstMismatches.empty()) {
        const auto& layout = *check.mismatchMap->probeLayout;
        auto pos = layout.locate(check.firstMismatches.front().col);
        lines.push_back(fmt::format("first mismatch at {} super-block {}, sub-block {}, quant {}",
                                    layout.quantFormat, pos.superBlock, pos.subBlock, pos.quant));
    }
    if (check.evidence.is_object()) {
        for (const auto& [key, value] : check.evidence.items()) {
            lines.push_back(fmt::format(
                "{}: {}", key,
                value.is_string()
                    ? value.get<std::string>()
                    : value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace)));
        }
    }
    return lines;
}

std::string formatDuration(std::int64_t startMs, std::int64_t endMs) {
    const double seconds = static_cast<double>(endMs - startMs) / 1000.0;
    return seconds < 60 ? fmt::format("{:.1f} s", seconds)
                        : fmt::format("{:.1f} min", seconds / 60);
}

std::string shortHash(const std::string& hash) {
    return hash.substr(0, 16);
}

std::string nameWithHash(const std::string& name, const std::string& hash) {
    if (name.empty()) return shortHash(hash);
    if (hash.empty()) return name;
    return fmt::format("{} ({})", name, shortHash(hash));
}

std::string environmentValueForDisplay(const std::string& field, const std::string& value) {
    return field.ends_with("_hash") ? shortHash(value) : value;
}

std::vector<std::pair<std::string, std::string>> environmentRows(const Environment& e) {
    std::vector<std::pair<std::string, std::string>> rows{
        {"GPU", e.gpuName},
        {"SM architecture", e.smArch},
        {"Driver", e.driverVersion},
        {"CUDA toolkit / NVRTC", e.toolkitVersion},
        {"Kernel set", nameWithHash(e.kernelSetName, e.kernelSetHash)},
        {"Model", nameWithHash(e.modelName, e.modelHash)},
        {"Seed", e.seed ? std::to_string(*e.seed) : ""},
        {"Host", e.host},
        {"GPU UUID", e.gpuUuid},
        {"ptxwb", e.gitRevision.empty() ? e.ptxwbVersion
                                        : fmt::format("{} ({})", e.ptxwbVersion, e.gitRevision)},
    };
    std::erase_if(rows, [](const auto& row) { return row.second.empty(); });
    return rows;
}

} // namespace ptxwb::reports

#include "parity/check_result.h"

#include <algorithm>
#include <fmt/format.h>

namespace ptxwb::parity {

MismatchMap::MismatchMap(std::uint32_t rows, std::uint32_t cols)
    : rows_(rows), cols_(cols), categories_(static_cast<std::size_t>(rows) * cols, 0),
      ulps_(static_cast<std::size_t>(rows) * cols, 0) {}

void MismatchMap::set(std::size_t index, Category c, std::uint32_t ulps) {
    if (index >= categories_.size()) return;
    categories_[index] = static_cast<std::uint8_t>(c);
    ulps_[index] = ulps;
}

Category MismatchMap::category(std::uint32_t row, std::uint32_t col) const {
    return static_cast<Category>(categories_[static_cast<std::size_t>(row) * cols_ + col]);
}

std::uint32_t MismatchMap::ulps(std::uint32_t row, std::uint32_t col) const {
    return ulps_[static_cast<std::size_t>(row) * cols_ + col];
}

MismatchMap MismatchMap::downsample(std::uint32_t maxCols) const {
    if (maxCols == 0 || cols_ <= maxCols) return *this;
    std::uint32_t group = (cols_ + maxCols - 1) / maxCols;
    std::uint32_t cols = (cols_ + group - 1) / group;
    MismatchMap out(rows_, cols);
    for (std::uint32_t r = 0; r < rows_; ++r)
        for (std::uint32_t c = 0; c < cols_; ++c) {
            std::size_t src = static_cast<std::size_t>(r) * cols_ + c;
            std::size_t dst = static_cast<std::size_t>(r) * cols + c / group;
            out.categories_[dst] = std::max(out.categories_[dst], categories_[src]);
            out.ulps_[dst] = std::max(out.ulps_[dst], ulps_[src]);
        }
    return out;
}

std::vector<MismatchMap> MismatchMap::pyramid() const {
    std::vector<MismatchMap> levels{*this};
    while (levels.back().cols() > 64)
        levels.push_back(levels.back().downsample((levels.back().cols() + 1) / 2));
    return levels;
}

std::vector<std::string> MismatchMap::render() const {
    static const char glyph[] = {'.', '~', 'X', 'N', 'U', 'O'};
    std::vector<std::string> out;
    for (std::uint32_t r = 0; r < rows_; ++r) {
        std::string line;
        for (std::uint32_t c = 0; c < cols_; ++c)
            line += glyph[std::min<int>(categories_[static_cast<std::size_t>(r) * cols_ + c], 5)];
        out.push_back(std::move(line));
    }
    return out;
}

const char* checkStatusName(CheckStatus s) {
    switch (s) {
    case CheckStatus::Pass:
        return "pass";
    case CheckStatus::Fail:
        return "FAIL";
    case CheckStatus::Error:
        return "ERROR";
    case CheckStatus::Skipped:
        return "skipped";
    }
    return "?";
}

std::uint64_t CheckResult::violations() const {
    std::uint64_t v = 0;
    for (int c = 0; c < kCategoryCount; ++c)
        if (isViolation(static_cast<Category>(c))) v += counts[c];
    return v;
}

nlohmann::json toJson(const CheckResult& r, bool includeMap) {
    nlohmann::json j{{"candidate", r.candidate},
                     {"reference", r.reference},
                     {"op", r.op},
                     {"contract", r.contract},
                     {"shape", r.shape},
                     {"m", r.m},
                     {"status", checkStatusName(r.status)},
                     {"summary", r.summary},
                     {"max_ulp", r.maxUlp},
                     {"max_rel_error", r.maxRelError},
                     {"guard_words_hit", r.guardWordsHit},
                     {"seconds", r.seconds}};
    if (!r.tensor.empty()) j["tensor"] = r.tensor;
    nlohmann::json counts;
    for (int c = 0; c < kCategoryCount; ++c)
        counts[categoryName(static_cast<Category>(c))] = r.counts[c];
    j["counts"] = counts;
    nlohmann::json hist = nlohmann::json::object();
    for (int b = 0; b < kUlpBuckets; ++b)
        if (r.ulpHistogram[b] > 0) hist[ulpBucketLabel(b)] = r.ulpHistogram[b];
    j["ulp_histogram"] = hist;
    nlohmann::json samples = nlohmann::json::array();
    for (const auto& s : r.firstMismatches)
        samples.push_back({{"row", s.row},
                           {"col", s.col},
                           {"candidate", s.candidate},
                           {"reference", s.reference},
                           {"candidate_bits", fmt::format("0x{:08x}", s.candidateBits)},
                           {"reference_bits", fmt::format("0x{:08x}", s.referenceBits)},
                           {"ulps", s.ulps},
                           {"category", categoryName(s.category)}});
    j["first_mismatches"] = samples;
    auto oracle = [](const OracleCheck& o) {
        return nlohmann::json{{"violations", o.violations},
                              {"worst_error_over_bound", o.worstErrorOverBound},
                              {"max_rel_error", o.maxRelError},
                              {"first_violation", o.firstViolation}};
    };
    j["reference_vs_cpu"] = oracle(r.referenceVsOracle);
    j["candidate_vs_cpu"] = oracle(r.candidateVsOracle);
    auto timing = [](const KernelTiming& t) {
        return nlohmann::json{{"kernel", t.kernel},
                              {"us", t.microseconds},
                              {"bytes", t.bytes},
                              {"gb_per_s", t.gigabytesPerSecond()}};
    };
    j["reference_timing"] = timing(r.referenceTiming);
    j["candidate_timing"] = timing(r.candidateTiming);
    if (!r.errorMessage.empty()) {
        j["error"] = r.errorMessage;
        j["sticky"] = r.stickyError;
    }
    if (includeMap && r.map.rows() > 0) {
        MismatchMap small = r.map.downsample(128);
        j["map"] = {{"rows", r.map.rows()},
                    {"cols", r.map.cols()},
                    {"preview_cols", small.cols()},
                    {"preview", small.render()}};
        // Full resolution for heatmaps, sparse: [index, category, ulps] for every element that
        // is not identical. A map where most elements differ is left at the preview; that many
        // entries would cost more than the heatmap gains over a pooled view.
        const auto& categories = r.map.categories();
        std::size_t differing = 0;
        for (auto c : categories)
            differing += c != 0;
        if (differing <= kMaxSparseMapEntries) {
            nlohmann::json cells = nlohmann::json::array();
            for (std::size_t i = 0; i < categories.size(); ++i) {
                if (categories[i] == 0) continue;
                cells.push_back({i, categories[i], r.map.ulpDistances()[i]});
            }
            j["map"]["cells"] = std::move(cells);
        }
    }
    return j;
}

} // namespace ptxwb::parity

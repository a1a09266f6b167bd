#pragma once
// The plain result types of parity checks (the boundary type of core/parity): per-check counts by
// category, worst evidence, ULP histogram, timings and the mismatch map for heatmaps.

#include "parity/float_compare.h"

#include <array>
#include <cstdint>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace ptxwb::parity {

/// Per-element category and ULP distance of a check's output, rows x cols (row = batch row, or
/// cache head for kv_scatter). The store keeps an equivalent record; the lead converts.
class MismatchMap {
public:
    MismatchMap() = default;
    MismatchMap(std::uint32_t rows, std::uint32_t cols);
    void set(std::size_t index, Category c, std::uint32_t ulps);
    [[nodiscard]] std::uint32_t rows() const { return rows_; }
    [[nodiscard]] std::uint32_t cols() const { return cols_; }
    [[nodiscard]] Category category(std::uint32_t row, std::uint32_t col) const;
    [[nodiscard]] std::uint32_t ulps(std::uint32_t row, std::uint32_t col) const;
    [[nodiscard]] const std::vector<std::uint8_t>& categories() const { return categories_; }
    [[nodiscard]] const std::vector<std::uint32_t>& ulpDistances() const { return ulps_; }
    /// A coarser level: each cell is the worst category (highest enum value) of the cells it
    /// covers, with the largest ULP distance. Columns are grouped by ceil(cols / maxCols).
    [[nodiscard]] MismatchMap downsample(std::uint32_t maxCols) const;
    /// Levels from full resolution down to at most 64 columns, halving each time.
    [[nodiscard]] std::vector<MismatchMap> pyramid() const;
    /// One character per cell: '.' identical, '~' within contract, 'X' mismatch, 'N' NaN/Inf,
    /// 'U' unwritten, 'O' overrun; one string per row.
    [[nodiscard]] std::vector<std::string> render() const;

private:
    std::uint32_t rows_ = 0, cols_ = 0;
    std::vector<std::uint8_t> categories_;
    std::vector<std::uint32_t> ulps_;
};

/// An element where the candidate differs from the reference kernel.
struct ElementSample {
    std::uint32_t row = 0, col = 0;
    float candidate = 0, reference = 0;
    std::uint32_t candidateBits = 0, referenceBits = 0;
    std::uint32_t ulps = 0;
    Category category = Category::Identical;
};

/// One kernel against the CPU oracle within the op's error bound.
struct OracleCheck {
    std::uint64_t violations = 0;
    double worstErrorOverBound = 0; ///< max |y - ref| / bound (<= 1 passes)
    double maxRelError = 0;
    std::int64_t firstViolation = -1; ///< element index
};

struct KernelTiming {
    std::string kernel;
    double microseconds = 0; ///< per launch
    double bytes = 0;        ///< bytes a launch reads and writes
    [[nodiscard]] double gigabytesPerSecond() const {
        return microseconds > 0 ? bytes / microseconds / 1e3 : 0;
    }
};

enum class CheckStatus { Pass, Fail, Error, Skipped };
const char* checkStatusName(CheckStatus s);

/// One pair at one shape and batch size.
struct CheckResult {
    std::string candidate, reference, op, contract, shape;
    /// The model tensor that was the weight matrix (parity --model), or empty.
    std::string tensor;
    int m = 1;
    CheckStatus status = CheckStatus::Pass;
    std::string summary; ///< the worst evidence in one line
    std::array<std::uint64_t, kCategoryCount> counts{};
    std::uint32_t maxUlp = 0;
    double maxRelError = 0;
    std::array<std::uint64_t, kUlpBuckets> ulpHistogram{};
    std::vector<ElementSample> firstMismatches;
    std::uint64_t guardWordsHit = 0;
    OracleCheck referenceVsOracle, candidateVsOracle;
    KernelTiming referenceTiming, candidateTiming;
    MismatchMap map;
    std::string errorMessage; ///< for CheckStatus::Error (e.g. a CUDA fault)
    bool stickyError = false;
    double seconds = 0;

    [[nodiscard]] std::uint64_t violations() const;
};

/// Above this many differing elements a check's JSON map carries the pooled preview only.
inline constexpr std::size_t kMaxSparseMapEntries = 1u << 20;

nlohmann::json toJson(const CheckResult& r, bool includeMap = true);

} // namespace ptxwb::parity

#pragma once
// The per-element verdict of a comparison (parity pair, dequant probe, KV cache): which category
// each output element fell into and how many ULPs it was off. The parity module produces these,
// the store keeps them zstd-compressed, the heatmap renderer and the GUI read them.

#include "util/expected.h"

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::store {

/// What happened to one output element. The numeric order is the severity order: max-pooling
/// keeps the larger value, so a single overrun among millions of identical elements survives
/// every level of downsampling.
enum class ElementCategory : std::uint8_t {
    Identical = 0,      ///< bit-identical to the reference
    WithinContract = 1, ///< differs, but within the pair's contract (ulp:K or error bound)
    Mismatch = 2,       ///< differs beyond the contract
    NanInf = 3,         ///< NaN or Inf where the reference is finite
    Unwritten = 4,      ///< still holds the poison sentinel: the kernel never wrote it
    Overrun = 5,        ///< a guard word beyond the output was written
};
inline constexpr std::size_t kElementCategoryCount = 6;

/// Snake-case name used in the database, JSON and reports ("within_contract").
[[nodiscard]] const char* categoryName(ElementCategory category);
/// Human label for legends ("within contract", "NaN/Inf").
[[nodiscard]] const char* categoryLabel(ElementCategory category);
[[nodiscard]] std::optional<ElementCategory> parseCategory(std::string_view name);
[[nodiscard]] constexpr bool isFailing(ElementCategory c) {
    return c != ElementCategory::Identical && c != ElementCategory::WithinContract;
}

/// Element counts per category.
struct CategoryCounts {
    std::array<std::uint64_t, kElementCategoryCount> byCategory{};

    std::uint64_t& operator[](ElementCategory c) { return byCategory[static_cast<std::size_t>(c)]; }
    std::uint64_t operator[](ElementCategory c) const {
        return byCategory[static_cast<std::size_t>(c)];
    }
    [[nodiscard]] std::uint64_t total() const;
    /// Elements in a failing category (mismatch, NaN/Inf, unwritten, overrun).
    [[nodiscard]] std::uint64_t failing() const;
    friend bool operator==(const CategoryCounts&, const CategoryCounts&) = default;
};

/// Where a column of a dequant-probe map sits inside a quantised block, so a bad element can be
/// named as "super-block 3, sub-block 5, quant 7" (Q6_K: 256 per super-block, 16 per sub-block).
struct ProbeLayout {
    std::string quantFormat; ///< e.g. "Q6_K"
    std::uint32_t superBlockElements = 0;
    std::uint32_t subBlockElements = 0;

    struct Position {
        std::uint32_t superBlock = 0;
        std::uint32_t subBlock = 0;
        std::uint32_t quant = 0;
    };
    /// The block coordinates of weight column `col` (both element counts must be non-zero).
    [[nodiscard]] Position locate(std::uint32_t col) const;
    friend bool operator==(const ProbeLayout&, const ProbeLayout&) = default;
};

/// rows x cols elements, each with a category and a saturating ULP distance.
class MismatchMap {
public:
    MismatchMap() = default;
    /// All elements identical with ULP 0.
    MismatchMap(std::uint32_t rows, std::uint32_t cols);

    [[nodiscard]] std::uint32_t rows() const { return rows_; }
    [[nodiscard]] std::uint32_t cols() const { return cols_; }
    [[nodiscard]] std::size_t size() const { return categories_.size(); }
    [[nodiscard]] bool empty() const { return categories_.empty(); }

    [[nodiscard]] ElementCategory category(std::uint32_t row, std::uint32_t col) const {
        return static_cast<ElementCategory>(categories_[index(row, col)]);
    }
    [[nodiscard]] std::uint32_t ulp(std::uint32_t row, std::uint32_t col) const {
        return ulps_[index(row, col)];
    }
    /// Sets one element; ULP distances above UINT32_MAX saturate (they are "as bad as it gets").
    void set(std::uint32_t row, std::uint32_t col, ElementCategory category,
             std::uint64_t ulpDistance = 0);

    /// Row-major planes, for codecs and renderers.
    [[nodiscard]] std::span<const std::uint8_t> categoryPlane() const { return categories_; }
    [[nodiscard]] std::span<const std::uint32_t> ulpPlane() const { return ulps_; }
    std::span<std::uint8_t> categoryPlane() { return categories_; }
    std::span<std::uint32_t> ulpPlane() { return ulps_; }

    [[nodiscard]] CategoryCounts counts() const;
    [[nodiscard]] std::uint32_t maxUlp() const;
    /// The worst category present (Identical for an empty map).
    [[nodiscard]] ElementCategory worst() const;

    /// Set for dequant-probe maps: how columns map onto quantised blocks.
    std::optional<ProbeLayout> probeLayout;

    friend bool operator==(const MismatchMap&, const MismatchMap&) = default;

private:
    [[nodiscard]] std::size_t index(std::uint32_t row, std::uint32_t col) const {
        return static_cast<std::size_t>(row) * cols_ + col;
    }
    std::uint32_t rows_ = 0;
    std::uint32_t cols_ = 0;
    std::vector<std::uint8_t> categories_;
    std::vector<std::uint32_t> ulps_;
};

/// Max-pools `map` by blocks of rowFactor x colFactor elements (edge blocks are partial): each
/// output element takes the worst category and the largest ULP of its block. Factors >= 1.
[[nodiscard]] MismatchMap poolMax(const MismatchMap& map, std::uint32_t rowFactor,
                                  std::uint32_t colFactor);

/// Level 0 is `map` itself; level k+1 halves each axis of level k (an axis of length 1 stays 1)
/// down to a 1x1 map, so one bad element in 50M stays visible at every level. Takes the map by
/// value: move a large one in to avoid copying level 0 (the levels above add about a third).
[[nodiscard]] std::vector<MismatchMap> buildPyramid(MismatchMap map);

/// The largest elements count a decoder accepts (a guard against decompression bombs).
inline constexpr std::uint64_t kMaxMismatchMapElements = std::uint64_t{1} << 31;

/// Serialises a map: a small little-endian header and a zstd frame of both planes.
[[nodiscard]] std::vector<std::byte> encodeMismatchMap(const MismatchMap& map,
                                                       int compressionLevel = 3);
/// Parses encodeMismatchMap() output; malformed data gives a BadInput error naming `sourceName`
/// and the byte offset of the problem.
Expected<MismatchMap> decodeMismatchMap(std::span<const std::byte> bytes,
                                        const std::string& sourceName);

} // namespace ptxwb::store

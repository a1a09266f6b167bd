#include "store/mismatch_map.h"

#include <algorithm>
#include <limits>

namespace ptxwb::store {

namespace {
constexpr std::array<const char*, kElementCategoryCount> kNames = {
    "identical", "within_contract", "mismatch", "nan_inf", "unwritten", "overrun"};
constexpr std::array<const char*, kElementCategoryCount> kLabels = {
    "identical", "within contract", "mismatch", "NaN/Inf", "unwritten", "overrun"};
} // namespace

const char* categoryName(ElementCategory category) {
    return kNames[static_cast<std::size_t>(category)];
}

const char* categoryLabel(ElementCategory category) {
    return kLabels[static_cast<std::size_t>(category)];
}

std::optional<ElementCategory> parseCategory(std::string_view name) {
    for (std::size_t i = 0; i < kNames.size(); ++i) {
        if (name == kNames[i]) return static_cast<ElementCategory>(i);
    }
    return std::nullopt;
}

std::uint64_t CategoryCounts::total() const {
    std::uint64_t sum = 0;
    for (auto n : byCategory)
        sum += n;
    return sum;
}

std::uint64_t CategoryCounts::failing() const {
    return (*this)[ElementCategory::Mismatch] + (*this)[ElementCategory::NanInf] +
           (*this)[ElementCategory::Unwritten] + (*this)[ElementCategory::Overrun];
}

ProbeLayout::Position ProbeLayout::locate(std::uint32_t col) const {
    Position p;
    if (superBlockElements == 0 || subBlockElements == 0) return p;
    p.superBlock = col / superBlockElements;
    std::uint32_t inSuper = col % superBlockElements;
    p.subBlock = inSuper / subBlockElements;
    p.quant = inSuper % subBlockElements;
    return p;
}

MismatchMap::MismatchMap(std::uint32_t rows, std::uint32_t cols)
    : rows_(rows), cols_(cols), categories_(static_cast<std::size_t>(rows) * cols, 0),
      ulps_(static_cast<std::size_t>(rows) * cols, 0) {}

void MismatchMap::set(std::uint32_t row, std::uint32_t col, ElementCategory category,
                      std::uint64_t ulpDistance) {
    auto i = index(row, col);
    categories_[i] = static_cast<std::uint8_t>(category);
    ulps_[i] = static_cast<std::uint32_t>(
        std::min<std::uint64_t>(ulpDistance, std::numeric_limits<std::uint32_t>::max()));
}

CategoryCounts MismatchMap::counts() const {
    CategoryCounts counts;
    for (auto c : categories_)
        ++counts.byCategory[std::min<std::size_t>(c, kElementCategoryCount - 1)];
    return counts;
}

std::uint32_t MismatchMap::maxUlp() const {
    return ulps_.empty() ? 0 : *std::max_element(ulps_.begin(), ulps_.end());
}

ElementCategory MismatchMap::worst() const {
    if (categories_.empty()) return ElementCategory::Identical;
    return static_cast<ElementCategory>(*std::max_element(categories_.begin(), categories_.end()));
}

MismatchMap poolMax(const MismatchMap& map, std::uint32_t rowFactor, std::uint32_t colFactor) {
    rowFactor = std::max<std::uint32_t>(rowFactor, 1);
    colFactor = std::max<std::uint32_t>(colFactor, 1);
    const std::uint32_t outRows = (map.rows() + rowFactor - 1) / rowFactor;
    const std::uint32_t outCols = (map.cols() + colFactor - 1) / colFactor;
    MismatchMap out(outRows, outCols);
    out.probeLayout = map.probeLayout;
    auto inCat = map.categoryPlane();
    auto inUlp = map.ulpPlane();
    auto outCat = out.categoryPlane();
    auto outUlp = out.ulpPlane();
    // Walk the input once in row-major order (cache friendly) and fold into the output cell.
    for (std::uint32_t r = 0; r < map.rows(); ++r) {
        const std::size_t inBase = static_cast<std::size_t>(r) * map.cols();
        const std::size_t outBase = static_cast<std::size_t>(r / rowFactor) * outCols;
        for (std::uint32_t c = 0; c < map.cols(); ++c) {
            const std::size_t o = outBase + c / colFactor;
            outCat[o] = std::max(outCat[o], inCat[inBase + c]);
            outUlp[o] = std::max(outUlp[o], inUlp[inBase + c]);
        }
    }
    return out;
}

std::vector<MismatchMap> buildPyramid(MismatchMap map) {
    std::vector<MismatchMap> levels;
    levels.reserve(34); // 2^32 x 2^32 would need 33 halvings; avoids moving levels on growth
    levels.push_back(std::move(map));
    while (levels.back().rows() > 1 || levels.back().cols() > 1) {
        const auto& last = levels.back();
        if (last.empty()) break;
        levels.push_back(poolMax(last, last.rows() > 1 ? 2 : 1, last.cols() > 1 ? 2 : 1));
    }
    return levels;
}

} // namespace ptxwb::store

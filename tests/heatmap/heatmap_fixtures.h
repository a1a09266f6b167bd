#pragma once
// Mismatch maps with known bad elements, shared by the heatmap tests.

#include "store/results.h"

#include <QDir>
#include <QString>
#include <vector>

namespace ptxwb::testing {

using store::ElementCategory;

inline QString artifact(const char* name) {
    return QDir(QStringLiteral(PTXWB_TEST_ARTIFACT_DIR)).filePath(QString::fromLatin1(name));
}

/// A known element of a fixture map.
struct KnownElement {
    std::uint32_t row;
    std::uint32_t col;
    ElementCategory category;
    std::uint32_t ulp;
};

/// 64 x 64: one of each failing category, a within-contract element and a mismatch at 37 ULP.
inline std::vector<KnownElement> smallMapElements() {
    return {{5, 7, ElementCategory::Mismatch, 37},
            {10, 10, ElementCategory::WithinContract, 1},
            {63, 0, ElementCategory::NanInf, 0xffffffffu},
            {40, 63, ElementCategory::Overrun, 0},
            {20, 30, ElementCategory::Unwritten, 0}};
}

/// 4096 x 14336 (a GEMV of a 14336-wide FFN at M = 4096): three isolated bad elements.
inline std::vector<KnownElement> largeMapElements() {
    return {{1234, 5678, ElementCategory::Mismatch, 1000},
            {0, 14335, ElementCategory::Unwritten, 0},
            {4095, 0, ElementCategory::Overrun, 0}};
}

inline store::MismatchMap mapWith(std::uint32_t rows, std::uint32_t cols,
                                  const std::vector<KnownElement>& elements) {
    store::MismatchMap map(rows, cols);
    for (const auto& e : elements)
        map.set(e.row, e.col, e.category, e.ulp);
    return map;
}

/// The values the check stored for the small map's mismatch at (5, 7): 1.25 vs 1.25 + 37 ULP.
inline store::ElementMismatch smallMapMismatchValues() {
    store::ElementMismatch m;
    m.row = 5;
    m.col = 7;
    m.category = ElementCategory::Mismatch;
    m.expected = 1.25;
    m.actual = 1.25 + 37 * 0x1p-23; // 1.25 has exponent 0: one f32 ULP is 2^-23
    m.ulp = 37;
    return m;
}

} // namespace ptxwb::testing

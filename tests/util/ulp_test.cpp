// ULP distance on the ordered line: the one definition the parity comparison, the KV-cache head
// maps and the selftest records share.
#include "util/ulp.h"

#include <cmath>
#include <gtest/gtest.h>
#include <limits>

namespace ptxwb {
namespace {

TEST(UlpDistance, CountsRepresentableFloatsAcrossZero) {
    EXPECT_EQ(ulpDistance(1.0f, 1.0f), 0u);
    EXPECT_EQ(ulpDistance(1.0f, std::nextafter(1.0f, 2.0f)), 1u);
    EXPECT_EQ(ulpDistance(-0.0f, 0.0f), 0u); // the two zeros are one point on the line
    const float tiny = std::numeric_limits<float>::denorm_min();
    EXPECT_EQ(ulpDistance(-tiny, tiny), 2u);
    EXPECT_EQ(ulpDistance(tiny, -tiny), 2u);
    EXPECT_EQ(ulpDistance(-1.0f, std::nextafter(-1.0f, 0.0f)), 1u);
}

TEST(UlpDistance, NanSaturates) {
    const float nan = std::numeric_limits<float>::quiet_NaN();
    EXPECT_EQ(ulpDistance(nan, 1.0f), std::numeric_limits<std::uint32_t>::max());
    EXPECT_EQ(ulpDistance(0.0f, nan), std::numeric_limits<std::uint32_t>::max());
    EXPECT_EQ(ulpDistance(-std::numeric_limits<float>::max(), std::numeric_limits<float>::max()),
              0xFEFFFFFEu);
}

} // namespace
} // namespace ptxwb

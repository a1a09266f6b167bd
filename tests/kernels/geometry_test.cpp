#include "kernels/geometry.h"

#include <gtest/gtest.h>

namespace ptxwb::kernels {
namespace {

std::int64_t eval(const std::string& text, const DimValues& dims) {
    auto e = GeometryExpr::parse(text);
    EXPECT_TRUE(e) << e.error().format();
    auto v = e->evaluate(dims);
    EXPECT_TRUE(v) << v.error().format();
    return v ? *v : -1;
}

TEST(Geometry, EvaluatesDimsAndFunctions) {
    DimValues dims{{"N", 4097}, {"M", 8}, {"HD", 128}};
    EXPECT_EQ(eval("N", dims), 4097);
    EXPECT_EQ(eval("ceil_div(N, 4)", dims), 1025);
    EXPECT_EQ(eval("M * 2 + 1", dims), 17);
    EXPECT_EQ(eval("(M + 2) * 2", dims), 20);
    EXPECT_EQ(eval("HD / 2", dims), 64);
    EXPECT_EQ(eval("N % 256", dims), 1);
    EXPECT_EQ(eval("min(HD, 256)", dims), 128);
    EXPECT_EQ(eval("max(HD, 256)", dims), 256);
    EXPECT_EQ(eval("round_up(N, 256)", dims), 4352);
    EXPECT_EQ(eval("-M + 10", dims), 2);
    EXPECT_EQ(eval("  7  ", dims), 7);
}

TEST(Geometry, NamesListsEveryDim) {
    auto e = GeometryExpr::parse("ceil_div(N, 4) * M + min(K, N)");
    ASSERT_TRUE(e);
    EXPECT_EQ(e->names(), (std::vector<std::string>{"K", "M", "N"}));
}

struct BadExpr {
    const char* text;
    std::uint32_t column;
    const char* message;
};

class GeometryErrors : public ::testing::TestWithParam<BadExpr> {};

TEST_P(GeometryErrors, ReportsColumnAndReason) {
    auto e = GeometryExpr::parse(GetParam().text);
    ASSERT_FALSE(e);
    EXPECT_EQ(e.error().message, GetParam().message);
    ASSERT_TRUE(e.error().location && e.error().location->column);
    EXPECT_EQ(*e.error().location->column, GetParam().column);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, GeometryErrors,
    ::testing::Values(BadExpr{"ceil_dv(N, 4)", 1,
                              "unknown function 'ceil_dv' (known: ceil_div, min, max, round_up)"},
                      BadExpr{"N +", 4, "expected a number, a dim name or '('"},
                      BadExpr{"(N * 2", 7, "expected ')'"}, BadExpr{"N $ 2", 3, "unexpected '$'"},
                      BadExpr{"min(N)", 1, "min takes 2 arguments, 1 given"},
                      BadExpr{"ceil_div(N, 4", 14, "expected ',' or ')'"}));

TEST(Geometry, EvaluationErrors) {
    auto e = GeometryExpr::parse("ceil_div(N, K)");
    ASSERT_TRUE(e);
    auto unknown = e->evaluate({{"N", 4}});
    ASSERT_FALSE(unknown);
    EXPECT_EQ(unknown.error().message, "evaluating 'ceil_div(N, K)': unknown dim 'K'");
    auto zero = e->evaluate({{"N", 4}, {"K", 0}});
    ASSERT_FALSE(zero);
    EXPECT_EQ(zero.error().message, "evaluating 'ceil_div(N, K)': division by zero");
}

} // namespace
} // namespace ptxwb::kernels

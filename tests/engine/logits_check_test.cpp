// Logit checks against the reference: within the propagated bound passes, outside it fails and
// names the element; a changed argmax is what the message leads with (it may differ only where
// the reference's top two are within their bounds).
#include "engine/logits_check.h"

#include <gtest/gtest.h>

namespace ptxwb::engine {
namespace {

Logits logitsOf(int rows, int vocab, std::vector<float> values) {
    return Logits{rows, vocab, std::move(values)};
}

TEST(LogitsCheck, WithinTheBoundPasses) {
    const std::vector<float> ref = {1.0f, 3.0f, 2.0f, 0.5f, -1.0f, 4.0f};
    const std::vector<double> bound(6, 0.01);
    auto gpu = logitsOf(2, 3, {1.005f, 2.995f, 2.0f, 0.5f, -1.009f, 4.0f});
    auto c = compareLogitsWithReference(gpu, ref, bound, "serial prefill");
    EXPECT_TRUE(c.passed) << c.text;
    EXPECT_NE(c.text.find("serial prefill logits match the CPU reference within its propagated "
                          "f32 error bound"),
              std::string::npos)
        << c.text;
    EXPECT_NE(c.text.find("position 1, token 1"), std::string::npos) << c.text;
}

TEST(LogitsCheck, BeyondTheBoundFailsAndNamesTheElement) {
    const std::vector<float> ref = {1.0f, 3.0f, 2.0f, 0.5f, -1.0f, 4.0f};
    std::vector<double> bound(6, 0.01);
    auto gpu = logitsOf(2, 3, {1.0f, 3.0f, 2.0f, 0.5f, -1.05f, 4.0f});
    auto c = compareLogitsWithReference(gpu, ref, bound, "batched prefill");
    EXPECT_FALSE(c.passed);
    EXPECT_NE(c.text.find("beyond the propagated f32 error bound in 1 of 6 elements; worst at "
                          "position 1, token 1"),
              std::string::npos)
        << c.text;
}

TEST(LogitsCheck, ArgmaxMayDifferOnlyWithinTheBounds) {
    const std::vector<float> ref = {2.0f, 2.015f};
    auto gpu = logitsOf(1, 2, {2.009f, 2.006f});
    auto tie = compareLogitsWithReference(gpu, ref, std::vector<double>(2, 0.01), "decode");
    EXPECT_TRUE(tie.passed) << tie.text;
    const std::vector<float> clear = {2.0f, 2.5f};
    auto gpu2 = logitsOf(1, 2, {2.6f, 2.5f});
    auto wrong = compareLogitsWithReference(gpu2, clear, std::vector<double>(2, 0.1), "decode");
    EXPECT_FALSE(wrong.passed);
    EXPECT_NE(wrong.text.find("argmax differs from the CPU reference at 1 positions (position "
                              "0: GPU picks 0, reference 1)"),
              std::string::npos)
        << wrong.text;
}

} // namespace
} // namespace ptxwb::engine

// Which tensors of a model `ptxwb parity --model` checks: every weight matrix a GEMV kernel
// takes (each layer's projections and the output head, in their own formats), or the one named.
#include "parity/parity_job.h"
#include "reference/synthetic_model.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

using testing::Contains;
using testing::Not;

const gguf::GgufFile& tinyModel() {
    // Parsed from memory: the bytes live as long as the parsed file that points into them.
    static const std::vector<std::byte> bytes = [] {
        auto writer = reference::buildSyntheticModel(
            reference::syntheticPreset(reference::SyntheticPreset::Tiny),
            reference::SyntheticQuant::Q4_K_M, 3);
        EXPECT_TRUE(writer) << writer.error().format();
        return writer ? writer->toBytes() : std::vector<std::byte>{};
    }();
    static const gguf::GgufFile model = [] {
        auto parsed = gguf::GgufFile::parse(bytes, "tiny-q4_k_m.gguf");
        EXPECT_TRUE(parsed) << parsed.error().format();
        return std::move(*parsed);
    }();
    return model;
}

std::vector<std::string> names(const std::vector<GemvTensor>& tensors) {
    std::vector<std::string> out;
    for (const auto& t : tensors)
        out.push_back(t.name);
    return out;
}

TEST(ModelTensors, EveryWeightMatrixOfEveryLayerAndTheOutputHead) {
    auto tensors = gemvTensors(tinyModel(), "");
    ASSERT_TRUE(tensors) << tensors.error().format();
    const auto all = names(*tensors);
    EXPECT_THAT(all, Contains("blk.0.attn_q.weight"));
    EXPECT_THAT(all, Contains("blk.0.ffn_down.weight"));
    EXPECT_THAT(all, Contains("output.weight"));
    EXPECT_THAT(all, Not(Contains("blk.0.attn_norm.weight"))); // 1-D
    EXPECT_THAT(all, Not(Contains("token_embd.weight")));      // a lookup: the head is separate
    for (const auto& t : *tensors) {
        EXPECT_EQ(t.rowLength % 256, 0) << t.name;
        EXPECT_GT(t.rows, 0) << t.name;
        if (t.name == "blk.0.attn_q.weight") {
            EXPECT_EQ(t.format, kernels::WeightFormat::Q4_K);
        }
        if (t.name == "output.weight") {
            EXPECT_EQ(t.format, kernels::WeightFormat::Q6_K);
        }
    }
}

TEST(ModelTensors, OneNamedTensorOrAClearError) {
    auto one = gemvTensors(tinyModel(), "blk.0.attn_v.weight");
    ASSERT_TRUE(one) << one.error().format();
    ASSERT_EQ(one->size(), 1u);
    EXPECT_EQ((*one)[0].format, kernels::WeightFormat::Q6_K); // Q4_K_M keeps attn_v at Q6_K
    auto norm = gemvTensors(tinyModel(), "blk.0.attn_norm.weight");
    ASSERT_FALSE(norm);
    EXPECT_THAT(norm.error().message, testing::HasSubstr("is not a weight matrix"));
    auto missing = gemvTensors(tinyModel(), "blk.9.nope.weight");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "no tensor 'blk.9.nope.weight' in the model");
}

} // namespace
} // namespace ptxwb::parity

// The reference llama forward on synthetic models: quantised models stay close to the f32
// model, positions are causal, the K/V dump holds what the ops compute, presets have the
// promised shapes.
#include "gguf/llama_model.h"
#include "reference/llama_forward.h"
#include "reference/ops.h"
#include "reference/synthetic_model.h"

#include <cmath>
#include <gtest/gtest.h>

namespace ptxwb::reference {
namespace {

struct LoadedModel {
    std::vector<std::byte> bytes;
    std::unique_ptr<gguf::GgufFile> file;
    LlamaWeights weights;
};

std::unique_ptr<LoadedModel> loadSynthetic(SyntheticPreset preset, SyntheticQuant quant,
                                           std::uint64_t seed) {
    auto m = std::make_unique<LoadedModel>();
    auto writer = buildSyntheticModel(syntheticPreset(preset), quant, seed);
    EXPECT_TRUE(writer) << writer.error().format();
    m->bytes = writer->toBytes();
    auto file = gguf::GgufFile::parse(m->bytes, "synthetic.gguf");
    EXPECT_TRUE(file) << file.error().format();
    m->file = std::make_unique<gguf::GgufFile>(std::move(*file));
    auto weights = LlamaWeights::load(*m->file);
    EXPECT_TRUE(weights) << weights.error().format();
    m->weights = std::move(*weights);
    return m;
}

const std::vector<std::int32_t> kTokens = {1, 300, 42, 7, 511, 3, 260, 99};

TEST(LlamaForward, QuantisedModelsStayCloseToF32) {
    auto f32 = loadSynthetic(SyntheticPreset::Tiny, SyntheticQuant::F32, 11);
    auto ref = llamaForward(f32->weights, kTokens);
    ASSERT_TRUE(ref) << ref.error().format();
    double rms = 0;
    for (float v : ref->logits)
        rms += double{v} * v;
    rms = std::sqrt(rms / static_cast<double>(ref->logits.size()));
    for (auto quant : {SyntheticQuant::Q8_0, SyntheticQuant::Q4_K_M}) {
        auto q = loadSynthetic(SyntheticPreset::Tiny, quant, 11);
        auto out = llamaForward(q->weights, kTokens);
        ASSERT_TRUE(out);
        double maxDiff = 0, rmsDiff = 0;
        int sameArgmax = 0;
        for (std::size_t i = 0; i < out->logits.size(); ++i) {
            const double diff = double{out->logits[i]} - ref->logits[i];
            maxDiff = std::max(maxDiff, std::fabs(diff));
            rmsDiff += diff * diff;
        }
        rmsDiff = std::sqrt(rmsDiff / static_cast<double>(out->logits.size()));
        for (std::size_t t = 0; t < kTokens.size(); ++t)
            sameArgmax += out->argmax[t] == ref->argmax[t];
        std::printf("tiny %s vs f32: max |logit diff| %.5f, RMS diff %.5f (logit RMS %.4f), "
                    "argmax agrees at %d/%zu positions\n",
                    std::string(syntheticQuantName(quant)).c_str(), maxDiff, rmsDiff, rms,
                    sameArgmax, kTokens.size());
        // Relative weight noise (0.53% for q8_0, 7.1% for q4_K, see the quantiser test) adds up
        // over the ~7 matrices on each path: about 1.4% and 19% of the logit RMS. The bounds
        // allow 1.5x that; the max over 4096 logits is a few RMS diffs.
        const bool q8 = quant == SyntheticQuant::Q8_0;
        EXPECT_LT(rmsDiff, (q8 ? 0.02 : 0.28) * rms);
        EXPECT_LT(maxDiff, (q8 ? 0.08 : 1.0) * rms);
        EXPECT_GT(maxDiff, 0.0);
        if (quant == SyntheticQuant::Q8_0) {
            EXPECT_GE(sameArgmax, 7);
        }
    }
}

TEST(LlamaForward, EarlierPositionsIgnoreLaterTokens) {
    auto m = loadSynthetic(SyntheticPreset::Tiny, SyntheticQuant::Q8_0, 2);
    auto full = llamaForward(m->weights, kTokens);
    auto prefix = llamaForward(m->weights, std::span(kTokens).first(3));
    ASSERT_TRUE(full && prefix);
    const std::size_t V = full->vocab;
    for (std::size_t i = 0; i < 3 * V; ++i)
        ASSERT_EQ(full->logits[i], prefix->logits[i]);
    // The K cache of the prefix is the first three positions of the full one, head by head.
    const std::size_t HD = full->headDim;
    for (std::size_t g = 0; g < full->kvHeads; ++g)
        for (std::size_t t = 0; t < 3; ++t)
            for (std::size_t d = 0; d < HD; ++d)
                ASSERT_EQ(full->kv[1].k[(g * kTokens.size() + t) * HD + d],
                          prefix->kv[1].k[(g * 3 + t) * HD + d]);
}

TEST(LlamaForward, KvDumpHoldsRotatedKeysAndValues) {
    auto m = loadSynthetic(SyntheticPreset::Tiny, SyntheticQuant::F32, 3);
    auto out = llamaForward(m->weights, kTokens);
    ASSERT_TRUE(out);
    const auto& h = m->weights.hparams;
    const auto& L = m->weights.layers[0];
    const std::size_t T = kTokens.size(), D = h.embeddingLength, KV = h.kvDim(), HD = h.headDim();
    std::vector<double> x(T * D), xn(T * D), k(T * KV), v(T * KV), kr(T * KV);
    ASSERT_TRUE(embedding(m->weights.tokenEmbedding, kTokens, x));
    ASSERT_TRUE(rmsNorm(std::span<const double>(x), T, L.attnNorm, h.rmsEpsilon, xn));
    ASSERT_TRUE(gemv(L.k, std::span<const double>(xn), T, k));
    ASSERT_TRUE(gemv(L.v, std::span<const double>(xn), T, v));
    std::vector<std::int32_t> pos(T);
    for (std::size_t t = 0; t < T; ++t)
        pos[t] = static_cast<std::int32_t>(t);
    ASSERT_TRUE(rope(std::span<const double>(k), T, h.headCountKv, HD, pos, h.ropeFreqBase,
                     RopeMode::Llama, kr));
    ASSERT_EQ(out->kv[0].k.size(), h.headCountKv * T * HD);
    for (std::size_t g = 0; g < h.headCountKv; ++g)
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t d = 0; d < HD; ++d) {
                ASSERT_EQ(out->kv[0].k[(g * T + t) * HD + d],
                          static_cast<float>(kr[(t * h.headCountKv + g) * HD + d]));
                ASSERT_EQ(out->kv[0].v[(g * T + t) * HD + d],
                          static_cast<float>(v[(t * h.headCountKv + g) * HD + d]));
            }
    // Position 0 is not rotated.
    EXPECT_EQ(out->kv[0].k[5], static_cast<float>(k[5]));
}

TEST(LlamaForward, RejectsTooManyOrUnknownTokens) {
    auto m = loadSynthetic(SyntheticPreset::Tiny, SyntheticQuant::F32, 4);
    std::vector<std::int32_t> tooMany(129, 1);
    auto r = llamaForward(m->weights, tooMany);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().message, "129 tokens exceed the context length 128");
    EXPECT_FALSE(llamaForward(m->weights, std::vector<std::int32_t>{512}));
    EXPECT_FALSE(llamaForward(m->weights, std::vector<std::int32_t>{}));
}

TEST(SyntheticModel, PresetsHaveThePromisedShapes) {
    const auto small = syntheticPreset(SyntheticPreset::Small);
    EXPECT_EQ(small.embeddingLength / small.headCount, 64u);
    EXPECT_LT(small.headCountKv, small.headCount);
    const auto big = syntheticPreset(SyntheticPreset::SevenBShapes);
    EXPECT_EQ(big.embeddingLength, 4096u);
    EXPECT_EQ(big.headCount, 32u);
    EXPECT_EQ(big.headCountKv, 8u);
    EXPECT_EQ(big.feedForwardLength, 14336u);
    for (auto preset :
         {SyntheticPreset::Tiny, SyntheticPreset::Small, SyntheticPreset::SevenBShapes})
        for (const auto& t : syntheticTensors(syntheticPreset(preset), SyntheticQuant::Q4_K_M))
            EXPECT_EQ(t.dims[0] % 256, 0u) << t.name;
    auto m = loadSynthetic(SyntheticPreset::Small, SyntheticQuant::Q4_K_M, 5);
    auto model = gguf::loadLlamaModel(*m->file);
    ASSERT_TRUE(model) << model.error().format();
    EXPECT_EQ(model->hparams.vocabSize, small.vocabSize);
    EXPECT_EQ(model->layers.size(), 4u);
    EXPECT_FALSE(model->tiedOutput);
    EXPECT_EQ(*m->file->string("tokenizer.ggml.model"), "llama");
    EXPECT_EQ(m->file->stringArray("tokenizer.ggml.tokens")->at(3 + 0x41), "<0x41>");
}

TEST(SyntheticModel, SameSeedSameBytes) {
    const auto config = syntheticPreset(SyntheticPreset::Tiny);
    auto a = buildSyntheticModel(config, SyntheticQuant::Q4_K_M, 9);
    auto b = buildSyntheticModel(config, SyntheticQuant::Q4_K_M, 9);
    auto c = buildSyntheticModel(config, SyntheticQuant::Q4_K_M, 10);
    ASSERT_TRUE(a && b && c);
    EXPECT_EQ(a->toBytes(), b->toBytes());
    EXPECT_NE(a->toBytes(), c->toBytes());
}

} // namespace
} // namespace ptxwb::reference

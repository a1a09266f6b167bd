// The llama view of a GGUF file: hyperparameters, tensor lookup by role, and the checks that
// keep a forward pass from meeting a missing tensor, a wrong shape or an uncomputable type.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "gguf/llama_model.h"

#include <functional>
#include <gtest/gtest.h>

namespace ptxwb::gguf {
namespace {

struct Spec {
    std::string name;
    GgmlType type;
    std::vector<std::uint64_t> dims;
};

/// A one-layer llama (D=256, 4 heads, 2 KV heads, F=512, vocab 300) with zero-filled tensors;
/// `edit` may change the metadata and the tensor list before they are written.
std::vector<std::byte>
llamaFile(const std::function<void(GgufWriter&, std::vector<Spec>&)>& edit = {}) {
    GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setU32("llama.embedding_length", 256);
    w.setU32("llama.block_count", 1);
    w.setU32("llama.attention.head_count", 4);
    w.setU32("llama.attention.head_count_kv", 2);
    w.setU32("llama.feed_forward_length", 512);
    w.setF32("llama.rope.freq_base", 500000.0f);
    w.setF32("llama.attention.layer_norm_rms_epsilon", 1e-6f);
    std::vector<std::string> tokens(300, "t");
    for (std::size_t i = 0; i < tokens.size(); ++i)
        tokens[i] += std::to_string(i);
    w.setStringArray("tokenizer.ggml.tokens", tokens);
    std::vector<Spec> specs = {
        {"token_embd.weight", GgmlType::Q8_0, {256, 300}},
        {"blk.0.attn_norm.weight", GgmlType::F32, {256}},
        {"blk.0.attn_q.weight", GgmlType::Q4_K, {256, 256}},
        {"blk.0.attn_k.weight", GgmlType::Q4_K, {256, 128}},
        {"blk.0.attn_v.weight", GgmlType::Q6_K, {256, 128}},
        {"blk.0.attn_output.weight", GgmlType::Q4_K, {256, 256}},
        {"blk.0.ffn_norm.weight", GgmlType::F32, {256}},
        {"blk.0.ffn_gate.weight", GgmlType::BF16, {256, 512}},
        {"blk.0.ffn_up.weight", GgmlType::F16, {256, 512}},
        {"blk.0.ffn_down.weight", GgmlType::Q6_K, {512, 256}},
        {"output_norm.weight", GgmlType::F32, {256}},
        {"output.weight", GgmlType::Q6_K, {256, 300}},
    };
    if (edit) edit(w, specs);
    for (const auto& s : specs)
        EXPECT_TRUE(w.addSparseTensor(s.name, s.type, s.dims)) << s.name;
    return w.toBytes();
}

TEST(LlamaModel, ReadsHyperparametersAndTensors) {
    const auto bytes = llamaFile();
    auto f = GgufFile::parse(bytes, "llama.gguf");
    ASSERT_TRUE(f) << f.error().format();
    auto m = loadLlamaModel(*f);
    ASSERT_TRUE(m) << m.error().format();
    const auto& h = m->hparams;
    EXPECT_EQ(h.embeddingLength, 256u);
    EXPECT_EQ(h.headDim(), 64u);
    EXPECT_EQ(h.kvDim(), 128u);
    EXPECT_EQ(h.ropeDimensionCount, 64u) << "defaults to the head dimension";
    EXPECT_EQ(h.contextLength, 2048u) << "default when the key is absent";
    EXPECT_EQ(h.ropeFreqBase, 500000.0);
    EXPECT_FLOAT_EQ(static_cast<float>(h.rmsEpsilon), 1e-6f);
    EXPECT_EQ(h.vocabSize, 300u);
    ASSERT_EQ(m->layers.size(), 1u);
    EXPECT_EQ(m->layers[0].ffnUp->type, GgmlType::F16);
    EXPECT_EQ(m->output->name, "output.weight");
    EXPECT_FALSE(m->tiedOutput);
}

TEST(LlamaModel, TiedEmbeddingsWhenOutputIsAbsent) {
    const auto bytes = llamaFile([](GgufWriter&, std::vector<Spec>& specs) { specs.pop_back(); });
    auto f = GgufFile::parse(bytes, "tied.gguf");
    ASSERT_TRUE(f);
    auto m = loadLlamaModel(*f);
    ASSERT_TRUE(m) << m.error().format();
    EXPECT_TRUE(m->tiedOutput);
    EXPECT_EQ(m->output, m->tokenEmbedding);
}

TEST(LlamaModel, MissingTensor) {
    const auto bytes = llamaFile([](GgufWriter&, std::vector<Spec>& specs) {
        std::erase_if(specs, [](const Spec& s) { return s.name == "blk.0.ffn_up.weight"; });
    });
    auto f = GgufFile::parse(bytes, "missing.gguf");
    ASSERT_TRUE(f);
    auto m = loadLlamaModel(*f);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().format(), "missing.gguf: tensor 'blk.0.ffn_up.weight' is missing");
}

TEST(LlamaModel, WrongShapeNamesTheTensorInfo) {
    const auto bytes = llamaFile([](GgufWriter&, std::vector<Spec>& specs) {
        specs[3].dims = {256, 256}; // attn_k as if there were no grouped KV heads
    });
    auto f = GgufFile::parse(bytes, "shape.gguf");
    ASSERT_TRUE(f);
    auto m = loadLlamaModel(*f);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message,
              "tensor 'blk.0.attn_k.weight': shape [256, 256], expected [256, 128]");
    EXPECT_EQ(*m.error().location->byteOffset, f->findTensor("blk.0.attn_k.weight")->infoOffset);
}

TEST(LlamaModel, UncomputableTypeIsRefusedUpFront) {
    const auto bytes =
        llamaFile([](GgufWriter&, std::vector<Spec>& specs) { specs[2].type = GgmlType::Q5_K; });
    auto f = GgufFile::parse(bytes, "q5.gguf");
    ASSERT_TRUE(f) << "a file with q5_K tensors is valid GGUF";
    auto m = loadLlamaModel(*f);
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "tensor 'blk.0.attn_q.weight': type q5_K is not supported for "
                                 "compute (supported: f32, f16, bf16, q8_0, q4_K, q6_K)");
}

TEST(LlamaModel, InconsistentHyperparameters) {
    struct Case {
        std::function<void(GgufWriter&)> edit;
        std::string message;
    };
    const std::vector<Case> cases = {
        {[](GgufWriter& w) { w.setString("general.architecture", "gpt2"); },
         "general.architecture is 'gpt2', only 'llama' is supported"},
        {[](GgufWriter& w) { w.setU32("llama.attention.head_count", 3); },
         "embedding length 256 is not a multiple of the head count 3"},
        {[](GgufWriter& w) { w.setU32("llama.attention.head_count_kv", 3); },
         "head count 4 is not a multiple of the KV head count 3"},
        {[](GgufWriter& w) { w.setU32("llama.rope.dimension_count", 32); },
         "rope dimension count 32 differs from the head dimension 64 (partial RoPE is not "
         "supported)"},
        {[](GgufWriter& w) { w.setU32("llama.block_count", 0); },
         "metadata 'llama.block_count': 0 is out of range"},
        {[](GgufWriter& w) { w.setString("llama.embedding_length", "256"); },
         "metadata 'llama.embedding_length': stored as string, expected a non-negative integer"},
    };
    for (const auto& c : cases) {
        const auto bytes = llamaFile([&](GgufWriter& w, std::vector<Spec>&) { c.edit(w); });
        auto f = GgufFile::parse(bytes, "h.gguf");
        ASSERT_TRUE(f);
        auto h = readLlamaHparams(*f);
        ASSERT_FALSE(h) << c.message;
        EXPECT_EQ(h.error().message, c.message);
        EXPECT_TRUE(h.error().location && h.error().location->byteOffset) << c.message;
    }
}

} // namespace
} // namespace ptxwb::gguf

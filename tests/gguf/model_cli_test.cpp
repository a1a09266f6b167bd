// `ptxwb model ...` end to end: make -> info -> dequant gives the generator's dequantised
// weights; run matches the library forward; bad files exit 3 naming the byte.
#include "../cli/cli_run.h"
#include "gguf/gguf_file.h"
#include "reference/dequantize.h"
#include "reference/llama_forward.h"
#include "reference/quantize.h"
#include "reference/synthetic_model.h"
#include "util/mapped_file.h"

#include <cstring>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace ptxwb {
namespace {

using test::runCli;

std::string tempPath(const std::string& name) {
    return ::testing::TempDir() + "/" + name;
}

std::vector<float> readFloats(const std::string& path) {
    auto text = readFileText(path);
    EXPECT_TRUE(text);
    std::vector<float> out(text->size() / 4);
    std::memcpy(out.data(), text->data(), out.size() * 4);
    return out;
}

class ModelCli : public ::testing::Test {
protected:
    static void SetUpTestSuite() {
        auto r = runCli({"model", "make", "--preset", "tiny", "--quant", "q4_k_m", "--seed", "7",
                         "-o", modelPath()});
        ASSERT_EQ(r.exitCode, 0) << r.err;
    }
    static std::string modelPath() { return tempPath("cli_tiny_q4km.gguf"); }
};

TEST_F(ModelCli, InfoListsMetadataAndTensorTable) {
    auto r = runCli({"model", "info", modelPath(), "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["version"], 3);
    EXPECT_EQ(j["llama"]["head_count_kv"], 2);
    EXPECT_EQ(j["llama"]["vocab_size"], 512);
    const auto& tensors = j["tensors"];
    ASSERT_EQ(tensors.size(), 2u + 2u * 9u + 1u);
    auto byName = [&](const std::string& name) {
        for (const auto& t : tensors)
            if (t["name"] == name) return t;
        return nlohmann::json();
    };
    EXPECT_EQ(byName("blk.0.attn_q.weight")["type"], "q4_K");
    EXPECT_EQ(byName("blk.0.attn_v.weight")["type"], "q6_K");
    EXPECT_EQ(byName("blk.0.ffn_down.weight")["type"], "q4_K");
    EXPECT_EQ(byName("blk.1.ffn_down.weight")["type"], "q6_K");
    EXPECT_EQ(byName("output.weight")["type"], "q6_K");
    EXPECT_EQ(byName("output.weight")["shape"], nlohmann::json({256, 512}));
    EXPECT_EQ(byName("blk.0.attn_norm.weight")["size"], 1024);
    auto f = gguf::GgufFile::open(modelPath());
    ASSERT_TRUE(f);
    EXPECT_EQ(byName("token_embd.weight")["offset"],
              f->findTensor("token_embd.weight")->dataOffset);
    bool sawTokens = false;
    for (const auto& m : j["metadata"])
        if (m["key"] == "tokenizer.ggml.tokens") {
            sawTokens = true;
            EXPECT_EQ(m["count"], 512);
            EXPECT_EQ(m["head"][1], "<s>");
        }
    EXPECT_TRUE(sawTokens);
    auto text = runCli({"model", "info", modelPath()});
    ASSERT_EQ(text.exitCode, 0);
    EXPECT_NE(text.out.find("blk.1.ffn_down.weight"), std::string::npos);
    EXPECT_NE(text.out.find("q6_K"), std::string::npos);
}

TEST_F(ModelCli, DequantGivesTheGeneratorsDequantisedWeights) {
    const auto config = reference::syntheticPreset(reference::SyntheticPreset::Tiny);
    for (const auto& t : reference::syntheticTensors(config, reference::SyntheticQuant::Q4_K_M)) {
        if (t.name != "blk.0.attn_q.weight" && t.name != "blk.1.ffn_down.weight" &&
            t.name != "output_norm.weight")
            continue;
        const std::string out = tempPath("dequant.f32");
        auto r = runCli({"model", "dequant", modelPath(), t.name, "-o", out});
        ASSERT_EQ(r.exitCode, 0) << r.err;
        const auto values = reference::syntheticTensorValues(config, 7, t);
        auto bytes = reference::quantize(t.type, values, static_cast<std::size_t>(t.dims[0]));
        ASSERT_TRUE(bytes);
        std::vector<float> expected(values.size());
        ASSERT_TRUE(reference::dequantize(t.type, *bytes, expected));
        const auto got = readFloats(out);
        ASSERT_EQ(got.size(), expected.size());
        EXPECT_EQ(std::memcmp(got.data(), expected.data(), got.size() * 4), 0) << t.name;
    }
}

TEST_F(ModelCli, RunMatchesTheLibraryForward) {
    const std::string logits = tempPath("logits.f32"), kv = tempPath("kv");
    auto r = runCli({"model", "run", modelPath(), "--tokens", "1,300,42,7", "--logits", logits,
                     "--kv-dump", kv, "--json"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto j = nlohmann::json::parse(r.out);
    auto f = gguf::GgufFile::open(modelPath());
    ASSERT_TRUE(f);
    auto w = reference::LlamaWeights::load(*f);
    ASSERT_TRUE(w) << w.error().format();
    const std::vector<std::int32_t> tokens{1, 300, 42, 7};
    auto expected = reference::llamaForward(*w, tokens);
    ASSERT_TRUE(expected);
    EXPECT_EQ(j["argmax"].get<std::vector<std::int32_t>>(), expected->argmax);
    EXPECT_EQ(readFloats(logits), expected->logits);
    auto npy = readFileText(kv + "/layer_1_v.npy");
    ASSERT_TRUE(npy);
    EXPECT_NE(npy->find("'shape': (2, 4, 64)"), std::string::npos);
    EXPECT_EQ(npy->size() % 64, (2u * 4u * 64u * 4u) % 64);
}

TEST_F(ModelCli, UsageErrorsExitTwo) {
    EXPECT_EQ(runCli({"model", "run", modelPath(), "--tokens", "1,x"}).exitCode, 2);
    auto outside = runCli({"model", "run", modelPath(), "--tokens", "1,512"});
    EXPECT_EQ(outside.exitCode, 2);
    EXPECT_NE(outside.err.find("token id 512 is outside the vocabulary of 512 tokens"),
              std::string::npos)
        << outside.err;
    auto missing = runCli({"model", "dequant", modelPath(), "nope.weight", "-o", tempPath("x")});
    EXPECT_EQ(missing.exitCode, 2);
    EXPECT_NE(missing.err.find("no tensor named 'nope.weight'"), std::string::npos);
    EXPECT_EQ(runCli({"model", "make", "--preset", "huge", "-o", tempPath("x")}).exitCode, 2);
}

TEST(ModelCliBadFiles, ExitThreeNamingTheByte) {
    const std::string path = tempPath("bad.gguf");
    ASSERT_TRUE(writeFileAtomic(path, std::string("GGUF\x03\x00\x00\x00", 8) +
                                          std::string("\xff\xff\xff\xff\xff\xff\xff\x0f", 8) +
                                          std::string(8, '\0')));
    for (const auto& cmd : {std::vector<std::string>{"model", "info", path},
                            std::vector<std::string>{"model", "run", path, "--tokens", "1"}}) {
        auto r = runCli(cmd);
        EXPECT_EQ(r.exitCode, 3);
        EXPECT_EQ(r.err, "ptxwb: error: " + path +
                             ": byte 8: tensor_count: 1152921504606846975 tensors cannot fit in "
                             "the 8 bytes left\n");
    }
    auto missingFile = runCli({"model", "info", tempPath("does-not-exist.gguf")});
    EXPECT_NE(missingFile.exitCode, 0);
}

TEST(ModelCliBadFiles, UnsupportedTypesAreListedButNotComputed) {
    // A llama-shaped header is not needed: dequant of a q4_0 tensor must refuse, naming it.
    gguf::GgufWriter w;
    ASSERT_TRUE(w.addTensor("q", gguf::GgmlType::Q4_0, {32}, std::vector<std::byte>(18)));
    const std::string path = tempPath("q4_0.gguf");
    ASSERT_TRUE(w.writeFile(path));
    auto info = runCli({"model", "info", path});
    EXPECT_EQ(info.exitCode, 0);
    EXPECT_NE(info.out.find("q4_0"), std::string::npos);
    EXPECT_NE(info.out.find("(unsupported for compute)"), std::string::npos);
    auto r = runCli({"model", "dequant", path, "q", "-o", tempPath("q.f32")});
    EXPECT_EQ(r.exitCode, 3);
    auto f = gguf::GgufFile::open(path);
    ASSERT_TRUE(f);
    EXPECT_EQ(r.err, "ptxwb: error: " + path + ": byte " +
                         std::to_string(f->findTensor("q")->infoOffset) +
                         ": tensor 'q': tensor type q4_0 is not supported for dequantisation "
                         "(supported: f32, f16, bf16, q8_0, q4_K, q6_K)\n");
}

} // namespace
} // namespace ptxwb

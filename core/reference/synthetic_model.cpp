#include "reference/synthetic_model.h"

#include "gguf/llama_model.h"
#include "reference/quantize.h"
#include "util/thread_pool.h"

#include <cmath>
#include <fmt/format.h>

namespace ptxwb::reference {
namespace {

using gguf::GgmlType;

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

std::uint64_t fnv1a(std::string_view s) {
    std::uint64_t h = 0xcbf29ce484222325ull;
    for (char c : s)
        h = (h ^ static_cast<unsigned char>(c)) * 0x100000001b3ull;
    return h;
}

/// Approximately normal (sum of three uniforms), mean 0, standard deviation 1. Counter-based,
/// so element i's value does not depend on which thread draws it.
float normalish(std::uint64_t key, std::uint64_t i) {
    const std::uint64_t r = splitmix64(key ^ splitmix64(i));
    const double u1 = static_cast<double>(r & 0x1fffff) * 0x1p-21;
    const double u2 = static_cast<double>((r >> 21) & 0x1fffff) * 0x1p-21;
    const double u3 = static_cast<double>((r >> 42) & 0x1fffff) * 0x1p-21;
    return static_cast<float>((u1 + u2 + u3 - 1.5) * 2.0);
}

bool endsWith(std::string_view s, std::string_view suffix) {
    return s.size() >= suffix.size() && s.substr(s.size() - suffix.size()) == suffix;
}

/// llama.cpp keeps the first and last eighth of the layers, and every third in between, at
/// higher precision in its _M recipes.
bool useMoreBits(std::uint32_t layer, std::uint32_t layers) {
    return layer < layers / 8 || layer >= 7 * layers / 8 || (layer - layers / 8) % 3 == 2;
}

GgmlType matrixType(SyntheticQuant quant, std::string_view role, std::uint32_t layer,
                    std::uint32_t layers) {
    switch (quant) {
    case SyntheticQuant::F32:
        return GgmlType::F32;
    case SyntheticQuant::F16:
        return GgmlType::F16;
    case SyntheticQuant::Q8_0:
        return GgmlType::Q8_0;
    case SyntheticQuant::Q4_K_M:
        if (role == "attn_v" || role == "output") return GgmlType::Q6_K;
        if (role == "ffn_down" && useMoreBits(layer, layers)) return GgmlType::Q6_K;
        return GgmlType::Q4_K;
    }
    return GgmlType::F32;
}

std::uint32_t fileType(SyntheticQuant quant) {
    switch (quant) {
    case SyntheticQuant::F32:
        return 0; // LLAMA_FTYPE_ALL_F32
    case SyntheticQuant::F16:
        return 1; // LLAMA_FTYPE_MOSTLY_F16
    case SyntheticQuant::Q8_0:
        return 7; // LLAMA_FTYPE_MOSTLY_Q8_0
    case SyntheticQuant::Q4_K_M:
        return 15; // LLAMA_FTYPE_MOSTLY_Q4_K_M
    }
    return 0;
}

} // namespace

SyntheticConfig syntheticPreset(SyntheticPreset preset) {
    switch (preset) {
    case SyntheticPreset::Tiny:
        return {"tiny", 256, 2, 4, 2, 512, 512, 128};
    case SyntheticPreset::Small:
        return {"small", 512, 4, 8, 2, 1536, 3072, 256};
    case SyntheticPreset::SevenBShapes:
        return {"7b-shapes", 4096, 2, 32, 8, 14336, 4096, 4096};
    }
    return {};
}

Expected<SyntheticPreset> parseSyntheticPreset(std::string_view name) {
    if (name == "tiny") return SyntheticPreset::Tiny;
    if (name == "small") return SyntheticPreset::Small;
    if (name == "7b-shapes") return SyntheticPreset::SevenBShapes;
    return makeError(ErrorKind::Usage,
                     fmt::format("unknown preset '{}' (expected tiny, small or 7b-shapes)", name));
}

Expected<SyntheticQuant> parseSyntheticQuant(std::string_view name) {
    if (name == "f32") return SyntheticQuant::F32;
    if (name == "f16") return SyntheticQuant::F16;
    if (name == "q8_0") return SyntheticQuant::Q8_0;
    if (name == "q4_k_m") return SyntheticQuant::Q4_K_M;
    return makeError(
        ErrorKind::Usage,
        fmt::format("unknown quantisation '{}' (expected f32, f16, q8_0 or q4_k_m)", name));
}

std::string_view syntheticQuantName(SyntheticQuant quant) {
    switch (quant) {
    case SyntheticQuant::F32:
        return "f32";
    case SyntheticQuant::F16:
        return "f16";
    case SyntheticQuant::Q8_0:
        return "q8_0";
    case SyntheticQuant::Q4_K_M:
        return "q4_k_m";
    }
    return "?";
}

std::vector<SyntheticTensor> syntheticTensors(const SyntheticConfig& c, SyntheticQuant quant) {
    const std::uint64_t D = c.embeddingLength, F = c.feedForwardLength,
                        KV = std::uint64_t{c.embeddingLength} / c.headCount * c.headCountKv;
    const std::uint32_t n = c.blockCount;
    std::vector<SyntheticTensor> out;
    out.push_back({"token_embd.weight", {D, c.vocabSize}, matrixType(quant, "token_embd", 0, n)});
    for (std::uint32_t i = 0; i < n; ++i) {
        auto add = [&](std::string_view role, std::vector<std::uint64_t> dims, bool norm) {
            out.push_back({gguf::llamaTensorName(i, role), std::move(dims),
                           norm ? GgmlType::F32 : matrixType(quant, role, i, n)});
        };
        add("attn_norm", {D}, true);
        add("attn_q", {D, D}, false);
        add("attn_k", {D, KV}, false);
        add("attn_v", {D, KV}, false);
        add("attn_output", {D, D}, false);
        add("ffn_norm", {D}, true);
        add("ffn_gate", {D, F}, false);
        add("ffn_up", {D, F}, false);
        add("ffn_down", {F, D}, false);
    }
    out.push_back({"output_norm.weight", {D}, GgmlType::F32});
    out.push_back({"output.weight", {D, c.vocabSize}, matrixType(quant, "output", 0, n)});
    return out;
}

std::vector<float> syntheticTensorValues(const SyntheticConfig&, std::uint64_t seed,
                                         const SyntheticTensor& tensor) {
    std::uint64_t count = 1;
    for (auto d : tensor.dims)
        count *= d;
    std::vector<float> values(static_cast<std::size_t>(count));
    const std::uint64_t key = splitmix64(seed ^ fnv1a(tensor.name));
    const bool norm = endsWith(tensor.name, "norm.weight");
    const bool embedding = tensor.name == "token_embd.weight";
    // Matrices get standard deviation 1/sqrt(K) so activations stay O(1) through the layers.
    const float sigma = norm        ? 0.1f
                        : embedding ? 1.0f
                                    : 1.0f / std::sqrt(static_cast<float>(tensor.dims[0]));
    const float mean = norm ? 1.0f : 0.0f;
    ThreadPool::shared().parallelFor(values.size(), 1 << 16, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
            values[i] = mean + sigma * normalish(key, i);
    });
    return values;
}

std::vector<std::string> syntheticVocabulary(std::uint32_t size) {
    std::vector<std::string> tokens = {"<unk>", "<s>", "</s>"};
    for (int b = 0; b < 256 && tokens.size() < size; ++b)
        tokens.push_back(fmt::format("<0x{:02X}>", b));
    while (tokens.size() < size)
        tokens.push_back(fmt::format("\u2581t{}", tokens.size()));
    return tokens;
}

Expected<gguf::GgufWriter> buildSyntheticModel(const SyntheticConfig& c, SyntheticQuant quant,
                                               std::uint64_t seed, const ProgressSink& progress) {
    if (c.vocabSize < 3 + 256)
        return makeError(ErrorKind::Usage, "the vocabulary needs at least 259 tokens");
    gguf::GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setString("general.name", fmt::format("ptxwb synthetic {} {} seed {}", c.presetName,
                                            syntheticQuantName(quant), seed));
    PTXWB_CHECK(w.setAlignment(32));
    w.setU32("general.file_type", fileType(quant));
    if (quant != SyntheticQuant::F32 && quant != SyntheticQuant::F16)
        w.setU32("general.quantization_version", 2);
    w.setU32("llama.context_length", c.contextLength);
    w.setU32("llama.embedding_length", c.embeddingLength);
    w.setU32("llama.block_count", c.blockCount);
    w.setU32("llama.feed_forward_length", c.feedForwardLength);
    w.setU32("llama.rope.dimension_count", c.embeddingLength / c.headCount);
    w.setU32("llama.attention.head_count", c.headCount);
    w.setU32("llama.attention.head_count_kv", c.headCountKv);
    w.setF32("llama.attention.layer_norm_rms_epsilon", c.rmsEpsilon);
    w.setF32("llama.rope.freq_base", c.ropeFreqBase);
    w.setU32("llama.vocab_size", c.vocabSize);
    const auto vocab = syntheticVocabulary(c.vocabSize);
    std::vector<float> scores(vocab.size(), 0.0f);
    std::vector<std::int32_t> types(vocab.size(), 1); // normal
    types[0] = 2;                                     // unknown
    types[1] = types[2] = 3;                          // control
    for (std::size_t i = 3; i < 3 + 256; ++i)
        types[i] = 6; // byte
    for (std::size_t i = 3 + 256; i < vocab.size(); ++i)
        scores[i] = -static_cast<float>(i);
    w.setString("tokenizer.ggml.model", "llama");
    w.setStringArray("tokenizer.ggml.tokens", vocab);
    w.setF32Array("tokenizer.ggml.scores", scores);
    w.setI32Array("tokenizer.ggml.token_type", types);
    w.setU32("tokenizer.ggml.bos_token_id", 1);
    w.setU32("tokenizer.ggml.eos_token_id", 2);
    w.setU32("tokenizer.ggml.unknown_token_id", 0);
    w.setBool("tokenizer.ggml.add_bos_token", true);

    const auto tensors = syntheticTensors(c, quant);
    for (std::size_t i = 0; i < tensors.size(); ++i) {
        const auto& t = tensors[i];
        report(progress, i, tensors.size(),
               fmt::format("{} ({})", t.name, gguf::ggmlTypeName(t.type)));
        const auto values = syntheticTensorValues(c, seed, t);
        PTXWB_TRY(auto bytes, quantize(t.type, values, static_cast<std::size_t>(t.dims[0])));
        PTXWB_CHECK(w.addTensor(t.name, t.type, t.dims, std::move(bytes)));
    }
    report(progress, tensors.size(), tensors.size(), "done");
    return w;
}

} // namespace ptxwb::reference

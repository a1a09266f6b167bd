#pragma once
// Synthetic llama models with seeded random weights, for tests, parity runs and benchmarks
// without downloading real weights. The files follow the GGUF conventions of llama.cpp's
// converter (llama.* hyperparameters, tokenizer.ggml.* with a plain vocabulary, usual tensor
// names and types), so other GGUF tools load them too.

#include "gguf/gguf_writer.h"
#include "util/expected.h"
#include "util/progress.h"

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace ptxwb::reference {

enum class SyntheticPreset { Tiny, Small, SevenBShapes };
/// How matrices are stored: f32; q8_0 everywhere; q4_k_m = Q4_K with Q6_K for attn_v, the
/// ffn_down of some layers and the output matrix (llama.cpp's Q4_K_M recipe). Norms stay f32.
enum class SyntheticQuant { F32, F16, Q8_0, Q4_K_M };

/// The shape of a synthetic model.
struct SyntheticConfig {
    std::string presetName;
    std::uint32_t embeddingLength = 0;
    std::uint32_t blockCount = 0;
    std::uint32_t headCount = 0;
    std::uint32_t headCountKv = 0;
    std::uint32_t feedForwardLength = 0;
    std::uint32_t vocabSize = 0;
    std::uint32_t contextLength = 0;
    float ropeFreqBase = 10000.0f;
    float rmsEpsilon = 1e-5f;
};

[[nodiscard]] SyntheticConfig syntheticPreset(SyntheticPreset preset);
[[nodiscard]] Expected<SyntheticPreset> parseSyntheticPreset(std::string_view name);
[[nodiscard]] Expected<SyntheticQuant> parseSyntheticQuant(std::string_view name);
[[nodiscard]] std::string_view syntheticQuantName(SyntheticQuant quant);

/// One tensor of the model: name, ggml dims, the type the quant recipe gives it.
struct SyntheticTensor {
    std::string name;
    std::vector<std::uint64_t> dims;
    gguf::GgmlType type;
};
/// Every tensor in file order.
[[nodiscard]] std::vector<SyntheticTensor> syntheticTensors(const SyntheticConfig& config,
                                                            SyntheticQuant quant);

/// The f32 values the generator draws for a tensor (before quantisation). Deterministic in
/// (seed, name) and independent of thread count.
[[nodiscard]] std::vector<float> syntheticTensorValues(const SyntheticConfig& config,
                                                       std::uint64_t seed,
                                                       const SyntheticTensor& tensor);

/// The vocabulary: <unk>, <s>, </s>, the 256 byte tokens, then "▁t<n>" plain tokens.
[[nodiscard]] std::vector<std::string> syntheticVocabulary(std::uint32_t size);

/// Builds the whole model in a writer (metadata, tokenizer, quantised tensors).
Expected<gguf::GgufWriter> buildSyntheticModel(const SyntheticConfig& config, SyntheticQuant quant,
                                               std::uint64_t seed,
                                               const ProgressSink& progress = {});

} // namespace ptxwb::reference

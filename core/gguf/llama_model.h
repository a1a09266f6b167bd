#pragma once
// The llama architecture as GGUF names it: hyperparameters from `llama.*` keys and the tensor
// of every role, with shapes checked against the hyperparameters so later code can index
// weights without re-validating.

#include "gguf/gguf_file.h"

#include <cstdint>
#include <string>
#include <vector>

namespace ptxwb::gguf {

/// Hyperparameters of a llama model.
struct LlamaHparams {
    std::uint32_t embeddingLength = 0;    ///< D (llama.embedding_length)
    std::uint32_t blockCount = 0;         ///< layers (llama.block_count)
    std::uint32_t headCount = 0;          ///< H (llama.attention.head_count)
    std::uint32_t headCountKv = 0;        ///< Hkv (llama.attention.head_count_kv, default H)
    std::uint32_t feedForwardLength = 0;  ///< F (llama.feed_forward_length)
    std::uint32_t contextLength = 0;      ///< llama.context_length
    std::uint32_t ropeDimensionCount = 0; ///< llama.rope.dimension_count (default head dim)
    double ropeFreqBase = 10000.0;        ///< llama.rope.freq_base (default 10000)
    double rmsEpsilon = 1e-5;             ///< llama.attention.layer_norm_rms_epsilon
    std::uint32_t vocabSize = 0;          ///< tokenizer.ggml.tokens length, else token_embd rows

    [[nodiscard]] std::uint32_t headDim() const {
        return headCount ? embeddingLength / headCount : 0;
    }
    [[nodiscard]] std::uint32_t kvDim() const { return headDim() * headCountKv; }
};

/// The tensors of one transformer block.
struct LlamaLayerTensors {
    const TensorInfo* attnNorm = nullptr;
    const TensorInfo* attnQ = nullptr;
    const TensorInfo* attnK = nullptr;
    const TensorInfo* attnV = nullptr;
    const TensorInfo* attnOutput = nullptr;
    const TensorInfo* ffnNorm = nullptr;
    const TensorInfo* ffnGate = nullptr;
    const TensorInfo* ffnUp = nullptr;
    const TensorInfo* ffnDown = nullptr;
};

/// A llama model's hyperparameters and tensors, pointing into a GgufFile that must outlive it.
struct LlamaModel {
    LlamaHparams hparams;
    const TensorInfo* tokenEmbedding = nullptr;
    std::vector<LlamaLayerTensors> layers;
    const TensorInfo* outputNorm = nullptr;
    const TensorInfo* output = nullptr; ///< the token embedding itself when tied
    bool tiedOutput = false;
};

/// The GGUF name of a per-layer tensor: llamaTensorName(3, "attn_q") = "blk.3.attn_q.weight".
[[nodiscard]] std::string llamaTensorName(std::uint32_t layer, std::string_view role);

/// Reads the hyperparameters (general.architecture must be "llama").
[[nodiscard]] Expected<LlamaHparams> readLlamaHparams(const GgufFile& file);
/// Reads hyperparameters and finds every tensor, checking each shape. Tensors of types that
/// cannot be computed are reported here, so a forward pass never meets one.
[[nodiscard]] Expected<LlamaModel> loadLlamaModel(const GgufFile& file);

} // namespace ptxwb::gguf

#pragma once
// The reference llama forward pass: a token sequence in, logits for every position and the
// K/V cache of every layer out. Activations are kept in double between ops; weights are
// dequantised exactly as ggml does. This is the oracle the GPU engine is checked against.

#include "gguf/llama_model.h"
#include "reference/quant_matrix.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace ptxwb::reference {

/// The matrices and norm vectors of a llama model, as views into its GgufFile.
struct LlamaWeights {
    struct Layer {
        std::vector<float> attnNorm, ffnNorm;
        QuantMatrix q, k, v, o, gate, up, down;
    };
    gguf::LlamaHparams hparams;
    QuantMatrix tokenEmbedding;
    std::vector<Layer> layers;
    std::vector<float> outputNorm;
    QuantMatrix output;

    static Expected<LlamaWeights> load(const gguf::GgufFile& file);
};

/// One layer's cache after the forward pass, laid out [kvHeads, tokens, headDim] (the cache
/// layout of docs/kernel-set.md with max_len = tokens). K is stored after RoPE.
struct LayerKv {
    std::vector<float> k;
    std::vector<float> v;
};

struct ForwardResult {
    std::size_t tokens = 0;
    std::size_t vocab = 0;
    std::size_t kvHeads = 0;
    std::size_t headDim = 0;
    std::vector<float> logits;        ///< [tokens, vocab]
    std::vector<std::int32_t> argmax; ///< per position (lowest id on ties)
    std::vector<LayerKv> kv;          ///< per layer
    /// [tokens, vocab]: how far an f32 engine's logits may lie from `logits` (empty unless
    /// ForwardOptions::errorBound). See forward_error_bound.h.
    std::vector<double> logitBound;
};

struct ForwardOptions {
    /// Also propagate an f32 engine's rounding errors to a bound on the logits.
    bool errorBound = false;
    /// Roundings a GPU GEMV may add per product beyond ggml's dequantisation (its own order of
    /// forming d·scale·q, FMA contraction).
    unsigned gemvExtraRoundings = 2;
};

/// Runs the model over `tokens` at positions 0..n-1. Fails for token ids outside the vocabulary
/// and sequences longer than the context length.
Expected<ForwardResult> llamaForward(const LlamaWeights& weights,
                                     std::span<const std::int32_t> tokens,
                                     const ForwardOptions& options = {});

} // namespace ptxwb::reference

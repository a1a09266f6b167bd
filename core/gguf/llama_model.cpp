#include "gguf/llama_model.h"

#include <fmt/format.h>

namespace ptxwb::gguf {
namespace {

Expected<std::uint32_t> readU32Param(const GgufFile& file, std::string_view key) {
    PTXWB_TRY(std::uint64_t v, file.unsignedInteger(key));
    if (v == 0 || v > UINT32_MAX)
        return Unexpected{file.errorAt(file.findMetadata(key)->value.offset,
                                       fmt::format("metadata '{}': {} is out of range", key, v))};
    return static_cast<std::uint32_t>(v);
}

Expected<std::uint32_t> readOptionalU32(const GgufFile& file, std::string_view key,
                                        std::uint32_t fallback) {
    if (!file.findMetadata(key)) return fallback;
    return readU32Param(file, key);
}

Expected<double> readOptionalReal(const GgufFile& file, std::string_view key, double fallback) {
    if (!file.findMetadata(key)) return fallback;
    return file.real(key);
}

} // namespace

std::string llamaTensorName(std::uint32_t layer, std::string_view role) {
    return fmt::format("blk.{}.{}.weight", layer, role);
}

Expected<LlamaHparams> readLlamaHparams(const GgufFile& file) {
    PTXWB_TRY(std::string_view arch, file.string("general.architecture"));
    if (arch != "llama")
        return Unexpected{file.errorAt(file.findMetadata("general.architecture")->value.offset,
                                       fmt::format("general.architecture is '{}', only 'llama' is "
                                                   "supported",
                                                   arch))};
    LlamaHparams h;
    PTXWB_TRY(h.embeddingLength, readU32Param(file, "llama.embedding_length"));
    PTXWB_TRY(h.blockCount, readU32Param(file, "llama.block_count"));
    PTXWB_TRY(h.headCount, readU32Param(file, "llama.attention.head_count"));
    PTXWB_TRY(h.headCountKv, readOptionalU32(file, "llama.attention.head_count_kv", h.headCount));
    PTXWB_TRY(h.feedForwardLength, readU32Param(file, "llama.feed_forward_length"));
    PTXWB_TRY(h.contextLength, readOptionalU32(file, "llama.context_length", 2048));
    PTXWB_TRY(h.ropeFreqBase, readOptionalReal(file, "llama.rope.freq_base", 10000.0));
    PTXWB_TRY(h.rmsEpsilon, readOptionalReal(file, "llama.attention.layer_norm_rms_epsilon", 1e-5));
    auto bad = [&](std::string_view key, std::string msg) {
        const MetadataEntry* e = file.findMetadata(key);
        return Unexpected{file.errorAt(e ? e->value.offset : 0, std::move(msg))};
    };
    if (h.embeddingLength % h.headCount != 0)
        return bad("llama.attention.head_count",
                   fmt::format("embedding length {} is not a multiple of the head count {}",
                               h.embeddingLength, h.headCount));
    if (h.headCount % h.headCountKv != 0)
        return bad("llama.attention.head_count_kv",
                   fmt::format("head count {} is not a multiple of the KV head count {}",
                               h.headCount, h.headCountKv));
    if (h.headDim() % 2 != 0)
        return bad("llama.attention.head_count",
                   fmt::format("head dimension {} is odd; RoPE needs pairs", h.headDim()));
    PTXWB_TRY(h.ropeDimensionCount,
              readOptionalU32(file, "llama.rope.dimension_count", h.headDim()));
    if (h.ropeDimensionCount != h.headDim())
        return bad("llama.rope.dimension_count",
                   fmt::format("rope dimension count {} differs from the head dimension {} "
                               "(partial RoPE is not supported)",
                               h.ropeDimensionCount, h.headDim()));
    if (!(h.rmsEpsilon > 0.0) || !(h.ropeFreqBase > 1.0))
        return bad("llama.rope.freq_base", "rope base must be > 1 and the RMS epsilon > 0");
    if (file.findMetadata("tokenizer.ggml.tokens")) {
        PTXWB_TRY(const MetadataValue* tokens, file.arrayValue("tokenizer.ggml.tokens"));
        h.vocabSize =
            static_cast<std::uint32_t>(std::min<std::uint64_t>(tokens->count, UINT32_MAX));
    } else if (const TensorInfo* emb = file.findTensor("token_embd.weight")) {
        h.vocabSize =
            static_cast<std::uint32_t>(std::min<std::uint64_t>(emb->rowCount(), UINT32_MAX));
    }
    return h;
}

Expected<LlamaModel> loadLlamaModel(const GgufFile& file) {
    LlamaModel m;
    PTXWB_TRY(m.hparams, readLlamaHparams(file));
    const LlamaHparams& h = m.hparams;
    auto find = [&](const std::string& name,
                    std::vector<std::uint64_t> shape) -> Expected<const TensorInfo*> {
        const TensorInfo* t = file.findTensor(name);
        if (!t)
            return Unexpected{Error(ErrorKind::BadInput,
                                    fmt::format("tensor '{}' is missing", name),
                                    ErrorLocation::file(file.path()))};
        if (t->dims != shape)
            return Unexpected{file.errorAt(t->infoOffset,
                                           fmt::format("tensor '{}': shape {}, expected [{}]", name,
                                                       t->shapeText(), fmt::join(shape, ", ")))};
        if (!ggmlTypeTraits(t->type).computeSupported)
            return Unexpected{file.errorAt(
                t->infoOffset, fmt::format("tensor '{}': type {} is not supported for compute "
                                           "(supported: f32, f16, bf16, q8_0, q4_K, q6_K)",
                                           name, ggmlTypeName(t->type)))};
        return t;
    };
    const std::uint64_t D = h.embeddingLength, F = h.feedForwardLength, KV = h.kvDim();
    PTXWB_TRY(m.tokenEmbedding, find("token_embd.weight", {D, h.vocabSize}));
    m.layers.resize(h.blockCount);
    for (std::uint32_t i = 0; i < h.blockCount; ++i) {
        auto& L = m.layers[i];
        PTXWB_TRY(L.attnNorm, find(llamaTensorName(i, "attn_norm"), {D}));
        PTXWB_TRY(L.attnQ, find(llamaTensorName(i, "attn_q"), {D, D}));
        PTXWB_TRY(L.attnK, find(llamaTensorName(i, "attn_k"), {D, KV}));
        PTXWB_TRY(L.attnV, find(llamaTensorName(i, "attn_v"), {D, KV}));
        PTXWB_TRY(L.attnOutput, find(llamaTensorName(i, "attn_output"), {D, D}));
        PTXWB_TRY(L.ffnNorm, find(llamaTensorName(i, "ffn_norm"), {D}));
        PTXWB_TRY(L.ffnGate, find(llamaTensorName(i, "ffn_gate"), {D, F}));
        PTXWB_TRY(L.ffnUp, find(llamaTensorName(i, "ffn_up"), {D, F}));
        PTXWB_TRY(L.ffnDown, find(llamaTensorName(i, "ffn_down"), {F, D}));
    }
    PTXWB_TRY(m.outputNorm, find("output_norm.weight", {D}));
    if (file.findTensor("output.weight")) {
        PTXWB_TRY(m.output, find("output.weight", {D, h.vocabSize}));
    } else {
        m.output = m.tokenEmbedding;
        m.tiedOutput = true;
    }
    return m;
}

} // namespace ptxwb::gguf

#include "reference/llama_forward.h"

#include "reference/dequantize.h"
#include "reference/error_bounds.h"
#include "reference/forward_error_bound.h"
#include "reference/ops.h"

#include <fmt/format.h>

namespace ptxwb::reference {
namespace {

Expected<std::vector<float>> loadVector(const gguf::GgufFile& file, const gguf::TensorInfo& t) {
    std::vector<float> out(static_cast<std::size_t>(t.elementCount));
    if (auto s = dequantize(t.type, file.tensorData(t), out); !s)
        return Unexpected{
            file.errorAt(t.infoOffset, fmt::format("tensor '{}': {}", t.name, s.error().message))};
    return out;
}

} // namespace

Expected<LlamaWeights> LlamaWeights::load(const gguf::GgufFile& file) {
    PTXWB_TRY(gguf::LlamaModel model, gguf::loadLlamaModel(file));
    LlamaWeights w;
    w.hparams = model.hparams;
    PTXWB_TRY(w.tokenEmbedding, QuantMatrix::fromTensor(file, *model.tokenEmbedding));
    for (const auto& L : model.layers) {
        Layer layer;
        PTXWB_TRY(layer.attnNorm, loadVector(file, *L.attnNorm));
        PTXWB_TRY(layer.ffnNorm, loadVector(file, *L.ffnNorm));
        PTXWB_TRY(layer.q, QuantMatrix::fromTensor(file, *L.attnQ));
        PTXWB_TRY(layer.k, QuantMatrix::fromTensor(file, *L.attnK));
        PTXWB_TRY(layer.v, QuantMatrix::fromTensor(file, *L.attnV));
        PTXWB_TRY(layer.o, QuantMatrix::fromTensor(file, *L.attnOutput));
        PTXWB_TRY(layer.gate, QuantMatrix::fromTensor(file, *L.ffnGate));
        PTXWB_TRY(layer.up, QuantMatrix::fromTensor(file, *L.ffnUp));
        PTXWB_TRY(layer.down, QuantMatrix::fromTensor(file, *L.ffnDown));
        w.layers.push_back(std::move(layer));
    }
    PTXWB_TRY(w.outputNorm, loadVector(file, *model.outputNorm));
    PTXWB_TRY(w.output, QuantMatrix::fromTensor(file, *model.output));
    return w;
}

Expected<ForwardResult> llamaForward(const LlamaWeights& w, std::span<const std::int32_t> tokens,
                                     const ForwardOptions& options) {
    const auto& h = w.hparams;
    const std::size_t T = tokens.size(), D = h.embeddingLength, H = h.headCount,
                      Hkv = h.headCountKv, HD = h.headDim(), KV = h.kvDim(),
                      F = h.feedForwardLength, V = w.output.rows;
    if (T == 0) return makeError(ErrorKind::Usage, "no tokens to run");
    if (T > h.contextLength)
        return makeError(ErrorKind::Usage,
                         fmt::format("{} tokens exceed the context length {}", T, h.contextLength));
    std::vector<std::int32_t> positions(T);
    for (std::size_t t = 0; t < T; ++t)
        positions[t] = static_cast<std::int32_t>(t);

    std::vector<double> x(T * D), xn(T * D), q(T * D), k(T * KV), v(T * KV), qr(T * D), kr(T * KV),
        attn(T * D), proj(T * D), gate(T * F), up(T * F), act(T * F);
    std::vector<double> kCache(Hkv * T * HD), vCache(Hkv * T * HD);
    PTXWB_CHECK(embedding(w.tokenEmbedding, tokens, x));

    // Standard errors of each activation (e_*, forward_error_bound.h), propagated only when
    // asked for: they double the cost of every GEMV.
    const bool track = options.errorBound;
    const unsigned extra = options.gemvExtraRoundings;
    auto sized = [track](std::size_t n) { return std::vector<double>(track ? n : 0); };
    std::vector<double> ex = sized(T * D), exn = sized(T * D), eq = sized(T * D),
                        ek = sized(T * KV), ev = sized(T * KV), eqr = sized(T * D),
                        ekr = sized(T * KV), eattn = sized(T * D), eproj = sized(T * D),
                        egate = sized(T * F), eup = sized(T * F), eact = sized(T * F),
                        ekCache = sized(Hkv * T * HD), evCache = sized(Hkv * T * HD);
    if (track) PTXWB_CHECK(embeddingErrorBound(w.tokenEmbedding, x, T, ex));

    ForwardResult result;
    result.tokens = T;
    result.vocab = V;
    result.kvHeads = Hkv;
    result.headDim = HD;
    auto cx = [](const std::vector<double>& v) { return std::span<const double>(v); };
    for (const auto& L : w.layers) {
        PTXWB_CHECK(rmsNorm(cx(x), T, L.attnNorm, h.rmsEpsilon, xn));
        PTXWB_CHECK(gemv(L.q, cx(xn), T, q));
        PTXWB_CHECK(gemv(L.k, cx(xn), T, k));
        PTXWB_CHECK(gemv(L.v, cx(xn), T, v));
        PTXWB_CHECK(rope(cx(q), T, H, HD, positions, h.ropeFreqBase, RopeMode::Llama, qr));
        PTXWB_CHECK(rope(cx(k), T, Hkv, HD, positions, h.ropeFreqBase, RopeMode::Llama, kr));
        if (track) {
            PTXWB_CHECK(propagateRmsNorm(cx(x), cx(ex), T, L.attnNorm, h.rmsEpsilon, cx(xn), exn));
            PTXWB_CHECK(propagateGemv(L.q, cx(xn), cx(exn), T, eq, extra));
            PTXWB_CHECK(propagateGemv(L.k, cx(xn), cx(exn), T, ek, extra));
            PTXWB_CHECK(propagateGemv(L.v, cx(xn), cx(exn), T, ev, extra));
            PTXWB_CHECK(propagateRope(cx(q), cx(eq), T, H, HD, positions, h.ropeFreqBase,
                                      RopeMode::Llama, eqr));
            PTXWB_CHECK(propagateRope(cx(k), cx(ek), T, Hkv, HD, positions, h.ropeFreqBase,
                                      RopeMode::Llama, ekr));
        }
        // Scatter [T, Hkv, HD] rows into the [Hkv, T, HD] caches.
        for (std::size_t t = 0; t < T; ++t)
            for (std::size_t g = 0; g < Hkv; ++g)
                for (std::size_t d = 0; d < HD; ++d) {
                    kCache[(g * T + t) * HD + d] = kr[(t * Hkv + g) * HD + d];
                    vCache[(g * T + t) * HD + d] = v[(t * Hkv + g) * HD + d];
                    if (track) {
                        ekCache[(g * T + t) * HD + d] = ekr[(t * Hkv + g) * HD + d];
                        evCache[(g * T + t) * HD + d] = ev[(t * Hkv + g) * HD + d];
                    }
                }
        LayerKv dump;
        dump.k.assign(kCache.begin(), kCache.end());
        dump.v.assign(vCache.begin(), vCache.end());
        result.kv.push_back(std::move(dump));
        PTXWB_CHECK(attention(AttentionShape{T, H, Hkv, HD, T}, cx(qr), cx(kCache), cx(vCache),
                              positions, attn));
        PTXWB_CHECK(gemv(L.o, cx(attn), T, proj));
        if (track) {
            PTXWB_CHECK(propagateAttention(AttentionShape{T, H, Hkv, HD, T}, cx(qr), cx(eqr),
                                           cx(kCache), cx(ekCache), cx(vCache), cx(evCache),
                                           positions, cx(attn), eattn));
            PTXWB_CHECK(propagateGemv(L.o, cx(attn), cx(eattn), T, eproj, extra));
            PTXWB_CHECK(propagateResidualAdd(cx(x), ex, cx(proj), cx(eproj)));
        }
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] += proj[i];
        PTXWB_CHECK(rmsNorm(cx(x), T, L.ffnNorm, h.rmsEpsilon, xn));
        PTXWB_CHECK(gemv(L.gate, cx(xn), T, gate));
        PTXWB_CHECK(gemv(L.up, cx(xn), T, up));
        PTXWB_CHECK(swiglu(cx(gate), cx(up), act));
        PTXWB_CHECK(gemv(L.down, cx(act), T, proj));
        if (track) {
            PTXWB_CHECK(propagateRmsNorm(cx(x), cx(ex), T, L.ffnNorm, h.rmsEpsilon, cx(xn), exn));
            PTXWB_CHECK(propagateGemv(L.gate, cx(xn), cx(exn), T, egate, extra));
            PTXWB_CHECK(propagateGemv(L.up, cx(xn), cx(exn), T, eup, extra));
            PTXWB_CHECK(propagateSwiglu(cx(gate), cx(egate), cx(up), cx(eup), eact));
            PTXWB_CHECK(propagateGemv(L.down, cx(act), cx(eact), T, eproj, extra));
            PTXWB_CHECK(propagateResidualAdd(cx(x), ex, cx(proj), cx(eproj)));
        }
        for (std::size_t i = 0; i < x.size(); ++i)
            x[i] += proj[i];
    }
    PTXWB_CHECK(rmsNorm(cx(x), T, w.outputNorm, h.rmsEpsilon, xn));
    std::vector<double> logits(T * V);
    PTXWB_CHECK(gemv(w.output, cx(xn), T, logits));
    if (track) {
        PTXWB_CHECK(propagateRmsNorm(cx(x), cx(ex), T, w.outputNorm, h.rmsEpsilon, cx(xn), exn));
        result.logitBound.resize(T * V);
        PTXWB_CHECK(propagateGemv(w.output, cx(xn), cx(exn), T, result.logitBound, extra));
        // The logits are handed out as f32: one more rounding of the oracle's value.
        for (std::size_t i = 0; i < logits.size(); ++i)
            result.logitBound[i] =
                kConfidenceSigmas * result.logitBound[i] + kUnitRoundoffF32 * std::fabs(logits[i]);
    }
    result.logits.assign(logits.begin(), logits.end());
    result.argmax.resize(T);
    for (std::size_t t = 0; t < T; ++t) {
        std::size_t best = 0;
        for (std::size_t i = 1; i < V; ++i)
            if (logits[t * V + i] > logits[t * V + best]) best = i;
        result.argmax[t] = static_cast<std::int32_t>(best);
    }
    return result;
}

} // namespace ptxwb::reference

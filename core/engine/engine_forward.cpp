// The forward pass of LlamaEngine: embedding, the layer stack and the output head, launched as
// serial prefill, batched prefill or a CUDA-graph decode step.
#include "engine/kernel_choice.h"
#include "engine/llama_engine.h"

#include <cmath>
#include <fmt/format.h>

namespace ptxwb::engine {

using kernels::OpKind;
using kernels::Variant;
using kernels::WeightFormat;

namespace {
constexpr const char* kSerial = "prefill-serial";
constexpr const char* kBatched = "prefill-batched";
constexpr const char* kDecode = "decode";
constexpr const char* kGraphCapture = "graph-capture";

CUdeviceptr rowOf(CUdeviceptr base, int row, std::size_t rowFloats) {
    return base + CUdeviceptr(std::size_t(row) * rowFloats * sizeof(float));
}
} // namespace

Status LlamaEngine::forwardRows(int m, const std::string& phase, PositionPath path,
                                int directPosition, CUdeviceptr logitsOut) {
    const auto& hp = model_.hparams;
    const Variant v = phase == kBatched ? Variant::Batched : Variant::Single;
    const std::size_t kvDim = hp.kvDim();
    auto p = [&](const char* name) { return tensors_.ptr(name); };
    auto op = [&](OpKind kind, PositionPath pp) {
        return kernelFor(kind, v, WeightFormat::None, pp);
    };
    PTXWB_TRY(std::string norm, op(OpKind::RmsNorm, PositionPath::None));
    PTXWB_TRY(std::string add, op(OpKind::ResidualAdd, PositionPath::None));
    PTXWB_TRY(std::string swiglu, op(OpKind::Swiglu, PositionPath::None));
    PTXWB_TRY(std::string rope, op(OpKind::Rope, path));
    PTXWB_TRY(std::string attention, op(OpKind::Attention, path));
    // The rule real engines had: batched prefill scatters through position_buf when it is set.
    const bool scatterIndirect = phase == kBatched && positionBufSet_;
    std::string scatter;
    if (scatterIndirect) {
        PTXWB_TRY(scatter, kernelFor(OpKind::KvScatter, Variant::Single, WeightFormat::None,
                                     PositionPath::Indirect));
    } else {
        PTXWB_TRY(scatter, op(OpKind::KvScatter, path));
    }
    const CUdeviceptr ropePositions =
        options_.has(Fault::BatchedRopeRow0Positions) ? p("rope_positions") : p("positions");

    auto positionArgs = [&](OpArgs& a, PositionPath pp, bool forRope) {
        a.position = directPosition;
        if (pp == PositionPath::Batched)
            a.pointers["positions"] = forRope ? ropePositions : p("positions");
        if (pp == PositionPath::Indirect) {
            a.pointers["position_buf"] = p("position_buf");
            a.pointers["seq_len_buf"] = p("seq_len_buf");
        }
    };

    for (int l = 0; l < int(hp.blockCount); ++l) {
        const auto& t = model_.layers[std::size_t(l)];
        const CUdeviceptr kCache = tensors_.ptr(fmt::format("blk.{}.k_cache", l));
        const CUdeviceptr vCache = tensors_.ptr(fmt::format("blk.{}.v_cache", l));
        OpArgs n;
        n.pointers = {{"input", p("x")},
                      {"gamma", tensors_.ptr(std::string(t.attnNorm->name))},
                      {"output", p("xn")}};
        n.dims = {{"M", m}};
        PTXWB_CHECK(launch(norm, n, l, "attn_norm", phase));
        PTXWB_CHECK(gemv(*t.attnQ, p("xn"), p("q"), m, l, "q_proj", phase));
        PTXWB_CHECK(gemv(*t.attnK, p("xn"), p("k"), m, l, "k_proj", phase));
        PTXWB_CHECK(gemv(*t.attnV, p("xn"), p("v"), m, l, "v_proj", phase));

        OpArgs rq;
        rq.pointers = {{"input", p("q")}, {"output", p("q_rot")}};
        rq.dims = {{"M", m}};
        positionArgs(rq, path, true);
        PTXWB_CHECK(launch(rope, rq, l, "rope_q", phase));
        OpArgs rk = rq;
        rk.pointers["input"] = p("k");
        rk.pointers["output"] = p("k_rot");
        rk.dims["H"] = hp.headCountKv; // K has HKV heads
        PTXWB_CHECK(launch(rope, rk, l, "rope_k", phase));

        for (const auto& [src, cache, name] : {std::tuple{p("k_rot"), kCache, "kv_scatter_k"},
                                               std::tuple{p("v"), vCache, "kv_scatter_v"}}) {
            if (scatterIndirect) {
                // One launch per row, each reading position_buf[0]: every row lands on the same
                // slot when position_buf is stale.
                for (int row = 0; row < m; ++row) {
                    OpArgs s;
                    s.pointers = {{"input", rowOf(src, row, kvDim)},
                                  {"cache", cache},
                                  {"position_buf", p("position_buf")}};
                    s.dims = {{"M", 1}};
                    PTXWB_CHECK(launch(scatter, s, l, name, phase));
                }
            } else {
                OpArgs s;
                s.pointers = {{"input", src}, {"cache", cache}};
                s.dims = {{"M", m}};
                positionArgs(s, path, false);
                PTXWB_CHECK(launch(scatter, s, l, name, phase));
            }
        }

        OpArgs at;
        at.pointers = {
            {"input", p("q_rot")}, {"cache:k", kCache}, {"cache:v", vCache}, {"output", p("attn")}};
        at.dims = {{"M", m}};
        positionArgs(at, path, false);
        PTXWB_CHECK(launch(attention, at, l, "attention", phase));
        PTXWB_CHECK(gemv(*t.attnOutput, p("attn"), p("o"), m, l, "o_proj", phase));
        OpArgs r1;
        r1.pointers = {{"input:a", p("x")}, {"input:b", p("o")}, {"output", p("x")}};
        r1.dims = {{"M", m}};
        PTXWB_CHECK(launch(add, r1, l, "residual_attn", phase));

        OpArgs fn = n;
        fn.pointers["gamma"] = tensors_.ptr(std::string(t.ffnNorm->name));
        PTXWB_CHECK(launch(norm, fn, l, "ffn_norm", phase));
        PTXWB_CHECK(gemv(*t.ffnGate, p("xn"), p("gate"), m, l, "gate_proj", phase));
        PTXWB_CHECK(gemv(*t.ffnUp, p("xn"), p("up"), m, l, "up_proj", phase));
        OpArgs sw;
        sw.pointers = {{"gate", p("gate")}, {"up", p("up")}, {"output", p("act")}};
        sw.dims = {{"M", m}};
        PTXWB_CHECK(launch(swiglu, sw, l, "swiglu", phase));
        PTXWB_CHECK(gemv(*t.ffnDown, p("act"), p("o"), m, l, "down_proj", phase));
        PTXWB_CHECK(launch(add, r1, l, "residual_ffn", phase));
    }
    OpArgs on;
    on.pointers = {{"input", p("x")},
                   {"gamma", tensors_.ptr(std::string(model_.outputNorm->name))},
                   {"output", p("xn")}};
    on.dims = {{"M", m}};
    PTXWB_CHECK(launch(norm, on, -1, "output_norm", phase));
    return gemv(*model_.output, p("xn"), logitsOut, m, -1, "output", phase);
}

Status LlamaEngine::embed(int rows, std::int32_t token, const std::string& phase) {
    // The batched kernel reads the token ids uploaded to "tokens"; the single one takes `token`.
    const bool batched = phase == kBatched;
    PTXWB_TRY(WeightFormat format, formatOf(*model_.tokenEmbedding));
    PTXWB_TRY(std::string kernel,
              kernelFor(OpKind::Embedding, batched ? Variant::Batched : Variant::Single, format,
                        PositionPath::None));
    OpArgs e;
    e.pointers = {{"weights", tensors_.ptr(std::string(model_.tokenEmbedding->name))},
                  {"output", tensors_.ptr("x")}};
    if (batched) e.pointers["tokens"] = tensors_.ptr("tokens");
    e.dims = {{"M", rows}};
    e.token = token;
    return launch(kernel, e, -1, "embedding", phase);
}

Expected<Logits> LlamaEngine::prefillSerial(std::span<const std::int32_t> tokens) {
    const auto& hp = model_.hparams;
    for (std::size_t i = 0; i < tokens.size(); ++i) {
        const int pos = kvLengths_.front();
        if (pos >= maxLen_)
            return makeError(ErrorKind::Usage, "the prompt does not fit the KV cache");
        PTXWB_CHECK(embed(1, tokens[i], kSerial));
        PTXWB_CHECK(forwardRows(1, kSerial, PositionPath::Direct, pos,
                                rowOf(tensors_.ptr("logits"), int(i), hp.vocabSize)));
        for (auto& len : kvLengths_)
            ++len;
    }
    return downloadLogits("logits", int(tokens.size()));
}

Expected<Logits> LlamaEngine::prefillBatched(std::span<const std::int32_t> tokens) {
    const int m = int(tokens.size());
    const int start = kvLengths_.front();
    if (start + m > maxLen_ || m > maxRows_) {
        return makeError(ErrorKind::Usage, "the prompt does not fit the KV cache");
    }
    std::vector<std::int32_t> positions(static_cast<std::size_t>(m));
    for (int i = 0; i < m; ++i)
        positions[std::size_t(i)] = start + i;
    std::vector<std::int32_t> row0(static_cast<std::size_t>(m), start);
    PTXWB_CHECK(stream_->synchronize());
    PTXWB_CHECK(tensors_.find("positions")->upload(cuda::asBytes(positions)));
    PTXWB_CHECK(tensors_.find("rope_positions")->upload(cuda::asBytes(row0)));
    std::vector<std::int32_t> toks(tokens.begin(), tokens.end());
    PTXWB_CHECK(tensors_.find("tokens")->upload(cuda::asBytes(toks)));
    PTXWB_CHECK(embed(m, 0, kBatched));
    PTXWB_CHECK(forwardRows(m, kBatched, PositionPath::Batched, 0, tensors_.ptr("logits")));
    for (auto& len : kvLengths_)
        len += m;
    return downloadLogits("logits", m);
}

Expected<Logits> LlamaEngine::decode(std::int32_t token, bool useGraph) {
    const int pos = kvLengths_.front();
    if (pos >= maxLen_) return makeError(ErrorKind::Usage, "the KV cache is full");
    PTXWB_CHECK(embed(1, token, kDecode));
    if (!useGraph) {
        PTXWB_CHECK(
            forwardRows(1, kDecode, PositionPath::Direct, pos, tensors_.ptr("decode_logits")));
    } else {
        // Graph-mode decode: positions come from device buffers written before each replay.
        PTXWB_CHECK(writeDeviceInt("position_buf", pos));
        positionBufSet_ = true;
        if (!options_.has(Fault::SeqLenBufNotUpdated) || !decodeGraph_) {
            PTXWB_CHECK(writeDeviceInt("seq_len_buf", pos + 1));
        }
        if (!decodeGraph_) {
            launcher_->beginCapture();
            auto graph = cuda::Graph::capture(*stream_, [&]() -> Status {
                return forwardRows(1, kGraphCapture, PositionPath::Indirect, 0,
                                   tensors_.ptr("decode_logits"));
            });
            launcher_->endCapture();
            if (!graph) return Unexpected{graph.error()};
            decodeGraph_.emplace(std::move(*graph));
        }
        PTXWB_CHECK(decodeGraph_->launch(*stream_));
        PTXWB_CHECK(launcher_->recordGraphReplay(*decodeGraph_, "graph-replay"));
    }
    for (auto& len : kvLengths_)
        ++len;
    expectedSeqLen_ = pos + 1;
    return downloadLogits("decode_logits", 1);
}

Status LlamaEngine::firstTokenGraphCheck(std::int32_t token) {
    PTXWB_TRY(Logits logits, decode(token, /*useGraph=*/true));
    for (float x : logits.values) {
        if (!std::isfinite(x)) {
            return makeError(ErrorKind::GpuFault, "first-token check: the decode graph produced "
                                                  "non-finite logits");
        }
    }
    return {};
}

} // namespace ptxwb::engine

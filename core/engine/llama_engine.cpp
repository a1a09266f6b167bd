#include "engine/llama_engine.h"

#include "engine/kernel_choice.h"

#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace ptxwb::engine {

using kernels::OpKind;
using kernels::Variant;
using kernels::WeightFormat;

const char* faultName(Fault fault) {
    switch (fault) {
    case Fault::StalePositionBuf:
        return "stale-position-buf";
    case Fault::SeqLenBufNotUpdated:
        return "seq-len-buf-not-updated";
    case Fault::BatchedRopeRow0Positions:
        return "batched-rope-row0-positions";
    }
    return "?";
}

std::optional<Fault> faultFromName(const std::string& name) {
    for (auto f :
         {Fault::StalePositionBuf, Fault::SeqLenBufNotUpdated, Fault::BatchedRopeRow0Positions}) {
        if (name == faultName(f)) return f;
    }
    return std::nullopt;
}

std::vector<std::string> faultNames() {
    return {faultName(Fault::StalePositionBuf), faultName(Fault::SeqLenBufNotUpdated),
            faultName(Fault::BatchedRopeRow0Positions)};
}

bool EngineOptions::has(Fault f) const {
    return std::find(faults.begin(), faults.end(), f) != faults.end();
}

Expected<std::unique_ptr<LlamaEngine>> LlamaEngine::create(const cuda::Context& context,
                                                           const gguf::GgufFile& model,
                                                           const kernels::KernelSet& kernelSet,
                                                           const EngineOptions& options) {
    std::unique_ptr<LlamaEngine> e(new LlamaEngine());
    PTXWB_TRY(e->model_, gguf::loadLlamaModel(model));
    e->set_ = &kernelSet;
    e->options_ = options;
    const auto& hp = e->model_.hparams;
    e->maxLen_ = options.maxLen > 0 ? options.maxLen : int(hp.contextLength);
    if (e->maxLen_ <= 0) return makeError(ErrorKind::BadInput, "model has no context length");
    const int arch = context.device().smMajor * 10 + context.device().smMinor;
    e->loaded_ = std::make_unique<kernels::LoadedKernelSet>(kernelSet, arch);
    PTXWB_TRY(auto stream, cuda::Stream::create());
    e->stream_ = std::make_unique<cuda::Stream>(std::move(stream));
    PTXWB_CHECK(e->uploadWeights(model));
    PTXWB_CHECK(e->allocateState(e->maxLen_));
    e->launcher_ =
        std::make_unique<OpLauncher>(*e->loaded_, e->tensors_, *e->stream_, options.tracing);
    e->launcher_->trace().model = model.path();
    e->launcher_->trace().kernelSet = kernelSet.manifest().name;
    PTXWB_CHECK(e->resetKv());
    return e;
}

Status LlamaEngine::uploadWeights(const gguf::GgufFile& file) {
    for (const auto& t : file.tensors()) {
        PTXWB_CHECK(tensors_.upload(std::string(t.name), file.tensorData(t)));
    }
    return {};
}

Status LlamaEngine::allocateState(int maxRows) {
    const auto& hp = model_.hparams;
    maxRows_ = maxRows;
    const std::size_t rows = std::size_t(maxRows);
    const std::size_t f = sizeof(float);
    const std::size_t d = hp.embeddingLength;
    const std::size_t kv = hp.kvDim();
    const std::size_t ff = hp.feedForwardLength;
    const std::size_t vocab = hp.vocabSize;
    for (const char* name : {"x", "xn", "q", "q_rot", "attn", "o"}) {
        PTXWB_CHECK(tensors_.allocate(name, rows * d * f));
    }
    for (const char* name : {"k", "k_rot", "v"})
        PTXWB_CHECK(tensors_.allocate(name, rows * kv * f));
    for (const char* name : {"gate", "up", "act"})
        PTXWB_CHECK(tensors_.allocate(name, rows * ff * f));
    PTXWB_CHECK(tensors_.allocate("logits", rows * vocab * f));
    PTXWB_CHECK(tensors_.allocate("decode_logits", vocab * f));
    for (const char* name : {"positions", "rope_positions", "tokens"}) {
        PTXWB_CHECK(tensors_.allocate(name, rows * sizeof(std::int32_t)));
    }
    PTXWB_CHECK(tensors_.allocate("position_buf", sizeof(std::int32_t)));
    PTXWB_CHECK(tensors_.allocate("seq_len_buf", sizeof(std::int32_t)));
    const std::size_t cacheBytes =
        std::size_t(hp.headCountKv) * std::size_t(maxLen_) * hp.headDim() * f;
    for (std::uint32_t l = 0; l < hp.blockCount; ++l) {
        PTXWB_CHECK(tensors_.allocate(fmt::format("blk.{}.k_cache", l), cacheBytes));
        PTXWB_CHECK(tensors_.allocate(fmt::format("blk.{}.v_cache", l), cacheBytes));
    }
    kvLengths_.assign(hp.blockCount, 0);
    return {};
}

Status LlamaEngine::resetKv() {
    for (std::uint32_t l = 0; l < model_.hparams.blockCount; ++l) {
        PTXWB_CHECK(tensors_.find(fmt::format("blk.{}.k_cache", l))->fill32(kKvPoisonBits));
        PTXWB_CHECK(tensors_.find(fmt::format("blk.{}.v_cache", l))->fill32(kKvPoisonBits));
    }
    std::fill(kvLengths_.begin(), kvLengths_.end(), 0);
    // The real engine's reset forgot this line: position_buf stayed Some(0) after the graph
    // capture of the first-token check.
    if (!options_.has(Fault::StalePositionBuf)) positionBufSet_ = false;
    return {};
}

Status LlamaEngine::writeDeviceInt(const std::string& buffer, std::int32_t value) {
    PTXWB_CHECK(stream_->synchronize());
    return tensors_.find(buffer)->upload(std::as_bytes(std::span<const std::int32_t>(&value, 1)));
}

Expected<std::int32_t> LlamaEngine::readDeviceInt(const std::string& buffer) {
    PTXWB_CHECK(stream_->synchronize());
    std::int32_t value = 0;
    PTXWB_CHECK(tensors_.find(buffer)->download(
        std::as_writable_bytes(std::span<std::int32_t>(&value, 1))));
    return value;
}

Expected<Logits> LlamaEngine::downloadLogits(const std::string& buffer, int rows) {
    PTXWB_CHECK(stream_->synchronize());
    Logits out;
    out.rows = rows;
    out.vocab = int(model_.hparams.vocabSize);
    out.values.resize(std::size_t(rows) * std::size_t(out.vocab));
    PTXWB_CHECK(tensors_.find(buffer)->download(cuda::asWritableBytes(out.values)));
    return out;
}

Expected<WeightFormat> LlamaEngine::formatOf(const gguf::TensorInfo& t) const {
    switch (t.type) {
    case gguf::GgmlType::Q4_K:
        return WeightFormat::Q4_K;
    case gguf::GgmlType::Q6_K:
        return WeightFormat::Q6_K;
    case gguf::GgmlType::Q8_0:
        return WeightFormat::Q8_0;
    case gguf::GgmlType::F16:
        return WeightFormat::F16;
    default:
        return makeError(ErrorKind::BadInput,
                         fmt::format("tensor {} has type {}, which the kernel set cannot multiply "
                                     "(engine GEMV formats: q4_K, q6_K, q8_0, f16)",
                                     t.name, gguf::ggmlTypeName(t.type)));
    }
}

Expected<std::string> LlamaEngine::kernelFor(OpKind op, Variant v, WeightFormat w, PositionPath p) {
    return chooseKernel(set_->manifest(), KernelQuery{op, v, w, p});
}

Status LlamaEngine::launch(const std::string& kernel, OpArgs args, int layer, const std::string& op,
                           const std::string& phase) {
    const auto& hp = model_.hparams;
    args.dims.emplace("D", hp.embeddingLength);
    args.dims.emplace("H", hp.headCount);
    args.dims.emplace("HKV", hp.headCountKv);
    args.dims.emplace("HD", hp.headDim());
    args.dims.emplace("F", hp.feedForwardLength);
    args.dims.emplace("V", hp.vocabSize);
    args.dims.emplace("MAXLEN", maxLen_);
    args.eps = float(hp.rmsEpsilon);
    args.ropeBase = float(hp.ropeFreqBase);
    return launcher_->launch(kernel, args, LaunchSite{phase, layer, op});
}

Status LlamaEngine::gemv(const gguf::TensorInfo& w, CUdeviceptr in, CUdeviceptr out, int m,
                         int layer, const std::string& op, const std::string& phase) {
    PTXWB_TRY(WeightFormat format, formatOf(w));
    const Variant v = phase == "prefill-batched" ? Variant::Batched : Variant::Single;
    PTXWB_TRY(std::string kernel, kernelFor(OpKind::Gemv, v, format, PositionPath::None));
    OpArgs a;
    a.pointers = {{"weights", tensors_.ptr(std::string(w.name))}, {"input", in}, {"output", out}};
    a.dims = {{"K", std::int64_t(w.dims[0])}, {"N", std::int64_t(w.dims[1])}, {"M", m}};
    return launch(kernel, a, layer, op, phase);
}

Expected<KvCacheSnapshot> LlamaEngine::snapshotKv() {
    PTXWB_CHECK(stream_->synchronize());
    const auto& hp = model_.hparams;
    KvGeometry g{int(hp.blockCount), int(hp.headCountKv), maxLen_, int(hp.headDim())};
    KvCacheSnapshot snap;
    snap.geometry = g;
    snap.poisonMarksUnwritten = true;
    snap.k.resize(g.elementsPerLayer() * std::size_t(g.layers));
    snap.v.resize(snap.k.size());
    for (int l = 0; l < g.layers; ++l) {
        const std::size_t off = std::size_t(l) * g.elementsPerLayer();
        auto kSpan =
            std::as_writable_bytes(std::span<float>(snap.k.data() + off, g.elementsPerLayer()));
        auto vSpan =
            std::as_writable_bytes(std::span<float>(snap.v.data() + off, g.elementsPerLayer()));
        PTXWB_CHECK(tensors_.find(fmt::format("blk.{}.k_cache", l))->download(kSpan));
        PTXWB_CHECK(tensors_.find(fmt::format("blk.{}.v_cache", l))->download(vSpan));
    }
    return snap;
}

Expected<std::vector<DeviceValueCheck>> LlamaEngine::deviceValueChecks(bool afterBatchedPrefill) {
    std::vector<DeviceValueCheck> checks;
    std::optional<std::int64_t> positionBuf;
    if (positionBufSet_) {
        PTXWB_TRY(std::int32_t v, readDeviceInt("position_buf"));
        positionBuf = v;
    }
    if (afterBatchedPrefill) {
        checks.push_back({"position_buf", positionBuf, std::nullopt,
                          "after a KV reset and batched prefill no graph decode has run, so "
                          "position_buf must be unset; batched prefill takes positions from "
                          "positions[]"});
    } else if (decodeGraph_) {
        PTXWB_TRY(std::int32_t seqLen, readDeviceInt("seq_len_buf"));
        checks.push_back({"seq_len_buf", seqLen, expectedSeqLen_,
                          "graph decode must write the new sequence length before each replay"});
        checks.push_back({"position_buf", positionBuf, expectedSeqLen_ - 1,
                          "the position of the last decoded token"});
    }
    return checks;
}

} // namespace ptxwb::engine

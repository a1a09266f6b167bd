#pragma once
// A llama executor over a kernel set, written to behave like a real inference engine, host
// state included: an optional position_buf and seq_len_buf on the device (CUDA-graph decode
// reads positions from them because graph parameters are frozen at capture), per-layer
// kv_cache_lengths, a KV reset, and the rule that batched prefill takes the indirect scatter
// path whenever position_buf is set. Faults can be injected to reproduce real bugs on demand.

#include "cuda/context.h"
#include "cuda/graph.h"
#include "engine/device_tensors.h"
#include "engine/kv_cache_snapshot.h"
#include "engine/kv_validation.h"
#include "engine/op_launcher.h"
#include "gguf/gguf_file.h"
#include "gguf/llama_model.h"
#include "kernels/kernel_loader.h"

#include <memory>
#include <optional>
#include <span>
#include <vector>

namespace ptxwb::engine {

/// Bugs the engine can reproduce.
enum class Fault {
    /// A first-token check captures a decode graph with position_buf = 0; the KV reset keeps
    /// position_buf; batched prefill sees it set, takes the indirect scatter path and writes
    /// every token to position 0 (the seed's PMAT-PREFILL bug).
    StalePositionBuf,
    /// Graph decode replays without writing the new sequence length into seq_len_buf.
    SeqLenBufNotUpdated,
    /// Batched RoPE is given the position of row 0 for every row.
    BatchedRopeRow0Positions,
};
const char* faultName(Fault fault);
std::optional<Fault> faultFromName(const std::string& name);
std::vector<std::string> faultNames();

struct EngineOptions {
    int maxLen = 0; ///< KV cache length (0: the model's context length)
    bool tracing = true;
    std::vector<Fault> faults;
    [[nodiscard]] bool has(Fault f) const;
};

/// Logits of every processed position, [rows, vocab].
struct Logits {
    int rows = 0;
    int vocab = 0;
    std::vector<float> values;
};

class LlamaEngine {
public:
    static Expected<std::unique_ptr<LlamaEngine>> create(const cuda::Context& context,
                                                         const gguf::GgufFile& model,
                                                         const kernels::KernelSet& kernelSet,
                                                         const EngineOptions& options);

    /// Poisons both caches and zeroes kv_cache_lengths. Clears position_buf, unless the
    /// StalePositionBuf fault is injected.
    Status resetKv();
    /// Token by token with single kernels and direct positions.
    Expected<Logits> prefillSerial(std::span<const std::int32_t> tokens);
    /// All tokens at once with batched kernels and per-row positions (or the indirect scatter
    /// path when position_buf is set).
    Expected<Logits> prefillBatched(std::span<const std::int32_t> tokens);
    /// One decode step through a captured CUDA graph (captured on first use) or direct launches.
    Expected<Logits> decode(std::int32_t token, bool useGraph);
    /// A first-token check in the style of real engines: captures the decode graph with
    /// position_buf = 0 and replays it once for `token`.
    Status firstTokenGraphCheck(std::int32_t token);

    Expected<KvCacheSnapshot> snapshotKv();
    /// Device-side position_buf / seq_len_buf against what the host expects now.
    Expected<std::vector<DeviceValueCheck>> deviceValueChecks(bool afterBatchedPrefill);

    [[nodiscard]] const std::vector<int>& kvCacheLengths() const { return kvLengths_; }
    [[nodiscard]] bool positionBufSet() const { return positionBufSet_; }
    [[nodiscard]] Trace& trace() { return launcher_->trace(); }
    [[nodiscard]] OpLauncher& launcher() { return *launcher_; }
    [[nodiscard]] const gguf::LlamaHparams& hparams() const { return model_.hparams; }
    [[nodiscard]] int maxLen() const { return maxLen_; }

private:
    LlamaEngine() = default;
    Status uploadWeights(const gguf::GgufFile& file);
    Status allocateState(int maxRows);
    /// The layer stack plus output head for `m` rows already embedded into "x".
    Status forwardRows(int m, const std::string& phase, PositionPath path, int directPosition,
                       CUdeviceptr logitsOut);
    /// Embeds `rows` tokens into "x": one `token` (single kernel) or the uploaded "tokens".
    Status embed(int rows, std::int32_t token, const std::string& phase);
    Status launch(const std::string& kernel, OpArgs args, int layer, const std::string& op,
                  const std::string& phase);
    Expected<std::string> kernelFor(kernels::OpKind op, kernels::Variant v, kernels::WeightFormat w,
                                    PositionPath p);
    Expected<kernels::WeightFormat> formatOf(const gguf::TensorInfo& t) const;
    Status gemv(const gguf::TensorInfo& w, CUdeviceptr in, CUdeviceptr out, int m, int layer,
                const std::string& op, const std::string& phase);
    Status writeDeviceInt(const std::string& buffer, std::int32_t value);
    Expected<std::int32_t> readDeviceInt(const std::string& buffer);
    Expected<Logits> downloadLogits(const std::string& buffer, int rows);

    gguf::LlamaModel model_;
    const kernels::KernelSet* set_ = nullptr;
    std::unique_ptr<kernels::LoadedKernelSet> loaded_;
    DeviceTensors tensors_;
    std::unique_ptr<cuda::Stream> stream_;
    std::unique_ptr<OpLauncher> launcher_;
    EngineOptions options_;
    int maxLen_ = 0;
    int maxRows_ = 0;
    std::vector<int> kvLengths_;
    bool positionBufSet_ = false; ///< the host's Option<position_buf>: Some(..) or None
    std::optional<cuda::Graph> decodeGraph_;
    std::int32_t expectedSeqLen_ = 0;
};

} // namespace ptxwb::engine

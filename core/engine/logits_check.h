#pragma once
// Checks on engine logits: batched prefill against serial prefill (bit for bit, since every
// batched kernel keeps the single kernel's reduction order), and the GPU against the CPU
// reference forward (within the error bound the reference propagates for an f32 engine, with
// argmax agreement wherever the reference's top choice is not a tie within that bound).

#include "engine/llama_engine.h"

#include <string>
#include <vector>

namespace ptxwb::engine {

struct LogitsCheck {
    bool passed = true;
    std::string text; ///< one sentence: what was compared and what was found
};

/// Every element bit-identical; otherwise names the first differing position and the count.
LogitsCheck compareLogitsBitwise(const Logits& serial, const Logits& batched);

/// |gpu - ref| <= bound element by element (reference::ForwardResult::logitBound), and the
/// GPU's argmax equals the reference's unless the two candidates' reference logits are closer
/// than their bounds combined.
LogitsCheck compareLogitsWithReference(const Logits& gpu, const std::vector<float>& reference,
                                       const std::vector<double>& bound, const std::string& label);

} // namespace ptxwb::engine

#pragma once
// Checks on engine logits: batched prefill against serial prefill (bit for bit, since every
// batched kernel keeps the single kernel's reduction order), and the GPU against the CPU
// reference forward (within a tolerance, with argmax agreement wherever the reference's top
// choice is not a near-tie).

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

/// |gpu - ref| <= relTolerance * max|ref row| for every position, and the GPU's argmax equals
/// the reference's unless the two candidates' reference logits are within that tolerance.
LogitsCheck compareLogitsWithReference(const Logits& gpu, const std::vector<float>& reference,
                                       const std::string& label, double relTolerance = 1e-3);

} // namespace ptxwb::engine

// libFuzzer target for the GGUF reader: any byte string must parse or fail with a located
// error, never crash, hang or read out of bounds (ASan/UBSan are on in the fuzz preset). Files
// that parse are walked the way `ptxwb model info` and the llama loader walk them.
#include "gguf/gguf_file.h"
#include "gguf/llama_model.h"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <span>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    using namespace ptxwb;
    const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
    auto file = gguf::GgufFile::parse(bytes, "fuzz.gguf");
    if (!file) {
        // Every rejection names a byte inside (or just past) the input.
        const auto& loc = file.error().location;
        if (!loc || !loc->byteOffset || *loc->byteOffset > size) std::abort();
        return 0;
    }
    std::size_t checksum = 0;
    for (const auto& entry : file->metadata())
        checksum += entry.value.summary().size();
    for (const auto& tensor : file->tensors()) {
        const auto payload = file->tensorData(tensor);
        if (payload.size() != tensor.byteSize) std::abort();
        if (!payload.empty()) checksum += std::to_integer<unsigned>(payload.back());
    }
    if (auto model = gguf::loadLlamaModel(*file)) checksum += model->layers.size();
    return checksum == 0xdeadbeef ? 1 : 0; // keeps the walk from being optimised away
}

// A deterministic fuzz smoke that runs everywhere (the libFuzzer target needs clang): thousands
// of corrupted variants of a valid file must each parse or fail cleanly, and every file that
// parses must keep the reader's promises (data inside the file, no overlap, dequantisable).
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"
#include "reference/dequantize.h"
#include "reference/quantize.h"

#include <algorithm>
#include <gtest/gtest.h>
#include <random>

namespace ptxwb::gguf {
namespace {

std::vector<std::byte> seedFile() {
    GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setU32("llama.block_count", 1);
    w.setStringArray("tokenizer.ggml.tokens", {"a", "b", "c"});
    const float scores[] = {0.5f, 1.5f};
    w.setF32Array("tokenizer.ggml.scores", scores);
    std::vector<float> values(512);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = std::sin(0.1f * static_cast<float>(i));
    EXPECT_TRUE(w.addTensor("f", GgmlType::F32, {16}, std::vector<std::byte>(64)));
    EXPECT_TRUE(w.addTensor("q6", GgmlType::Q6_K, {256, 2},
                            *reference::quantize(GgmlType::Q6_K, values, 256)));
    EXPECT_TRUE(w.addTensor("q8", GgmlType::Q8_0, {32},
                            *reference::quantize(GgmlType::Q8_0, std::span(values).first(32), 32)));
    return w.toBytes();
}

void checkInvariants(const GgufFile& f, std::size_t size) {
    std::vector<std::pair<std::uint64_t, std::uint64_t>> ranges;
    for (const auto& t : f.tensors()) {
        ASSERT_LE(t.dataOffset + t.byteSize, size);
        ASSERT_EQ(t.dataOffset % f.alignment(), f.dataSectionOffset() % f.alignment());
        ranges.emplace_back(t.dataOffset, t.dataOffset + t.byteSize);
        if (ggmlTypeTraits(t.type).computeSupported && t.elementCount <= (1u << 20)) {
            std::vector<float> out(static_cast<std::size_t>(t.elementCount));
            ASSERT_TRUE(reference::dequantize(t.type, f.tensorData(t), out));
        }
    }
    std::sort(ranges.begin(), ranges.end());
    for (std::size_t i = 1; i < ranges.size(); ++i)
        ASSERT_LE(ranges[i - 1].second, ranges[i].first);
}

TEST(GgufMutation, CorruptedFilesFailCleanly) {
    const auto seed = seedFile();
    ASSERT_TRUE(GgufFile::parse(seed, "seed.gguf"));
    std::mt19937_64 rng(12345);
    int parsed = 0, rejected = 0;
    for (int iteration = 0; iteration < 20000; ++iteration) {
        auto bytes = seed;
        const int edits = 1 + static_cast<int>(rng() % 4);
        for (int e = 0; e < edits; ++e) {
            const std::size_t pos = rng() % bytes.size();
            switch (rng() % 5) {
            case 0:
                bytes[pos] = static_cast<std::byte>(rng());
                break;
            case 1:
                bytes[pos] ^= static_cast<std::byte>(1u << (rng() % 8));
                break;
            case 2:
                bytes.resize(pos);
                break;
            case 3: { // plant an extreme 64-bit value (counts, lengths, dims, offsets)
                const std::uint64_t extremes[] = {0,          1,          ~0ull,
                                                  1ull << 63, 1ull << 32, 0xffffffffull};
                const std::uint64_t v = extremes[rng() % 6];
                for (std::size_t i = 0; i < 8 && pos + i < bytes.size(); ++i)
                    bytes[pos + i] = static_cast<std::byte>(v >> (8 * i));
                break;
            }
            default:
                bytes.insert(bytes.begin() + static_cast<std::ptrdiff_t>(pos), std::byte{0});
                break;
            }
            if (bytes.empty()) break;
        }
        auto f = GgufFile::parse(bytes, "mutant.gguf");
        if (f) {
            ++parsed;
            checkInvariants(*f, bytes.size());
        } else {
            ++rejected;
            ASSERT_TRUE(f.error().location && f.error().location->byteOffset) << f.error().format();
            ASSERT_LE(*f.error().location->byteOffset, bytes.size()) << f.error().format();
        }
    }
    // Both outcomes must occur, or the mutations are not exercising the parser.
    EXPECT_GT(parsed, 100);
    EXPECT_GT(rejected, 1000);
}

} // namespace
} // namespace ptxwb::gguf

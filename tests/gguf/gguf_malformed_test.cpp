// One test per class of malformed GGUF file: each asserts the exact message and byte offset.
// Several classes mirror real CVEs in other GGUF readers (overflowing counts, dims and totals).
#include "gguf/gguf_file.h"
#include "gguf_bytes.h"

#include <gtest/gtest.h>

namespace ptxwb::gguf {
namespace {

using testing::GgufBytes;

void expectError(const GgufBytes& b, std::uint64_t offset, const std::string& message) {
    auto f = GgufFile::parse(b.bytes, "bad.gguf");
    ASSERT_FALSE(f) << "parsed a malformed file; expected: " << message;
    const Error& e = f.error();
    EXPECT_EQ(e.kind, ErrorKind::BadInput);
    ASSERT_TRUE(e.location && e.location->byteOffset) << e.format();
    EXPECT_EQ(*e.location->byteOffset, offset) << e.format();
    EXPECT_EQ(e.message, message);
    EXPECT_EQ(e.location->path, "bad.gguf");
}

TEST(GgufMalformed, BadMagic) {
    GgufBytes b;
    b.raw("GGML").u32(3).u64(0).u64(0);
    expectError(b, 0, "magic: not a GGUF file (starts with 'GGML', expected 'GGUF')");
    GgufBytes shortFile;
    shortFile.raw("G\x01");
    expectError(shortFile, 0, "magic: not a GGUF file (starts with 'G\\x01', expected 'GGUF')");
}

TEST(GgufMalformed, UnsupportedVersion) {
    GgufBytes v1;
    v1.header(0, 0, 1);
    expectError(v1, 4, "version: GGUF version 1 is not supported, expected 2 or 3");
    GgufBytes bigEndian;
    bigEndian.header(0, 0, 0x03000000u);
    expectError(bigEndian, 4,
                "version: GGUF version 50331648 is not supported, expected 2 or 3 (a big-endian "
                "file?)");
}

TEST(GgufMalformed, TruncatedHeader) {
    GgufBytes b;
    b.raw("GGUF").u32(3).u32(0);
    expectError(b, 8, "tensor_count: unexpected end of file (needs 8 bytes, 4 left)");
}

TEST(GgufMalformed, TensorCountCannotFit) {
    GgufBytes b;
    b.header(std::uint64_t{1} << 61, 0).zeros(100);
    expectError(b, 8, "tensor_count: 2305843009213693952 tensors cannot fit in the 108 bytes left");
}

TEST(GgufMalformed, KvCountOverflowCannotAllocate) {
    // n_kv near 2^64: a reader that multiplies by the entry size overflows; ours compares.
    GgufBytes b;
    b.header(0, ~std::uint64_t{0}).zeros(64);
    expectError(b, 16,
                "metadata_kv_count: 18446744073709551615 key-value pairs cannot fit in the "
                "64 bytes left");
}

TEST(GgufMalformed, KeyLengthBeyondFile) {
    GgufBytes b;
    b.header(0, 1).u64(1000).raw("abc").zeros(20);
    expectError(b, 24, "metadata key 0: string length 1000 exceeds the 23 bytes left");
}

TEST(GgufMalformed, KeyTooLongOrEmpty) {
    GgufBytes empty;
    empty.header(0, 1).str("").u32(4).u32(1);
    expectError(empty, 24, "metadata key 0: key is empty");
    GgufBytes longKey;
    longKey.header(0, 1).str(std::string(65536, 'k')).u32(4).u32(1);
    expectError(longKey, 24, "metadata key 0: string length 65536 exceeds the maximum 65535");
}

TEST(GgufMalformed, UnknownValueType) {
    GgufBytes b;
    b.header(0, 1).str("a.b");
    const auto typeAt = b.at();
    b.u32(13).u32(0);
    expectError(b, typeAt, "metadata 'a.b' type: unknown value type 13");
}

TEST(GgufMalformed, StringValueBeyondFile) {
    GgufBytes b;
    b.header(0, 1).str("name").u32(8);
    const auto valueAt = b.at();
    b.u64(50).raw("short");
    expectError(b, valueAt, "metadata 'name': string length 50 exceeds the 5 bytes left");
}

TEST(GgufMalformed, TruncatedScalarValue) {
    GgufBytes b;
    b.header(0, 1).str("x").u32(12);
    const auto valueAt = b.at();
    b.u32(0);
    expectError(b, valueAt, "metadata 'x': unexpected end of file (needs 8 bytes, 4 left)");
}

TEST(GgufMalformed, ArrayCountCannotFit) {
    GgufBytes b;
    b.header(0, 1).str("arr").u32(9).u32(6);
    const auto countAt = b.at();
    b.u64(std::uint64_t{1} << 62).f32(1.0f);
    expectError(b, countAt,
                "metadata 'arr': array of 4611686018427387904 f32 elements cannot fit "
                "in the 4 bytes left");
}

TEST(GgufMalformed, StringArrayCountCannotFit) {
    // Each string needs at least its 8-byte length, so 3 strings cannot fit in 16 bytes.
    GgufBytes b;
    b.header(0, 1).str("toks").u32(9).u32(8);
    const auto countAt = b.at();
    b.u64(3).str("").str("");
    expectError(b, countAt,
                "metadata 'toks': array of 3 string elements cannot fit in the 16 "
                "bytes left");
}

TEST(GgufMalformed, ArraysNestedTooDeep) {
    GgufBytes b;
    b.header(0, 1).str("deep").u32(9);
    std::size_t innermost = 0;
    for (int level = 0; level < 9; ++level) {
        innermost = b.at();
        b.u32(9).u64(1); // an array of one array
    }
    b.zeros(64);
    // The value at nesting depth 8 is rejected at its element-type field.
    expectError(b, innermost,
                "metadata 'deep'[0][0][0][0][0][0][0][0]: arrays nested deeper than 8 levels");
}

TEST(GgufMalformed, BoolNotZeroOrOne) {
    GgufBytes b;
    b.header(0, 1).str("flag").u32(7);
    const auto at = b.at();
    b.u8(2);
    expectError(b, at, "metadata 'flag': bool value 2 is not 0 or 1");
}

TEST(GgufMalformed, DuplicateKey) {
    GgufBytes b;
    b.header(0, 2).kvU32("llama.block_count", 1);
    const auto second = b.at();
    b.kvU32("llama.block_count", 2);
    expectError(b, second, "metadata 'llama.block_count': duplicate key (first at byte 24)");
}

TEST(GgufMalformed, AlignmentWrongType) {
    GgufBytes b;
    b.header(0, 1).str("general.alignment").u32(10);
    const auto at = b.at();
    b.u64(32);
    expectError(b, at, "general.alignment: stored as u64, must be u32");
}

TEST(GgufMalformed, AlignmentNotPowerOfTwo) {
    for (std::uint32_t a : {0u, 48u}) {
        GgufBytes b;
        b.header(0, 1).str("general.alignment").u32(4);
        const auto at = b.at();
        b.u32(a);
        expectError(b, at, "general.alignment: " + std::to_string(a) + " is not a power of two");
    }
}

TEST(GgufMalformed, AlignmentTooLarge) {
    GgufBytes b;
    b.header(0, 1).str("general.alignment").u32(4);
    const auto at = b.at();
    b.u32(1u << 21);
    expectError(b, at, "general.alignment: 2097152 exceeds the maximum 1048576");
}

TEST(GgufMalformed, TensorNameTooLongOrEmpty) {
    GgufBytes b;
    b.header(1, 0).tensor(std::string(65, 'n'), {32}, 0, 0).zeros(256);
    expectError(b, 24, "tensor 0 name: string length 65 exceeds the maximum 64");
    GgufBytes empty;
    empty.header(1, 0).tensor("", {32}, 0, 0).zeros(256);
    expectError(empty, 24, "tensor 0 name: name is empty");
}

TEST(GgufMalformed, DuplicateTensorName) {
    GgufBytes b;
    b.header(2, 0).tensor("w", {8}, 0, 0);
    const auto second = b.at();
    b.tensor("w", {8}, 0, 32).padTo(32).zeros(64);
    expectError(b, second, "tensor 'w': duplicate tensor name (first at byte 24)");
}

TEST(GgufMalformed, DimensionCountOutOfRange) {
    for (std::uint32_t n : {0u, 5u}) {
        GgufBytes b;
        b.header(1, 0).str("t");
        const auto at = b.at();
        b.u32(n);
        for (std::uint32_t i = 0; i < n; ++i)
            b.u64(1);
        b.u32(0).u64(0).zeros(64);
        expectError(b, at, "tensor 't': n_dims " + std::to_string(n) + " is not in 1..4");
    }
}

TEST(GgufMalformed, ZeroDimension) {
    GgufBytes b;
    b.header(1, 0).str("t").u32(2).u64(32);
    const auto at = b.at();
    b.u64(0).u32(0).u64(0).zeros(64);
    expectError(b, at, "tensor 't': dims[1] is zero");
}

TEST(GgufMalformed, ElementCountOverflow) {
    // 2^32 x 2^32 overflows any 64-bit element count; the CVE class "heap overflow via dims".
    GgufBytes b;
    b.header(1, 0).str("t").u32(2).u64(std::uint64_t{1} << 32);
    const auto at = b.at();
    b.u64(std::uint64_t{1} << 32).u32(0).u64(0).zeros(64);
    expectError(b, at, "tensor 't': element count overflows at dims[1] = 4294967296");
}

TEST(GgufMalformed, ByteSizeOverflow) {
    // 2^62 f32 elements fit the element count but need 2^64 bytes.
    GgufBytes b;
    b.header(1, 0).str("t").u32(2).u64(std::uint64_t{1} << 31).u64(std::uint64_t{1} << 31);
    const auto typeAt = b.at();
    b.u32(0).u64(0).zeros(64);
    expectError(b, typeAt, "tensor 't': byte size overflows");
}

TEST(GgufMalformed, UnknownTensorType) {
    for (std::uint32_t type : {4u, 40u, 0xffffffffu}) {
        GgufBytes b;
        b.header(1, 0).str("t").u32(1).u64(256);
        const auto at = b.at();
        b.u32(type).u64(0).zeros(1024);
        expectError(b, at, "tensor 't': unknown ggml type " + std::to_string(type));
    }
}

TEST(GgufMalformed, RowLengthNotMultipleOfBlock) {
    GgufBytes b;
    b.header(1, 0).str("t").u32(2).u64(100).u64(4);
    const auto at = b.at();
    b.u32(12).u64(0).zeros(1024);
    expectError(b, at, "tensor 't': row length 100 is not a multiple of the q4_K block size 256");
}

TEST(GgufMalformed, MisalignedOffset) {
    GgufBytes b;
    b.header(1, 0).str("t").u32(1).u64(8).u32(0);
    const auto at = b.at();
    b.u64(17).padTo(32).zeros(64);
    expectError(b, at, "tensor 't': offset 17 is not a multiple of the alignment 32");
}

TEST(GgufMalformed, DataPastEndOfFile) {
    GgufBytes b;
    b.header(1, 0).str("t").u32(1).u64(64).u32(0);
    const auto at = b.at();
    b.u64(0).padTo(32).zeros(100); // needs 256 bytes
    expectError(b, at,
                "tensor 't': data of 256 bytes at offset 0 extends past the end of the "
                "file (" +
                    std::to_string(b.bytes.size()) + " bytes)");
}

TEST(GgufMalformed, OffsetPlusSizeOverflow) {
    // The "overflow in the final sum of sizes" CVE class: offset near 2^64 wraps around.
    GgufBytes b;
    b.header(1, 0).str("t").u32(1).u64(8).u32(0);
    const auto at = b.at();
    b.u64(~std::uint64_t{31}).padTo(32).zeros(64);
    expectError(b, at,
                "tensor 't': data of 32 bytes at offset 18446744073709551584 extends past "
                "the end of the file (" +
                    std::to_string(b.bytes.size()) + " bytes)");
}

TEST(GgufMalformed, OverlappingTensors) {
    GgufBytes b;
    b.header(2, 0).tensor("a", {16}, 0, 0); // 64 bytes at 0
    b.str("b").u32(1).u64(8).u32(0);
    const auto at = b.at();
    b.u64(32).padTo(32).zeros(128);
    expectError(b, at, "tensor 'b': data [32, 64) overlaps tensor 'a' [0, 64)");
}

TEST(GgufMalformed, DataSectionPastEndOfFile) {
    // Tensor infos end unaligned and the file stops there: the padded data start is past EOF.
    GgufBytes b;
    b.header(1, 0).tensor("t", {1}, 0, 0);
    expectError(b, b.at(),
                "data section: starts at byte 64, past the end of the file (" +
                    std::to_string(b.bytes.size()) + " bytes)");
}

TEST(GgufMalformed, TruncatedTensorInfo) {
    // Enough bytes for the minimal tensor info the count check assumes, but the info declares
    // four dims and the file ends inside the last one.
    GgufBytes b;
    b.header(1, 0).str("t").u32(4).u64(4).u64(4).u64(4);
    expectError(b, b.at(), "tensor 't' dims[3]: unexpected end of file (needs 8 bytes, 0 left)");
    GgufBytes tiny;
    tiny.header(1, 0).str("t").u32(2).u64(4);
    expectError(tiny, 8, "tensor_count: 1 tensors cannot fit in the 29 bytes left");
}

TEST(GgufMalformed, ErrorFormatNamesFileAndByte) {
    GgufBytes b;
    b.raw("NOPE").u32(3).u64(0).u64(0);
    auto f = GgufFile::parse(b.bytes, "model.gguf");
    ASSERT_FALSE(f);
    EXPECT_EQ(f.error().format(),
              "model.gguf: byte 0: magic: not a GGUF file (starts with 'NOPE', expected 'GGUF')");
}

} // namespace
} // namespace ptxwb::gguf

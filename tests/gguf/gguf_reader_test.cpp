// Valid GGUF files: every metadata type, typed accessors, alignment and data offsets, v2 and v3,
// tensors of types ptxwb lists but does not compute with.
#include "gguf/gguf_file.h"
#include "gguf/llama_model.h"
#include "gguf_bytes.h"

#include <gtest/gtest.h>

namespace ptxwb::gguf {
namespace {

using testing::GgufBytes;

/// One key of every scalar type, a string, arrays of u8, bool, string and nested arrays.
GgufBytes allTypesFile(std::uint32_t version) {
    GgufBytes b;
    b.header(0, 16, version);
    b.str("v.u8").u32(0).u8(200);
    b.str("v.i8").u32(1).put<std::int8_t>(-5);
    b.str("v.u16").u32(2).put<std::uint16_t>(60000);
    b.str("v.i16").u32(3).put<std::int16_t>(-30000);
    b.str("v.u32").u32(4).u32(4000000000u);
    b.str("v.i32").u32(5).put<std::int32_t>(-2000000000);
    b.str("v.f32").u32(6).f32(1.5f);
    b.str("v.bool").u32(7).u8(1);
    b.str("v.string").u32(8).str("héllo");
    b.str("v.u64").u32(10).u64(1ull << 40);
    b.str("v.i64").u32(11).put<std::int64_t>(-(1ll << 40));
    b.str("v.f64").u32(12).put<double>(-2.25);
    b.str("a.u8").u32(9).u32(0).u64(3).u8(1).u8(2).u8(3);
    b.str("a.bool").u32(9).u32(7).u64(2).u8(0).u8(1);
    b.str("a.string").u32(9).u32(8).u64(2).str("x").str("yz");
    // [[1, 2], [3]] as an array of arrays of i32.
    b.str("a.nested").u32(9).u32(9).u64(2);
    b.u32(5).u64(2).put<std::int32_t>(1).put<std::int32_t>(2);
    b.u32(5).u64(1).put<std::int32_t>(3);
    return b;
}

TEST(GgufReader, ReadsEveryMetadataTypeInV2AndV3) {
    for (std::uint32_t version : {2u, 3u}) {
        const auto b = allTypesFile(version);
        auto f = GgufFile::parse(b.bytes, "types.gguf");
        ASSERT_TRUE(f) << f.error().format();
        EXPECT_EQ(f->version(), version);
        EXPECT_EQ(f->metadata().size(), 16u);
        EXPECT_EQ(*f->scalar<std::uint8_t>("v.u8"), 200);
        EXPECT_EQ(*f->scalar<std::int8_t>("v.i8"), -5);
        EXPECT_EQ(*f->scalar<std::uint16_t>("v.u16"), 60000);
        EXPECT_EQ(*f->scalar<std::int16_t>("v.i16"), -30000);
        EXPECT_EQ(*f->scalar<std::uint32_t>("v.u32"), 4000000000u);
        EXPECT_EQ(*f->scalar<std::int32_t>("v.i32"), -2000000000);
        EXPECT_EQ(*f->scalar<float>("v.f32"), 1.5f);
        EXPECT_EQ(*f->scalar<bool>("v.bool"), true);
        EXPECT_EQ(*f->string("v.string"), "héllo");
        EXPECT_EQ(*f->scalar<std::uint64_t>("v.u64"), 1ull << 40);
        EXPECT_EQ(*f->scalar<std::int64_t>("v.i64"), -(1ll << 40));
        EXPECT_EQ(*f->scalar<double>("v.f64"), -2.25);
        EXPECT_EQ(*f->array<std::uint8_t>("a.u8"), (std::vector<std::uint8_t>{1, 2, 3}));
        EXPECT_EQ(*f->array<bool>("a.bool"), (std::vector<bool>{false, true}));
        EXPECT_EQ(*f->stringArray("a.string"), (std::vector<std::string_view>{"x", "yz"}));
        auto nested = f->arrayValue("a.nested");
        ASSERT_TRUE(nested);
        ASSERT_EQ((*nested)->arrays.size(), 2u);
        EXPECT_EQ((*nested)->arrays[0].elementsUnchecked<std::int32_t>(),
                  (std::vector<std::int32_t>{1, 2}));
        EXPECT_EQ((*nested)->arrays[1].elementsUnchecked<std::int32_t>(),
                  (std::vector<std::int32_t>{3}));
        EXPECT_EQ((*nested)->summary(), "[[1, 2], [3]]");
        EXPECT_EQ(*f->unsignedInteger("v.u16"), 60000u);
        EXPECT_EQ(*f->real("v.f32"), 1.5);
    }
}

TEST(GgufReader, TypedAccessorsRejectOtherTypes) {
    const auto b = allTypesFile(3);
    auto f = GgufFile::parse(b.bytes, "types.gguf");
    ASSERT_TRUE(f);
    // A u8 array is never read as floats; a u32 is never read as u64 or f32.
    auto floats = f->array<float>("a.u8");
    ASSERT_FALSE(floats);
    EXPECT_EQ(floats.error().message,
              "metadata 'a.u8': stored as array of u8, expected array of f32");
    EXPECT_EQ(*floats.error().location->byteOffset, f->findMetadata("a.u8")->value.offset);
    auto wide = f->scalar<std::uint64_t>("v.u32");
    ASSERT_FALSE(wide);
    EXPECT_EQ(wide.error().message, "metadata 'v.u32': stored as u32, expected u64");
    EXPECT_FALSE(f->string("v.u8"));
    EXPECT_FALSE(f->unsignedInteger("v.i8")) << "a negative value is not an unsigned integer";
    EXPECT_FALSE(f->real("v.u32"));
    auto missing = f->scalar<std::uint32_t>("no.such.key");
    ASSERT_FALSE(missing);
    EXPECT_EQ(missing.error().message, "metadata key 'no.such.key' is missing");
}

TEST(GgufReader, ValueOffsetsPointAtTheValue) {
    GgufBytes b;
    b.header(0, 1).str("k");
    b.u32(4);
    const auto valueAt = b.at();
    b.u32(7);
    auto f = GgufFile::parse(b.bytes, "x.gguf");
    ASSERT_TRUE(f);
    EXPECT_EQ(f->findMetadata("k")->keyOffset, 24u);
    EXPECT_EQ(f->findMetadata("k")->value.offset, valueAt);
}

TEST(GgufReader, DataOffsetsFollowTheAlignment) {
    GgufBytes b;
    b.header(2, 1).kvU32("general.alignment", 64);
    b.tensor("a", {3}, 0, 0).tensor("b", {2, 2}, 1, 64);
    const auto infosEnd = b.at();
    b.padTo(64);
    const auto dataStart = b.at();
    b.f32(1).f32(2).f32(3).zeros(64 - 12);
    b.put<std::uint16_t>(0x3c00).zeros(6);
    auto f = GgufFile::parse(b.bytes, "aligned.gguf");
    ASSERT_TRUE(f) << f.error().format();
    EXPECT_EQ(f->alignment(), 64u);
    EXPECT_GT(dataStart, infosEnd);
    EXPECT_EQ(f->dataSectionOffset(), dataStart);
    const TensorInfo* a = f->findTensor("a");
    const TensorInfo* t = f->findTensor("b");
    ASSERT_TRUE(a && t);
    EXPECT_EQ(a->dataOffset, dataStart);
    EXPECT_EQ(a->byteSize, 12u);
    EXPECT_EQ(t->dataOffset, dataStart + 64);
    EXPECT_EQ(t->type, GgmlType::F16);
    EXPECT_EQ(t->dims, (std::vector<std::uint64_t>{2, 2}));
    EXPECT_EQ(t->rowLength(), 2u);
    EXPECT_EQ(t->rowCount(), 2u);
    EXPECT_EQ(t->byteSize, 8u);
    EXPECT_EQ(f->tensorData(*t).size(), 8u);
    EXPECT_EQ(t->shapeText(), "[2, 2]");
}

TEST(GgufReader, EmptyFileWithoutTensorsNeedsNoPadding) {
    GgufBytes b;
    b.header(0, 1).kvU32("x", 1);
    auto f = GgufFile::parse(b.bytes, "empty.gguf");
    ASSERT_TRUE(f) << f.error().format();
    EXPECT_TRUE(f->tensors().empty());
}

TEST(GgufReader, ListsTypesItCannotComputeWith) {
    // q4_0 (32 values in 18 bytes) and iq2_xxs (256 in 66): sized exactly, never dequantised.
    GgufBytes b;
    b.header(2, 0).tensor("q40", {64, 2}, 2, 0).tensor("iq2", {256}, 16, 96);
    b.padTo(32).zeros(96 + 66);
    auto f = GgufFile::parse(b.bytes, "other.gguf");
    ASSERT_TRUE(f) << f.error().format();
    EXPECT_EQ(f->findTensor("q40")->byteSize, 4u * 18u);
    EXPECT_EQ(f->findTensor("iq2")->byteSize, 66u);
    EXPECT_EQ(ggmlTypeName(f->findTensor("iq2")->type), "iq2_xxs");
    EXPECT_FALSE(ggmlTypeTraits(GgmlType::Q4_0).computeSupported);
}

TEST(GgmlTypes, TableCoversEveryAssignedId) {
    int known = 0;
    for (std::uint32_t id = 0; id <= kMaxGgmlTypeId + 5; ++id) {
        auto t = ggmlTypeTraits(id);
        if (!t) continue;
        ++known;
        EXPECT_EQ(static_cast<std::uint32_t>(t->type), id);
        EXPECT_EQ(ggmlTypeFromName(t->name), t->type) << t->name;
        EXPECT_GT(t->blockBytes, 0u);
    }
    EXPECT_EQ(known, 38); // 0..39 without the retired 4 and 5
    EXPECT_FALSE(ggmlTypeTraits(4));
    EXPECT_FALSE(ggmlTypeTraits(5));
    EXPECT_EQ(ggmlTypeTraits(GgmlType::Q4_K).blockBytes, 144u);
    EXPECT_EQ(ggmlTypeTraits(GgmlType::Q6_K).blockBytes, 210u);
    EXPECT_EQ(ggmlTypeTraits(GgmlType::Q8_0).blockBytes, 34u);
    EXPECT_EQ(ggmlTypeTraits(GgmlType::Q8_K).blockBytes, 292u);
    EXPECT_EQ(ggmlTypeTraits(GgmlType::IQ4_XS).blockBytes, 136u);
    EXPECT_EQ(ggmlTypeTraits(GgmlType::TQ1_0).blockBytes, 54u);
    EXPECT_EQ(ggmlTypeTraits(GgmlType::MXFP4).blockBytes, 17u);
    EXPECT_EQ(ggmlTypeFromName("Q6_K"), GgmlType::Q6_K);
    EXPECT_FALSE(ggmlTypeFromName("q7_k"));
    int supported = 0;
    for (std::uint32_t id = 0; id <= kMaxGgmlTypeId; ++id)
        if (auto t = ggmlTypeTraits(id); t && t->computeSupported) ++supported;
    EXPECT_EQ(supported, 6);
}

} // namespace
} // namespace ptxwb::gguf

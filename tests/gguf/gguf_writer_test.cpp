// The GGUF v3 writer: what it writes the reader reads back, value for value and byte for byte.
#include "gguf/gguf_file.h"
#include "gguf/gguf_writer.h"

#include <cstring>
#include <gtest/gtest.h>

namespace ptxwb::gguf {
namespace {

std::vector<std::byte> floatBytes(std::vector<float> v) {
    std::vector<std::byte> out(v.size() * 4);
    std::memcpy(out.data(), v.data(), out.size());
    return out;
}

TEST(GgufWriter, RoundTripsMetadataAndTensors) {
    GgufWriter w;
    w.setString("general.architecture", "llama");
    w.setU8("k.u8", 7);
    w.setI16("k.i16", -7);
    w.setU32("k.u32", 123);
    w.setI64("k.i64", -5);
    w.setF32("k.f32", 0.25f);
    w.setF64("k.f64", 1e100);
    w.setBool("k.bool", true);
    w.setStringArray("k.strings", {"a", "", "ccc"});
    const float floats[] = {1.0f, -2.0f};
    w.setF32Array("k.floats", floats);
    w.setU32("k.u32", 456); // replaces in place
    ASSERT_TRUE(w.setAlignment(64));
    ASSERT_TRUE(w.addTensor("a", GgmlType::F32, {3}, floatBytes({1, 2, 3})));
    ASSERT_TRUE(w.addTensor("b", GgmlType::F32, {2, 2}, floatBytes({4, 5, 6, 7})));
    const auto bytes = w.toBytes();
    auto f = GgufFile::parse(bytes, "w.gguf");
    ASSERT_TRUE(f) << f.error().format();
    EXPECT_EQ(f->version(), 3u);
    EXPECT_EQ(f->alignment(), 64u);
    EXPECT_EQ(f->metadata().size(), 11u);
    EXPECT_EQ(f->metadata()[3].key, "k.u32");
    EXPECT_EQ(*f->scalar<std::uint32_t>("k.u32"), 456u);
    EXPECT_EQ(*f->scalar<std::int16_t>("k.i16"), -7);
    EXPECT_EQ(*f->scalar<double>("k.f64"), 1e100);
    EXPECT_EQ(*f->stringArray("k.strings"), (std::vector<std::string_view>{"a", "", "ccc"}));
    EXPECT_EQ(*f->array<float>("k.floats"), (std::vector<float>{1.0f, -2.0f}));
    ASSERT_EQ(f->tensors().size(), 2u);
    EXPECT_EQ(f->dataSectionOffset() % 64, 0u);
    EXPECT_EQ(f->findTensor("b")->relativeOffset, 64u);
    const auto data = f->tensorData(*f->findTensor("b"));
    float back[4];
    std::memcpy(back, data.data(), 16);
    EXPECT_EQ(back[3], 7.0f);
    EXPECT_EQ(bytes.size(), f->dataSectionOffset() + 64 + 64);
}

TEST(GgufWriter, RejectsInconsistentTensors) {
    GgufWriter w;
    auto wrongSize = w.addTensor("t", GgmlType::F32, {4}, floatBytes({1, 2}));
    ASSERT_FALSE(wrongSize);
    EXPECT_EQ(wrongSize.error().message, "tensor 't': 8 bytes given, f32 4 needs 16");
    auto badRow = w.addTensor("q", GgmlType::Q4_K, {100}, {});
    ASSERT_FALSE(badRow);
    EXPECT_EQ(badRow.error().message, "tensor 'q': row length 100 is not a multiple of 256");
    ASSERT_TRUE(w.addTensor("t", GgmlType::F32, {1}, floatBytes({1})));
    EXPECT_FALSE(w.addTensor("t", GgmlType::F32, {1}, floatBytes({1})));
    EXPECT_FALSE(w.addTensor(std::string(65, 'x'), GgmlType::F32, {1}, floatBytes({1})));
    EXPECT_FALSE(w.setAlignment(24));
}

TEST(GgufWriter, WritesFilesThatOpenThroughTheMapping) {
    GgufWriter w;
    ASSERT_TRUE(w.addTensor("t", GgmlType::F32, {2}, floatBytes({3, 4})));
    const std::string path = ::testing::TempDir() + "/writer_test.gguf";
    ASSERT_TRUE(w.writeFile(path));
    auto f = GgufFile::open(path);
    ASSERT_TRUE(f) << f.error().format();
    EXPECT_EQ(f->fileSize(), w.toBytes().size());
    EXPECT_EQ(f->path(), path);
}

} // namespace
} // namespace ptxwb::gguf

namespace ptxwb::gguf {
namespace {

TEST(GgufWriter, SparseTensorsAreHolesOfZeros) {
    GgufWriter w;
    ASSERT_TRUE(w.addTensor("a", GgmlType::F32, {2}, floatBytes({1, 2})));
    ASSERT_TRUE(w.addSparseTensor("big", GgmlType::Q4_K, {4096, 4096}));
    ASSERT_TRUE(w.addSparseTensor("tail", GgmlType::F32, {8}));
    const std::string path = ::testing::TempDir() + "/sparse_test.gguf";
    ASSERT_TRUE(w.writeFile(path));
    auto f = GgufFile::open(path);
    ASSERT_TRUE(f) << f.error().format();
    const TensorInfo* big = f->findTensor("big");
    ASSERT_TRUE(big);
    EXPECT_EQ(big->byteSize, 4096u / 256u * 144u * 4096u);
    const TensorInfo* tail = f->findTensor("tail");
    EXPECT_EQ(f->fileSize(), tail->dataOffset + 32 + 0u) << "trailing hole must set the size";
    const auto data = f->tensorData(*tail);
    for (auto b : data)
        ASSERT_EQ(b, std::byte{0});
    EXPECT_EQ(w.toBytes().size(), f->fileSize());
}

} // namespace
} // namespace ptxwb::gguf

#include "engine/kv_cache_snapshot.h"
#include "engine/kv_validation.h"
#include "kv_fixtures.h"
#include "util/mapped_file.h"
#include "util/npy.h"

#include <filesystem>
#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::engine;

namespace {
std::string tempDir(const std::string& name) {
    auto dir = std::filesystem::temp_directory_path() / ("ptxwb_kv_dump_" + name);
    std::filesystem::remove_all(dir);
    return dir.string();
}
} // namespace

TEST(KvDump, WritesAndReadsTheDocumentedLayout) {
    auto cache = KvCacheSnapshot::poisoned({2, 2, 4, 8});
    test::scatter(cache, 0, 0, 0);
    test::scatter(cache, 1, 3, 2);
    auto dir = tempDir("roundtrip");
    ASSERT_TRUE(writeKvDump(cache, dir));
    EXPECT_TRUE(std::filesystem::exists(dir + "/layer_1_v.npy"));
    auto back = readKvDump(dir);
    ASSERT_TRUE(back) << back.error().format();
    EXPECT_EQ(back->geometry, cache.geometry);
    EXPECT_TRUE(back->slotUnwritten(0, 0, 1));
    EXPECT_FALSE(back->slotUnwritten(1, 1, 2));
    EXPECT_EQ(back->k[back->index(1, 1, 2, 5)], test::slotValue(1, 1, 3, 5));
    std::filesystem::remove_all(dir);
}

TEST(KvDump, ExternalDumpsWithPlainNaNsValidate) {
    // Another engine marks unwritten slots with an ordinary NaN, not ptxwb's poison pattern.
    auto serial = KvCacheSnapshot::poisoned({1, 1, 4, 2});
    std::fill(serial.k.begin(), serial.k.end(), std::numeric_limits<float>::quiet_NaN());
    std::fill(serial.v.begin(), serial.v.end(), std::numeric_limits<float>::quiet_NaN());
    serial.poisonMarksUnwritten = false; // as readKvDump() leaves it for foreign dumps
    auto batched = serial;
    for (int t = 0; t < 3; ++t)
        test::scatter(serial, 0, t, t);
    test::scatter(batched, 0, 0, 0);
    test::scatter(batched, 0, 1, 1);
    KvValidationInput in{&serial, &batched, 3};
    auto report = validateKvCaches(in);
    ASSERT_EQ(report.problems.size(), 1u);
    EXPECT_EQ(report.problems[0], "layer 0, all KV heads: position 2 never written");
}

TEST(KvDump, MalformedNpyGivesByteOffset) {
    auto dir = tempDir("bad");
    std::filesystem::create_directories(dir);
    ASSERT_TRUE(writeFileAtomic(dir + "/layer_0_k.npy", "garbage"));
    ASSERT_TRUE(writeFileAtomic(dir + "/layer_0_v.npy", "garbage"));
    auto r = readKvDump(dir);
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().kind, ErrorKind::BadInput);
    EXPECT_EQ(r.error().format(),
              dir + "/layer_0_k.npy: byte 0: not a .npy file (missing \\x93NUMPY magic)");
    std::filesystem::remove_all(dir);
}

TEST(KvDump, WrongDtypeIsRejected) {
    auto dir = tempDir("dtype");
    std::filesystem::create_directories(dir);
    std::string header = "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1, 1), }";
    std::string file = std::string("\x93NUMPY\x01\x00", 8);
    file.push_back(char(header.size()));
    file.push_back('\0');
    file += header + std::string(8, '\0');
    ASSERT_TRUE(writeFileAtomic(dir + "/x.npy", file));
    auto r = readNpy(dir + "/x.npy");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().format(),
              dir + "/x.npy: byte 10: dtype '<f8' is not supported (expected '<f4', float32)");
    std::filesystem::remove_all(dir);
}

TEST(KvDump, TruncatedDataIsRejected) {
    auto dir = tempDir("trunc");
    std::filesystem::create_directories(dir);
    std::vector<float> values(6, 1.0f);
    ASSERT_TRUE(writeNpy(dir + "/x.npy", {2, 3}, values.data()));
    auto text = readFileText(dir + "/x.npy");
    ASSERT_TRUE(text);
    ASSERT_TRUE(writeFileAtomic(dir + "/y.npy", text->substr(0, text->size() - 4)));
    auto r = readNpy(dir + "/y.npy");
    ASSERT_FALSE(r);
    EXPECT_EQ(r.error().format(),
              dir + "/y.npy: byte 128: shape needs 6 float32 values but the file holds 5");
    std::filesystem::remove_all(dir);
}

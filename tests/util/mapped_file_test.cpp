#include "util/mapped_file.h"

#include <cstdio>
#include <filesystem>
#include <gtest/gtest.h>

using namespace ptxwb;

TEST(MappedFile, MapsContentAndEmptyFiles) {
    auto dir = std::filesystem::temp_directory_path() / "ptxwb_mapped_file_test";
    std::filesystem::create_directories(dir);
    auto path = (dir / "a.txt").string();
    ASSERT_TRUE(writeFileAtomic(path, "hello"));
    auto mapped = MappedFile::open(path);
    ASSERT_TRUE(mapped);
    EXPECT_EQ(mapped->text(), "hello");
    auto empty = (dir / "empty.txt").string();
    ASSERT_TRUE(writeFileAtomic(empty, ""));
    auto e = MappedFile::open(empty);
    ASSERT_TRUE(e);
    EXPECT_EQ(e->size(), 0u);
    std::filesystem::remove_all(dir);
}

TEST(MappedFile, MissingFileIsBadInputNamingThePath) {
    auto mapped = MappedFile::open("/nonexistent/ptxwb/file.ptx");
    ASSERT_FALSE(mapped);
    EXPECT_EQ(mapped.error().kind, ErrorKind::BadInput);
    EXPECT_NE(mapped.error().format().find("/nonexistent/ptxwb/file.ptx"), std::string::npos);
}

TEST(MappedFile, DirectoryIsRejected) {
    auto mapped = MappedFile::open("/");
    ASSERT_FALSE(mapped);
    EXPECT_NE(mapped.error().message.find("not a regular file"), std::string::npos);
}

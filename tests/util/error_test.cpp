#include "util/expected.h"

#include <gtest/gtest.h>

using namespace ptxwb;

TEST(Error, FormatsTextLocationAsFileLineColumn) {
    Error e(ErrorKind::BadInput, "expected ';' after instruction",
            ErrorLocation::text("k.ptx", 12, 7));
    EXPECT_EQ(e.format(), "k.ptx:12:7: expected ';' after instruction");
}

TEST(Error, FormatsByteOffsetAndNotes) {
    Error e(ErrorKind::BadInput, "tensor count too large", ErrorLocation::bytes("m.gguf", 16));
    e.withNote("the file has 40 bytes");
    EXPECT_EQ(e.format(), "m.gguf: byte 16: tensor count too large\nnote: the file has 40 bytes");
}

TEST(Error, MapsKindsToDocumentedExitCodes) {
    EXPECT_EQ(exitCodeFor(ErrorKind::Usage), 2);
    EXPECT_EQ(exitCodeFor(ErrorKind::BadInput), 3);
    EXPECT_EQ(exitCodeFor(ErrorKind::Environment), 4);
    EXPECT_EQ(exitCodeFor(ErrorKind::GpuFault), 5);
    EXPECT_EQ(exitCodeFor(ErrorKind::Internal), 5);
}

namespace {
Expected<int> half(int x) {
    if (x % 2 != 0) return makeError(ErrorKind::Usage, "odd");
    return x / 2;
}
Expected<int> quarter(int x) {
    PTXWB_TRY(int h, half(x));
    PTXWB_TRY(int q, half(h));
    return q;
}
} // namespace

TEST(Expected, PropagatesErrorsThroughTry) {
    auto ok = quarter(8);
    ASSERT_TRUE(ok);
    EXPECT_EQ(*ok, 2);
    auto bad = quarter(6);
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "odd");
    EXPECT_EQ(bad.error().kind, ErrorKind::Usage);
}

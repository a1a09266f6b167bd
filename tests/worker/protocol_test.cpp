#include "worker/protocol.h"

#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::worker;

TEST(WorkerProtocol, RejectsOtherVersionsClearly) {
    std::string why;
    EXPECT_FALSE(parseMessage(R"({"protocol":2,"type":"run"})", why));
    EXPECT_EQ(why, "protocol version 2 is not supported (this build speaks 1)");
    EXPECT_FALSE(parseMessage("not json", why));
    EXPECT_EQ(why, "not a JSON object");
    EXPECT_FALSE(parseMessage(R"({"type":"run"})", why));
    EXPECT_EQ(why, "missing protocol version");
    EXPECT_TRUE(parseMessage(makeRunRequest("1", "gpu-info", {}).dump(), why));
}

TEST(WorkerProtocol, ErrorsRoundTripThroughJson) {
    Error e(ErrorKind::BadInput, "expected ';'", ErrorLocation::text("a.ptx", 3, 9));
    e.withNote("in function foo");
    e.poisonsProcess = true;
    Error back = errorFromJson(errorToJson(e));
    EXPECT_EQ(back.kind, ErrorKind::BadInput);
    EXPECT_EQ(back.format(), "a.ptx:3:9: expected ';'\nnote: in function foo");
    EXPECT_TRUE(back.poisonsProcess);
}

#include "engine/trace.h"
#include "kv_fixtures.h"

#include <gtest/gtest.h>

using namespace ptxwb;
using namespace ptxwb::engine;

TEST(TraceSchema, RoundTripsThroughJsonLines) {
    Trace trace;
    trace.model = "small.gguf";
    trace.kernelSet = "builtin-llama";
    trace.tokens = {1, 2, 3};
    auto launch = test::scatterLaunch(57, 0, {0, 0, 0}, PositionPath::Indirect, 0);
    launch.grid = {1, 3, 1};
    launch.block = {128, 1, 1};
    launch.registers = 16;
    launch.durationUs = 2.5;
    launch.params.push_back({"pos_buf", "position_buf", true, "", "position_buf", 0});
    launch.params.push_back({"m", "dim:M", false, "3", "", 0});
    trace.launches.push_back(launch);
    auto text = traceToJsonl(trace);
    auto back = traceFromJsonl(text, "t.jsonl");
    ASSERT_TRUE(back) << back.error().format();
    EXPECT_EQ(back->model, "small.gguf");
    EXPECT_EQ(back->tokens, (std::vector<int>{1, 2, 3}));
    ASSERT_EQ(back->launches.size(), 1u);
    const auto& l = back->launches[0];
    EXPECT_EQ(l.seq, 57u);
    EXPECT_EQ(l.entry, "kv_scatter_indirect");
    EXPECT_EQ(l.positionPath, PositionPath::Indirect);
    EXPECT_EQ(l.positionValue, 0);
    EXPECT_EQ(l.positionsWritten, (std::vector<int>{0, 0, 0}));
    EXPECT_EQ(l.grid, (std::array<std::uint32_t, 3>{1, 3, 1}));
    ASSERT_EQ(l.params.size(), 2u);
    EXPECT_TRUE(l.params[0].pointer);
    EXPECT_EQ(l.params[0].tensor, "position_buf");
    EXPECT_EQ(l.params[1].value, "3");
    EXPECT_EQ(traceToJsonl(*back), text);
}

TEST(TraceSchema, ErrorsNameTheLine) {
    const std::string header = R"({"schema":"ptxwb.trace","version":1})";
    auto bad = traceFromJsonl(header + "\n{\"seq\":1,\"layer\":0,\"op\":\"rope\"}\n", "t.jsonl");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().format(), "t.jsonl:2:1: missing field 'kernel'");
    auto notJson = traceFromJsonl(header + "\n\n{oops\n", "t.jsonl");
    ASSERT_FALSE(notJson);
    EXPECT_EQ(notJson.error().format(), "t.jsonl:3:1: not a JSON object");
    auto wrongType = traceFromJsonl(
        header + "\n{\"seq\":\"x\",\"layer\":0,\"op\":\"rope\",\"kernel\":\"k\"}\n", "t.jsonl");
    ASSERT_FALSE(wrongType);
    EXPECT_EQ(wrongType.error().format(), "t.jsonl:2:1: field 'seq' has the wrong type (string)");
    auto badPath = traceFromJsonl(header + R"(
{"seq":1,"layer":0,"op":"rope","kernel":"k","grid":[1,1,1],"block":[1,1,1],"position_path":"sideways"})",
                                  "t.jsonl");
    ASSERT_FALSE(badPath);
    EXPECT_EQ(badPath.error().format(), "t.jsonl:2:1: unknown position_path 'sideways' (expected "
                                        "none, direct, indirect or batched)");
}

TEST(TraceSchema, RejectsOtherSchemasAndVersions) {
    auto other = traceFromJsonl(R"({"schema":"something.else"})", "t.jsonl");
    ASSERT_FALSE(other);
    EXPECT_EQ(other.error().format(),
              "t.jsonl:1:1: expected a header line with \"schema\": \"ptxwb.trace\"");
    auto future = traceFromJsonl(R"({"schema":"ptxwb.trace","version":9})", "t.jsonl");
    ASSERT_FALSE(future);
    EXPECT_EQ(future.error().format(),
              "t.jsonl:1:1: trace schema version 9 is not supported (this build reads version 1)");
    auto empty = traceFromJsonl("", "t.jsonl");
    ASSERT_FALSE(empty);
    EXPECT_EQ(empty.error().format(), "t.jsonl: empty trace (no header line)");
}

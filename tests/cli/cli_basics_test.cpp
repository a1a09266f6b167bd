// The command line's contract with users and scripts: version, help, and exit codes.
#include "cli_run.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using ptxwb::test::runCli;
using testing::HasSubstr;
using testing::StartsWith;

TEST(Cli, PrintsVersion) {
    auto r = runCli({"--version"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_THAT(r.out, StartsWith("ptxwb "));
}

TEST(Cli, HelpListsCommandsAndExitCodes) {
    auto r = runCli({"--help"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_THAT(r.out, HasSubstr("run-job"));
    EXPECT_THAT(r.out, HasSubstr("Exit codes: 0 ok, 1 checks failed, 2 usage error"));
}

TEST(Cli, SubcommandHelpExitsZero) {
    auto r = runCli({"run-job", "--help"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_THAT(r.out, HasSubstr("--deadline"));
}

TEST(Cli, MissingCommandIsAUsageError) {
    auto r = runCli({});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, StartsWith("ptxwb: error: "));
}

TEST(Cli, UnknownOptionIsAUsageError) {
    auto r = runCli({"version", "--no-such-option"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, HasSubstr("--no-such-option"));
}

TEST(Cli, BadJobParametersAreAUsageError) {
    auto r = runCli({"run-job", "test.echo", "--params", "[1,2]"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_EQ(r.err, "ptxwb: error: --params must be a JSON object\n");
}

TEST(Cli, RunJobReportsATimeoutWithExitCode5) {
    auto r =
        runCli({"run-job", "test.sleep", "--params", R"({"seconds": 30})", "--deadline", "0.3"});
    EXPECT_EQ(r.exitCode, 5);
    auto j = nlohmann::json::parse(r.out);
    EXPECT_EQ(j["status"], "timed-out");
    EXPECT_EQ(j["worker_replaced"], true);
}

TEST(Cli, WorkerSpeaksTheProtocolOnStdin) {
    auto r = runCli({"worker"},
                    R"({"protocol":1,"type":"run","id":"a","job":"test.echo","params":{"v":3}})"
                    "\n");
    EXPECT_EQ(r.exitCode, 0);
    std::vector<nlohmann::json> events;
    std::size_t pos = 0;
    while (pos < r.out.size()) {
        auto nl = r.out.find('\n', pos);
        events.push_back(nlohmann::json::parse(r.out.substr(pos, nl - pos)));
        pos = nl + 1;
    }
    ASSERT_EQ(events.size(), 2u);
    EXPECT_EQ(events[0]["event"], "hello");
    EXPECT_EQ(events[1]["event"], "result");
    EXPECT_EQ(events[1]["id"], "a");
    EXPECT_EQ(events[1]["result"]["echo"]["v"], 3);
}

// The CLI as a program drives it (ptxwb-gui's Run dock): --progress-format jsonl events on
// stderr, the recorded-run event with the full uuid, --device reaching the job's params, and
// SIGTERM cancelling a job that ignores cancellation: the command kills its worker and exits
// within 2 s instead of leaving the worker behind.
#include "cli_run.h"
#include "util/subprocess.h"

#include <chrono>
#include <csignal>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

using ptxwb::test::runCli;
using testing::HasSubstr;
using testing::Not;

namespace {

std::vector<nlohmann::json> jsonEvents(const std::string& err) {
    std::vector<nlohmann::json> events;
    std::istringstream lines(err);
    for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line.front() != '{') continue;
        auto j = nlohmann::json::parse(line, nullptr, false);
        if (!j.is_discarded() && j.contains("event")) events.push_back(std::move(j));
    }
    return events;
}

std::vector<int> childrenOf(int pid) {
    std::ifstream file("/proc/" + std::to_string(pid) + "/task/" + std::to_string(pid) +
                       "/children");
    std::vector<int> children;
    for (int child; file >> child;)
        children.push_back(child);
    return children;
}

bool running(int pid) {
    std::ifstream status("/proc/" + std::to_string(pid) + "/status");
    if (!status) return false;
    std::string text((std::istreambuf_iterator<char>(status)), {});
    return text.find("State:\tZ") == std::string::npos;
}

std::string tempDb(const char* name) {
    return testing::TempDir() + name + std::to_string(::getpid()) + ".sqlite";
}

} // namespace

TEST(CliProgress, JsonlEventsReportEveryJobStepsEnd) {
    auto r = runCli(
        {"--progress-format", "jsonl", "run-job", "test.progress", "--params", R"({"steps":5})"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    auto events = jsonEvents(r.err);
    ASSERT_FALSE(events.empty()) << r.err;
    const auto& last = events.back();
    EXPECT_EQ(last["event"], "progress");
    EXPECT_EQ(last["done"], 5);
    EXPECT_EQ(last["total"], 5);
    EXPECT_EQ(last["phase"], "step 5");
    // Without the option, stderr (not a terminal here) carries no events.
    auto plain = runCli({"run-job", "test.progress", "--params", R"({"steps":5})"});
    EXPECT_TRUE(jsonEvents(plain.err).empty()) << plain.err;
}

TEST(CliProgress, RecordedEventNamesTheWholeUuid) {
    const std::string db = tempDb("jsonl-recorded");
    auto r = runCli({"--db", db, "--progress-format", "jsonl", "analyze",
                     std::string(PTXWB_TEST_DATA_DIR) + "/ptx/grammar_tour.ptx"});
    std::remove(db.c_str());
    auto events = jsonEvents(r.err);
    ASSERT_EQ(events.size(), 1u) << r.err;
    EXPECT_EQ(events[0]["event"], "recorded");
    EXPECT_EQ(events[0]["command"], "analyze");
    EXPECT_EQ(events[0]["db"], db);
    EXPECT_EQ(events[0]["uuid"].get<std::string>().size(), 36u);
    EXPECT_THAT(r.err,
                HasSubstr("recorded run " + events[0]["uuid"].get<std::string>().substr(0, 8)));
}

TEST(CliProgress, UnknownProgressFormatIsAUsageError) {
    auto r = runCli({"--progress-format", "xml", "version"});
    EXPECT_EQ(r.exitCode, 2);
    EXPECT_THAT(r.err, HasSubstr("--progress-format"));
}

TEST(CliDevice, OrdinalReachesTheJobUnlessItsParamsNameOne) {
    auto r = runCli({"--device", "3", "run-job", "test.echo", "--params", "{}"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["echo"]["device"], 3);
    r = runCli({"--device", "3", "run-job", "test.echo", "--params", R"({"device":1})"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(nlohmann::json::parse(r.out)["result"]["echo"]["device"], 1);
    r = runCli({"--device", "-1", "version"});
    EXPECT_EQ(r.exitCode, 2);
}

TEST(CliCancel, SigtermStopsAHungJobAndItsWorkerWithinTwoSeconds) {
    auto cli = ptxwb::Subprocess::spawn(
        {PTXWB_CLI_PATH, "run-job", "test.sleep", "--params", R"({"seconds":60})"});
    ASSERT_TRUE(cli) << cli.error().format();
    const auto started = std::chrono::steady_clock::now();
    std::vector<int> workers;
    while (workers.empty() &&
           std::chrono::steady_clock::now() - started < std::chrono::seconds(10)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        workers = childrenOf(cli->pid());
    }
    ASSERT_EQ(workers.size(), 1u) << "the CLI never started its worker";
    std::this_thread::sleep_for(std::chrono::milliseconds(300)); // the worker has the job
    const auto signalled = std::chrono::steady_clock::now();
    ASSERT_EQ(::kill(cli->pid(), SIGTERM), 0);
    // Read the outcome it prints until it closes stdout (exits), then reap it.
    std::string out;
    const auto giveUp = signalled + std::chrono::seconds(5);
    for (auto line = cli->readLine(giveUp); line && std::chrono::steady_clock::now() < giveUp;
         line = cli->readLine(giveUp))
        if (line->has_value()) out += **line;
    const auto elapsed = std::chrono::steady_clock::now() - signalled;
    ASSERT_LT(elapsed, std::chrono::seconds(5)) << "ptxwb did not exit within 5 s of SIGTERM";
    const ptxwb::ChildExit exit = cli->wait();
    EXPECT_LT(elapsed, std::chrono::seconds(2));
    EXPECT_EQ(exit.exitCode, 5) << exit.describe();
    EXPECT_FALSE(running(workers.front())) << "worker " << workers.front() << " left running";
    EXPECT_THAT(out, HasSubstr("\"status\": \"cancelled\""));
    EXPECT_THAT(out, Not(HasSubstr("succeeded")));
}

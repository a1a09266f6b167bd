// The supervisor, proven on CPU with the diagnostic jobs of `ptxwb worker` (app/cli/job_test.cpp):
// deadlines kill hung jobs, crashes and sticky errors replace the worker, and the next job
// always succeeds on a fresh one.
#include "util/subprocess.h"
#include "worker/supervisor.h"

#include <csignal>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <thread>

using namespace ptxwb;
using namespace ptxwb::worker;
using namespace std::chrono_literals;
using nlohmann::json;

namespace {
SupervisorOptions cliWorker() {
    SupervisorOptions options;
    options.command = {PTXWB_CLI_PATH, "worker"};
    options.cancelGrace = 500ms;
    return options;
}

JobRequest job(std::string name, json params = json::object(),
               std::chrono::milliseconds deadline = 20s) {
    return JobRequest{std::move(name), std::move(params), deadline};
}

void expectEchoWorks(Supervisor& supervisor) {
    auto outcome = supervisor.run(job("test.echo", json{{"x", 42}}));
    ASSERT_TRUE(outcome) << outcome.error().format();
    ASSERT_EQ(outcome->status, JobOutcome::Status::Succeeded) << outcome->reason;
    EXPECT_EQ(outcome->result["echo"]["x"], 42);
    EXPECT_FALSE(outcome->workerReplaced);
}
} // namespace

TEST(Supervisor, RunsAJobAndReusesTheWorker) {
    Supervisor supervisor(cliWorker());
    expectEchoWorks(supervisor);
    int pid = supervisor.workerPid();
    expectEchoWorks(supervisor);
    EXPECT_EQ(supervisor.workerPid(), pid);
    EXPECT_EQ(supervisor.workersStarted(), 1);
}

TEST(Supervisor, AnnouncesRegisteredJobs) {
    Supervisor supervisor(cliWorker());
    auto jobs = supervisor.availableJobs();
    ASSERT_TRUE(jobs) << jobs.error().format();
    EXPECT_NE(std::find(jobs->begin(), jobs->end(), "test.sleep"), jobs->end());
}

TEST(Supervisor, KillsAJobPastItsDeadlineAndTheNextJobRunsOnAFreshWorker) {
    Supervisor supervisor(cliWorker());
    auto start = std::chrono::steady_clock::now();
    auto outcome = supervisor.run(job("test.sleep", json{{"seconds", 30}}, 300ms));
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::TimedOut);
    EXPECT_TRUE(outcome->workerReplaced);
    EXPECT_EQ(outcome->reason, "job 'test.sleep' ran past its deadline of 0.3 s; worker killed");
    EXPECT_LT(elapsed, 10s); // it was not allowed to sleep its 30 s
    expectEchoWorks(supervisor);
    EXPECT_EQ(supervisor.workersStarted(), 2);
}

TEST(Supervisor, KillsAJobThatStopsReportingProgressAndNamesTheStepThatHung) {
    Supervisor supervisor(cliWorker());
    JobRequest request = job("test.progress", json{{"steps", 5}, {"hang_at", 3}});
    request.stallTimeout = 300ms;
    auto start = std::chrono::steady_clock::now();
    auto outcome = supervisor.run(request);
    auto elapsed = std::chrono::steady_clock::now() - start;
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::Stalled);
    EXPECT_TRUE(outcome->workerReplaced);
    ASSERT_TRUE(outcome->lastProgress.has_value());
    EXPECT_EQ(outcome->lastProgress->done, 3u);
    EXPECT_EQ(outcome->reason,
              "job 'test.progress' reported no progress for 0.3 s after 'step 3'; worker killed");
    EXPECT_LT(elapsed, 10s); // long before the 20 s deadline
    expectEchoWorks(supervisor);
}

TEST(Supervisor, TheStallTimeoutStartsWithTheFirstProgressReport) {
    // A job that reports nothing (JIT compilation, loading a model) is held to its deadline only.
    Supervisor supervisor(cliWorker());
    JobRequest request = job("test.sleep", json{{"seconds", 0.5}});
    request.stallTimeout = 100ms;
    auto outcome = supervisor.run(request);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::Succeeded) << outcome->reason;
    EXPECT_FALSE(outcome->lastProgress.has_value());
}

TEST(Supervisor, ReportsACrashedWorkerWithItsSignal) {
    Supervisor supervisor(cliWorker());
    auto outcome = supervisor.run(job("test.abort"));
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::WorkerDied);
    EXPECT_TRUE(outcome->workerReplaced);
    EXPECT_EQ(outcome->reason,
              "worker killed by signal 6 (Aborted) while running job 'test.abort'");
    expectEchoWorks(supervisor);
}

TEST(Supervisor, ReplacesTheWorkerAfterAStickyError) {
    Supervisor supervisor(cliWorker());
    auto outcome = supervisor.run(job("test.sticky-error"));
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::Failed);
    EXPECT_EQ(outcome->error.kind, ErrorKind::GpuFault);
    EXPECT_TRUE(outcome->error.poisonsProcess);
    EXPECT_TRUE(outcome->workerReplaced);
    EXPECT_NE(outcome->reason.find("CUDA_ERROR_ILLEGAL_ADDRESS"), std::string::npos);
    expectEchoWorks(supervisor);
    EXPECT_EQ(supervisor.workersStarted(), 2);
}

TEST(Supervisor, ForwardsProgressAndLogEvents) {
    Supervisor supervisor(cliWorker());
    std::vector<ProgressUpdate> updates;
    std::vector<std::string> logs;
    JobObserver observer{[&](const ProgressUpdate& u) { updates.push_back(u); },
                         [&](const std::string& m) { logs.push_back(m); }};
    auto outcome = supervisor.run(job("test.progress", json{{"steps", 4}}), observer);
    ASSERT_TRUE(outcome);
    ASSERT_TRUE(outcome->ok());
    ASSERT_EQ(updates.size(), 4u);
    EXPECT_EQ(updates.back().done, 4u);
    EXPECT_EQ(updates.back().total, 4u);
    EXPECT_EQ(updates.back().phase, "step 4");
    ASSERT_EQ(logs.size(), 4u);
    EXPECT_EQ(logs.front(), "finished step 1");
}

TEST(Supervisor, CancelsACooperativeJob) {
    Supervisor supervisor(cliWorker());
    CancelToken cancel;
    cancel.cancel();
    auto outcome =
        supervisor.run(job("test.sleep", json{{"seconds", 30}, {"cancellable", true}}), {}, cancel);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::Cancelled);
    EXPECT_FALSE(outcome->workerReplaced);
    expectEchoWorks(supervisor);
}

TEST(Supervisor, KillsAJobThatIgnoresCancel) {
    Supervisor supervisor(cliWorker());
    CancelToken cancel;
    cancel.cancel();
    auto outcome = supervisor.run(job("test.sleep", json{{"seconds", 30}}), {}, cancel);
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::Cancelled);
    EXPECT_TRUE(outcome->workerReplaced);
    expectEchoWorks(supervisor);
}

TEST(Supervisor, StrayStdoutDoesNotCorruptTheProtocol) {
    Supervisor supervisor(cliWorker());
    auto outcome = supervisor.run(job("test.stray-output"));
    ASSERT_TRUE(outcome);
    ASSERT_TRUE(outcome->ok()) << outcome->reason;
    EXPECT_EQ(outcome->result["ok"], true);
}

TEST(Supervisor, UnknownJobIsAUsageErrorAndKeepsTheWorker) {
    Supervisor supervisor(cliWorker());
    auto outcome = supervisor.run(job("no-such-job"));
    ASSERT_TRUE(outcome);
    EXPECT_EQ(outcome->status, JobOutcome::Status::Failed);
    EXPECT_EQ(outcome->error.kind, ErrorKind::Usage);
    EXPECT_EQ(outcome->error.message, "unknown job 'no-such-job'");
    EXPECT_FALSE(outcome->workerReplaced);
}

TEST(Supervisor, MissingWorkerExecutableIsAnEnvironmentError) {
    SupervisorOptions options;
    options.command = {"/nonexistent/ptxwb", "worker"};
    Supervisor supervisor(options);
    auto outcome = supervisor.run(job("test.echo"));
    ASSERT_FALSE(outcome);
    EXPECT_EQ(outcome.error().kind, ErrorKind::Environment);
}

namespace {
/// The pid of a running child of `parent` whose command line contains " worker" ("ptxwb worker"),
/// read from /proc; 0 when there is none.
pid_t workerChildOf(pid_t parent) {
    for (const auto& entry : std::filesystem::directory_iterator("/proc")) {
        const std::string name = entry.path().filename().string();
        if (name.find_first_not_of("0123456789") != std::string::npos) continue;
        std::ifstream stat(entry.path() / "stat");
        std::string line;
        if (!std::getline(stat, line)) continue;
        // pid (comm) state ppid ...: the fields after the last ')'.
        std::istringstream rest(line.substr(line.rfind(')') + 1));
        char state = 0;
        long ppid = 0;
        rest >> state >> ppid;
        if (ppid != parent || state == 'Z') continue;
        std::ifstream cmdline(entry.path() / "cmdline");
        std::string args((std::istreambuf_iterator<char>(cmdline)),
                         std::istreambuf_iterator<char>());
        for (auto& c : args)
            if (c == '\0') c = ' ';
        if (args.find(" worker") != std::string::npos) return static_cast<pid_t>(std::stol(name));
    }
    return 0;
}

bool processGone(pid_t pid) {
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    if (!std::getline(stat, line)) return true;
    std::istringstream rest(line.substr(line.rfind(')') + 1));
    char state = 0;
    rest >> state;
    return state == 'Z';
}
} // namespace

TEST(Supervisor, AWorkerDiesWithTheProcessThatStartedIt) {
    // A CLI killed with SIGKILL cannot shut its worker down; the worker must not run on (holding
    // a GPU context) until its job ends.
    auto cli = Subprocess::spawn({PTXWB_CLI_PATH, "--no-progress", "run-job", "test.sleep",
                                  "--params", R"({"seconds": 60})", "--deadline", "120"});
    ASSERT_TRUE(cli) << cli.error().format();
    pid_t worker = 0;
    for (int i = 0; i < 500 && worker == 0; ++i) {
        worker = workerChildOf(cli->pid());
        if (worker == 0) std::this_thread::sleep_for(10ms);
    }
    ASSERT_NE(worker, 0) << "the CLI started no worker";
    cli->kill();
    bool gone = false;
    for (int i = 0; i < 500 && !gone; ++i) {
        gone = processGone(worker);
        if (!gone) std::this_thread::sleep_for(10ms);
    }
    EXPECT_TRUE(gone) << "worker " << worker << " outlived its parent";
    if (!gone) ::kill(worker, SIGKILL);
}

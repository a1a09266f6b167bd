// The engine on a real GPU (label gpu): clean runs pass, and every injected fault is caught with
// the sentence that localises it. Skips with a reason where no CUDA driver is present.
#include "cuda/api.h"
#include "engine/engine_jobs.h"
#include "engine/trace.h"
#include "reference/synthetic_model.h"
#include "worker/supervisor.h"

#include <filesystem>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

using namespace ptxwb;
using nlohmann::json;
using testing::HasSubstr;
using testing::StartsWith;

namespace {

class EngineGpu : public testing::Test {
protected:
    static void SetUpTestSuite() {
        if (!cuda::loadDriver()) return;
        modelPath_ = (std::filesystem::temp_directory_path() / "ptxwb_engine_gpu_tiny.gguf").string();
        auto config = reference::syntheticPreset(reference::SyntheticPreset::Tiny);
        auto writer = reference::buildSyntheticModel(config, reference::SyntheticQuant::Q4_K_M, 3);
        ASSERT_TRUE(writer) << writer.error().format();
        ASSERT_TRUE(writer->writeFile(modelPath_));
    }
    void SetUp() override {
        if (!cuda::loadDriver()) GTEST_SKIP() << "no CUDA driver on this machine (libcuda.so.1)";
    }
    static json qa(std::vector<std::string> faults) {
        auto result = engine::runKvValidationJob(
            json{{"model", modelPath_}, {"prompt_length", 10}, {"inject", faults}}, {}, {});
        EXPECT_TRUE(result) << result.error().format();
        return result ? *result : json::object();
    }
    static std::string modelPath_;
};
std::string EngineGpu::modelPath_;

} // namespace

TEST_F(EngineGpu, CleanRunPassesEveryCheck) {
    auto r = qa({});
    const auto& report = r["report"];
    EXPECT_TRUE(report["passed"].get<bool>()) << report.dump(2);
    auto passes = report["passes"].get<std::vector<std::string>>();
    EXPECT_THAT(passes, testing::Contains(StartsWith(
                            "batched prefill logits bit-identical to serial prefill")));
    EXPECT_THAT(passes, testing::Contains(StartsWith(
                            "serial prefill logits match the CPU reference")));
}

TEST_F(EngineGpu, StalePositionBufIsLocalised) {
    auto r = qa({"stale-position-buf"});
    auto problems = r["report"]["problems"].get<std::vector<std::string>>();
    ASSERT_FALSE(problems.empty());
    EXPECT_THAT(problems[0], StartsWith("layer 0-1, all KV heads: positions 1..9 never written, "
                                        "K/V differ from serial prefill at position 0, position 0 "
                                        "written 10 times by kv_scatter_indirect (launches #"));
    EXPECT_THAT(problems[0], HasSubstr("position_buf = 0)"));
    EXPECT_THAT(problems, testing::Contains(StartsWith("position_buf = 0 on the device, expected none")));
}

TEST_F(EngineGpu, SeqLenBufNotUpdatedIsCaught) {
    auto problems = qa({"seq-len-buf-not-updated"})["report"]["problems"].get<std::vector<std::string>>();
    ASSERT_EQ(problems.size(), 1u);
    EXPECT_THAT(problems[0], StartsWith("after graph decode: seq_len_buf = 1 on the device, expected 12"));
}

TEST_F(EngineGpu, BatchedRopeWithRow0PositionsIsCaught) {
    auto problems =
        qa({"batched-rope-row0-positions"})["report"]["problems"].get<std::vector<std::string>>();
    ASSERT_FALSE(problems.empty());
    EXPECT_EQ(problems[0], "layer 0-1, all KV heads: K/V differ from serial prefill at positions 1..9");
}

TEST_F(EngineGpu, GraphDecodeTraceShowsFrozenParametersAndPositionsRead) {
    auto r = engine::runTraceJob(json{{"model", modelPath_},
                                      {"tokens", {5, 6, 7}},
                                      {"decode", 3},
                                      {"graph", true}},
                                 {}, {});
    ASSERT_TRUE(r) << r.error().format();
    auto trace = engine::traceFromJsonl((*r)["trace_jsonl"].get<std::string>(), "trace");
    ASSERT_TRUE(trace) << trace.error().format();
    std::vector<std::int64_t> scatterPositions;
    for (const auto& l : trace->launches) {
        if (l.fromGraph && l.op == "kv_scatter_k" && l.layer == 0) {
            EXPECT_EQ(l.positionPath, engine::PositionPath::Indirect);
            ASSERT_TRUE(l.positionValue.has_value());
            scatterPositions.push_back(*l.positionValue);
        }
    }
    // Three replays of one captured graph wrote positions 3, 4 and 5 through position_buf.
    EXPECT_EQ(scatterPositions, (std::vector<std::int64_t>{3, 4, 5}));
}

TEST_F(EngineGpu, ValidationRunsThroughTheWorker) {
    worker::SupervisorOptions options;
    options.command = {PTXWB_CLI_PATH, "worker"};
    worker::Supervisor supervisor(options);
    auto outcome = supervisor.run(
        worker::JobRequest{"validate-kv-cache", json{{"model", modelPath_}, {"prompt_length", 6}},
                           std::chrono::milliseconds(120000)});
    ASSERT_TRUE(outcome) << outcome.error().format();
    ASSERT_TRUE(outcome->ok()) << outcome->reason;
    EXPECT_TRUE(outcome->result["report"]["passed"].get<bool>());
}

// record::add*Result: the JSON of the GPU jobs (built from the real result types, see
// job_result_fixtures.h) becomes store runs that survive the database unchanged.
#include "job_result_fixtures.h"
#include "kernels/kernel_loader.h"
#include "record/job_results.h"
#include "store/history_store.h"
#include "test_support.h"

#include <bit>
#include <cmath>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb {
namespace {

using store::CheckStatus;
using store::ElementCategory;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

const char* const kQ6kM4 = "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 K=4096 N=4096";

const store::Check& checkNamed(const store::Run& run, const std::string& name) {
    for (const auto& c : run.checks)
        if (c.name == name) return c;
    ADD_FAILURE() << "no check " << name;
    static const store::Check none;
    return none;
}

store::Run parityRun(const testing::ParityJobOptions& options) {
    store::Run run;
    run.uuid = store::newRunUuid();
    run.command = "parity";
    auto st = record::addParityResult(run, testing::parityJobResult(options));
    EXPECT_TRUE(st) << st.error().format();
    record::settleRunStatus(run);
    return run;
}

TEST(ParityRecord, PassingResultBecomesOneCheckPerPairAndBatchSize) {
    store::Run run = parityRun({});
    ASSERT_EQ(run.checks.size(), 8u);
    const auto& rms = run.checks.front();
    EXPECT_EQ(rms.name, "BatchedRmsNormKernel vs RmsNormKernel M=1 D=4096");
    EXPECT_EQ(rms.kind, store::CheckKind::Parity);
    EXPECT_EQ(rms.status, CheckStatus::Passed);
    EXPECT_THAT(rms.kernels, ElementsAre("BatchedRmsNormKernel", "RmsNormKernel"));
    EXPECT_EQ(rms.counts[ElementCategory::Identical], 4096u);
    EXPECT_EQ(rms.counts.failing(), 0u);
    EXPECT_EQ(rms.evidence["contract"], "bitwise");
    EXPECT_EQ(rms.evidence["summary"], "all 4096 elements bit-identical");
    EXPECT_EQ(rms.evidence["timing"]["candidate"]["us"], 9.25);
    ASSERT_TRUE(rms.mismatchMap.has_value());
    EXPECT_EQ(rms.mismatchMap->rows(), 1u);
    EXPECT_EQ(rms.mismatchMap->cols(), 4096u); // full resolution from the job's sparse cells
    EXPECT_EQ(rms.evidence["map"]["cols"], 4096);
    EXPECT_EQ(rms.evidence["map"]["stored_cols"], 4096);

    const auto& env = run.environment;
    EXPECT_EQ(env.gpuName, "NVIDIA H100 80GB HBM3");
    EXPECT_EQ(env.smArch, "sm_90");
    EXPECT_EQ(env.driverVersion, "12040");
    EXPECT_EQ(env.toolkitVersion, "12.4");
    EXPECT_EQ(env.kernelSetHash.substr(0, 8), "4a1f0c2e");
    EXPECT_EQ(env.seed, 1u);
    EXPECT_EQ(run.labels.at("inputs"), "normal");
    EXPECT_EQ(run.status, store::RunStatus::Passed);
}

TEST(JobEnvironment, DriverReleaseAndGpuUuidAreRecordedWhenTheWorkerHasThem) {
    store::Environment env;
    record::applyJobEnvironment(
        env, {{"driver", {{"version", 13000}, {"cuda", "13.0"}, {"release", "580.159.04"}}},
              {"devices",
               {{{"name", "NVIDIA H100 80GB HBM3"},
                 {"arch", "sm_90"},
                 {"uuid", "GPU-5d1e2c3a-0b4f-7a8e-9c6d-1f2e3d4c5b6a"}}}},
              {"nvrtc", {{"version", "13.0"}}}});
    EXPECT_EQ(env.driverVersion, "580.159.04");
    EXPECT_EQ(env.gpuUuid, "GPU-5d1e2c3a-0b4f-7a8e-9c6d-1f2e3d4c5b6a");
    EXPECT_EQ(env.toolkitVersion, "13.0");
    store::Environment old;
    record::applyJobEnvironment(old, {{"driver", {{"version", 13000}}}});
    EXPECT_EQ(old.driverVersion, "13000") << "without a release, the API version as before";
}

TEST(ParityRecord, FailingCheckKeepsItsEvidenceAndWhereTheMismatchesAre) {
    store::Run run = parityRun({.seed = 2, .dequantBug = true});
    const auto& q6k = checkNamed(run, kQ6kM4);
    EXPECT_EQ(q6k.status, CheckStatus::Failed);
    // 3 rows x 16 super-blocks x 8 quants.
    EXPECT_EQ(q6k.counts[ElementCategory::Mismatch], 384u);
    EXPECT_EQ(q6k.counts[ElementCategory::Identical], 4u * 4096 - 384);
    EXPECT_EQ(q6k.maxUlp, 1u << 15);
    ASSERT_EQ(q6k.firstMismatches.size(), 4u);
    const auto& first = q6k.firstMismatches.front();
    EXPECT_EQ(first.row, 1u);
    EXPECT_EQ(first.col, 88u);
    EXPECT_EQ(first.expected, 0.125 * (1 + 88 % 7));
    EXPECT_EQ(first.actual, double(std::bit_cast<float>(
                                std::bit_cast<std::uint32_t>(float(first.expected)) + 1024)));
    EXPECT_EQ(first.ulp, 1024u);
    EXPECT_EQ(q6k.evidence["candidate_vs_cpu"]["violations"], 384);
    ASSERT_TRUE(q6k.mismatchMap);
    // Full resolution: quants 88..95 of each 256-value super-block of rows 1..3, with their ULPs.
    EXPECT_EQ(q6k.mismatchMap->category(0, 88), ElementCategory::Identical);
    EXPECT_EQ(q6k.mismatchMap->category(1, 88), ElementCategory::Mismatch);
    EXPECT_EQ(q6k.mismatchMap->ulp(1, 88), 1024u);
    EXPECT_EQ(q6k.mismatchMap->category(3, 256 * 15 + 95), ElementCategory::Mismatch);
    EXPECT_EQ(q6k.mismatchMap->category(1, 96), ElementCategory::Identical);
    EXPECT_EQ(q6k.mismatchMap->counts()[ElementCategory::Mismatch], 384u);
    EXPECT_EQ(q6k.mismatchMap->maxUlp(), q6k.maxUlp);

    // A job that sent only the pooled preview (a map where most elements differ) still records:
    // 32 columns per preview cell, so quants 88..95 of block b fall into cell 8b + 2.
    auto result = testing::parityJobResult({.seed = 2, .dequantBug = true});
    for (auto& check : result["checks"])
        if (check.contains("map")) check["map"].erase("cells");
    store::Run pooled;
    ASSERT_TRUE(record::addParityResult(pooled, result));
    const auto& q6kPooled = checkNamed(pooled, kQ6kM4);
    ASSERT_TRUE(q6kPooled.mismatchMap);
    EXPECT_EQ(q6kPooled.mismatchMap->cols(), 128u);
    EXPECT_EQ(q6kPooled.mismatchMap->category(0, 2), ElementCategory::Identical);
    EXPECT_EQ(q6kPooled.mismatchMap->category(1, 2), ElementCategory::Mismatch);
    EXPECT_EQ(q6kPooled.mismatchMap->category(3, 8 * 15 + 2), ElementCategory::Mismatch);
    EXPECT_EQ(q6kPooled.mismatchMap->counts()[ElementCategory::Mismatch], 3u * 16);

    EXPECT_EQ(run.status, store::RunStatus::Failed);
    EXPECT_EQ(run.statusReason, std::string("1 of 8 checks failed, first: ") + kQ6kM4);
}

TEST(ParityRecord, NanCandidateIsKeptFromItsBitPattern) {
    auto result = testing::parityJobResult({});
    auto& sample = result["checks"][0];
    sample["status"] = "FAIL";
    sample["first_mismatches"] =
        nlohmann::json::array({{{"row", 0},
                                {"col", 5},
                                {"candidate", nullptr}, // what nlohmann writes for NaN
                                {"reference", 1.5},
                                {"candidate_bits", "0x7fc00000"},
                                {"reference_bits", "0x3fc00000"},
                                {"ulps", 4294967295u},
                                {"category", "nan-inf"}}});
    sample["max_rel_error"] = nullptr;
    store::Run run;
    ASSERT_TRUE(record::addParityResult(run, result));
    const auto& m = run.checks[0].firstMismatches.at(0);
    EXPECT_TRUE(std::isnan(m.actual));
    EXPECT_EQ(m.expected, 1.5);
    EXPECT_EQ(m.category, ElementCategory::NanInf);
    EXPECT_TRUE(std::isinf(run.checks[0].maxRelError));
}

TEST(ParityRecord, MalformedResultsNameTheJsonPathOfTheProblem) {
    auto expectError = [](nlohmann::json result, const std::string& message) {
        store::Run run;
        auto st = record::addParityResult(run, result);
        ASSERT_FALSE(st);
        EXPECT_EQ(st.error().kind, ErrorKind::BadInput);
        EXPECT_EQ(st.error().format(), message);
    };
    auto base = testing::parityJobResult({});
    auto badStatus = base;
    badStatus["checks"][2]["status"] = "meh";
    expectError(badStatus, "parity result: /checks/2/status: unknown check status 'meh' "
                           "(expected pass, FAIL, ERROR or skipped)");
    auto missing = base;
    missing["checks"][0].erase("candidate");
    expectError(missing, "parity result: /checks/0: key 'candidate' not found");
    auto wrongType = base;
    wrongType["checks"][1]["m"] = "four";
    expectError(wrongType, "parity result: /checks/1: type must be number, but is string");
    auto badElement = base;
    badElement["checks"][0]["map"]["cells"] = nlohmann::json::array({{5000, 2, 1}});
    expectError(badElement, "parity result: /checks/0/map/cells/0: element 5000 is outside the "
                            "1x4096 map");
    auto badTriple = base;
    badTriple["checks"][0]["map"]["cells"] = nlohmann::json::array({{1, "X"}});
    expectError(badTriple, "parity result: /checks/0/map/cells/0: expected [index, category, "
                           "ulps]");
    auto badCellCategory = base;
    badCellCategory["checks"][0]["map"]["cells"] = nlohmann::json::array({{1, 9, 0}});
    expectError(badCellCategory, "parity result: /checks/0/map/cells/0: unknown category 9");
    for (auto& check : base["checks"])
        if (check.contains("map")) check["map"].erase("cells");
    auto badCell = base;
    badCell["checks"][0]["map"]["preview"][0] = std::string(5, '.') + "?" + std::string(122, '.');
    expectError(badCell, "parity result: /checks/0/map/preview/0: unknown cell '?' at column 5");
    auto shortRow = base;
    shortRow["checks"][0]["map"]["preview"][0] = "...";
    expectError(shortRow, "parity result: /checks/0/map/preview/0: expected 128 cells, got 3");
    auto badCategory = base;
    badCategory["checks"][3]["counts"]["sideways"] = 1;
    expectError(badCategory, "parity result: /checks/3/counts: unknown element category "
                             "'sideways'");
    expectError(nlohmann::json::array(), "parity result: /: the result must be an object");
}

TEST(ParityRecord, AbortedJobIsAnErrorRunWithItsReason) {
    auto result = testing::parityJobResult({});
    result["aborted"] = "sticky CUDA error in BatchedQ6KGemvKernel: an illegal memory access";
    store::Run run;
    ASSERT_TRUE(record::addParityResult(run, result));
    record::settleRunStatus(run);
    EXPECT_EQ(run.status, store::RunStatus::Error);
    EXPECT_EQ(run.statusReason,
              "sticky CUDA error in BatchedQ6KGemvKernel: an illegal memory access");
}

TEST(ParityRecord, ACheckRunTwiceKeepsBothUnderDistinctNames) {
    auto result = testing::parityJobResult({});
    result["checks"].push_back(result["checks"][0]);
    store::Run run;
    ASSERT_TRUE(record::addParityResult(run, result));
    EXPECT_EQ(run.checks.back().name, "BatchedRmsNormKernel vs RmsNormKernel M=1 D=4096 #2");
}

TEST(ParityRecord, RecordedRunComesBackFromTheStoreUnchanged) {
    testing_support::TempDir dir;
    store::Run run = parityRun({.dequantBug = true});
    run.commandLine = {"ptxwb", "parity", "--seed", "1"};
    auto history = store::HistoryStore::open(dir.file("history.sqlite"));
    ASSERT_TRUE(history);
    ASSERT_TRUE(history->insertRun(run));
    auto back = history->loadRun(run.uuid);
    ASSERT_TRUE(back) << back.error().format();
    ASSERT_EQ(back->checks.size(), run.checks.size());
    for (std::size_t i = 0; i < run.checks.size(); ++i) {
        EXPECT_EQ(back->checks[i].name, run.checks[i].name);
        EXPECT_EQ(back->checks[i].counts, run.checks[i].counts);
        EXPECT_EQ(back->checks[i].firstMismatches, run.checks[i].firstMismatches);
        EXPECT_EQ(back->checks[i].evidence, run.checks[i].evidence);
        EXPECT_EQ(back->checks[i].mismatchMap, run.checks[i].mismatchMap);
    }
    EXPECT_EQ(back->environment, run.environment);
    EXPECT_EQ(back->labels, run.labels);
}

TEST(ProbeRecord, FailingProbeNamesTheQuantPositions) {
    store::Run run;
    ASSERT_TRUE(record::addProbeResult(run, testing::probeJobResult(true)));
    ASSERT_EQ(run.checks.size(), 1u);
    const auto& c = run.checks[0];
    EXPECT_EQ(c.name, "BatchedQ6KGemvKernel dequant probe 64x1024");
    EXPECT_EQ(c.kind, store::CheckKind::Probe);
    EXPECT_EQ(c.status, CheckStatus::Failed);
    EXPECT_EQ(c.counts[ElementCategory::Mismatch], 2016u);
    EXPECT_EQ(c.counts[ElementCategory::Identical], 65536u - 2016);
    // 0.0625 vs 0.03125: one binade apart, 2^23 ULP.
    EXPECT_EQ(c.maxUlp, 1u << 23);
    EXPECT_EQ(c.maxRelError, 1.0);
    ASSERT_TRUE(c.mismatchMap);
    EXPECT_EQ(c.mismatchMap->rows(), 1u);
    EXPECT_EQ(c.mismatchMap->cols(), 256u);
    EXPECT_EQ(c.mismatchMap->counts()[ElementCategory::Mismatch], 8u);
    EXPECT_EQ(c.mismatchMap->category(0, 88), ElementCategory::Mismatch);
    EXPECT_EQ(c.mismatchMap->category(0, 96), ElementCategory::Identical);
    ASSERT_TRUE(c.mismatchMap->probeLayout);
    auto pos = c.mismatchMap->probeLayout->locate(88);
    EXPECT_EQ(pos.subBlock, 5u);
    EXPECT_EQ(pos.quant, 8u);
    EXPECT_EQ(c.evidence["quantFormat"], "Q6_K");
    EXPECT_EQ(run.environment.smArch, "sm_90");
}

TEST(ProbeRecord, ExactProbePasses) {
    store::Run run;
    ASSERT_TRUE(record::addProbeResult(run, testing::probeJobResult(false)));
    record::settleRunStatus(run);
    EXPECT_EQ(run.checks.at(0).status, CheckStatus::Passed);
    EXPECT_EQ(run.status, store::RunStatus::Passed);
    auto bad = testing::probeJobResult(false);
    bad["mismatches"] = 70000;
    auto st = record::addProbeResult(run, bad);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().format(),
              "probe result: /mismatches: 70000 mismatches of only 65536 elements");
}

TEST(SelftestRecord, EveryRowIsACheckAndPendingIsSkipped) {
    store::Run run;
    ASSERT_TRUE(record::addSelftestResult(run, testing::selftestJobResult(true)));
    record::settleRunStatus(run);
    std::vector<std::pair<std::string, CheckStatus>> got;
    for (const auto& c : run.checks) {
        EXPECT_EQ(c.kind, store::CheckKind::Selftest);
        got.emplace_back(c.name, c.status);
    }
    EXPECT_THAT(
        got,
        ElementsAre(std::pair{std::string("static manifest kernelset.json"), CheckStatus::Passed},
                    std::pair{std::string("static nvrtc-compile rmsnorm.cu"), CheckStatus::Passed},
                    std::pair{std::string("static zoo-designation ZooBatchedRmsNormSharedU64"),
                              CheckStatus::Skipped},
                    std::pair{std::string("zoo ZooBatchedQ6KGemvDequant caught by parity:mismatch"),
                              CheckStatus::Passed},
                    std::pair{std::string("zoo ZooBatchedRmsNormSharedU64 caught by "
                                          "static:shared-address-u64"),
                              CheckStatus::Skipped},
                    std::pair{std::string("good BatchedRmsNormKernel vs RmsNormKernel"),
                              CheckStatus::Passed},
                    std::pair{std::string("good BatchedQ4KGemvKernel vs Q4KGemvKernel"),
                              CheckStatus::Failed}));
    EXPECT_EQ(run.status, store::RunStatus::Failed);
    auto bad = testing::selftestJobResult(false);
    bad["zoo"][0]["caught"] = "maybe";
    store::Run other;
    auto st = record::addSelftestResult(other, bad);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().format(), "selftest result: /zoo/0/caught: unknown status 'maybe'");
}

TEST(TraceRecord, LaunchesKeepTheirPositionPath) {
    store::Run run;
    ASSERT_TRUE(record::addTraceResult(run, testing::traceJobResult()));
    ASSERT_EQ(run.traceLaunches.size(), 2u);
    const auto& scatter = run.traceLaunches[1];
    EXPECT_EQ(scatter.seq, 8u);
    EXPECT_EQ(scatter.kernel, "KvScatterIndirectKernel");
    EXPECT_EQ(scatter.positionPath, "indirect");
    EXPECT_EQ(scatter.positionValue, 0);
    EXPECT_EQ(scatter.scalarParams["pos_buf"], "-> position_buf+0");
    EXPECT_EQ(scatter.phase, "prefill-batched");
    EXPECT_FALSE(scatter.fromGraph);
    EXPECT_EQ(run.traceLaunches[0].scalarParams["m"], "3");
    EXPECT_EQ(run.environment.modelName, "tiny-llama-q8_0.gguf");
    EXPECT_EQ(run.environment.kernelSetName, "builtin-llama");
    EXPECT_EQ(run.environment.gpuName, "NVIDIA H100 80GB HBM3");

    auto broken = testing::traceJobResult();
    broken["trace_jsonl"] = "{\"schema\":\"ptxwb.trace\",\"version\":1}\n{not json\n";
    store::Run other;
    auto st = record::addTraceResult(other, broken);
    ASSERT_FALSE(st);
    EXPECT_THAT(st.error().format(), HasSubstr("trace result:2"));
    broken.erase("trace_jsonl");
    st = record::addTraceResult(other, broken);
    ASSERT_FALSE(st);
    EXPECT_EQ(st.error().format(), "trace result: /trace_jsonl: missing (a string of JSON Lines)");
}

TEST(KernelSources, PtxKernelsAreRecordedWithTheirExactText) {
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set);
    store::Run run;
    ASSERT_TRUE(record::addSelftestResult(run, testing::selftestJobResult(false)));
    record::addKernelSources(run, *set, 0); // no target: only .ptx sources get text
    EXPECT_EQ(run.environment.kernelSetName, "builtin-llama");
    EXPECT_EQ(run.environment.kernelSetHash, set->contentHash());
    std::map<std::string, const store::KernelSource*> byName;
    for (const auto& k : run.kernels)
        byName[k.name] = &k;
    ASSERT_TRUE(byName.contains("ZooBatchedRmsNormSharedU64"));
    const auto* u64 = byName["ZooBatchedRmsNormSharedU64"];
    EXPECT_EQ(u64->sourcePath, "rmsnorm_batched_u64.ptx");
    EXPECT_EQ(u64->ptxText, *set->file("rmsnorm_batched_u64.ptx"));
    ASSERT_TRUE(byName.contains("RmsNormKernel"));
    EXPECT_EQ(byName["RmsNormKernel"]->sourcePath, "rmsnorm.cu");
    EXPECT_TRUE(byName["RmsNormKernel"]->ptxText.empty());
    EXPECT_EQ(byName.size(), 6u); // 2 mutants, 2 good kernels and their singles
}

TEST(KernelSources, CudaKernelsGetThePtxNvrtcMakesForTheRunsArch) {
    auto set = kernels::KernelSet::builtin();
    ASSERT_TRUE(set);
    auto expected = kernels::ptxForSource(*set, "rmsnorm.cu", 90);
    if (!expected) GTEST_SKIP() << "NVRTC not usable here: " << expected.error().format();
    store::Run run = parityRun({});
    record::addKernelSources(run, *set, record::archNumber(run.environment.smArch));
    for (const auto& k : run.kernels) {
        if (k.name != "RmsNormKernel") continue;
        EXPECT_EQ(k.ptxText, *expected);
        EXPECT_THAT(k.ptxText, HasSubstr(".entry " + set->manifest().find(k.name)->entry));
        return;
    }
    ADD_FAILURE() << "RmsNormKernel not recorded";
}

TEST(KernelSources, ArchNumberReadsSmNames) {
    EXPECT_EQ(record::archNumber("sm_90"), 90);
    EXPECT_EQ(record::archNumber("sm_90a"), 90);
    EXPECT_EQ(record::archNumber("sm_120"), 120);
    EXPECT_EQ(record::archNumber("compute_90"), 0);
    EXPECT_EQ(record::archNumber(""), 0);
}

} // namespace
} // namespace ptxwb

// `ptxwb analyze` and `ptxwb rules` as a user runs them: output formats and exit codes.
#include "analysis_fixture.h"
#include "util/subprocess.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace ptxwb::analysis::test {
namespace {

using testing::HasSubstr;

struct CliResult {
    int exitCode = -1;
    std::string output; ///< stdout and stderr
};

/// Runs the CLI; without an explicit --db the run is not recorded (tests never write into the
/// user's history database).
CliResult runCli(std::vector<std::string> args) {
    if (std::find(args.begin(), args.end(), "--db") == args.end())
        args.insert(args.begin(), "--no-history");
    args.insert(args.begin(), PTXWB_CLI_PATH);
    auto child = Subprocess::spawn(args, /*captureStderr=*/true);
    EXPECT_TRUE(child);
    if (!child) return {};
    child->closeInput();
    CliResult r;
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(60);
    for (;;) {
        auto line = child->readLine(deadline);
        if (!line || !*line) break;
        r.output += **line + "\n";
    }
    const auto exit = child->wait();
    r.exitCode = exit.exitCode.value_or(-1);
    return r;
}

const std::string kBatched = dataPath("analysis/rmsnorm_u64_shared/batched.ptx");
const std::string kSingle = dataPath("analysis/rmsnorm_u64_shared/single.ptx");

TEST(AnalyzeCli, ErrorFindingExitsOneWithClangStyleText) {
    const auto r = runCli({"analyze", kBatched, "--ptxas", "", "--rules", "shared-address-64bit"});
    EXPECT_EQ(r.exitCode, 1);
    EXPECT_THAT(r.output, HasSubstr("batched.ptx:80:17: error: st.shared addresses shared memory "
                                    "through the 64-bit register %rd16; shared addresses are "
                                    "32-bit offsets [shared-address-64bit]\n"
                                    "\tst.shared.f32 \t[%rd16], %f18;\n"
                                    "\t              \t^~~~~~~\n"));
    EXPECT_THAT(r.output, HasSubstr("batched.ptx:41:2: note: 64-bit base %rd13 formed here from "
                                    "the constant 0\n"));
    EXPECT_THAT(r.output, HasSubstr("4 error(s), 0 warning(s), 0 note(s) in 1 kernel(s)"));
}

TEST(AnalyzeCli, CleanFileExitsZeroAndFailOnLowersTheBar) {
    EXPECT_EQ(runCli({"analyze", kSingle, "--ptxas", ""}).exitCode, 0);
    // The pair has warnings (pair-divergence) but fail-on error is the default.
    const auto pair =
        runCli({"analyze", kSingle, kBatched, "--ptxas", "", "--rules", "pair-divergence", "--pair",
                "VectorizedRmsNormKernel=BatchedVectorizedRmsNormKernel"});
    EXPECT_EQ(pair.exitCode, 0);
    EXPECT_THAT(pair.output, HasSubstr("0 error(s), 1 warning(s)"));
    EXPECT_EQ(runCli({"analyze", kSingle, kBatched, "--ptxas", "", "--rules", "pair-divergence",
                      "--fail-on", "warning"})
                  .exitCode,
              1);
}

TEST(AnalyzeCli, JsonAndSarifFormats) {
    const auto json = runCli({"analyze", kBatched, "--ptxas", "", "--format", "json", "--rules",
                              "shared-address-64bit"});
    EXPECT_EQ(json.exitCode, 1);
    const auto j = nlohmann::json::parse(json.output);
    EXPECT_EQ(j["counts"]["error"], 4);
    EXPECT_EQ(j["findings"][0]["location"]["line"], 80);
    const auto sarif = runCli({"analyze", kBatched, "--ptxas", "", "--format", "sarif"});
    const auto s = nlohmann::json::parse(sarif.output);
    EXPECT_EQ(s["version"], "2.1.0");
    EXPECT_EQ(s["runs"][0]["results"][0]["ruleId"], "shared-address-64bit");
}

TEST(AnalyzeCli, SummaryListsPositionModes) {
    const auto r =
        runCli({"analyze", dataPath("analysis/positions.ptx"), "--ptxas", "", "--summary"});
    EXPECT_EQ(r.exitCode, 0);
    EXPECT_THAT(r.output, testing::ContainsRegex("kv_scatter_indirect +single +- +indirect "));
    EXPECT_THAT(r.output, testing::ContainsRegex("kv_scatter_direct +single +- +direct "));
    EXPECT_THAT(r.output,
                testing::ContainsRegex("batched_kv_scatter +batched +grid.y +batched-positions "));
}

TEST(AnalyzeCli, UnparsableInputExitsThreeWithLocatedDiagnostic) {
    const auto dir = std::filesystem::temp_directory_path() / "ptxwb_analysis_cli";
    std::filesystem::create_directories(dir);
    const auto bad = (dir / "bad.ptx").string();
    std::ofstream(bad) << ".version 8.0\n.target sm_80\n.address_size 64\n"
                          ".visible .entry k()\n{\n\tmov.u32 %r1 %r2;\n\tret;\n}\n";
    const auto r = runCli({"analyze", bad, "--ptxas", ""});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_THAT(r.output, HasSubstr("bad.ptx:6:"));
    EXPECT_THAT(r.output, HasSubstr("ptxwb: error: "));
}

TEST(AnalyzeCli, UsageErrorsExitTwo) {
    EXPECT_EQ(runCli({"analyze", kSingle, "--rules", "no-such-rule"}).exitCode, 2);
    EXPECT_EQ(runCli({"analyze", kSingle, "--pair", "only-one-name"}).exitCode, 2);
    EXPECT_EQ(runCli({"analyze", kSingle, "--format", "xml"}).exitCode, 2);
}

TEST(AnalyzeCli, BadManifestExitsThreeWithItsLocation) {
    const auto dir = std::filesystem::temp_directory_path() / "ptxwb_analysis_cli";
    std::filesystem::create_directories(dir);
    const auto manifest = (dir / "kernelset.json").string();
    std::ofstream(manifest) << R"({"name": "s", "version": 1, "kernels": [
  {"name": "K", "entry": "k", "source": "k.cu", "op": "rmsnorm",
   "params": [{"name": "x", "role": "inptu"}], "grid": [1], "block": [32]}]})";
    const auto r = runCli({"analyze", kSingle, "--manifest", manifest});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_THAT(r.output, HasSubstr("kernelset.json:3:37: unknown role 'inptu'"));
    EXPECT_EQ(
        runCli({"analyze", kSingle, "--manifest", manifest, "--kernel-set", dir.string()}).exitCode,
        2); // two sources of roles
}

TEST(AnalyzeCli, ManifestThatIsNotJsonExitsThreeWithItsPosition) {
    const auto dir = std::filesystem::temp_directory_path() / "ptxwb_analysis_cli";
    std::filesystem::create_directories(dir);
    const auto manifest = (dir / "broken.json").string();
    std::ofstream(manifest) << "{\"kernels\": [}";
    const auto r = runCli({"analyze", kSingle, "--manifest", manifest});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_THAT(r.output, HasSubstr("broken.json:1:14: invalid JSON: "));
}

TEST(AnalyzeCli, RecordsTheRunWithItsFindingsInHistory) {
    const auto dir = std::filesystem::temp_directory_path() /
                     ("ptxwb_analysis_history_" + std::to_string(::getpid()));
    std::filesystem::remove_all(dir);
    std::filesystem::create_directories(dir);
    const auto db = (dir / "history.db").string();
    const auto r =
        runCli({"--db", db, "analyze", kBatched, "--ptxas", "", "--rules", "shared-address-64bit"});
    EXPECT_EQ(r.exitCode, 1);
    const auto at = r.output.find("recorded run ");
    ASSERT_NE(at, std::string::npos) << r.output;
    const std::string run = r.output.substr(at + 13, 8);
    const auto show = runCli({"--db", db, "history", "show", run, "--format", "json"});
    ASSERT_EQ(show.exitCode, 0) << show.output;
    const auto json = nlohmann::json::parse(show.output.substr(show.output.find('{')));
    EXPECT_EQ(json["command"], "analyze");
    EXPECT_EQ(json["status"], "failed");
    ASSERT_EQ(json["findings"].size(), 4u);
    const auto& first = json["findings"][0];
    EXPECT_EQ(first["ruleId"], "shared-address-64bit");
    EXPECT_EQ(first["severity"], "error");
    EXPECT_EQ(first["kernel"], "BatchedVectorizedRmsNormKernel");
    EXPECT_EQ(first["line"], 80);
    EXPECT_EQ(first["column"], 17);
    EXPECT_THAT(first["file"].get<std::string>(), testing::EndsWith("batched.ptx"));
    bool formedAt41 = false; // "64-bit base %rd13 formed here from the constant 0"
    for (const auto& rel : first["related"])
        formedAt41 = formedAt41 || rel["line"] == 41;
    EXPECT_TRUE(formedAt41) << first.dump();
    // --no-history writes nothing.
    const auto quiet = runCli(
        {"--db", (dir / "other.db").string(), "--no-history", "analyze", kSingle, "--ptxas", ""});
    EXPECT_EQ(quiet.exitCode, 0);
    EXPECT_FALSE(std::filesystem::exists(dir / "other.db"));
    std::filesystem::remove_all(dir);
}

TEST(AnalyzeCli, BuiltinKernelSetSummaryNamesEveryPositionPath) {
    // Without files: the built-in set; its .ptx zoo source needs no NVRTC, the .cu sources do.
    const auto r = runCli({"analyze", "--summary", "--ptxas", "", "--rules",
                           "indirect-position,shared-address-64bit"});
    EXPECT_THAT(r.output, HasSubstr("rmsnorm_batched_u64.ptx"));
    EXPECT_THAT(r.output,
                testing::ContainsRegex("zoo_batched_rmsnorm_u64_shared +batched +grid.y"));
    if (r.output.find("not analysed:") != std::string::npos) {
        EXPECT_THAT(r.output, HasSubstr("NVRTC"));
        return; // a machine without the CUDA toolkit analyses the .ptx sources only
    }
    EXPECT_THAT(r.output, testing::ContainsRegex(" indirect +manifest"));
    EXPECT_THAT(r.output, testing::ContainsRegex(" direct +manifest"));
    EXPECT_THAT(r.output, testing::ContainsRegex(" batched-positions +manifest"));
}

TEST(RulesCli, ListAndExplain) {
    const auto list = runCli({"rules"});
    EXPECT_EQ(list.exitCode, 0);
    EXPECT_THAT(list.output, testing::ContainsRegex("shared-address-64bit +error +Shared memory "
                                                    "addressed through a 64-bit register"));
    EXPECT_THAT(list.output, testing::ContainsRegex("unused-parameter +note "));
    const auto explain = runCli({"rules", "explain", "batched-row-selection"});
    EXPECT_EQ(explain.exitCode, 0);
    EXPECT_THAT(explain.output, testing::StartsWith("# batched-row-selection — "));
    EXPECT_THAT(explain.output, HasSubstr("## Roles and naming heuristics"));
    EXPECT_EQ(runCli({"rules", "explain", "nope"}).exitCode, 2);
}

} // namespace
} // namespace ptxwb::analysis::test

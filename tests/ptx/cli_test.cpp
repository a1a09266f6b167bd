// The `ptxwb ptx` commands end to end: exit codes and output.
#include "cuda_toolkit.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <unistd.h>

namespace ptxwb::ptx {
namespace {

std::string tour() {
    return std::string(PTXWB_TEST_DATA_DIR) + "/ptx/grammar_tour.ptx";
}

TEST(PtxCli, CheckAcceptsGoodFilesAndRejectsBadOnesWithExitCode3) {
    auto ok = test::runTool({PTXWB_CLI_PATH, "ptx", "check", tour()});
    EXPECT_EQ(ok.exitCode, 0) << ok.output;
    std::string bad = (std::filesystem::temp_directory_path() /
                       ("ptxwb_bad_" + std::to_string(::getpid()) + ".ptx"))
                          .string();
    test::writeFile(bad, ".version 9.0\n.target sm_80\n.entry k()\n{\n\tret\n}\n");
    auto r = test::runTool({PTXWB_CLI_PATH, "ptx", "check", bad});
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_NE(r.output.find(bad + ":5:5: error: expected ';' after instruction\n\tret\n\t   ^"),
              std::string::npos)
        << r.output;
    std::filesystem::remove(bad);
}

TEST(PtxCli, PrintStatsAndDiff) {
    auto print = test::runTool({PTXWB_CLI_PATH, "ptx", "print", tour()});
    EXPECT_EQ(print.exitCode, 0);
    EXPECT_NE(print.output.find("\tbrx.idx\t%r2, $L_table;"), std::string::npos);
    auto stats = test::runTool({PTXWB_CLI_PATH, "ptx", "stats", tour(), "--json"});
    EXPECT_EQ(stats.exitCode, 0);
    EXPECT_NE(stats.output.find("\"name\": \"tour\""), std::string::npos) << stats.output;
    EXPECT_NE(stats.output.find("\"basicBlocks\": 6"), std::string::npos) << stats.output;
    auto diff = test::runTool(
        {PTXWB_CLI_PATH, "ptx", "diff", tour() + ":tour", tour() + ":tour", "--json"});
    EXPECT_EQ(diff.exitCode, 0) << diff.output;
    EXPECT_NE(diff.output.find("\"equivalent\": true"), std::string::npos);
    auto missing = test::runTool({PTXWB_CLI_PATH, "ptx", "diff", tour() + ":nope", tour()});
    EXPECT_EQ(missing.exitCode, 2);
}

} // namespace
} // namespace ptxwb::ptx

#include "parity/text_report.h"

#include <gtest/gtest.h>

namespace ptxwb::parity {
namespace {

nlohmann::json sampleResult() {
    return nlohmann::json::parse(R"({
      "copy_bandwidth_gbps": 3000.0,
      "checks": [
        {"candidate": "BatchedQ4KGemvKernel", "reference": "Q4KGemvKernel", "op": "gemv", "shape": "K=4096 N=4096",
         "m": 1, "status": "pass", "max_ulp": 0, "summary": "bit-identical (4096 elements), both within the CPU bound",
         "reference_timing": {"us": 5.0, "gb_per_s": 1900.0}, "candidate_timing": {"us": 5.5, "gb_per_s": 1750.0},
         "seconds": 0.1},
        {"candidate": "ZooBatchedResidualAddRow0", "reference": "ResidualAddKernel", "op": "residual_add",
         "shape": "D=4096", "m": 4, "status": "FAIL", "max_ulp": 123, "summary": "12 bitwise violations <x>",
         "reference_timing": {}, "candidate_timing": {}, "seconds": 0.2}
      ],
      "totals": {"planned": 2, "passed": 1, "failed": 1, "errors": 0}
    })");
}

TEST(TextReport, TableHasOneRowPerCheckAndPercentOfBandwidth) {
    std::string text = formatParityText(sampleResult());
    EXPECT_NE(text.find("measured device-to-device copy bandwidth: 3000 GB/s"), std::string::npos);
    EXPECT_NE(text.find("1900(63%)"), std::string::npos) << text;
    EXPECT_NE(text.find("ZooBatchedResidualAddRow0"), std::string::npos);
    EXPECT_NE(text.find("2 checks: 1 passed, 1 failed, 0 errors"), std::string::npos);
    EXPECT_TRUE(parityFailed(sampleResult()));
}

TEST(TextReport, AHungCheckShowsNoUlpAndTheRunSaysHowManyHung) {
    auto r = sampleResult();
    r["checks"].push_back(
        {{"candidate", "HangBatchedResidualAdd"},
         {"shape", "D=1000"},
         {"m", 1},
         {"status", "ERROR"},
         {"max_ulp", 0},
         {"summary", "HangBatchedResidualAdd M=1 D=1000 did not finish within 5 s"}});
    r["totals"] = {{"planned", 3}, {"passed", 1}, {"failed", 1}, {"errors", 1}};
    r["hung"] = nlohmann::json::array({{{"check", 2}, {"reason", "..."}}});
    const std::string text = formatParityText(r);
    EXPECT_NE(text.find("ERROR        -         -"), std::string::npos) << text;
    EXPECT_NE(text.find("hung: 1 check(s) whose kernel never returned"), std::string::npos);
    EXPECT_TRUE(parityFailed(r));
}

TEST(TextReport, JunitEscapesAndCountsFailures) {
    std::string xml = formatParityJunit(sampleResult());
    EXPECT_NE(xml.find("tests=\"2\" failures=\"1\" errors=\"0\""), std::string::npos);
    EXPECT_NE(xml.find("<failure message=\"12 bitwise violations &lt;x&gt;\"/>"), std::string::npos)
        << xml;
}

TEST(TextReport, SelftestFailsWhenAMutantEscapes) {
    auto r = nlohmann::json::parse(
        R"({"static": [], "zoo": [{"mutant": "Z", "expected_check": "parity:bitwise",
        "caught": "NO", "evidence": "bit-identical", "seconds": 0.1}], "good": [],
        "totals": {"static_failures": 0, "pending": 0, "escaped": 1, "good_failed": 0}})");
    EXPECT_TRUE(selftestFailed(r));
    EXPECT_NE(formatSelftestText(r).find("1 mutants escaped"), std::string::npos);
    r["totals"]["escaped"] = 0;
    EXPECT_FALSE(selftestFailed(r));
    r["hung"] = nlohmann::json::array({"HangBatchedResidualAdd"});
    EXPECT_TRUE(selftestFailed(r));
    EXPECT_NE(formatSelftestText(r).find("hung kernels: HangBatchedResidualAdd (each settled as "
                                         "an error; the rest ran in a fresh worker)"),
              std::string::npos)
        << formatSelftestText(r);
    // Selftest names kernels, not parity checks.
    EXPECT_EQ(formatSelftestText(r).find("check(s) whose kernel never returned"),
              std::string::npos);
}

} // namespace
} // namespace ptxwb::parity

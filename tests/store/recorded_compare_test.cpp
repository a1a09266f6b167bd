// Issue 8 "done when": two recorded parity runs of the same kernel set under different settings
// compare with a readable result, and the report of the failing one renders. The runs are job
// results recorded by core/record (recorded_runs.h), compared in-process and through the CLI.
#include "recorded_runs.h"
#include "report/history_text.h"
#include "store/history_store.h"
#include "store/run_compare.h"
#include "test_support.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>

namespace ptxwb {
namespace {

using store::CheckChange;
using ::testing::HasSubstr;
using ::testing::Not;

const char* const kQ6kM4 = "BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 K=4096 N=4096";

const store::CheckComparison& comparisonOf(const store::RunComparison& c, const std::string& name) {
    for (const auto& cc : c.checks)
        if (cc.name == name) return cc;
    ADD_FAILURE() << "no comparison for " << name;
    static const store::CheckComparison none;
    return none;
}

TEST(RecordedCompare, TwoSeedsNameTheNewlyFailingCheckAndWhatChanged) {
    auto runs = testing::recordedParityRuns();
    auto c = store::compareRuns(runs[0], runs[1]);
    EXPECT_EQ(c.count(CheckChange::NewlyFailing), 1u);
    // Every other check differs only in its timings, which are not evidence.
    EXPECT_EQ(c.count(CheckChange::Same), 7u);
    EXPECT_EQ(c.count(CheckChange::EvidenceChanged), 0u);
    const auto& q6k = comparisonOf(c, kQ6kM4);
    EXPECT_EQ(q6k.change, CheckChange::NewlyFailing);
    std::map<std::string, std::pair<std::string, std::string>> fields;
    for (const auto& d : q6k.evidence)
        fields[d.field] = {d.a, d.b};
    using Change = std::pair<std::string, std::string>;
    EXPECT_EQ(fields["failing elements"], Change("0 of 16384", "384 mismatch"));
    EXPECT_EQ(fields["max ULP"], Change("0", "32768"));
    EXPECT_EQ(fields["first mismatch"].first, "(none)");
    EXPECT_EQ(fields["first mismatch"].second,
              "row 1 col 88: 0.62506103515625 (mismatch) vs expected 0.625, 1024 ULP");
    EXPECT_EQ(fields["summary"].first, "all 16384 elements bit-identical");
    EXPECT_THAT(fields["summary"].second, HasSubstr("384 bitwise violations of 16384 elements"));
    EXPECT_FALSE(fields.contains("timing"));
    ASSERT_EQ(c.environment.size(), 1u);
    EXPECT_EQ(c.environment[0].field, "seed");
    EXPECT_EQ(c.environment[0].a, "1");
    EXPECT_EQ(c.environment[0].b, "2");
}

TEST(RecordedCompare, TheZooAddsChecksAndTheSettingShows) {
    auto runs = testing::recordedParityRuns();
    auto c = store::compareRuns(runs[0], runs[2]);
    EXPECT_EQ(c.count(CheckChange::OnlyInB), 1u);
    EXPECT_EQ(c.count(CheckChange::Same), 8u);
    const auto& zoo =
        comparisonOf(c, "ZooBatchedQ6KGemvDequant vs Q6KGemvKernel M=4 K=4096 N=4096");
    EXPECT_EQ(zoo.change, CheckChange::OnlyInB);
    EXPECT_TRUE(zoo.evidence.empty());
    std::vector<std::string> fields;
    for (const auto& d : c.environment)
        fields.push_back(d.field + ": '" + d.a + "' -> '" + d.b + "'");
    EXPECT_THAT(fields, ::testing::ElementsAre("label:zoo: '' -> 'included'"));
    // The mutant's PTX source is recorded, so a report can show what ran.
    bool mutantRecorded = false;
    for (const auto& k : runs[2].kernels)
        mutantRecorded |= k.name == "ZooBatchedQ6KGemvDequant" && k.sourcePath == "gemv_q6k.cu";
    EXPECT_TRUE(mutantRecorded);
}

TEST(RecordedCompare, TextSaysWhatChangedInEvidenceLines) {
    auto runs = testing::recordedParityRuns();
    const std::string text = reports::formatComparison(store::compareRuns(runs[0], runs[1]));
    EXPECT_THAT(text, HasSubstr("1 newly failing, 0 newly passing, 0 evidence changed, 0 other "
                                "status changes, 0 only in A, 0 only in B, 7 same\n"));
    EXPECT_THAT(text, HasSubstr("\nnewly_failing:\n  [parity] " + std::string(kQ6kM4) +
                                "\n      passed -> failed, max ULP 0 -> 2^15, failing "
                                "elements 0 -> 384\n"));
    EXPECT_THAT(text, HasSubstr("      first mismatch: (none)\n"
                                "                      -> row 1 col 88: 0.62506103515625 "
                                "(mismatch) vs expected 0.625, 1024 ULP\n"));
    EXPECT_THAT(text, HasSubstr("      summary: all 16384 elements bit-identical\n"
                                "               -> 384 bitwise violations"));
    EXPECT_THAT(text, HasSubstr("environment differences:\n  FIELD  A  B\n  seed   1  2\n"));
    EXPECT_THAT(text, Not(HasSubstr("timing")));
}

class RecordedCli : public ::testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("recorded.sqlite");
        std::string cmd = testing_support::shellQuote(PTXWB_STORE_FIXTURE_PATH) + " " +
                          testing_support::shellQuote(db_) + " --recorded > " +
                          testing_support::shellQuote(dir_.file("gen.out"));
        ASSERT_EQ(std::system(cmd.c_str()), 0);
    }
    testing_support::CliResult cli(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_});
        return testing_support::runCli(args, dir_.path());
    }
    testing_support::TempDir dir_;
    std::string db_;
};

TEST_F(RecordedCli, CompareOfTwoSeedsExitsOneAndExplains) {
    auto r = cli({"history", "compare", "1a7e", "2b8f"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("newly_failing:\n  [parity] " + std::string(kQ6kM4)));
    EXPECT_THAT(r.out, HasSubstr("  seed   1  2\n"));
    auto json = cli({"history", "compare", "1a7e", "2b8f", "--format", "json"});
    EXPECT_EQ(json.exitCode, 1) << json.err;
    auto doc = nlohmann::json::parse(json.out);
    bool found = false;
    for (const auto& c : doc["checks"]) {
        if (c["name"] != kQ6kM4) continue;
        found = true;
        EXPECT_EQ(c["change"], "newly_failing");
        EXPECT_EQ(c["evidence"][0]["field"], "failing elements");
        EXPECT_EQ(c["evidence"][0]["b"], "384 mismatch");
    }
    EXPECT_TRUE(found);
    auto zoo = cli({"history", "compare", "1a7e", "3c9a"});
    EXPECT_EQ(zoo.exitCode, 0) << zoo.err;
    EXPECT_THAT(zoo.out, HasSubstr("only_in_b:\n  [parity] ZooBatchedQ6KGemvDequant vs "
                                   "Q6KGemvKernel M=4 K=4096 N=4096\n"));
    EXPECT_THAT(zoo.out, HasSubstr("  label:zoo     included\n"));
    // The mutant ran only in B; its .cu source was recorded without PTX (no NVRTC target).
    EXPECT_THAT(zoo.out, HasSubstr("  ZooBatchedQ6KGemvDequant  (absent)  (no PTX recorded)\n"));
}

TEST_F(RecordedCli, ReportOfTheFailingRunHasItsHeatmap) {
    auto md = cli({"report", "2b8f", "--against", "1a7e", "-o", dir_.file("out/bug.md")});
    ASSERT_EQ(md.exitCode, 0) << md.err;
    const std::string png =
        dir_.file("out/bug-1-batchedq6kgemvkernel-vs-q6kgemvkernel-m-4-k-4096.png");
    EXPECT_EQ(md.out, "wrote " + dir_.file("out/bug.md") + "\nwrote " + png + "\n");
    EXPECT_EQ(testing_support::readBytes(png).substr(1, 3), "PNG");
    const std::string text = testing_support::readBytes(dir_.file("out/bug.md"));
    EXPECT_THAT(text, HasSubstr(kQ6kM4));
    EXPECT_THAT(text, HasSubstr("ptxwb parity --seed 2"));
    auto html = cli({"report", "2b8f", "--format", "html", "-o", dir_.file("out/bug.html")});
    ASSERT_EQ(html.exitCode, 0) << html.err;
    EXPECT_THAT(testing_support::readBytes(dir_.file("out/bug.html")),
                HasSubstr("src=\"data:image/png;base64,"));
}

} // namespace
} // namespace ptxwb

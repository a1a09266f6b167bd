// `ptxwb history ...` and `ptxwb report ...` end to end through the built CLI, on a history made
// by the fixture generator (tests/store/README.md).
#include "fixture_runs.h"
#include "json_schema_subset.h"
#include "store/history_store.h"
#include "test_support.h"
#include "util/mapped_file.h"

#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

using namespace ptxwb;
using ptxwb::testing_support::CliResult;
using ptxwb::testing_support::TempDir;
using testing::HasSubstr;

namespace {

const std::string kPassing = "0b879d4b-9f8e-44e7-8b11-bfe1ea3dcb15";
const std::string kFailing = "c05c9f7f-8d71-4bc3-88a8-c35ed0d18eba";

class HistoryCli : public testing::Test {
protected:
    void SetUp() override {
        db_ = dir_.file("fixture.sqlite");
        std::string cmd = testing_support::shellQuote(PTXWB_STORE_FIXTURE_PATH) + " " +
                          testing_support::shellQuote(db_) + " > " +
                          testing_support::shellQuote(dir_.file("gen.out"));
        ASSERT_EQ(std::system(cmd.c_str()), 0);
    }
    CliResult cli(std::vector<std::string> args) {
        args.insert(args.begin(), {"--db", db_});
        return testing_support::runCli(args, dir_.path());
    }
    TempDir dir_;
    std::string db_;
};

} // namespace

TEST_F(HistoryCli, FixtureGeneratorWritesThreeKnownRuns) {
    EXPECT_EQ(testing_support::readBytes(dir_.file("gen.out")),
              kPassing + " passed\n" + kFailing +
                  " failed\ndb4d0675-9635-4771-8053-47d69689aade failed\n");
    std::string again = testing_support::shellQuote(PTXWB_STORE_FIXTURE_PATH) + " " +
                        testing_support::shellQuote(db_) + " 2>/dev/null";
    EXPECT_NE(std::system(again.c_str()), 0) << "refuses to overwrite";
}

TEST_F(HistoryCli, ListShowsNewestFirstAndFilters) {
    auto r = cli({"history", "list"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out, testing::StartsWith("RUN       STARTED (UTC)     COMMAND  STATUS  CHECKS"));
    EXPECT_THAT(
        r.out,
        HasSubstr(
            "c05c9f7f  2025-11-25 16:00  parity   failed  2/13 failed  NVIDIA H100 80GB HBM3"));
    auto json =
        cli({"history", "list", "--status", "failed", "--arch", "sm_90", "--format", "json"});
    ASSERT_EQ(json.exitCode, 0) << json.err;
    auto j = nlohmann::json::parse(json.out);
    ASSERT_EQ(j.size(), 1u);
    EXPECT_EQ(j[0]["uuid"], kFailing);
    EXPECT_EQ(j[0]["environment"]["driverVersion"], "555.42.02");
    auto bad = cli({"history", "list", "--status", "green"});
    EXPECT_EQ(bad.exitCode, 2);
}

TEST_F(HistoryCli, ShowAcceptsPrefixesAndLatest) {
    auto r = cli({"history", "show", "c05c"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out,
                HasSubstr("run      " + kFailing + "\nstatus   failed (2 of 13 checks failed)\n"));
    EXPECT_THAT(r.out,
                HasSubstr("      first mismatch at Q6_K super-block 0, sub-block 5, quant 8\n"));
    EXPECT_THAT(
        r.out,
        HasSubstr(
            "kernels/BatchedVectorizedRmsNormKernel.ptx:41:5: warning: shared memory address"));
    auto latest = cli({"history", "show", "latest", "--format", "json"});
    ASSERT_EQ(latest.exitCode, 0) << latest.err;
    EXPECT_EQ(nlohmann::json::parse(latest.out)["uuid"], kFailing);
    auto none = cli({"history", "show", "ffff"});
    EXPECT_EQ(none.exitCode, 2);
    EXPECT_EQ(none.err, "ptxwb: error: " + db_ +
                            ": no run matches 'ffff' (give a UUID prefix or 'latest')\n");
}

TEST_F(HistoryCli, CompareExplainsTheRegressionAndExitsOne) {
    auto r = cli({"history", "compare", "0b87", "c05c"});
    EXPECT_EQ(r.exitCode, 1) << r.err;
    EXPECT_THAT(r.out, HasSubstr("1 newly failing, 0 newly passing, 0 evidence changed"));
    EXPECT_THAT(
        r.out,
        HasSubstr(
            "newly_failing:\n  [parity] BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096\n"
            "      passed -> failed, max ULP 0 -> 2^32-1 (saturated), failing elements 0 -> 775\n"
            "      PTX changed: BatchedQ6KGemvKernel\n"));
    EXPECT_THAT(r.out, HasSubstr("  driver_version   550.54.15"));
    auto back = cli({"history", "compare", "c05c", "0b87", "--format", "json"});
    EXPECT_EQ(back.exitCode, 0) << "no regression from the failing to the passing run";
    EXPECT_EQ(nlohmann::json::parse(back.out)["changeCounts"]["newly_passing"], 1);
}

TEST_F(HistoryCli, TrendTakesAUniquePartOfTheName) {
    auto r = cli({"history", "trend", "Q6KGemvKernel M=4"});
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_THAT(r.out,
                HasSubstr("check BatchedQ6KGemvKernel vs Q6KGemvKernel M=4 4096x4096\n2 runs\n"));
    EXPECT_THAT(r.out, HasSubstr("555.42.02  sm_90  1     0       1"));
    auto ambiguous = cli({"history", "trend", "M=1"});
    EXPECT_EQ(ambiguous.exitCode, 2);
    EXPECT_THAT(ambiguous.err,
                HasSubstr("ptxwb: error: 'M=1' matches 6 checks; give the full name\n"
                          "ptxwb: note: BatchedQ4KGemvKernel vs Q4KGemvKernel M=1 4096x4096\n"));
}

TEST_F(HistoryCli, ExportThenImportMovesARunBetweenMachines) {
    const std::string other = dir_.file("node2.sqlite");
    auto exported = cli({"history", "export", "c05c", "-o", other});
    ASSERT_EQ(exported.exitCode, 0) << exported.err;
    EXPECT_EQ(exported.out, "exported run " + kFailing + " to " + other + "\n");
    const std::string fresh = dir_.file("fresh.sqlite");
    auto imported =
        testing_support::runCli({"--db", fresh, "history", "import", other}, dir_.path());
    ASSERT_EQ(imported.exitCode, 0) << imported.err;
    EXPECT_EQ(imported.out,
              "imported 1 run from " + other + " (0 already present)\n  " + kFailing + "\n");
    auto again = testing_support::runCli(
        {"--db", fresh, "history", "import", other, "--format", "json"}, dir_.path());
    EXPECT_EQ(nlohmann::json::parse(again.out)["runsAlreadyPresent"], 1);
}

TEST_F(HistoryCli, CorruptOrForeignDbIsExitThreeAndUntouched) {
    const std::string notes = dir_.file("notes.txt");
    testing_support::writeBytes(notes, "not a database");
    auto r = testing_support::runCli({"--db", notes, "history", "list"}, dir_.path());
    EXPECT_EQ(r.exitCode, 3);
    EXPECT_EQ(r.err, "ptxwb: error: " + notes +
                         ": byte 0: not a ptxwb history database (no SQLite header); "
                         "it was left as is\n");
    EXPECT_EQ(testing_support::readBytes(notes), "not a database");
    auto imp = cli({"history", "import", notes});
    EXPECT_EQ(imp.exitCode, 3);
    EXPECT_THAT(imp.err, HasSubstr("importing: not a ptxwb history database"));
    auto exp = cli({"history", "export", "latest", "-o", notes});
    EXPECT_EQ(exp.exitCode, 3);
    auto rep = cli({"report", "latest", "-o", dir_.file("r.md")});
    ASSERT_EQ(rep.exitCode, 0) << rep.err;
    auto repForeign = testing_support::runCli(
        {"--db", notes, "report", "latest", "-o", dir_.file("r2.md")}, dir_.path());
    EXPECT_EQ(repForeign.exitCode, 3);
    EXPECT_EQ(testing_support::readBytes(notes), "not a database");
}

TEST_F(HistoryCli, MissingDbStartsANewHistory) {
    const std::string fresh = dir_.file("new/history.sqlite");
    auto r = testing_support::runCli({"--db", fresh, "history", "list"}, dir_.path());
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "no runs\n");
    EXPECT_TRUE(std::filesystem::exists(fresh));
}

TEST_F(HistoryCli, ReportWritesEachFormat) {
    auto md = cli({"report", "c05c", "--against", "0b87", "-o", dir_.file("out/bug.md")});
    ASSERT_EQ(md.exitCode, 0) << md.err;
    EXPECT_EQ(
        md.out,
        "wrote " + dir_.file("out/bug.md") + "\nwrote " +
            dir_.file("out/bug-1-batchedq6kgemvkernel-dequant-probe-256x4096.png") + "\nwrote " +
            dir_.file("out/bug-2-batchedq6kgemvkernel-vs-q6kgemvkernel-m-4-4096x4.png") + "\n");
    for (const char* format : {"html", "json", "junit", "sarif"}) {
        auto r = cli({"report", "latest", "--format", format, "-o",
                      dir_.file(std::string("out/r.") + format)});
        EXPECT_EQ(r.exitCode, 0) << format << ": " << r.err;
    }
    EXPECT_THAT(testing_support::readBytes(dir_.file("out/r.junit")),
                HasSubstr("<testsuites name=\"ptxwb parity"));
    auto unknown = cli({"report", "latest", "-o", dir_.file("out/r.pdf")});
    EXPECT_EQ(unknown.exitCode, 2);
    EXPECT_EQ(unknown.err, "ptxwb: error: cannot tell the report format from '" +
                               dir_.file("out/r.pdf") +
                               "'; give --format md|html|json|junit|sarif\n");
}

TEST_F(HistoryCli, JsonOutputsFollowTheDocumentedSchema) {
    auto text =
        readFileText(std::string(PTXWB_RESOURCES_DIR) + "/schemas/ptxwb-report.schema.json");
    ASSERT_TRUE(text);
    const auto root = nlohmann::json::parse(*text);
    auto schemaFor = [&](nlohmann::json shape) {
        shape["$defs"] = root["$defs"];
        return shape;
    };
    struct Case {
        std::vector<std::string> args;
        nlohmann::json shape;
    };
    const std::vector<Case> cases{
        {{"history", "list", "--format", "json"},
         {{"type", "array"}, {"items", {{"$ref", "#/$defs/runSummary"}}}, {"minItems", 3}}},
        {{"history", "show", "c05c", "--format", "json"}, {{"$ref", "#/$defs/run"}}},
        {{"history", "show", "db4d", "--format", "json"}, {{"$ref", "#/$defs/run"}}},
        {{"history", "compare", "0b87", "c05c", "--format", "json"},
         {{"$ref", "#/$defs/comparison"}}},
        {{"history", "trend", "Q6KGemvKernel M=4", "--format", "json"},
         {{"$ref", "#/$defs/trend"}}},
    };
    for (const auto& c : cases) {
        auto r = cli(c.args);
        ASSERT_LE(r.exitCode, 1) << r.err;
        auto problems = testing_support::validateAgainstSchema(nlohmann::json::parse(r.out),
                                                               schemaFor(c.shape));
        EXPECT_THAT(problems, testing::IsEmpty()) << c.args[1];
    }
}

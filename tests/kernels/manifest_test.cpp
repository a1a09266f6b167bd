#include "kernels/manifest.h"

#include <gtest/gtest.h>

namespace ptxwb::kernels {
namespace {

const char* kGood = R"json({
  "name": "tiny", "version": 2,
  "kernels": [
    { "name": "Q6KGemvKernel", "entry": "q6k_gemv", "source": "gemv_q6k.cu",
      "op": "gemv", "weights": "q6_k", "variant": "single",
      "params": [ {"name": "w", "role": "weights"}, {"name": "x", "role": "input"},
                  {"name": "y", "role": "output"}, {"name": "k", "role": "dim:K"},
                  {"name": "n", "role": "dim:N"} ],
      "grid": ["ceil_div(N, 4)", 1, 1], "block": [128, 1, 1] },
    { "name": "BatchedQ6KGemvKernel", "entry": "batched_q6k_gemv", "source": "gemv_q6k.cu",
      "op": "gemv", "weights": "q6_k", "variant": "batched", "batch": "loop",
      "pairs_with": "Q6KGemvKernel", "contract": "ulp:4", "fixed": {"K": 4096},
      "params": [ {"name": "w", "role": "weights"}, {"name": "x", "role": "input"},
                  {"name": "y", "role": "output"}, {"name": "m", "role": "dim:M"} ],
      "grid": ["ceil_div(N, 4)"], "block": [128],
      "zoo": {"bug": "wrong dequant", "caught_by": "probe:dequant"} }
  ]
})json";

TEST(Manifest, ParsesEveryField) {
    auto m = parseManifest(kGood, "kernelset.json");
    ASSERT_TRUE(m) << m.error().format();
    EXPECT_EQ(m->name, "tiny");
    EXPECT_EQ(m->version, 2);
    ASSERT_EQ(m->kernels.size(), 2u);
    const auto& b = m->kernels[1];
    EXPECT_EQ(b.variant, Variant::Batched);
    EXPECT_EQ(b.batch, BatchMode::Loop);
    EXPECT_EQ(b.weights, WeightFormat::Q6_K);
    EXPECT_EQ(b.pairsWith, "Q6KGemvKernel");
    EXPECT_EQ(b.contract.kind, Contract::Kind::Ulp);
    EXPECT_EQ(b.contract.ulps, 4u);
    EXPECT_EQ(b.fixed.at("K"), 4096);
    ASSERT_TRUE(b.zoo.has_value());
    EXPECT_EQ(b.zoo->caughtBy, "probe:dequant");
    EXPECT_EQ(b.params[3].role, ParamRole::Dim);
    EXPECT_EQ(b.params[3].dim, "M");
    EXPECT_EQ(b.grid[0].text(), "ceil_div(N, 4)");
    EXPECT_EQ(b.grid[1].text(), "1");
    EXPECT_EQ(m->kernels[0].contract.kind, Contract::Kind::Bitwise) << "bitwise is the default";
}

TEST(Contract, ParsesTheThreeKinds) {
    EXPECT_EQ(Contract::parse("bitwise")->kind, Contract::Kind::Bitwise);
    EXPECT_EQ(Contract::parse("bound")->kind, Contract::Kind::Bound);
    EXPECT_EQ(Contract::parse("ulp:16")->ulps, 16u);
    EXPECT_EQ(Contract::parse("ulp:16")->text(), "ulp:16");
    auto bad = Contract::parse("ulp:x");
    ASSERT_FALSE(bad);
    EXPECT_EQ(bad.error().message, "bad ULP count in contract 'ulp:x'");
    EXPECT_EQ(Contract::parse("exact").error().message,
              "unknown contract 'exact' (expected bitwise, ulp:K or bound)");
}

std::string replaced(std::string text, const std::string& from, const std::string& to) {
    auto at = text.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return text.replace(at, from.size(), to);
}

struct BadManifest {
    std::string text;
    std::string where;
    std::string message;
};

class ManifestErrors : public ::testing::TestWithParam<BadManifest> {};

TEST_P(ManifestErrors, AreLocatedAndSayWhatWasExpected) {
    auto m = parseManifest(GetParam().text, "ks.json");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().kind, ErrorKind::BadInput);
    ASSERT_TRUE(m.error().location.has_value());
    EXPECT_EQ(m.error().location->format(), GetParam().where);
    EXPECT_EQ(m.error().message, GetParam().message);
}

INSTANTIATE_TEST_SUITE_P(
    Cases, ManifestErrors,
    ::testing::Values(
        BadManifest{replaced(kGood, R"("op": "gemv", "weights": "q6_k", "variant": "single")",
                             R"("op": "gemm", "weights": "q6_k", "variant": "single")"),
                    "ks.json:5:13",
                    "unknown op 'gemm' (known: attention, embedding, gemv, kv_scatter, "
                    "residual_add, rmsnorm, rope, swiglu)"},
        BadManifest{replaced(kGood, R"~("grid": ["ceil_div(N, 4)", 1, 1])~",
                             R"~("grid": ["ceil_div(N,, 4)", 1, 1])~"),
                    "ks.json:9:28", "unexpected ','"},
        BadManifest{replaced(kGood, R"({"name": "k", "role": "dim:K"})",
                             R"({"name": "k", "role": "dim:Q"})"),
                    "ks.json:7:74", "op gemv has no dim 'Q'"},
        BadManifest{
            replaced(kGood, R"("pairs_with": "Q6KGemvKernel")", R"("pairs_with": "Q6KGemv")"),
            "ks.json:12:21", "pairs_with names unknown kernel 'Q6KGemv'"},
        BadManifest{replaced(kGood, R"("contract": "ulp:4")", R"("contract": "close")"),
                    "ks.json:12:50", "unknown contract 'close' (expected bitwise, ulp:K or bound)"},
        BadManifest{replaced(kGood, R"("caught_by": "probe:dequant")", R"("caught_by": "luck")"),
                    "ks.json:16:52",
                    "unknown check 'luck' (known: guard:overrun, parity:bitwise, parity:reference, "
                    "parity:unwritten, probe:dequant, static:shared-u64-address)"},
        BadManifest{replaced(kGood, R"("name": "tiny", "version": 2,)",
                             R"("name": "tiny", "version": 2,,)"),
                    "ks.json:2:32",
                    "invalid JSON: syntax error while parsing object key - unexpected ','; "
                    "expected string literal"},
        BadManifest{replaced(kGood, R"("entry": "q6k_gemv", )", ""), "ks.json:4:5",
                    "missing \"entry\""},
        BadManifest{replaced(kGood, R"~("grid": ["ceil_div(N, 4)"], "block": [128],)~",
                             R"~("grid": ["ceil_div(N, 4) * V"], "block": [128],)~"),
                    "ks.json:15:16",
                    "'ceil_div(N, 4) * V' uses unknown dim 'V' (op gemv has: K, M, N)"}));

TEST(Manifest, DuplicateKernelNames) {
    auto text = replaced(kGood, R"("name": "BatchedQ6KGemvKernel")", R"("name": "Q6KGemvKernel")");
    auto m = parseManifest(text, "ks.json");
    ASSERT_FALSE(m);
    EXPECT_EQ(m.error().message, "duplicate kernel name 'Q6KGemvKernel'");
    EXPECT_EQ(m.error().location->format(), "ks.json:10:15");
}

} // namespace
} // namespace ptxwb::kernels

#include "cuda/cuda_error.h"

#include <gtest/gtest.h>

namespace ptxwb::cuda {
namespace {

TEST(CudaError, StickyErrorsAreTheOnesThatKillTheContext) {
    EXPECT_TRUE(isStickyError(CUDA_ERROR_ILLEGAL_ADDRESS));
    EXPECT_TRUE(isStickyError(CUDA_ERROR_MISALIGNED_ADDRESS));
    EXPECT_TRUE(isStickyError(CUDA_ERROR_LAUNCH_FAILED));
    EXPECT_TRUE(isStickyError(CUDA_ERROR_ILLEGAL_INSTRUCTION));
    EXPECT_FALSE(isStickyError(CUDA_ERROR_OUT_OF_MEMORY));
    EXPECT_FALSE(isStickyError(CUDA_ERROR_INVALID_VALUE));
}

TEST(CudaError, FailureSurvivesTheTripThroughAnError) {
    CudaFailure f{"cuLaunchKernel",
                  "CUDA_ERROR_ILLEGAL_ADDRESS",
                  "an illegal memory access was encountered",
                  700,
                  true,
                  "batched_q6k_gemv"};
    Error e = toError(f);
    EXPECT_EQ(e.kind, ErrorKind::GpuFault);
    EXPECT_EQ(e.message,
              "cuLaunchKernel failed: CUDA_ERROR_ILLEGAL_ADDRESS (an illegal memory access was "
              "encountered) in kernel batched_q6k_gemv");
    auto back = cudaFailureOf(e);
    ASSERT_TRUE(back.has_value());
    EXPECT_EQ(back->call, "cuLaunchKernel");
    EXPECT_EQ(back->name, "CUDA_ERROR_ILLEGAL_ADDRESS");
    EXPECT_EQ(back->code, 700);
    EXPECT_TRUE(back->sticky);
    EXPECT_EQ(back->kernel, "batched_q6k_gemv");
    EXPECT_EQ(back->text, "an illegal memory access was encountered");
}

TEST(CudaError, RecoverableFailureWithoutKernel) {
    Error e = toError({"cuMemAlloc", "CUDA_ERROR_OUT_OF_MEMORY", "out of memory", 2, false, ""});
    auto back = cudaFailureOf(e);
    ASSERT_TRUE(back.has_value());
    EXPECT_FALSE(back->sticky);
    EXPECT_TRUE(back->kernel.empty());
    EXPECT_EQ(e.notes.size(), 1u) << "only sticky errors get the restart note";
}

TEST(CudaError, OtherErrorsCarryNoFailure) {
    EXPECT_FALSE(cudaFailureOf(Error(ErrorKind::BadInput, "bad")).has_value());
}

} // namespace
} // namespace ptxwb::cuda

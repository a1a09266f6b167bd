#include "util/thread_pool.h"

#include <atomic>
#include <gtest/gtest.h>
#include <numeric>
#include <vector>

using ptxwb::ThreadPool;

TEST(ThreadPool, ParallelForVisitsEveryIndexOnce) {
    ThreadPool pool(4);
    std::vector<std::atomic<int>> hits(10007);
    pool.parallelFor(hits.size(), 64, [&](std::size_t b, std::size_t e) {
        for (std::size_t i = b; i < e; ++i)
            hits[i].fetch_add(1);
    });
    for (const auto& h : hits)
        ASSERT_EQ(h.load(), 1);
}

TEST(ThreadPool, ChunkedReductionIsIndependentOfThreadCount) {
    std::vector<double> values(100000);
    for (std::size_t i = 0; i < values.size(); ++i)
        values[i] = 1.0 / double(i + 1);
    auto chunkedSum = [&](unsigned threads) {
        ThreadPool pool(threads);
        const std::size_t grain = 1000;
        std::vector<double> partial((values.size() + grain - 1) / grain);
        pool.parallelFor(values.size(), grain, [&](std::size_t b, std::size_t e) {
            partial[b / grain] =
                std::accumulate(values.begin() + long(b), values.begin() + long(e), 0.0);
        });
        return std::accumulate(partial.begin(), partial.end(), 0.0);
    };
    EXPECT_EQ(chunkedSum(1), chunkedSum(3));
    EXPECT_EQ(chunkedSum(1), chunkedSum(8));
}

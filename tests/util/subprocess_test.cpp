#include "util/subprocess.h"

#include <gtest/gtest.h>

using namespace ptxwb;
using namespace std::chrono_literals;

TEST(Subprocess, EchoesLinesThroughPipes) {
    auto child = Subprocess::spawn({"cat"});
    ASSERT_TRUE(child) << child.error().format();
    ASSERT_TRUE(child->write("hello\nworld\n"));
    auto deadline = std::chrono::steady_clock::now() + 5s;
    auto first = child->readLine(deadline);
    ASSERT_TRUE(first);
    ASSERT_TRUE(first->has_value());
    EXPECT_EQ(**first, "hello");
    auto second = child->readLine(deadline);
    ASSERT_TRUE(second && second->has_value());
    EXPECT_EQ(**second, "world");
    child->closeInput();
    auto exit = child->wait();
    ASSERT_TRUE(exit.exitCode.has_value());
    EXPECT_EQ(*exit.exitCode, 0);
}

TEST(Subprocess, ReadLineTimesOutWithoutOutput) {
    auto child = Subprocess::spawn({"sleep", "5"});
    ASSERT_TRUE(child);
    auto line = child->readLine(std::chrono::steady_clock::now() + 100ms);
    ASSERT_TRUE(line);
    EXPECT_FALSE(line->has_value());
    auto exit = child->kill();
    ASSERT_TRUE(exit.signal.has_value());
    EXPECT_EQ(*exit.signal, 9);
}

TEST(Subprocess, ReportsMissingProgramAsEnvironmentError) {
    auto child = Subprocess::spawn({"/nonexistent/ptxwb-no-such-program"});
    ASSERT_FALSE(child);
    EXPECT_EQ(child.error().kind, ErrorKind::Environment);
}

TEST(Subprocess, EndOfOutputIsAnErrorNotAHang) {
    auto child = Subprocess::spawn({"true"});
    ASSERT_TRUE(child);
    auto line = child->readLine(std::chrono::steady_clock::now() + 5s);
    EXPECT_FALSE(line);
    child->wait();
}

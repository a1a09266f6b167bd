// The acid test of the front end: project-authored CUDA files compiled by nvcc at test time for
// sm_80 and sm_90a, plain, -G and -lineinfo. Every output must parse and verify with no error,
// and print(parse(f)) must assemble with ptxas to the same code as f.
#include "cuda_toolkit.h"
#include "elf_sections.h"
#include "ptx/def_use.h"
#include "ptx/function_diff.h"
#include "ptx/parser.h"
#include "ptx/printer.h"
#include "ptx/verifier.h"
#include "util/sha256.h"

#include <atomic>
#include <fcntl.h>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/file.h>
#include <thread>
#include <unistd.h>

namespace ptxwb::ptx {
namespace {

namespace fs = std::filesystem;

struct CorpusPtx {
    std::string name; ///< e.g. warp_reduce_sm_90a-G
    std::string arch;
    bool debug = false; ///< -G or -lineinfo: cubins carry debug sections that embed PTX lines
    std::string path;
    std::string compileError;
};

/// Runs `count` jobs on a few threads (the corpus is compiled once per test binary run).
template <typename Job>
void parallelFor(std::size_t count, Job job) {
    std::atomic<std::size_t> next{0};
    unsigned n = std::max(2u, std::min(4u, std::thread::hardware_concurrency()));
    std::vector<std::thread> threads;
    for (unsigned t = 0; t < n; ++t)
        threads.emplace_back([&] {
            for (std::size_t i = next++; i < count; i = next++)
                job(i);
        });
    for (auto& t : threads)
        t.join();
}

class PtxCorpus : public testing::Test {
protected:
    static void SetUpTestSuite() {
        nvcc_ = test::findCudaTool("nvcc");
        ptxas_ = test::findCudaTool("ptxas");
        if (nvcc_.empty()) return;
        // ctest runs each test case in its own process: compiled PTX is cached in the build
        // tree under a name that includes a hash of the source and the nvcc path, so the corpus
        // is compiled once per change, not once per test case.
        dir_ = PTXWB_PTX_CORPUS_CACHE;
        scratch_ = (fs::temp_directory_path() / ("ptxwb_ptx_corpus_" + std::to_string(::getpid())))
                       .string();
        fs::create_directories(dir_);
        fs::create_directories(scratch_);
        std::vector<fs::path> sources;
        for (const auto& e :
             fs::directory_iterator(fs::path(PTXWB_TEST_DATA_DIR) / "ptx" / "corpus"))
            if (e.path().extension() == ".cu") sources.push_back(e.path());
        std::sort(sources.begin(), sources.end());
        for (const auto& src : sources)
            for (std::string arch : {"sm_80", "sm_90a"})
                for (std::string flag : {"", "-G", "-lineinfo"}) {
                    CorpusPtx c;
                    c.name = src.stem().string() + "_" + arch + flag;
                    c.arch = arch;
                    c.debug = !flag.empty();
                    std::string key =
                        Sha256::hex(test::readFile(src.string()) + nvcc_).substr(0, 12);
                    c.path = (fs::path(dir_) / (c.name + "-" + key + ".ptx")).string();
                    entries_.push_back(c);
                    std::string tmp = (fs::path(scratch_) / (c.name + ".ptx")).string();
                    jobs_.push_back({nvcc_, "-ptx", "-arch=" + arch, src.string(), "-o", tmp});
                    if (!flag.empty()) jobs_.back().insert(jobs_.back().begin() + 3, flag);
                }
        // Test processes started in parallel by ctest wait for the first one to fill the cache.
        int lock = ::open((fs::path(dir_) / ".lock").c_str(), O_CREAT | O_RDWR, 0644);
        if (lock >= 0) ::flock(lock, LOCK_EX);
        parallelFor(entries_.size(), [](std::size_t i) {
            std::error_code ec;
            if (fs::exists(entries_[i].path, ec)) return;
            test::ToolResult r = test::runTool(jobs_[i]);
            if (r.exitCode != 0)
                entries_[i].compileError = r.output;
            else
                fs::rename(jobs_[i].back(), entries_[i].path, ec); // atomic publish into the cache
        });
        if (lock >= 0) ::close(lock); // releases the flock
    }
    static void TearDownTestSuite() {
        std::error_code ec;
        if (!scratch_.empty()) fs::remove_all(scratch_, ec);
    }
    void SetUp() override {
        if (nvcc_.empty()) GTEST_SKIP() << "nvcc not found (set CUDAToolkit_ROOT or PATH)";
    }

    static inline std::string nvcc_, ptxas_, dir_, scratch_;
    static inline std::vector<CorpusPtx> entries_;
    static inline std::vector<std::vector<std::string>> jobs_;
};

TEST_F(PtxCorpus, CompilesEveryVariant) {
    EXPECT_GE(entries_.size(), 36u);
    for (const auto& e : entries_)
        EXPECT_EQ(e.compileError, "") << e.name;
}

TEST_F(PtxCorpus, EveryOutputParsesAndVerifiesWithoutErrors) {
    std::size_t instructions = 0;
    for (const auto& e : entries_) {
        if (!e.compileError.empty()) continue;
        SourceManager sm;
        auto id = sm.addFile(e.path);
        ASSERT_TRUE(id) << e.path;
        DiagnosticList diags;
        Module m = parseModule(sm, *id, diags);
        verifyModule(m, diags);
        std::string shown;
        for (const auto& d : diags.all())
            shown += formatDiagnostic(sm, *id, d);
        EXPECT_EQ(diags.errorCount(), 0u) << e.name << "\n" << shown;
        EXPECT_EQ(diags.warningCount(), 0u) << e.name << "\n" << shown;
        EXPECT_FALSE(m.functions.empty()) << e.name;
        instructions += m.instructions.size();
    }
    EXPECT_GT(instructions, 1000u);
}

TEST_F(PtxCorpus, PrintingIsIdempotentAndFunctionsDiffEqualToThemselves) {
    for (const auto& e : entries_) {
        if (!e.compileError.empty()) continue;
        SourceManager sm;
        auto id = sm.addFile(e.path);
        ASSERT_TRUE(id);
        DiagnosticList diags;
        Module m = parseModule(sm, *id, diags);
        std::string once = printModule(m);
        DiagnosticList again;
        Module reparsed = parseText(once, again);
        EXPECT_FALSE(again.hasErrors()) << e.name;
        EXPECT_EQ(printModule(reparsed), once) << e.name;
        ASSERT_EQ(reparsed.functions.size(), m.functions.size()) << e.name;
        for (std::uint32_t f = 0; f < m.functions.size(); ++f) {
            if (!m.functions[f].hasBody) continue;
            FunctionDiff d = diffFunctions(m, f, reparsed, f);
            EXPECT_TRUE(d.equivalent()) << e.name << " " << m.text(m.functions[f].name);
        }
    }
}

TEST_F(PtxCorpus, DefUseChainsAreConsistent) {
    std::size_t queries = 0;
    for (const auto& e : entries_) {
        if (!e.compileError.empty() || e.debug) continue;
        SourceManager sm;
        auto id = sm.addFile(e.path);
        ASSERT_TRUE(id);
        DiagnosticList diags;
        Module m = parseModule(sm, *id, diags);
        ModuleSymbols globals(m);
        for (std::uint32_t f = 0; f < m.functions.size(); ++f) {
            if (!m.functions[f].hasBody) continue;
            FunctionSymbols sym(m, globals, f);
            EXPECT_TRUE(sym.unresolved().empty()) << e.name;
            ControlFlowGraph cfg(m, sym);
            DefUse du(m, sym, cfg);
            for (std::uint32_t inst : cfg.instructions())
                for (const RegisterAccess& use : du.usesBy(inst)) {
                    ReachingDefinitions r = du.reachingDefinitions(inst, use.reg);
                    ++queries;
                    // Every reaching definition really writes the register.
                    for (std::uint32_t d : r.definitions) {
                        bool writes = false;
                        for (const RegisterAccess& def : du.definitionsBy(d))
                            writes |= def.reg == use.reg;
                        EXPECT_TRUE(writes) << e.name;
                    }
                    // nvcc output reads no register that no path defines (parameters come via
                    // ld.param).
                    EXPECT_FALSE(r.definitions.empty() && r.mayBeUndefined)
                        << e.name << " " << sym.registerName(use.reg) << " at "
                        << sm.formatLocation(*id, m.instructions[inst].range.begin);
                }
        }
    }
    EXPECT_GT(queries, 1000u);
}

TEST_F(PtxCorpus, PrintedPtxAssemblesToTheSameCubin) {
    if (ptxas_.empty()) GTEST_SKIP() << "ptxas not found";
    std::vector<std::string> failures(entries_.size());
    parallelFor(entries_.size(), [&](std::size_t i) {
        const CorpusPtx& e = entries_[i];
        if (!e.compileError.empty()) return;
        SourceManager sm;
        auto id = sm.addFile(e.path);
        DiagnosticList diags;
        Module m = parseModule(sm, *id, diags);
        std::string base = (fs::path(scratch_) / e.name).string();
        std::string printed = base + ".printed.ptx";
        test::writeFile(printed, printModule(m));
        std::string a = base + ".a.cubin", b = base + ".b.cubin";
        auto ra = test::runTool({ptxas_, "-arch=" + e.arch, e.path, "-o", a});
        auto rb = test::runTool({ptxas_, "-arch=" + e.arch, printed, "-o", b});
        if (ra.exitCode != 0 || rb.exitCode != 0) {
            failures[i] = "ptxas failed: " + ra.output + rb.output;
            return;
        }
        std::string ca = test::readFile(a), cb = test::readFile(b);
        if (!e.debug) {
            if (ca != cb) failures[i] = "cubins differ";
            return;
        }
        auto sa = test::readElfSections(ca), sb = test::readElfSections(cb);
        if (!sa || !sb) {
            failures[i] = "cubin is not ELF64";
            return;
        }
        std::size_t compared = 0;
        for (const auto& [name, bytes] : *sa) {
            bool code = name.starts_with(".text.") || name.starts_with(".nv.info") ||
                        name.starts_with(".nv.constant") || name.starts_with(".nv.shared");
            if (!code) continue;
            ++compared;
            auto other = sb->find(name);
            if (other == sb->end() || other->second != bytes)
                failures[i] += "section " + name + " differs; ";
        }
        if (compared == 0) failures[i] = "no code sections found";
    });
    for (std::size_t i = 0; i < entries_.size(); ++i)
        EXPECT_EQ(failures[i], "") << entries_[i].name;
}

} // namespace
} // namespace ptxwb::ptx

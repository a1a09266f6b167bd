#include "parity/pair_runner.h"

#include "cuda/cuda_error.h"
#include "parity/launch_binding.h"
#include "parity/op_data.h"

#include <chrono>
#include <cmath>
#include <cstring>
#include <fmt/format.h>

namespace ptxwb::parity {

namespace {

using kernels::KernelSpec;
using kernels::Variant;

constexpr CUstream kStream =
    nullptr; // the legacy stream: copies, memsets and launches stay ordered

/// Output of one kernel over all rows, as the host sees it.
struct KernelOutput {
    std::vector<float> values;
    std::uint64_t guardWordsHit = 0;
};

Status launchAndSync(const kernels::LoadedKernel& k, const LaunchGeometry& g,
                     cuda::KernelArgs& args) {
    PTXWB_CHECK(cuda::launch(k.function, g.grid, g.block, g.sharedBytes, kStream, args));
    return cuda::checkCu(cuda::driver().ctxSynchronize(), "cuCtxSynchronize", k.spec->name);
}

Status writePositionBuf(const DeviceInputs& in, const OpData& data, int row) {
    int pos = data.positions.empty() ? 0 : data.positions[static_cast<std::size_t>(row)];
    return in.positionBuf.upload(std::as_bytes(std::span<const int>(&pos, 1)));
}

// Runs `k` once per row (single-vector kernels), each row into its own poisoned, guarded buffer;
// for kv_scatter every row scatters into the one shared cache.
Expected<KernelOutput> runPerRow(const kernels::LoadedKernel& k, const OpData& data,
                                 const DeviceInputs& in) {
    KernelOutput out;
    out.values.resize(data.outputElems);
    kernels::DimValues dims = data.dims;
    dims["M"] = 1;
    PTXWB_TRY(LaunchGeometry g, evaluateGeometry(*k.spec, dims));
    std::size_t bufferElems = data.cacheOutput ? data.outputElems : data.rowElems;
    PTXWB_TRY(cuda::GuardedBuffer buf, cuda::GuardedBuffer::allocate(bufferElems * 4));
    PTXWB_CHECK(buf.poison());
    for (int r = 0; r < data.m; ++r) {
        if (!data.cacheOutput && r > 0) PTXWB_CHECK(buf.poison());
        PTXWB_CHECK(writePositionBuf(in, data, r));
        PTXWB_TRY(cuda::KernelArgs args, bindArguments(*k.spec, data, in, buf.ptr(), r));
        PTXWB_CHECK(launchAndSync(k, g, args));
        if (!data.cacheOutput) {
            PTXWB_TRY(auto hits, buf.checkGuards());
            out.guardWordsHit += hits.size();
            PTXWB_CHECK(buf.download(std::as_writable_bytes(
                std::span<float>(out.values.data() + r * data.rowElems, data.rowElems))));
        }
    }
    if (data.cacheOutput) {
        PTXWB_TRY(auto hits, buf.checkGuards());
        out.guardWordsHit += hits.size();
        PTXWB_CHECK(buf.download(cuda::asWritableBytes(out.values)));
    }
    return out;
}

Expected<KernelOutput> runBatched(const kernels::LoadedKernel& k, const OpData& data,
                                  const DeviceInputs& in) {
    KernelOutput out;
    out.values.resize(data.outputElems);
    PTXWB_TRY(LaunchGeometry g, evaluateGeometry(*k.spec, data.dims));
    PTXWB_TRY(cuda::GuardedBuffer buf, cuda::GuardedBuffer::allocate(data.outputElems * 4));
    PTXWB_CHECK(buf.poison());
    PTXWB_TRY(cuda::KernelArgs args, bindArguments(*k.spec, data, in, buf.ptr(), std::nullopt));
    PTXWB_CHECK(launchAndSync(k, g, args));
    PTXWB_TRY(auto hits, buf.checkGuards());
    out.guardWordsHit = hits.size();
    PTXWB_CHECK(buf.download(cuda::asWritableBytes(out.values)));
    return out;
}

Expected<KernelOutput> runKernel(const kernels::LoadedKernel& k, const OpData& data,
                                 const DeviceInputs& in) {
    return k.spec->variant == Variant::Batched ? runBatched(k, data, in) : runPerRow(k, data, in);
}

// Mean time of one launch (all rows for a batched kernel, row 0 for a single one).
Expected<KernelTiming> timeKernel(const kernels::LoadedKernel& k, const OpData& data,
                                  const DeviceInputs& in, int reps) {
    KernelTiming t;
    t.kernel = k.spec->name;
    bool all = k.spec->variant == Variant::Batched;
    t.bytes = launchBytes(*k.spec, data, all);
    if (reps <= 0) return t;
    kernels::DimValues dims = data.dims;
    if (!all) dims["M"] = 1;
    PTXWB_TRY(LaunchGeometry g, evaluateGeometry(*k.spec, dims));
    PTXWB_TRY(cuda::GuardedBuffer buf,
              cuda::GuardedBuffer::allocate(
                  (all || data.cacheOutput ? data.outputElems : data.rowElems) * 4));
    PTXWB_CHECK(writePositionBuf(in, data, 0));
    PTXWB_TRY(cuda::KernelArgs args, bindArguments(*k.spec, data, in, buf.ptr(),
                                                   all ? std::nullopt : std::optional<int>(0)));
    for (int i = 0; i < 2; ++i)
        PTXWB_CHECK(cuda::launch(k.function, g.grid, g.block, g.sharedBytes, kStream, args));
    PTXWB_TRY(cuda::Event start, cuda::Event::create());
    PTXWB_TRY(cuda::Event stop, cuda::Event::create());
    PTXWB_CHECK(start.record(kStream));
    for (int i = 0; i < reps; ++i)
        PTXWB_CHECK(cuda::launch(k.function, g.grid, g.block, g.sharedBytes, kStream, args));
    PTXWB_CHECK(stop.record(kStream));
    PTXWB_CHECK(stop.synchronize());
    PTXWB_TRY(float ms, cuda::Event::elapsedMs(start, stop));
    t.microseconds = ms * 1000.0 / reps;
    return t;
}

OracleCheck checkAgainstOracle(const std::vector<float>& out, const OpData& data) {
    OracleCheck o;
    for (std::size_t i = 0; i < out.size(); ++i) {
        if (!data.expectedWritten.empty() && !data.expectedWritten[i]) continue;
        double ref = data.reference.value[i], bound = data.reference.bound[i];
        float v = out[i];
        double err = std::isfinite(v) ? std::fabs(static_cast<double>(v) - ref) : INFINITY;
        double ratio = bound > 0 ? err / bound : (err == 0 ? 0 : INFINITY);
        if (!(err <= bound)) {
            if (o.violations == 0) o.firstViolation = static_cast<std::int64_t>(i);
            ++o.violations;
        }
        o.worstErrorOverBound =
            std::max(o.worstErrorOverBound, std::isnan(ratio) ? INFINITY : ratio);
        if (ref != 0) o.maxRelError = std::max(o.maxRelError, err / std::fabs(ref));
    }
    return o;
}

void compareOutputs(const KernelOutput& cand, const KernelOutput& ref, const OpData& data,
                    const kernels::Contract& contract, std::size_t maxSamples, CheckResult& r) {
    const std::uint32_t poison = cuda::GuardedBuffer::kPoisonWord;
    std::uint32_t rows = data.cacheOutput ? static_cast<std::uint32_t>(data.dims.at("HKV"))
                                          : static_cast<std::uint32_t>(data.m);
    r.map = MismatchMap(rows, static_cast<std::uint32_t>(data.rowElems));
    for (std::size_t i = 0; i < data.outputElems; ++i) {
        float c = cand.values[i], s = ref.values[i];
        bool expected = data.expectedWritten.empty() || data.expectedWritten[i] != 0;
        Category cat;
        std::uint32_t ulps = 0;
        if (!expected) {
            cat = floatBits(c) == poison ? Category::Identical : Category::Overrun;
        } else {
            cat = classify(c, s, contract, 2 * data.reference.bound[i], poison);
            bool comparable = floatBits(c) != poison && floatBits(s) != poison &&
                              std::isfinite(c) && std::isfinite(s);
            ulps = comparable ? ulpDistance(c, s) : 0xFFFFFFFFu;
            if (comparable) {
                r.ulpHistogram[static_cast<std::size_t>(ulpBucket(ulps))]++;
                r.maxUlp = std::max(r.maxUlp, ulps);
                double d = std::fabs(static_cast<double>(c) - s);
                if (s != 0)
                    r.maxRelError = std::max(r.maxRelError, d / std::fabs(static_cast<double>(s)));
            }
        }
        r.counts[static_cast<std::size_t>(cat)]++;
        r.map.set(i, cat, ulps);
        if (isViolation(cat) && r.firstMismatches.size() < maxSamples) {
            ElementSample e;
            e.row = static_cast<std::uint32_t>(i / data.rowElems);
            e.col = static_cast<std::uint32_t>(i % data.rowElems);
            e.candidate = c;
            e.reference = s;
            e.candidateBits = floatBits(c);
            e.referenceBits = floatBits(s);
            e.ulps = ulps;
            e.category = cat;
            r.firstMismatches.push_back(e);
        }
    }
    r.guardWordsHit = cand.guardWordsHit;
    r.counts[static_cast<std::size_t>(Category::Overrun)] += cand.guardWordsHit;
}

std::string summarize(const CheckResult& r, std::uint64_t refGuardHits) {
    std::vector<std::string> parts;
    auto count = [&](Category c) { return r.counts[static_cast<std::size_t>(c)]; };
    std::uint64_t total = 0;
    for (auto n : r.counts)
        total += n;
    if (count(Category::Mismatch) > 0) {
        std::string s =
            fmt::format("{} {} violation{} of {} elements (max {} ULP", count(Category::Mismatch),
                        r.contract, count(Category::Mismatch) == 1 ? "" : "s", total, r.maxUlp);
        if (!r.firstMismatches.empty()) {
            const auto& e = r.firstMismatches.front();
            s += fmt::format("; first at row {} col {}: {:.9g} (0x{:08x}) vs {:.9g} (0x{:08x})",
                             e.row, e.col, e.candidate, e.candidateBits, e.reference,
                             e.referenceBits);
        }
        s += ")";
        parts.push_back(s);
    }
    if (count(Category::NanInf) > 0)
        parts.push_back(fmt::format("{} NaN/Inf", count(Category::NanInf)));
    if (count(Category::Unwritten) > 0)
        parts.push_back(fmt::format("{} unwritten", count(Category::Unwritten)));
    if (count(Category::Overrun) > 0)
        parts.push_back(
            fmt::format("{} overrun ({} guard words)", count(Category::Overrun), r.guardWordsHit));
    if (refGuardHits > 0)
        parts.push_back(fmt::format("reference kernel wrote {} guard words", refGuardHits));
    if (r.candidateVsOracle.violations > 0)
        parts.push_back(fmt::format("{} outside the CPU error bound (worst {:.3g}x bound)",
                                    r.candidateVsOracle.violations,
                                    r.candidateVsOracle.worstErrorOverBound));
    if (r.referenceVsOracle.violations > 0)
        parts.push_back(fmt::format("reference kernel: {} outside the CPU error bound",
                                    r.referenceVsOracle.violations));
    if (parts.empty()) {
        if (count(Category::WithinContract) == 0)
            return fmt::format("bit-identical ({} elements), both within the CPU bound", total);
        return fmt::format("within {} (max {} ULP), both within the CPU bound", r.contract,
                           r.maxUlp);
    }
    std::string s;
    for (const auto& p : parts)
        s += (s.empty() ? "" : "; ") + p;
    if (count(Category::Mismatch) > 0 && r.candidateVsOracle.violations == 0 &&
        count(Category::NanInf) == 0 && count(Category::Unwritten) == 0 &&
        count(Category::Overrun) == 0)
        s += "; every value is within the CPU error bound, so the batched kernel rounds in a "
             "different order";
    return s;
}

} // namespace

Expected<CheckResult> runPairCheck(kernels::LoadedKernelSet& set, const KernelSpec& candidate,
                                   const CheckOptions& opt) {
    const KernelSpec* refSpec = set.set().manifest().find(candidate.pairsWith);
    if (refSpec == nullptr)
        return makeError(
            ErrorKind::Usage,
            fmt::format("kernel {} has no pairs_with kernel to compare against", candidate.name));
    auto started = std::chrono::steady_clock::now();
    CheckResult r;
    r.candidate = candidate.name;
    r.reference = refSpec->name;
    r.op = kernels::opKindName(candidate.op);
    r.contract = candidate.contract.text();
    r.m = opt.m;
    kernels::DimValues shape = opt.shape;
    for (const auto& [k, v] : candidate.fixed)
        shape[k] = v;
    for (const auto& [k, v] : refSpec->fixed)
        shape[k] = v;
    r.shape = formatShape(shape);
    PTXWB_TRY(OpData data,
              buildOpData(candidate, shape, opt.m, opt.distribution, opt.seed, opt.weights.get()));

    auto fail = [&](Error e) {
        r.status = CheckStatus::Error;
        auto failure = cuda::cudaFailureOf(e);
        r.stickyError = failure && failure->sticky;
        r.errorMessage = e.message;
        r.summary = e.message;
        r.seconds =
            std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
        return r;
    };
    auto refKernel = set.get(refSpec->name);
    if (!refKernel) return fail(refKernel.error());
    auto candKernel = set.get(candidate.name);
    if (!candKernel) return fail(candKernel.error());
    auto inputs = uploadInputs(data);
    if (!inputs) return fail(inputs.error());
    auto refOut = runKernel(**refKernel, data, *inputs);
    if (!refOut) return fail(refOut.error());
    auto candOut = runKernel(**candKernel, data, *inputs);
    if (!candOut) return fail(candOut.error());

    compareOutputs(*candOut, *refOut, data, candidate.contract, opt.maxSamples, r);
    r.referenceVsOracle = checkAgainstOracle(refOut->values, data);
    r.candidateVsOracle = checkAgainstOracle(candOut->values, data);
    auto tRef = timeKernel(**refKernel, data, *inputs, opt.timingRepetitions);
    if (!tRef) return fail(tRef.error());
    auto tCand = timeKernel(**candKernel, data, *inputs, opt.timingRepetitions);
    if (!tCand) return fail(tCand.error());
    r.referenceTiming = *tRef;
    r.candidateTiming = *tCand;
    bool ok = r.violations() == 0 && refOut->guardWordsHit == 0 &&
              r.candidateVsOracle.violations == 0 && r.referenceVsOracle.violations == 0;
    r.status = ok ? CheckStatus::Pass : CheckStatus::Fail;
    r.summary = summarize(r, refOut->guardWordsHit);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    return r;
}

Expected<double> measureCopyBandwidth(std::size_t bytes, int repetitions) {
    PTXWB_TRY(cuda::DeviceBuffer a, cuda::DeviceBuffer::allocate(bytes));
    PTXWB_TRY(cuda::DeviceBuffer b, cuda::DeviceBuffer::allocate(bytes));
    const auto& api = cuda::driver();
    PTXWB_CHECK(
        cuda::checkCu(api.memcpyDtoDAsync(b.ptr(), a.ptr(), bytes, kStream), "cuMemcpyDtoDAsync"));
    PTXWB_TRY(cuda::Event start, cuda::Event::create());
    PTXWB_TRY(cuda::Event stop, cuda::Event::create());
    PTXWB_CHECK(start.record(kStream));
    for (int i = 0; i < repetitions; ++i)
        PTXWB_CHECK(cuda::checkCu(api.memcpyDtoDAsync(b.ptr(), a.ptr(), bytes, kStream),
                                  "cuMemcpyDtoDAsync"));
    PTXWB_CHECK(stop.record(kStream));
    PTXWB_CHECK(stop.synchronize());
    PTXWB_TRY(float ms, cuda::Event::elapsedMs(start, stop));
    return 2.0 * static_cast<double>(bytes) * repetitions / (ms * 1e-3) / 1e9;
}

} // namespace ptxwb::parity

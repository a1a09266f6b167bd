#include "parity/op_data.h"

#include <cstring>
#include <fmt/format.h>
#include <fmt/ranges.h>

namespace ptxwb::parity {

using kernels::OpKind;
using kernels::ParamRole;
using kernels::WeightFormat;

namespace {

HostBuffer floatBuffer(const std::vector<float>& v, std::size_t rowElems) {
    HostBuffer b;
    b.bytes.resize(v.size() * 4);
    std::memcpy(b.bytes.data(), v.data(), b.bytes.size());
    b.rowBytes = rowElems * 4;
    return b;
}

} // namespace

Status validateDims(OpKind op, WeightFormat /*weights*/, const kernels::DimValues& dims) {
    for (const auto& d : kernels::opDims(op)) {
        auto it = dims.find(d);
        if (it == dims.end())
            return makeError(ErrorKind::Usage, fmt::format("shape lacks dim {} for op {}", d,
                                                           kernels::opKindName(op)));
        if (it->second <= 0 || it->second > (1 << 20))
            return makeError(ErrorKind::Usage,
                             fmt::format("dim {}={} out of range", d, it->second));
    }
    auto get = [&](const char* d) { return dims.at(d); };
    if (op == OpKind::Gemv) {
        // The GEMV kernels walk K in 256-value units whatever the format (Q8_0 included).
        if (get("K") % 256 != 0)
            return makeError(ErrorKind::Usage,
                             fmt::format("gemv K={} must be a multiple of 256", get("K")));
    }
    if (op == OpKind::Embedding && get("D") % 32 != 0)
        return makeError(ErrorKind::Usage, "embedding D must be a multiple of 32");
    if (op == OpKind::Rope && get("HD") % 2 != 0)
        return makeError(ErrorKind::Usage, "rope HD must be even");
    if (op == OpKind::Attention && get("H") % get("HKV") != 0)
        return makeError(ErrorKind::Usage, "attention H must be a multiple of HKV");
    return {};
}

Expected<OpData> buildOpData(const kernels::KernelSpec& spec, const kernels::DimValues& dimsIn,
                             int m, Distribution dist, std::uint64_t seed,
                             const std::vector<std::uint8_t>* weights) {
    PTXWB_CHECK(validateDims(spec.op, spec.weights, dimsIn));
    OpData d;
    d.op = spec.op;
    d.weights = spec.weights;
    d.dims = dimsIn;
    d.dims["M"] = m;
    d.m = m;
    InputGenerator gen(seed);
    auto dim = [&](const char* n) { return static_cast<int>(d.dims.at(n)); };
    const std::size_t M = static_cast<std::size_t>(m);
    switch (spec.op) {
    case OpKind::RmsNorm: {
        int D = dim("D");
        auto x = gen.floats(M * D, dist);
        auto gamma = gen.floats(D, Distribution::Uniform, 1.0f);
        for (auto& g : gamma)
            g += 1.0f;
        d.reference = rmsnormReference(x, gamma, m, D, d.eps);
        d.inputs[ParamRole::Input] = floatBuffer(x, D);
        d.inputs[ParamRole::Gamma] = floatBuffer(gamma, 0);
        d.rowElems = D;
        break;
    }
    case OpKind::ResidualAdd: {
        int D = dim("D");
        auto a = gen.floats(M * D, dist), b = gen.floats(M * D, dist);
        d.reference = residualAddReference(a, b);
        d.inputs[ParamRole::InputA] = floatBuffer(a, D);
        d.inputs[ParamRole::InputB] = floatBuffer(b, D);
        d.rowElems = D;
        break;
    }
    case OpKind::Swiglu: {
        int F = dim("F");
        auto g = gen.floats(M * F, dist), u = gen.floats(M * F, dist);
        d.reference = swigluReference(g, u);
        d.inputs[ParamRole::Gate] = floatBuffer(g, F);
        d.inputs[ParamRole::Up] = floatBuffer(u, F);
        d.rowElems = F;
        break;
    }
    case OpKind::Gemv: {
        int N = dim("N"), K = dim("K");
        HostBuffer w;
        w.bytes = weights != nullptr ? *weights : gen.weights(spec.weights, N, K);
        if (w.bytes.size() != weightRowBytes(spec.weights, K) * static_cast<std::size_t>(N))
            return makeError(ErrorKind::Usage,
                             fmt::format("weights of {} bytes do not fill a {}x{} {} matrix",
                                         w.bytes.size(), N, K,
                                         kernels::weightFormatName(spec.weights)));
        auto x = gen.floats(M * K, dist);
        d.reference = gemvReference(spec.weights, w.bytes, N, K, x, m);
        d.inputs[ParamRole::Weights] = std::move(w);
        d.inputs[ParamRole::Input] = floatBuffer(x, K);
        d.rowElems = N;
        break;
    }
    case OpKind::Rope: {
        int H = dim("H"), HD = dim("HD");
        auto x = gen.floats(M * H * HD, dist);
        d.positions = gen.positions(m, 8192);
        d.reference = ropeReference(x, m, H, HD, d.positions, d.ropeBase);
        d.inputs[ParamRole::Input] = floatBuffer(x, static_cast<std::size_t>(H) * HD);
        d.rowElems = static_cast<std::size_t>(H) * HD;
        break;
    }
    case OpKind::KvScatter: {
        int HKV = dim("HKV"), HD = dim("HD"), L = dim("MAXLEN");
        auto src = gen.floats(M * HKV * HD, dist);
        d.positions = gen.positions(m, L);
        d.reference = kvScatterReference(src, m, HKV, HD, L, d.positions, d.expectedWritten);
        d.inputs[ParamRole::Input] = floatBuffer(src, static_cast<std::size_t>(HKV) * HD);
        d.cacheOutput = true;
        d.outputElems = static_cast<std::size_t>(HKV) * L * HD;
        d.rowElems = static_cast<std::size_t>(L) * HD; // one cache head per map row
        return d;
    }
    case OpKind::Attention: {
        int H = dim("H"), HKV = dim("HKV"), HD = dim("HD"), L = dim("MAXLEN");
        auto q = gen.floats(M * H * HD, dist, 0.5f);
        auto kc = gen.floats(static_cast<std::size_t>(HKV) * L * HD, dist, 0.5f);
        auto vc = gen.floats(static_cast<std::size_t>(HKV) * L * HD, dist);
        d.positions = gen.positions(m, L);
        d.reference = attentionReference(q, kc, vc, m, H, HKV, HD, L, d.positions);
        d.inputs[ParamRole::Input] = floatBuffer(q, static_cast<std::size_t>(H) * HD);
        d.inputs[ParamRole::KCache] = floatBuffer(kc, 0);
        d.inputs[ParamRole::VCache] = floatBuffer(vc, 0);
        d.rowElems = static_cast<std::size_t>(H) * HD;
        break;
    }
    case OpKind::Embedding: {
        int D = dim("D"), V = dim("V");
        HostBuffer t;
        t.bytes = gen.weights(spec.weights, V, D);
        d.tokens = gen.tokens(m, V);
        d.reference = embeddingReference(spec.weights, t.bytes, V, D, d.tokens);
        d.inputs[ParamRole::Weights] = std::move(t);
        d.rowElems = D;
        break;
    }
    }
    d.outputElems = d.rowElems * M;
    return d;
}

std::vector<kernels::DimValues> defaultShapes(OpKind op) {
    switch (op) {
    case OpKind::RmsNorm:
    case OpKind::ResidualAdd:
        return {{{"D", 4096}}, {{"D", 1000}}};
    case OpKind::Swiglu:
        return {{{"F", 14336}}, {{"F", 1000}}};
    case OpKind::Gemv:
        return {{{"N", 4096}, {"K", 4096}}, {{"N", 1001}, {"K", 2048}}};
    case OpKind::Rope:
        return {{{"H", 32}, {"HD", 128}}};
    case OpKind::KvScatter:
        return {{{"HKV", 8}, {"HD", 128}, {"MAXLEN", 512}}};
    case OpKind::Attention:
        return {{{"H", 32}, {"HKV", 8}, {"HD", 128}, {"MAXLEN", 512}}};
    case OpKind::Embedding:
        return {{{"D", 4096}, {"V", 1024}}};
    }
    return {};
}

Expected<kernels::DimValues> parseShape(OpKind op, const std::string& text) {
    kernels::DimValues dims;
    const auto& names = kernels::opDims(op);
    auto number = [&](const std::string& s) -> Expected<std::int64_t> {
        if (s.empty() || s.find_first_not_of("0123456789") != std::string::npos || s.size() > 9)
            return makeError(
                ErrorKind::Usage,
                fmt::format("bad shape '{}': '{}' is not a positive integer", text, s));
        return std::stoll(s);
    };
    if (text.find('=') != std::string::npos) {
        std::size_t start = 0;
        while (start <= text.size()) {
            std::size_t end = text.find(':', start);
            std::string part =
                text.substr(start, end == std::string::npos ? std::string::npos : end - start);
            auto eq = part.find('=');
            if (eq == std::string::npos)
                return makeError(ErrorKind::Usage,
                                 fmt::format("bad shape '{}': expected DIM=VALUE", text));
            PTXWB_TRY(dims[part.substr(0, eq)], number(part.substr(eq + 1)));
            if (end == std::string::npos) break;
            start = end + 1;
        }
    } else {
        std::size_t start = 0;
        std::size_t i = 0;
        while (true) {
            std::size_t end = text.find('x', start);
            if (i >= names.size())
                return makeError(ErrorKind::Usage,
                                 fmt::format("bad shape '{}': op {} has {} dims ({})", text,
                                             kernels::opKindName(op), names.size(),
                                             fmt::format("{}", fmt::join(names, "x"))));
            PTXWB_TRY(dims[names[i]],
                      number(text.substr(start, end == std::string::npos ? std::string::npos
                                                                         : end - start)));
            ++i;
            if (end == std::string::npos) break;
            start = end + 1;
        }
        if (i != names.size())
            return makeError(ErrorKind::Usage,
                             fmt::format("bad shape '{}': op {} needs {}", text,
                                         kernels::opKindName(op),
                                         fmt::format("{}", fmt::join(names, "x"))));
    }
    for (const auto& n : names)
        if (!dims.count(n))
            return makeError(ErrorKind::Usage,
                             fmt::format("bad shape '{}': missing dim {}", text, n));
    return dims;
}

std::string formatShape(const kernels::DimValues& dims) {
    std::string out;
    for (const auto& [k, v] : dims) {
        if (k == "M") continue;
        out += fmt::format("{}{}={}", out.empty() ? "" : " ", k, v);
    }
    return out;
}

} // namespace ptxwb::parity

#include "kernels/manifest.h"

#include "kernels/json_locator.h"

#include <algorithm>
#include <fmt/format.h>
#include <fmt/ranges.h>
#include <nlohmann/json.hpp>
#include <set>

namespace ptxwb::kernels {

namespace {

const std::map<std::string, OpKind> kOps = {
    {"rmsnorm", OpKind::RmsNorm},     {"residual_add", OpKind::ResidualAdd},
    {"swiglu", OpKind::Swiglu},       {"gemv", OpKind::Gemv},
    {"rope", OpKind::Rope},           {"kv_scatter", OpKind::KvScatter},
    {"attention", OpKind::Attention}, {"embedding", OpKind::Embedding}};
const std::map<std::string, WeightFormat> kFormats = {{"q4_k", WeightFormat::Q4_K},
                                                      {"q6_k", WeightFormat::Q6_K},
                                                      {"q8_0", WeightFormat::Q8_0},
                                                      {"f16", WeightFormat::F16}};
const std::map<std::string, ParamRole> kRoles = {{"input", ParamRole::Input},
                                                 {"input:a", ParamRole::InputA},
                                                 {"input:b", ParamRole::InputB},
                                                 {"gate", ParamRole::Gate},
                                                 {"up", ParamRole::Up},
                                                 {"output", ParamRole::Output},
                                                 {"weights", ParamRole::Weights},
                                                 {"gamma", ParamRole::Gamma},
                                                 {"eps", ParamRole::Eps},
                                                 {"position", ParamRole::Position},
                                                 {"position_buf", ParamRole::PositionBuf},
                                                 {"seq_len_buf", ParamRole::SeqLenBuf},
                                                 {"positions", ParamRole::Positions},
                                                 {"token", ParamRole::Token},
                                                 {"tokens", ParamRole::Tokens},
                                                 {"cache", ParamRole::Cache},
                                                 {"cache:k", ParamRole::KCache},
                                                 {"cache:v", ParamRole::VCache},
                                                 {"rope_base", ParamRole::RopeBase}};
const std::set<std::string> kCaughtBy = {"parity:bitwise", "parity:reference",
                                         "guard:overrun",  "parity:unwritten",
                                         "probe:dequant",  "static:shared-u64-address"};

template <typename Map>
std::string keysOf(const Map& m) {
    std::string out;
    for (const auto& entry : m) {
        if constexpr (std::is_same_v<std::decay_t<decltype(entry)>, std::string>)
            out += (out.empty() ? "" : ", ") + entry;
        else
            out += (out.empty() ? "" : ", ") + entry.first;
    }
    return out;
}

class ManifestReader {
public:
    ManifestReader(std::string_view text, const std::string& path) : loc_(text, path) {}

    Unexpected fail(const std::string& pointer, const std::string& message) const {
        return makeError(ErrorKind::BadInput, message, loc_.locate(pointer));
    }

    Expected<std::string> requireString(const nlohmann::json& obj, const std::string& ptr,
                                        const char* key) {
        auto it = obj.find(key);
        if (it == obj.end()) return fail(ptr, fmt::format("missing \"{}\"", key));
        if (!it->is_string() || it->get<std::string>().empty())
            return fail(ptr + "/" + key, fmt::format("\"{}\" must be a non-empty string", key));
        return it->get<std::string>();
    }

    Expected<GeometryExpr> geometry(const nlohmann::json& v, const std::string& ptr) {
        if (v.is_number_integer()) {
            if (v.get<std::int64_t>() < 0) return fail(ptr, "geometry must not be negative");
            return GeometryExpr::constant(v.get<std::int64_t>());
        }
        if (!v.is_string()) return fail(ptr, "geometry must be an integer or an expression string");
        auto e = GeometryExpr::parse(v.get<std::string>());
        if (!e) {
            std::size_t col = e.error().location && e.error().location->column
                                  ? *e.error().location->column - 1
                                  : 0;
            return makeError(ErrorKind::BadInput, e.error().message, loc_.locateInString(ptr, col));
        }
        return e;
    }

    Expected<std::array<GeometryExpr, 3>> dim3(const nlohmann::json& obj, const std::string& ptr,
                                               const char* key, bool required) {
        std::array<GeometryExpr, 3> out{GeometryExpr::constant(1), GeometryExpr::constant(1),
                                        GeometryExpr::constant(1)};
        auto it = obj.find(key);
        if (it == obj.end()) {
            if (required) return fail(ptr, fmt::format("missing \"{}\"", key));
            return out;
        }
        std::string p = ptr + "/" + key;
        if (!it->is_array() || it->empty() || it->size() > 3)
            return fail(p, fmt::format("\"{}\" must be an array of 1 to 3 geometry values", key));
        for (std::size_t i = 0; i < it->size(); ++i) {
            PTXWB_TRY(out[i], geometry((*it)[i], p + "/" + std::to_string(i)));
        }
        return out;
    }

    Expected<KernelSpec> kernel(const nlohmann::json& k, const std::string& ptr) {
        if (!k.is_object()) return fail(ptr, "a kernel must be an object");
        KernelSpec s;
        PTXWB_TRY(s.name, requireString(k, ptr, "name"));
        PTXWB_TRY(s.entry, requireString(k, ptr, "entry"));
        PTXWB_TRY(s.source, requireString(k, ptr, "source"));
        PTXWB_TRY(std::string op, requireString(k, ptr, "op"));
        auto opIt = kOps.find(op);
        if (opIt == kOps.end())
            return fail(ptr + "/op", fmt::format("unknown op '{}' (known: {})", op, keysOf(kOps)));
        s.op = opIt->second;
        if (k.contains("weights")) {
            PTXWB_TRY(std::string w, requireString(k, ptr, "weights"));
            auto wIt = kFormats.find(w);
            if (wIt == kFormats.end())
                return fail(ptr + "/weights", fmt::format("unknown weight format '{}' (known: {})",
                                                          w, keysOf(kFormats)));
            s.weights = wIt->second;
        } else if (s.op == OpKind::Gemv || s.op == OpKind::Embedding) {
            return fail(ptr, fmt::format("a {} kernel needs \"weights\"", op));
        }
        std::string variant = k.value("variant", "single");
        if (variant == "single")
            s.variant = Variant::Single;
        else if (variant == "batched")
            s.variant = Variant::Batched;
        else
            return fail(
                ptr + "/variant",
                fmt::format("variant must be \"single\" or \"batched\", not '{}'", variant));
        if (k.contains("batch")) {
            std::string b = k["batch"].is_string() ? k["batch"].get<std::string>() : "";
            if (b == "grid.y")
                s.batch = BatchMode::GridY;
            else if (b == "loop")
                s.batch = BatchMode::Loop;
            else
                return fail(ptr + "/batch", "batch must be \"grid.y\" or \"loop\"");
        }
        if (k.contains("pairs_with")) {
            PTXWB_TRY(s.pairsWith, requireString(k, ptr, "pairs_with"));
        }
        if (k.contains("contract")) {
            PTXWB_TRY(std::string c, requireString(k, ptr, "contract"));
            auto contract = Contract::parse(c);
            if (!contract) return fail(ptr + "/contract", contract.error().message);
            s.contract = *contract;
        }
        s.description = k.value("description", "");
        PTXWB_CHECK(readParams(k, ptr, s));
        PTXWB_TRY(s.grid, dim3(k, ptr, "grid", true));
        PTXWB_TRY(s.block, dim3(k, ptr, "block", true));
        if (k.contains("shared_bytes")) {
            PTXWB_TRY(s.sharedBytes, geometry(k["shared_bytes"], ptr + "/shared_bytes"));
        }
        if (k.contains("fixed")) {
            if (!k["fixed"].is_object())
                return fail(ptr + "/fixed", "\"fixed\" must map dim names to integers");
            for (const auto& [dim, v] : k["fixed"].items()) {
                if (!v.is_number_integer() || v.get<std::int64_t>() <= 0)
                    return fail(ptr + "/fixed/" + dim,
                                fmt::format("fixed dim '{}' must be a positive integer", dim));
                s.fixed[dim] = v.get<std::int64_t>();
            }
        }
        if (k.contains("zoo")) {
            const auto& z = k["zoo"];
            std::string zp = ptr + "/zoo";
            if (!z.is_object())
                return fail(zp, "\"zoo\" must be an object with \"bug\" and \"caught_by\"");
            ZooEntry entry;
            PTXWB_TRY(entry.bug, requireString(z, zp, "bug"));
            PTXWB_TRY(entry.caughtBy, requireString(z, zp, "caught_by"));
            if (!kCaughtBy.count(entry.caughtBy))
                return fail(zp + "/caught_by", fmt::format("unknown check '{}' (known: {})",
                                                           entry.caughtBy, keysOf(kCaughtBy)));
            s.zoo = entry;
        }
        PTXWB_CHECK(checkGeometryNames(s, ptr));
        return s;
    }

    Status readParams(const nlohmann::json& k, const std::string& ptr, KernelSpec& s) {
        auto it = k.find("params");
        if (it == k.end()) return fail(ptr, "missing \"params\"");
        if (!it->is_array()) return fail(ptr + "/params", "\"params\" must be an array");
        std::set<std::string> names;
        for (std::size_t i = 0; i < it->size(); ++i) {
            std::string pp = ptr + "/params/" + std::to_string(i);
            const auto& p = (*it)[i];
            if (!p.is_object())
                return fail(pp, "a parameter must be an object with \"name\" and \"role\"");
            ParamSpec spec;
            PTXWB_TRY(spec.name, requireString(p, pp, "name"));
            PTXWB_TRY(spec.roleText, requireString(p, pp, "role"));
            if (!names.insert(spec.name).second)
                return fail(pp + "/name", fmt::format("duplicate parameter '{}'", spec.name));
            if (spec.roleText.rfind("dim:", 0) == 0) {
                spec.role = ParamRole::Dim;
                spec.dim = spec.roleText.substr(4);
                const auto& dims = opDims(s.op);
                if (spec.dim != "M" && std::find(dims.begin(), dims.end(), spec.dim) == dims.end())
                    return fail(pp + "/role",
                                fmt::format("op {} has no dim '{}'", opKindName(s.op), spec.dim));
            } else {
                auto r = kRoles.find(spec.roleText);
                if (r == kRoles.end())
                    return fail(pp + "/role", fmt::format("unknown role '{}' (known: dim:X, {})",
                                                          spec.roleText, keysOf(kRoles)));
                spec.role = r->second;
            }
            s.params.push_back(spec);
        }
        if (!s.hasRole(ParamRole::Output) && !s.hasRole(ParamRole::Cache))
            return fail(ptr + "/params", "a kernel needs an \"output\" (or \"cache\") parameter");
        return {};
    }

    Status checkGeometryNames(const KernelSpec& s, const std::string& ptr) {
        std::set<std::string> known(opDims(s.op).begin(), opDims(s.op).end());
        known.insert("M");
        for (const auto& [d, v] : s.fixed)
            known.insert(d);
        auto check = [&](const GeometryExpr& e, const std::string& where) -> Status {
            for (const auto& n : e.names())
                if (!known.count(n))
                    return fail(where,
                                fmt::format("'{}' uses unknown dim '{}' (op {} has: {})", e.text(),
                                            n, opKindName(s.op), fmt::join(known, ", ")));
            return {};
        };
        for (int i = 0; i < 3; ++i) {
            PTXWB_CHECK(check(s.grid[i], ptr + "/grid/" + std::to_string(i)));
            PTXWB_CHECK(check(s.block[i], ptr + "/block/" + std::to_string(i)));
        }
        return check(s.sharedBytes, ptr + "/shared_bytes");
    }

    Status checkPairs(const KernelSetManifest& m) {
        for (std::size_t i = 0; i < m.kernels.size(); ++i) {
            const auto& k = m.kernels[i];
            std::string ptr = "/kernels/" + std::to_string(i);
            if (k.pairsWith.empty()) continue;
            const KernelSpec* ref = m.find(k.pairsWith);
            if (ref == nullptr)
                return fail(ptr + "/pairs_with",
                            fmt::format("pairs_with names unknown kernel '{}'", k.pairsWith));
            if (ref == &k) return fail(ptr + "/pairs_with", "a kernel cannot pair with itself");
            if (ref->op != k.op || ref->weights != k.weights)
                return fail(ptr + "/pairs_with",
                            fmt::format("'{}' computes {} but '{}' computes {}", k.name,
                                        opKindName(k.op), ref->name, opKindName(ref->op)));
            if (ref->variant != Variant::Single)
                return fail(
                    ptr + "/pairs_with",
                    fmt::format("pairs_with must name a single-vector kernel; '{}' is batched",
                                ref->name));
        }
        return {};
    }

    Expected<KernelSetManifest> read(std::string_view text) {
        nlohmann::json j;
        try {
            j = nlohmann::json::parse(text);
        } catch (const nlohmann::json::parse_error& e) {
            // The byte is 1-based and points just past the offending character.
            std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
            std::string what = e.what();
            auto colon = what.find("parse error");
            auto detail = what.find(": ", colon == std::string::npos ? 0 : colon + 12);
            return makeError(ErrorKind::BadInput,
                             "invalid JSON: " +
                                 (detail == std::string::npos ? what : what.substr(detail + 2)),
                             loc_.atOffset(byte));
        }
        if (!j.is_object()) return fail("", "a kernel set manifest must be a JSON object");
        KernelSetManifest m;
        PTXWB_TRY(m.name, requireString(j, "", "name"));
        if (j.contains("version")) {
            if (!j["version"].is_number_integer())
                return fail("/version", "\"version\" must be an integer");
            m.version = j["version"].get<int>();
        }
        if (j.contains("headers")) {
            if (!j["headers"].is_array())
                return fail("/headers", "\"headers\" must be an array of file names");
            for (std::size_t i = 0; i < j["headers"].size(); ++i) {
                if (!j["headers"][i].is_string())
                    return fail("/headers/" + std::to_string(i), "a header must be a file name");
                m.headers.push_back(j["headers"][i].get<std::string>());
            }
        }
        if (!j.contains("kernels") || !j["kernels"].is_array())
            return fail("", "missing \"kernels\" array");
        std::set<std::string> names;
        for (std::size_t i = 0; i < j["kernels"].size(); ++i) {
            std::string ptr = "/kernels/" + std::to_string(i);
            PTXWB_TRY(KernelSpec s, kernel(j["kernels"][i], ptr));
            if (!names.insert(s.name).second)
                return fail(ptr + "/name", fmt::format("duplicate kernel name '{}'", s.name));
            m.kernels.push_back(std::move(s));
        }
        PTXWB_CHECK(checkPairs(m));
        return m;
    }

private:
    JsonLocator loc_;
};

} // namespace

Expected<Contract> Contract::parse(std::string_view text) {
    Contract c;
    if (text == "bitwise") return c;
    if (text == "bound") {
        c.kind = Kind::Bound;
        return c;
    }
    if (text.rfind("ulp:", 0) == 0 && text.size() > 4) {
        std::uint32_t v = 0;
        for (char ch : text.substr(4)) {
            if (ch < '0' || ch > '9' || v > 100000000u)
                return makeError(ErrorKind::BadInput,
                                 fmt::format("bad ULP count in contract '{}'", text));
            v = v * 10 + static_cast<std::uint32_t>(ch - '0');
        }
        c.kind = Kind::Ulp;
        c.ulps = v;
        return c;
    }
    return makeError(ErrorKind::BadInput,
                     fmt::format("unknown contract '{}' (expected bitwise, ulp:K or bound)", text));
}

std::string Contract::text() const {
    switch (kind) {
    case Kind::Bitwise:
        return "bitwise";
    case Kind::Bound:
        return "bound";
    case Kind::Ulp:
        return fmt::format("ulp:{}", ulps);
    }
    return "?";
}

bool KernelSpec::hasRole(ParamRole role) const {
    return std::any_of(params.begin(), params.end(),
                       [&](const ParamSpec& p) { return p.role == role; });
}

const KernelSpec* KernelSetManifest::find(std::string_view name) const {
    for (const auto& k : kernels)
        if (k.name == name) return &k;
    return nullptr;
}

Expected<KernelSetManifest> parseManifest(std::string_view text, const std::string& path) {
    ManifestReader reader(text, path);
    return reader.read(text);
}

const char* opKindName(OpKind op) {
    for (const auto& [name, k] : kOps)
        if (k == op) return name.c_str();
    return "?";
}

const char* weightFormatName(WeightFormat f) {
    for (const auto& [name, k] : kFormats)
        if (k == f) return name.c_str();
    return "-";
}

const char* variantName(Variant v) {
    return v == Variant::Single ? "single" : "batched";
}

const std::vector<std::string>& opDims(OpKind op) {
    static const std::map<OpKind, std::vector<std::string>> dims = {
        {OpKind::RmsNorm, {"D"}},
        {OpKind::ResidualAdd, {"D"}},
        {OpKind::Swiglu, {"F"}},
        {OpKind::Gemv, {"N", "K"}},
        {OpKind::Rope, {"H", "HD"}},
        {OpKind::KvScatter, {"HKV", "HD", "MAXLEN"}},
        {OpKind::Attention, {"H", "HKV", "HD", "MAXLEN"}},
        {OpKind::Embedding, {"D", "V"}}};
    return dims.at(op);
}

} // namespace ptxwb::kernels

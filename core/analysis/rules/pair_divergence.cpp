// Rule pair-divergence: structural differences between a single-row kernel and its batched
// variant that bit-for-bit parity cannot survive. The seed's BatchedQ6KGemv had three dequant
// errors its single twin did not: dequantisation lives in the immediates of shr/shl/and/or/
// bfe/bfi/prmt, so a constant present in one kernel and absent from the other is the strongest
// static signal there is. Each finding names the location in both kernels.
#include "analysis/rule.h"
#include "analysis/value_trace.h"

#include <algorithm>
#include <fmt/format.h>
#include <map>
#include <optional>
#include <unordered_set>

namespace ptxwb::analysis {
namespace {

bool isBitManipulation(ptx::Opcode op) {
    switch (op) {
    case ptx::Opcode::Shr:
    case ptx::Opcode::Shl:
    case ptx::Opcode::And:
    case ptx::Opcode::Or:
    case ptx::Opcode::Bfe:
    case ptx::Opcode::Bfi:
    case ptx::Opcode::Prmt:
        return true;
    default:
        return false;
    }
}

std::string_view verbOf(ptx::Opcode op) {
    switch (op) {
    case ptx::Opcode::Shr:
    case ptx::Opcode::Shl:
        return "shifts";
    case ptx::Opcode::And:
        return "masks";
    case ptx::Opcode::Or:
        return "merges";
    case ptx::Opcode::Bfe:
        return "extracts";
    case ptx::Opcode::Bfi:
        return "inserts";
    default:
        return "permutes";
    }
}

std::string hex(std::int64_t v) {
    return v < 0 ? fmt::format("{}", v) : fmt::format("0x{:x}", static_cast<std::uint64_t>(v));
}

bool isIntegerAddressArithmetic(const IrInstruction& in) {
    if (in.has(kInstFloat)) return false;
    switch (in.opcode) {
    case ptx::Opcode::Add:
    case ptx::Opcode::Sub:
    case ptx::Opcode::Mul:
    case ptx::Opcode::Mad:
    case ptx::Opcode::Mul24:
    case ptx::Opcode::Mad24:
    case ptx::Opcode::Shl:
    case ptx::Opcode::Shr:
    case ptx::Opcode::And:
    case ptx::Opcode::Or:
    case ptx::Opcode::Bfe:
    case ptx::Opcode::Bfi:
    case ptx::Opcode::Selp:
    case ptx::Opcode::Min:
    case ptx::Opcode::Max:
    case ptx::Opcode::Neg:
    case ptx::Opcode::Div:
    case ptx::Opcode::Rem:
    case ptx::Opcode::Cvt:
    case ptx::Opcode::Cvta:
    case ptx::Opcode::Mov:
        return true;
    default:
        return false;
    }
}

/// `reg` is only the shift amount of a shift or the byte selector of a prmt (the last operand):
/// a bit or byte position, computed like an index (Q6_K's unaligned scale words are realigned
/// by 8 * (address % 4), and lane t picks its scale bytes with selector 0x6420 + 0x1111 * (t / 4)).
bool isPositionOperandOnly(const KernelIR& k, const IrInstruction& user, std::uint32_t reg) {
    if (user.opcode != ptx::Opcode::Shl && user.opcode != ptx::Opcode::Shr &&
        user.opcode != ptx::Opcode::Shf && user.opcode != ptx::Opcode::Prmt)
        return false;
    const auto vals = k.valuesOf(user);
    if (vals.empty()) return false;
    for (std::size_t i = 0; i + 1 < vals.size(); ++i)
        if (vals[i].kind == IrValue::Kind::Register && vals[i].id == reg) return false;
    return vals.back().kind == IrValue::Kind::Register && vals.back().id == reg;
}

/// True when every value instruction `start` computes ends up only in memory addresses and
/// integer comparisons, through integer arithmetic: "shl 2" turning an index into a byte offset,
/// "and 28" picking a partial sum's slot, "bfi" building a row number that is bounds-checked.
/// That is index arithmetic, which single and batched kernels do differently by design (one
/// adds a row offset, the other walks tiles of rows), not the dequantisation the constant
/// comparison is after: dequantised bits end up in floating-point values or stores. A bounded
/// walk; when it gives up, the constant counts.
bool feedsOnlyAddresses(const KernelIR& k, const KernelDataflow& flow, std::uint32_t start) {
    constexpr std::size_t kMaxVisited = 2048;
    std::vector<std::uint32_t> work{start};
    std::unordered_set<std::uint32_t> visited{start};
    bool reachedIndexUse = false;
    while (!work.empty()) {
        const auto& in = k.instructions[work.back()];
        work.pop_back();
        for (auto reg : k.defs(in)) {
            for (auto u : flow.usesOf(reg)) {
                const auto& user = k.instructions[u];
                bool asAddress = false, asValue = false;
                for (const auto& a : k.addressesOf(user))
                    asAddress |= a.baseRegister == reg;
                for (const auto& v : k.valuesOf(user))
                    asValue |= v.kind == IrValue::Kind::Register && !v.isDestination && v.id == reg;
                asValue |= user.guard == reg;
                const bool integerCompare =
                    user.opcode == ptx::Opcode::Setp && !user.has(kInstFloat);
                if ((asAddress && !asValue) || integerCompare ||
                    isPositionOperandOnly(k, user, reg)) {
                    reachedIndexUse = true;
                    continue;
                }
                if (!isIntegerAddressArithmetic(user) || user.space != MemorySpace::None)
                    return false;
                if (visited.contains(u)) continue;
                if (visited.size() >= kMaxVisited) return false;
                visited.insert(u);
                work.push_back(u);
            }
        }
    }
    return reachedIndexUse;
}

/// (opcode, immediate) → (count, first instruction).
using ConstantUses = std::map<std::pair<ptx::Opcode, std::int64_t>, std::pair<int, std::uint32_t>>;

/// A kernel's bit-manipulation immediates: all of them, and those outside index arithmetic.
struct BitConstants {
    ConstantUses all;
    ConstantUses data;
};

BitConstants bitConstants(const KernelIR& k, const KernelDataflow& flow) {
    BitConstants out;
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (!isBitManipulation(in.opcode)) continue;
        std::optional<bool> index; // decided once per instruction, only when it has an immediate
        for (const auto& v : k.valuesOf(in)) {
            if (v.kind != IrValue::Kind::Immediate) continue;
            auto& slot = out.all[{in.opcode, v.immediate}];
            if (slot.first++ == 0) slot.second = i;
            if (!index) index = feedsOnlyAddresses(k, flow, i);
            if (*index) continue;
            auto& dataSlot = out.data[{in.opcode, v.immediate}];
            if (dataSlot.first++ == 0) dataSlot.second = i;
        }
    }
    return out;
}

/// Lane offsets of shfl instructions in order: the shape of the warp reduction tree.
std::vector<std::pair<std::int64_t, std::uint32_t>> shuffleOffsets(const KernelDataflow& flow) {
    const KernelIR& k = flow.kernel();
    std::vector<std::pair<std::int64_t, std::uint32_t>> out;
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (in.opcode != ptx::Opcode::Shfl) continue;
        const auto vals = k.valuesOf(in);
        // shfl.sync.mode.b32 d[|p], a, b, c, membermask: b is the lane or offset.
        std::size_t firstSource = 0;
        while (firstSource < vals.size() && vals[firstSource].isDestination)
            ++firstSource;
        if (firstSource + 1 >= vals.size()) continue;
        const IrValue& lane = vals[firstSource + 1];
        if (lane.kind == IrValue::Kind::Immediate)
            out.emplace_back(lane.immediate, i);
        else if (lane.kind == IrValue::Kind::Register) // nvcc puts the offset in a register
            if (auto c = constantValue(flow, i, lane.id)) out.emplace_back(*c, i);
    }
    return out;
}

std::uint64_t sharedBytes(const KernelIR& k, std::uint32_t& declaredAt) {
    std::uint64_t total = 0;
    std::vector<std::uint32_t> seen;
    auto count = [&](std::uint32_t sym) {
        if (sym == kNoId || k.symbols[sym].space != MemorySpace::Shared) return;
        if (std::find(seen.begin(), seen.end(), sym) != seen.end()) return;
        seen.push_back(sym);
        total += k.symbols[sym].bytes;
        if (declaredAt == kNoId) declaredAt = sym;
    };
    // Arrays declared in the body count even when addressed from a numeric base (the seed's
    // batched RMSNorm addressed `partial` as 0 + offset); module-level ones when referenced.
    for (std::uint32_t sym = 0; sym < k.symbols.size(); ++sym)
        if (k.symbols[sym].local) count(sym);
    for (const auto& in : k.instructions) {
        for (const auto& v : k.valuesOf(in))
            if (v.kind == IrValue::Kind::Symbol) count(v.id);
        for (const auto& a : k.addressesOf(in))
            count(a.baseSymbol);
    }
    return total;
}

/// First shared access whose address register has `bits` bits, or kNoId.
std::uint32_t sharedAccessWithWidth(const KernelIR& k, std::uint16_t bits) {
    for (std::uint32_t i = 0; i < k.instructions.size(); ++i) {
        const auto& in = k.instructions[i];
        if (in.space != MemorySpace::Shared || in.opcode == ptx::Opcode::Cvta ||
            in.addressCount == 0)
            continue;
        const auto base = k.addressesOf(in)[0].baseRegister;
        if (base != kNoId && k.registers[base].bits == bits) return i;
    }
    return kNoId;
}

class PairReporter {
public:
    PairReporter(const KernelUnit& single, const KernelUnit& batched, FindingSink& sink)
        : s_(single), b_(batched), sink_(sink) {}

    std::uint32_t line(const KernelUnit& u, ptx::SourceRange r) const {
        return u.source->lineOf(r.begin);
    }
    /// A finding in the batched kernel at `range` (or its declaration), relating the single.
    void report(Severity sev, std::optional<ptx::SourceRange> batchedRange,
                ptx::SourceRange singleRange, std::string message, std::string singleNote) {
        Finding& f =
            sink_.report(*b_.source, b_.ir->name, batchedRange ? *batchedRange : b_.ir->declaration,
                         std::move(message));
        f.severity = sev;
        FindingSink::relate(f, *s_.source, singleRange, std::move(singleNote));
    }

    const KernelUnit& s_;
    const KernelUnit& b_;
    FindingSink& sink_;
};

void compareConstants(PairReporter& r) {
    const KernelIR& s = *r.s_.ir;
    const KernelIR& b = *r.b_.ir;
    // A constant of one kernel's data path (not its index arithmetic) that the other kernel
    // does not use at all. Index arithmetic differs between the two by design; counting it
    // either side would report every row offset and tile bound.
    const auto cs = bitConstants(s, *r.s_.flow);
    const auto cb = bitConstants(b, *r.b_.flow);
    for (const auto& [key, use] : cs.data) {
        const auto& si = s.instructions[use.second];
        const auto sline = r.line(r.s_, si.range);
        if (!cb.all.contains(key)) {
            r.report(Severity::Warning, std::nullopt, si.range,
                     fmt::format("constant {} {} a value in {} (line {}) but not in {}",
                                 hex(key.second), verbOf(key.first), s.name, sline, b.name),
                     fmt::format("{} {} here in {}", mnemonicOf(s, si), hex(key.second), s.name));
        }
    }
    for (const auto& [key, use] : cb.data) {
        if (cs.all.contains(key)) continue;
        const auto& bi = b.instructions[use.second];
        r.report(Severity::Warning, bi.range, s.declaration,
                 fmt::format("constant {} {} a value in {} (line {}) but not in {}",
                             hex(key.second), verbOf(key.first), b.name, r.line(r.b_, bi.range),
                             s.name),
                 fmt::format("{} declared here", s.name));
    }
}

void compareReductionOrder(PairReporter& r) {
    const auto so = shuffleOffsets(*r.s_.flow);
    const auto bo = shuffleOffsets(*r.b_.flow);
    if (so.empty() || bo.empty()) return;
    auto list = [](const std::vector<std::pair<std::int64_t, std::uint32_t>>& v) {
        std::string out;
        for (const auto& [off, inst] : v)
            out += (out.empty() ? "" : ",") + std::to_string(off);
        return out;
    };
    const auto sl = list(so), bl = list(bo);
    // Only the common prefix matters when the batched kernel repeats the tree per row.
    const bool same = bl.starts_with(sl) || sl == bl;
    if (same) return;
    const auto& si = r.s_.ir->instructions[so[0].second];
    const auto& bi = r.b_.ir->instructions[bo[0].second];
    r.report(Severity::Warning, bi.range, si.range,
             fmt::format("warp reduction order differs: shuffle offsets {} in {} (line {}) but {} "
                         "in {} (line {}); a different reduction tree breaks bit-for-bit parity",
                         sl, r.s_.ir->name, r.line(r.s_, si.range), bl, r.b_.ir->name,
                         r.line(r.b_, bi.range)),
             fmt::format("reduction in {} starts here", r.s_.ir->name));
}

void compareShared(PairReporter& r) {
    std::uint32_t sd = kNoId, bd = kNoId;
    const auto ss = sharedBytes(*r.s_.ir, sd);
    const auto bs = sharedBytes(*r.b_.ir, bd);
    if (ss != bs) {
        const auto sRange = sd != kNoId ? r.s_.ir->symbols[sd].declaration : r.s_.ir->declaration;
        const auto bRange = bd != kNoId ? r.b_.ir->symbols[bd].declaration : r.b_.ir->declaration;
        // A batched kernel that keeps the single kernel's shared layout once per batch row (or
        // per register tile) has a whole multiple of its bytes: worth knowing, not a warning.
        const bool perRowCopies = ss > 0 && bs > ss && bs % ss == 0;
        r.report(perRowCopies ? Severity::Note : Severity::Warning, bRange, sRange,
                 fmt::format("static shared memory differs: {} bytes in {} (line {}) but {} bytes "
                             "in {} (line {}){}",
                             ss, r.s_.ir->name, r.line(r.s_, sRange), bs, r.b_.ir->name,
                             r.line(r.b_, bRange),
                             perRowCopies ? fmt::format(", {} times as much", bs / ss) : ""),
                 fmt::format("{} bytes of shared memory in {}", ss, r.s_.ir->name));
    }
    const auto s64 = sharedAccessWithWidth(*r.s_.ir, 64);
    const auto b64 = sharedAccessWithWidth(*r.b_.ir, 64);
    const auto s32 = sharedAccessWithWidth(*r.s_.ir, 32);
    const auto b32 = sharedAccessWithWidth(*r.b_.ir, 32);
    if (b64 != kNoId && s64 == kNoId && s32 != kNoId) {
        const auto& bi = r.b_.ir->instructions[b64];
        const auto& si = r.s_.ir->instructions[s32];
        r.report(Severity::Warning, bi.range, si.range,
                 fmt::format("shared memory is addressed with 64-bit registers in {} (line {}) but "
                             "with 32-bit registers in {} (line {})",
                             r.b_.ir->name, r.line(r.b_, bi.range), r.s_.ir->name,
                             r.line(r.s_, si.range)),
                 fmt::format("32-bit shared address in {}", r.s_.ir->name));
    } else if (s64 != kNoId && b64 == kNoId && b32 != kNoId) {
        const auto& bi = r.b_.ir->instructions[b32];
        const auto& si = r.s_.ir->instructions[s64];
        r.report(Severity::Warning, bi.range, si.range,
                 fmt::format("shared memory is addressed with 64-bit registers in {} (line {}) but "
                             "with 32-bit registers in {} (line {})",
                             r.s_.ir->name, r.line(r.s_, si.range), r.b_.ir->name,
                             r.line(r.b_, bi.range)),
                 fmt::format("64-bit shared address in {}", r.s_.ir->name));
    }
}

void compareRoles(PairReporter& r) {
    if (r.s_.contract.inferred || r.b_.contract.inferred) return; // names guessed: not evidence
    std::map<std::string, std::pair<int, int>> roles; // role → (single count, batched count)
    for (const auto& p : r.s_.contract.params)
        ++roles[p.role].first;
    for (const auto& p : r.b_.contract.params)
        ++roles[p.role].second;
    for (const auto& [role, counts] : roles) {
        // A batched kernel takes one position or token per row where its single twin takes a
        // scalar: position ↔ positions and token ↔ tokens are the same role, batched.
        if (counts.first == counts.second || role == "dim:M" || role == "positions" ||
            role == "position" || role == "tokens" || role == "token")
            continue;
        r.report(Severity::Warning, std::nullopt, r.s_.ir->declaration,
                 fmt::format("parameter role '{}' appears {} time(s) in {} but {} in {}", role,
                             counts.first, r.s_.ir->name, counts.second, r.b_.ir->name),
                 fmt::format("{} declared here", r.s_.ir->name));
    }
}

void compareStructure(PairReporter& r) {
    const auto& sl = r.s_.flow->loops();
    const auto& bl = r.b_.flow->loops();
    auto maxDepth = [](const std::vector<NaturalLoop>& v) {
        std::uint32_t d = 0;
        for (const auto& l : v)
            d = std::max(d, l.depth);
        return d;
    };
    // A batch loop over M is one extra loop (one level deeper) by design.
    const std::size_t allowance = r.b_.contract.batchAxis == BatchAxis::Loop ? 1 : 0;
    if (bl.size() < sl.size() || bl.size() > sl.size() + allowance) {
        r.report(Severity::Note, std::nullopt, r.s_.ir->declaration,
                 fmt::format("loop structure differs: {} loop(s), depth {} in {} but {} loop(s), "
                             "depth {} in {}",
                             sl.size(), maxDepth(sl), r.s_.ir->name, bl.size(), maxDepth(bl),
                             r.b_.ir->name),
                 fmt::format("{} declared here", r.s_.ir->name));
    }
    std::map<ptx::OpcodeClass, std::pair<std::uint32_t, std::uint32_t>> classes; // first inst
    for (std::uint32_t i = 0; i < r.s_.ir->instructions.size(); ++i)
        classes.try_emplace(ptx::opcodeClass(r.s_.ir->instructions[i].opcode), i, kNoId);
    for (std::uint32_t i = 0; i < r.b_.ir->instructions.size(); ++i) {
        auto [it, fresh] =
            classes.try_emplace(ptx::opcodeClass(r.b_.ir->instructions[i].opcode), kNoId, i);
        if (!fresh && it->second.second == kNoId) it->second.second = i;
    }
    for (const auto& [cls, at] : classes) {
        if ((at.first == kNoId) == (at.second == kNoId)) continue;
        const auto name = ptx::opcodeClassName(cls);
        if (at.first != kNoId) {
            const auto& si = r.s_.ir->instructions[at.first];
            r.report(Severity::Note, std::nullopt, si.range,
                     fmt::format("{} has {} instructions (line {}) but {} has none", r.s_.ir->name,
                                 name, r.line(r.s_, si.range), r.b_.ir->name),
                     fmt::format("first {} instruction in {}", name, r.s_.ir->name));
        } else {
            const auto& bi = r.b_.ir->instructions[at.second];
            r.report(Severity::Note, bi.range, r.s_.ir->declaration,
                     fmt::format("{} has {} instructions (line {}) but {} has none", r.b_.ir->name,
                                 name, r.line(r.b_, bi.range), r.s_.ir->name),
                     fmt::format("{} declared here", r.s_.ir->name));
        }
    }
}

} // namespace

void checkPairDivergence(const KernelUnit& single, const KernelUnit& batched,
                         const AnalysisOptions&, FindingSink& sink) {
    PairReporter r(single, batched, sink);
    compareRoles(r);
    compareShared(r);
    compareConstants(r);
    compareReductionOrder(r);
    compareStructure(r);
}

} // namespace ptxwb::analysis

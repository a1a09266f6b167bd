#include "ptx/tables.h"

#include <array>
#include <cstring>
#include <vector>

namespace ptxwb::ptx {
namespace {

struct KeywordInfo {
    std::string_view spelling;
    KeywordCategory category;
    unsigned bits;
    TypeKind typeKind;
};

constexpr KeywordInfo kKeywords[] = {
#define PTX_DIRECTIVE(Id, Spelling) {Spelling, KeywordCategory::Directive, 0, TypeKind::Opaque},
#include "ptx/defs/directives.def"
#define PTX_STATE_SPACE(Id, Spelling, Addressable)                                                 \
    {Spelling, KeywordCategory::StateSpace, 0, TypeKind::Opaque},
#include "ptx/defs/state_spaces.def"
#define PTX_TYPE(Id, Spelling, Bits, Kind) {Spelling, KeywordCategory::Type, Bits, TypeKind::Kind},
#include "ptx/defs/types.def"
#define PTX_MODIFIER(Id, Spelling) {Spelling, KeywordCategory::Modifier, 0, TypeKind::Opaque},
#include "ptx/defs/modifiers.def"
    {"", KeywordCategory::Unknown, 0, TypeKind::Opaque},
};

// The inline category/type accessors in tables.h derive from the enum layout; this table is the
// other derivation of the same .def files.
constexpr bool inlineKeywordTablesAgree() {
    for (std::size_t i = 0; i < std::size(kKeywords); ++i) {
        const auto k = static_cast<Keyword>(i);
        if (keywordCategory(k) != kKeywords[i].category || typeBits(k) != kKeywords[i].bits ||
            typeKind(k) != kKeywords[i].typeKind)
            return false;
    }
    return true;
}
static_assert(inlineKeywordTablesAgree());

struct OpcodeInfo {
    std::string_view spelling;
    OpcodeClass opClass;
    unsigned char minOperands;
    unsigned char maxOperands;
};

constexpr OpcodeInfo kOpcodes[] = {
#define PTX_OPCODE(Id, Spelling, Class, MinOps, MaxOps)                                            \
    {Spelling, OpcodeClass::Class, MinOps, MaxOps},
#include "ptx/defs/opcodes.def"
    {"", OpcodeClass::Unknown, 0, 255},
};

struct SregInfo {
    std::string_view spelling;
    unsigned bits;
    bool hasComponents;
};

constexpr SregInfo kSregs[] = {
#define PTX_SREG(Id, Spelling, Bits, HasComponents) {Spelling, Bits, HasComponents},
#include "ptx/defs/special_registers.def"
    {"", 0, false},
};

// FNV-1a over at most the first 16 bytes plus the length: spellings are short and differ early.
inline std::uint32_t hashSpelling(std::string_view s) {
    std::uint32_t h = 2166136261u ^ static_cast<std::uint32_t>(s.size());
    std::size_t n = s.size() < 16 ? s.size() : 16;
    for (std::size_t i = 0; i < n; ++i)
        h = (h ^ static_cast<unsigned char>(s[i])) * 16777619u;
    return h;
}

/// Open-addressing table from spelling to a small integer value; a "perfect-ish" hash: the
/// table is 8x oversized so almost every lookup is one probe and one compare.
class SpellingTable {
public:
    struct Slot {
        std::string_view key;
        std::uint16_t value = 0;
        bool real = false;   ///< false: a compound-opcode prefix only
        bool prefix = false; ///< a proper dotted prefix of some compound opcode
    };

    explicit SpellingTable(std::size_t entries) {
        std::size_t size = 16;
        while (size < entries * 8)
            size <<= 1;
        slots_.resize(size);
        mask_ = size - 1;
    }
    void insert(std::string_view key, std::uint16_t value, bool real) {
        std::size_t i = hashSpelling(key) & mask_;
        while (!slots_[i].key.empty()) {
            if (slots_[i].key == key) {
                if (real && !slots_[i].real) {
                    slots_[i].value = value;
                    slots_[i].real = true;
                }
                if (!real) slots_[i].prefix = true;
                return; // first real spelling wins (directives before modifiers)
            }
            i = (i + 1) & mask_;
        }
        slots_[i] = {key, value, real, !real};
    }
    const Slot* find(std::string_view key) const {
        std::size_t i = hashSpelling(key) & mask_;
        while (!slots_[i].key.empty()) {
            const Slot& s = slots_[i];
            if (s.key.size() == key.size() &&
                std::memcmp(s.key.data(), key.data(), key.size()) == 0)
                return &s;
            i = (i + 1) & mask_;
        }
        return nullptr;
    }

private:
    std::vector<Slot> slots_;
    std::size_t mask_ = 0;
};

const SpellingTable& keywordTable() {
    static const SpellingTable table = [] {
        constexpr std::size_t n = std::size(kKeywords) - 1;
        SpellingTable t(n);
        for (std::size_t i = 0; i < n; ++i)
            t.insert(kKeywords[i].spelling, static_cast<std::uint16_t>(i), true);
        return t;
    }();
    return table;
}

const SpellingTable& opcodeTable() {
    static const SpellingTable table = [] {
        constexpr std::size_t n = std::size(kOpcodes) - 1;
        SpellingTable t(n * 3);
        for (std::size_t i = 0; i < n; ++i)
            t.insert(kOpcodes[i].spelling, static_cast<std::uint16_t>(i), true);
        // Register every dotted prefix of a compound opcode so the parser knows to keep
        // extending the match ("cp" → "cp.async" → "cp.async.bulk").
        for (std::size_t i = 0; i < n; ++i) {
            std::string_view s = kOpcodes[i].spelling;
            for (std::size_t dot = s.find('.'); dot != std::string_view::npos;
                 dot = s.find('.', dot + 1))
                t.insert(s.substr(0, dot), static_cast<std::uint16_t>(n), false);
        }
        return t;
    }();
    return table;
}

const SpellingTable& sregTable() {
    static const SpellingTable table = [] {
        constexpr std::size_t n = std::size(kSregs) - 1;
        SpellingTable t(n);
        for (std::size_t i = 0; i < n; ++i)
            t.insert(kSregs[i].spelling, static_cast<std::uint16_t>(i), true);
        return t;
    }();
    return table;
}

} // namespace

Keyword lookupKeyword(std::string_view s) {
    const auto* slot = keywordTable().find(s);
    return slot ? static_cast<Keyword>(slot->value) : Keyword::Unknown;
}
std::string_view keywordSpelling(Keyword k) {
    return kKeywords[static_cast<std::size_t>(k)].spelling;
}

bool isSharedSpace(Keyword k) {
    return k == Keyword::SpaceShared || k == Keyword::SpaceSharedCta ||
           k == Keyword::SpaceSharedCluster;
}
Keyword baseStateSpace(Keyword k) {
    if (isSharedSpace(k)) return Keyword::SpaceShared;
    if (k == Keyword::SpaceParamEntry || k == Keyword::SpaceParamFunc) return Keyword::SpaceParam;
    return k;
}

Opcode lookupOpcode(std::string_view s) {
    const auto* slot = opcodeTable().find(s);
    return slot && slot->real ? static_cast<Opcode>(slot->value) : Opcode::Unknown;
}
OpcodeLookup lookupOpcodePrefix(std::string_view s) {
    const auto* slot = opcodeTable().find(s);
    if (!slot) return {};
    return {slot->real ? static_cast<Opcode>(slot->value) : Opcode::Unknown, slot->prefix};
}

bool isCompoundOpcodePrefix(std::string_view s) {
    const auto* slot = opcodeTable().find(s);
    return slot && slot->prefix;
}
std::string_view opcodeSpelling(Opcode op) {
    return kOpcodes[static_cast<std::size_t>(op)].spelling;
}
OpcodeClass opcodeClass(Opcode op) {
    return kOpcodes[static_cast<std::size_t>(op)].opClass;
}
unsigned opcodeMinOperands(Opcode op) {
    return kOpcodes[static_cast<std::size_t>(op)].minOperands;
}
unsigned opcodeMaxOperands(Opcode op) {
    return kOpcodes[static_cast<std::size_t>(op)].maxOperands;
}

std::string_view opcodeClassName(OpcodeClass c) {
    static constexpr std::string_view names[] = {
        "arithmetic", "logic", "compare", "move",    "convert", "memory", "atomic", "control",
        "sync",       "warp",  "matrix",  "texture", "video",   "misc",   "unknown"};
    return names[static_cast<std::size_t>(c)];
}

SpecialRegister lookupSpecialRegister(std::string_view s) {
    const auto* slot = sregTable().find(s);
    return slot ? static_cast<SpecialRegister>(slot->value) : SpecialRegister::Unknown;
}
unsigned specialRegisterBits(SpecialRegister r) {
    return kSregs[static_cast<std::size_t>(r)].bits;
}
bool specialRegisterHasComponents(SpecialRegister r) {
    return kSregs[static_cast<std::size_t>(r)].hasComponents;
}

} // namespace ptxwb::ptx

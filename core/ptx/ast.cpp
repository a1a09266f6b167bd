#include "ptx/ast.h"

namespace ptxwb::ptx {

std::uint32_t Module::findFunction(std::string_view name) const {
    std::uint32_t declaration = kNoIndex;
    for (std::uint32_t i = 0; i < functions.size(); ++i) {
        if (text(functions[i].name) != name) continue;
        if (functions[i].hasBody) return i;
        declaration = i;
    }
    return declaration;
}

std::size_t Module::memoryBytes() const {
    auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
    return sizeof(Module) + bytes(targets) + bytes(items) + bytes(functions) + bytes(variables) +
           bytes(dimensions) + bytes(performance) + bytes(statements) + bytes(instructions) +
           bytes(modifiers) + bytes(operands) + bytes(labels) + bytes(scopes) + bytes(pragmas) +
           bytes(strings) + bytes(locs) + bytes(prototypes) + bytes(targetLists) + bytes(files) +
           bytes(sections) + bytes(sectionEntries) + bytes(aliases) + bytes(rawTexts);
}

Keyword singleInstructionType(const Module& m, const Instruction& i) {
    Keyword found = Keyword::Unknown;
    for (const Modifier& mod : m.modifiersOf(i)) {
        if (!isType(mod.keyword)) continue;
        if (found != Keyword::Unknown) return Keyword::Unknown;
        found = mod.keyword;
    }
    return found;
}

bool hasModifier(const Module& m, const Instruction& i, Keyword k) {
    for (const Modifier& mod : m.modifiersOf(i))
        if (mod.keyword == k) return true;
    return false;
}

} // namespace ptxwb::ptx

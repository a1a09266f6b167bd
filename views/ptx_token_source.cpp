#include "ptx_token_source.h"

#include "ptx/highlight.h"

#include <QLatin1StringView>
#include <algorithm>
#include <array>
#include <string_view>

// The project's PTX lexer and token tables (core/ptx) classify the line; this file only maps
// their categories onto the editor's, splitting registers by width and telling labels from
// other identifiers (ptx::TokenCategory::Label covers both).

namespace ptxwb::views {
namespace {

PtxTokenCategory registerCategory(ptx::RegisterClass c) {
    switch (c) {
    case ptx::RegisterClass::Predicate:
        return PtxTokenCategory::RegisterPredicate;
    case ptx::RegisterClass::Bits16:
    case ptx::RegisterClass::Half:
        return PtxTokenCategory::Register16;
    case ptx::RegisterClass::Bits64:
    case ptx::RegisterClass::Bits128:
    case ptx::RegisterClass::Float64:
        return PtxTokenCategory::Register64;
    default:
        return PtxTokenCategory::Register32;
    }
}

} // namespace

PtxLineState tokenizePtxLine(QStringView line, PtxLineState entry, std::vector<PtxTokenSpan>& out) {
    const QByteArray utf8 = line.toUtf8();
    const std::string_view bytes(utf8.constData(), std::size_t(utf8.size()));
    ptx::HighlightState state{entry == PtxLineState::InBlockComment};
    thread_local std::vector<ptx::HighlightSpan> spans;
    ptx::highlightLine(bytes, state, spans);

    // Spans are byte offsets; columns are UTF-16. Equal for ASCII, which PTX nearly always is.
    std::vector<int> utf16At;
    if (utf8.size() != line.size()) {
        utf16At.resize(std::size_t(utf8.size()) + 1);
        int u = 0;
        for (qsizetype b = 0; b < utf8.size(); ++b) {
            utf16At[std::size_t(b)] = u;
            const auto c = static_cast<unsigned char>(utf8[b]);
            if ((c & 0xC0) != 0x80)     // a lead byte starts a code point ...
                u += c >= 0xF0 ? 2 : 1; // ... and 4-byte ones are surrogate pairs
        }
        utf16At.back() = int(line.size());
        // Continuation bytes map to the code point they belong to.
        for (qsizetype b = 1; b < utf8.size(); ++b)
            if ((static_cast<unsigned char>(utf8[b]) & 0xC0) == 0x80)
                utf16At[std::size_t(b)] = utf16At[std::size_t(b) - 1];
    }
    auto column = [&](std::uint32_t byte) {
        return utf16At.empty() ? int(byte)
                               : utf16At[std::min<std::size_t>(byte, utf16At.size() - 1)];
    };

    bool afterBranch = false;
    for (const auto& s : spans) {
        PtxTokenCategory c = PtxTokenCategory::Text;
        const std::string_view text = bytes.substr(s.offset, s.length);
        switch (s.category) {
        case ptx::TokenCategory::Plain:
            c = PtxTokenCategory::Text;
            break;
        case ptx::TokenCategory::Comment:
            c = PtxTokenCategory::Comment;
            break;
        case ptx::TokenCategory::Directive:
            c = PtxTokenCategory::Directive;
            break;
        case ptx::TokenCategory::StateSpace:
            c = PtxTokenCategory::StateSpace;
            break;
        case ptx::TokenCategory::Type:
            c = PtxTokenCategory::Type;
            break;
        case ptx::TokenCategory::Modifier:
            c = PtxTokenCategory::Modifier;
            break;
        case ptx::TokenCategory::Opcode:
            c = PtxTokenCategory::Opcode;
            break;
        case ptx::TokenCategory::Register:
            c = registerCategory(s.registerClass);
            break;
        case ptx::TokenCategory::SpecialRegister:
            c = PtxTokenCategory::SpecialRegister;
            break;
        case ptx::TokenCategory::Label: {
            const std::size_t next = bytes.find_first_not_of(" \t", s.offset + s.length);
            const bool definition = next != std::string_view::npos && bytes[next] == ':';
            c = definition || afterBranch ? PtxTokenCategory::Label : PtxTokenCategory::Identifier;
            break;
        }
        case ptx::TokenCategory::Number:
            c = PtxTokenCategory::Number;
            break;
        case ptx::TokenCategory::String:
            c = PtxTokenCategory::String;
            break;
        case ptx::TokenCategory::Punctuation:
            c = PtxTokenCategory::Punctuation;
            break;
        case ptx::TokenCategory::Error:
            c = PtxTokenCategory::Error;
            break;
        }
        if (s.category == ptx::TokenCategory::Opcode)
            afterBranch = text == "bra" || text == "brx";
        else if (text == ";")
            afterBranch = false;
        const int start = column(s.offset);
        out.push_back({start, column(s.offset + s.length) - start, c});
    }
    return state.inBlockComment ? PtxLineState::InBlockComment : PtxLineState::Normal;
}

const char* ptxTokenCategoryName(PtxTokenCategory category) {
    static constexpr std::array<const char*, kPtxTokenCategoryCount> kNames{"text",
                                                                            "directive",
                                                                            "opcode",
                                                                            "modifier",
                                                                            "type",
                                                                            "stateSpace",
                                                                            "register16",
                                                                            "register32",
                                                                            "register64",
                                                                            "registerPredicate",
                                                                            "specialRegister",
                                                                            "label",
                                                                            "identifier",
                                                                            "number",
                                                                            "string",
                                                                            "comment",
                                                                            "punctuation",
                                                                            "error"};
    return kNames[static_cast<int>(category)];
}

} // namespace ptxwb::views

#include "elf_sections.h"

#include <cstdint>
#include <cstring>

namespace ptxwb::ptx::test {
namespace {

template <typename T>
bool readAt(std::string_view image, std::uint64_t offset, T& out) {
    if (offset > image.size() || image.size() - offset < sizeof(T)) return false;
    std::memcpy(&out, image.data() + offset, sizeof(T));
    return true;
}

} // namespace

std::optional<std::map<std::string, std::string>> readElfSections(std::string_view image) {
    if (image.size() < 64 ||
        image.substr(0, 4) != "\x7f"
                              "ELF" ||
        image[4] != 2 || image[5] != 1)
        return std::nullopt;
    std::uint64_t shoff = 0;
    std::uint16_t shentsize = 0, shnum = 0, shstrndx = 0;
    if (!readAt(image, 0x28, shoff) || !readAt(image, 0x3a, shentsize) ||
        !readAt(image, 0x3c, shnum) || !readAt(image, 0x3e, shstrndx) || shentsize < 64 ||
        shstrndx >= shnum)
        return std::nullopt;
    struct Header {
        std::uint32_t name, type;
        std::uint64_t offset, size;
    };
    auto header = [&](std::uint16_t i, Header& h) {
        std::uint64_t base = shoff + static_cast<std::uint64_t>(i) * shentsize;
        return readAt(image, base, h.name) && readAt(image, base + 4, h.type) &&
               readAt(image, base + 0x18, h.offset) && readAt(image, base + 0x20, h.size);
    };
    Header strtab{};
    if (!header(shstrndx, strtab) || strtab.offset > image.size() ||
        image.size() - strtab.offset < strtab.size)
        return std::nullopt;
    std::string_view names = image.substr(strtab.offset, strtab.size);
    std::map<std::string, std::string> sections;
    for (std::uint16_t i = 0; i < shnum; ++i) {
        Header h{};
        if (!header(i, h) || h.name >= names.size()) return std::nullopt;
        std::string name(names.substr(h.name, names.find('\0', h.name) - h.name));
        constexpr std::uint32_t kNoBits = 8;
        if (h.type == kNoBits) {
            sections[name] = std::to_string(h.size);
            continue;
        }
        if (h.offset > image.size() || image.size() - h.offset < h.size) return std::nullopt;
        sections[name] = std::string(image.substr(h.offset, h.size));
    }
    return sections;
}

} // namespace ptxwb::ptx::test

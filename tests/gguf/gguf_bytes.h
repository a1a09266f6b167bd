#pragma once
// Builds GGUF files byte by byte for tests, including malformed ones the writer refuses to make.
// `at()` gives the offset the next field will have, so tests name exact error offsets.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <vector>

namespace ptxwb::gguf::testing {

class GgufBytes {
public:
    std::size_t at() const { return bytes.size(); }
    GgufBytes& raw(std::string_view s) {
        for (char c : s)
            bytes.push_back(static_cast<std::byte>(c));
        return *this;
    }
    template <typename T>
    GgufBytes& put(T v) {
        std::byte tmp[sizeof(T)];
        std::memcpy(tmp, &v, sizeof(T));
        bytes.insert(bytes.end(), tmp, tmp + sizeof(T));
        return *this;
    }
    GgufBytes& u8(std::uint8_t v) { return put(v); }
    GgufBytes& u32(std::uint32_t v) { return put(v); }
    GgufBytes& u64(std::uint64_t v) { return put(v); }
    GgufBytes& f32(float v) { return put(v); }
    GgufBytes& str(std::string_view s) { return u64(s.size()).raw(s); }
    /// "GGUF", version, tensor count, kv count.
    GgufBytes& header(std::uint64_t tensors, std::uint64_t kvs, std::uint32_t version = 3) {
        return raw("GGUF").u32(version).u64(tensors).u64(kvs);
    }
    /// A key with a u32 value.
    GgufBytes& kvU32(std::string_view key, std::uint32_t v) { return str(key).u32(4).u32(v); }
    /// A tensor info: name, dims, type, offset.
    GgufBytes& tensor(std::string_view name, std::vector<std::uint64_t> dims, std::uint32_t type,
                      std::uint64_t offset) {
        str(name).u32(static_cast<std::uint32_t>(dims.size()));
        for (auto d : dims)
            u64(d);
        return u32(type).u64(offset);
    }
    GgufBytes& padTo(std::size_t alignment) {
        while (bytes.size() % alignment)
            bytes.push_back(std::byte{0});
        return *this;
    }
    GgufBytes& zeros(std::size_t n) {
        bytes.resize(bytes.size() + n, std::byte{0});
        return *this;
    }
    std::vector<std::byte> bytes;
};

} // namespace ptxwb::gguf::testing

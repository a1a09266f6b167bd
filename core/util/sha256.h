#pragma once
// SHA-256 for content hashes (kernel sets, models, PTX texts in the store). Content hashes are
// compared across machines, so they must be a standard digest, not std::hash.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ptxwb {

class Sha256 {
public:
    Sha256();
    void update(std::span<const std::byte> data);
    void update(std::string_view text);
    /// Finishes the digest; the object must not be updated afterwards.
    std::array<std::uint8_t, 32> finish();
    /// Lower-case hex of finish().
    std::string finishHex();

    static std::string hex(std::string_view text);
    static std::string hex(std::span<const std::byte> data);

private:
    void compress(const std::uint8_t* block);
    std::array<std::uint32_t, 8> state_;
    std::array<std::uint8_t, 64> buffer_{};
    std::size_t bufferLen_ = 0;
    std::uint64_t totalLen_ = 0;
};

std::string toHex(std::span<const std::uint8_t> bytes);

} // namespace ptxwb

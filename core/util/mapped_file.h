#pragma once
// A read-only memory map of a whole file. Large PTX and GGUF files are read through this so
// opening a multi-GB model costs page-table set-up, not a copy.

#include "util/expected.h"

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>

namespace ptxwb {

class MappedFile {
public:
    /// Maps `path` read-only. An empty file maps to an empty span (mmap of length 0 is invalid).
    static Expected<MappedFile> open(const std::string& path);

    MappedFile() = default;
    MappedFile(MappedFile&& other) noexcept;
    MappedFile& operator=(MappedFile&& other) noexcept;
    MappedFile(const MappedFile&) = delete;
    MappedFile& operator=(const MappedFile&) = delete;
    ~MappedFile();

    [[nodiscard]] std::span<const std::byte> bytes() const { return {data_, size_}; }
    [[nodiscard]] std::string_view text() const {
        return {reinterpret_cast<const char*>(data_), size_};
    }
    [[nodiscard]] std::size_t size() const { return size_; }
    [[nodiscard]] const std::string& path() const { return path_; }

private:
    void release();
    const std::byte* data_ = nullptr;
    std::size_t size_ = 0;
    std::string path_;
};

/// Reads a whole file into a string (for small files: manifests, rule pages).
Expected<std::string> readFileText(const std::string& path);
/// Writes `content` to `path` atomically: a temporary file beside it, fsync, then rename.
Status writeFileAtomic(const std::string& path, std::string_view content);

} // namespace ptxwb

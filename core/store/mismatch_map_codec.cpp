// Binary form of a MismatchMap (stored in the mismatch_map table):
//   offset 0  "PXWBMMAP"            magic
//          8  u32 format version    (1)
//         12  u32 rows, u32 cols
//         20  u32 flags             bit 0: a probe layout follows
//        [24  u32 super-block elements, u32 sub-block elements, u16 n, n bytes quant format]
//          .  u64 compressed size, then one zstd frame: rows*cols category bytes followed by
//             rows*cols little-endian u32 ULP distances, with a content checksum.
// Categories compress to almost nothing when a map is mostly identical, which is the usual case.
#include "store/mismatch_map.h"

#include <cstring>
#include <fmt/format.h>
#include <memory>
#include <zstd.h>

namespace ptxwb::store {

namespace {
constexpr char kMagic[8] = {'P', 'X', 'W', 'B', 'M', 'M', 'A', 'P'};
constexpr std::uint32_t kFormatVersion = 1;
constexpr std::uint32_t kFlagProbeLayout = 1;

void putU16(std::vector<std::byte>& out, std::uint16_t v) {
    for (int i = 0; i < 2; ++i)
        out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
}
void putU32(std::vector<std::byte>& out, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
}
void putU64(std::vector<std::byte>& out, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        out.push_back(static_cast<std::byte>((v >> (8 * i)) & 0xff));
}

/// Bounds-checked little-endian reader that reports the offset of whatever it failed to read.
class ByteReader {
public:
    ByteReader(std::span<const std::byte> bytes, const std::string& source)
        : bytes_(bytes), source_(source) {}
    std::size_t offset() const { return offset_; }
    std::size_t remaining() const { return bytes_.size() - offset_; }
    Unexpected fail(const std::string& what, std::size_t at) const {
        return makeError(ErrorKind::BadInput, "mismatch map: " + what,
                         ErrorLocation::bytes(source_, at));
    }
    template <typename T>
    Expected<T> read(const char* what) {
        if (remaining() < sizeof(T)) {
            return fail(fmt::format("truncated: expected {} ({} bytes)", what, sizeof(T)), offset_);
        }
        std::uint64_t v = 0;
        for (std::size_t i = 0; i < sizeof(T); ++i) {
            v |= static_cast<std::uint64_t>(bytes_[offset_ + i]) << (8 * i);
        }
        offset_ += sizeof(T);
        return static_cast<T>(v);
    }
    std::span<const std::byte> take(std::size_t n) {
        auto s = bytes_.subspan(offset_, n);
        offset_ += n;
        return s;
    }

private:
    std::span<const std::byte> bytes_;
    const std::string& source_;
    std::size_t offset_ = 0;
};
} // namespace

std::vector<std::byte> encodeMismatchMap(const MismatchMap& map, int compressionLevel) {
    std::vector<std::byte> out;
    for (char c : kMagic)
        out.push_back(static_cast<std::byte>(c));
    putU32(out, kFormatVersion);
    putU32(out, map.rows());
    putU32(out, map.cols());
    putU32(out, map.probeLayout ? kFlagProbeLayout : 0);
    if (map.probeLayout) {
        putU32(out, map.probeLayout->superBlockElements);
        putU32(out, map.probeLayout->subBlockElements);
        const auto& name = map.probeLayout->quantFormat;
        putU16(out, static_cast<std::uint16_t>(std::min<std::size_t>(name.size(), 0xffff)));
        for (std::size_t i = 0; i < std::min<std::size_t>(name.size(), 0xffff); ++i) {
            out.push_back(static_cast<std::byte>(name[i]));
        }
    }
    // Planes laid out as the zstd input: categories, then ULPs in little-endian.
    const std::size_t n = map.size();
    std::vector<std::uint8_t> raw(n * 5);
    std::memcpy(raw.data(), map.categoryPlane().data(), n);
    auto ulps = map.ulpPlane();
    for (std::size_t i = 0; i < n; ++i) {
        std::uint32_t v = ulps[i];
        for (int b = 0; b < 4; ++b)
            raw[n + 4 * i + b] = static_cast<std::uint8_t>(v >> (8 * b));
    }
    std::vector<std::byte> frame(ZSTD_compressBound(raw.size()));
    // The frame carries zstd's content checksum, so a damaged blob is refused rather than
    // decoded into a plausible but wrong map.
    // One context per thread, reused: creating one costs more than compressing a typical map,
    // and a run of 1,000 checks may carry hundreds of maps.
    thread_local std::unique_ptr<ZSTD_CCtx, decltype(&ZSTD_freeCCtx)> context(ZSTD_createCCtx(),
                                                                              &ZSTD_freeCCtx);
    ZSTD_CCtx* cctx = context.get();
    ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, compressionLevel);
    ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
    std::size_t written = ZSTD_compress2(cctx, frame.data(), frame.size(), raw.data(), raw.size());
    // Compression only fails for a too-small buffer (ruled out by the bound) or out of memory.
    if (ZSTD_isError(written)) written = 0;
    putU64(out, written);
    out.insert(out.end(), frame.begin(), frame.begin() + static_cast<std::ptrdiff_t>(written));
    return out;
}

Expected<MismatchMap> decodeMismatchMap(std::span<const std::byte> bytes,
                                        const std::string& sourceName) {
    ByteReader in(bytes, sourceName);
    if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
        return in.fail("not a mismatch map (bad magic, expected \"PXWBMMAP\")", 0);
    }
    in.take(sizeof(kMagic));
    std::size_t at = in.offset();
    PTXWB_TRY(auto version, in.read<std::uint32_t>("format version"));
    if (version != kFormatVersion) {
        return in.fail(fmt::format("unsupported format version {} (this ptxwb reads {})", version,
                                   kFormatVersion),
                       at);
    }
    at = in.offset();
    PTXWB_TRY(auto rows, in.read<std::uint32_t>("row count"));
    PTXWB_TRY(auto cols, in.read<std::uint32_t>("column count"));
    const std::uint64_t elements = std::uint64_t{rows} * cols;
    if (elements > kMaxMismatchMapElements) {
        return in.fail(fmt::format("{}x{} elements exceed the limit of {}", rows, cols,
                                   kMaxMismatchMapElements),
                       at);
    }
    at = in.offset();
    PTXWB_TRY(auto flags, in.read<std::uint32_t>("flags"));
    if ((flags & ~kFlagProbeLayout) != 0) {
        return in.fail(fmt::format("unknown flags 0x{:x}", flags), at);
    }
    MismatchMap map(rows, cols);
    if ((flags & kFlagProbeLayout) != 0) {
        ProbeLayout layout;
        PTXWB_TRY(layout.superBlockElements, in.read<std::uint32_t>("super-block size"));
        PTXWB_TRY(layout.subBlockElements, in.read<std::uint32_t>("sub-block size"));
        PTXWB_TRY(auto nameLen, in.read<std::uint16_t>("quant format length"));
        if (in.remaining() < nameLen) return in.fail("truncated quant format name", in.offset());
        auto name = in.take(nameLen);
        layout.quantFormat.assign(reinterpret_cast<const char*>(name.data()), name.size());
        map.probeLayout = std::move(layout);
    }
    at = in.offset();
    PTXWB_TRY(auto frameSize, in.read<std::uint64_t>("compressed size"));
    if (frameSize != in.remaining()) {
        return in.fail(
            fmt::format("compressed size {} but {} bytes follow", frameSize, in.remaining()), at);
    }
    at = in.offset();
    auto frame = in.take(frameSize);
    const std::size_t rawSize = static_cast<std::size_t>(elements) * 5;
    auto declared = ZSTD_getFrameContentSize(frame.data(), frame.size());
    if (declared != rawSize) {
        return in.fail(fmt::format("zstd frame declares {} bytes, expected {} for {}x{}",
                                   declared == ZSTD_CONTENTSIZE_ERROR ? 0ULL : declared, rawSize,
                                   rows, cols),
                       at);
    }
    std::vector<std::uint8_t> raw(rawSize);
    thread_local std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> context(ZSTD_createDCtx(),
                                                                              &ZSTD_freeDCtx);
    std::size_t got =
        ZSTD_decompressDCtx(context.get(), raw.data(), raw.size(), frame.data(), frame.size());
    if (ZSTD_isError(got) || got != rawSize) {
        return in.fail(fmt::format("corrupt zstd frame: {}",
                                   ZSTD_isError(got) ? ZSTD_getErrorName(got) : "short output"),
                       at);
    }
    auto cats = map.categoryPlane();
    for (std::size_t i = 0; i < elements; ++i) {
        if (raw[i] >= kElementCategoryCount) {
            return in.fail(fmt::format("element {} has unknown category {}", i, raw[i]), at);
        }
        cats[i] = raw[i];
    }
    auto ulps = map.ulpPlane();
    for (std::size_t i = 0; i < elements; ++i) {
        const std::uint8_t* p = raw.data() + elements + 4 * i;
        ulps[i] = std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
                  std::uint32_t{p[3]} << 24;
    }
    return map;
}

} // namespace ptxwb::store

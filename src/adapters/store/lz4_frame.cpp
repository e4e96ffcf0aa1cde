#include "adapters/store/lz4_frame.hpp"

#include <lz4frame.h>

#include <memory>

#include "core/huge_pages.hpp"
#include "ports/store.hpp"

namespace marquee {
namespace {

[[noreturn]] void fail(const std::string& what, LZ4F_errorCode_t code) {
  throw StoreError("LZ4 frame: " + what + ": " + LZ4F_getErrorName(code));
}

}  // namespace

std::string lz4_frame_compress(std::string_view bytes) {
  LZ4F_preferences_t prefs{};
  prefs.frameInfo.contentSize = bytes.size();
  prefs.frameInfo.contentChecksumFlag = LZ4F_contentChecksumEnabled;
  // Room for the worst case (a little more than the input), left uninitialised:
  // only the pages the frame is written into are touched (at 100,000 events
  // 4.7 of 44 MB; a zero-filled string touched all of them), then copied out.
  const std::size_t bound = LZ4F_compressFrameBound(bytes.size(), &prefs);
  const auto room = std::make_unique_for_overwrite<char[]>(bound);
  const std::size_t n = LZ4F_compressFrame(room.get(), bound, bytes.data(), bytes.size(), &prefs);
  if (LZ4F_isError(n)) fail("compressing", n);
  return std::string(room.get(), n);
}

std::string lz4_frame_decompress(std::string_view frame, std::size_t max_bytes) {
  LZ4F_dctx* raw = nullptr;
  if (const auto rc = LZ4F_createDecompressionContext(&raw, LZ4F_VERSION); LZ4F_isError(rc)) fail("starting", rc);
  const std::unique_ptr<LZ4F_dctx, decltype(&LZ4F_freeDecompressionContext)> dctx(raw, &LZ4F_freeDecompressionContext);
  LZ4F_frameInfo_t info{};
  std::size_t consumed = frame.size();
  if (const auto rc = LZ4F_getFrameInfo(dctx.get(), &info, frame.data(), &consumed); LZ4F_isError(rc))
    fail("reading the frame header", rc);
  if (info.contentSize > max_bytes)
    throw StoreError("LZ4 frame: " + std::to_string(info.contentSize) + " bytes of content, more than the " +
                     std::to_string(max_bytes) + " allowed");
  std::string out = huge_page_string(static_cast<std::size_t>(info.contentSize));
  std::size_t at_in = consumed, at_out = 0;
  for (;;) {
    std::size_t in_size = frame.size() - at_in, out_size = out.size() - at_out;
    const std::size_t hint = LZ4F_decompress(dctx.get(), out.data() + at_out, &out_size, frame.data() + at_in, &in_size, nullptr);
    if (LZ4F_isError(hint)) fail("decompressing", hint);
    at_in += in_size;
    at_out += out_size;
    if (hint == 0) break;  // the frame is whole: its end mark and checksum read and checked
    if (in_size == 0 && out_size == 0)  // no progress: the input ended, or the content is more than the header gave
      throw StoreError(at_in == frame.size() ? "LZ4 frame: cut short" : "LZ4 frame: more content than its header gives");
  }
  if (at_in != frame.size()) throw StoreError("LZ4 frame: bytes after the end of the frame");
  if (at_out != out.size()) throw StoreError("LZ4 frame: less content than its header gives");
  return out;
}

}  // namespace marquee

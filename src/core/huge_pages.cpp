#include "core/huge_pages.hpp"

#include <cstdint>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace marquee {

void advise_huge_pages([[maybe_unused]] void* begin, [[maybe_unused]] std::size_t bytes) noexcept {
#if defined(__linux__) && defined(MADV_HUGEPAGE)
  if (!begin || bytes < kHugePageAdviceMin) return;
  constexpr std::uintptr_t kPage = 4096;  // madvise takes whole base pages; the kernel picks the 2 MiB ones within
  const auto first = (reinterpret_cast<std::uintptr_t>(begin) + kPage - 1) & ~(kPage - 1);
  const auto last = (reinterpret_cast<std::uintptr_t>(begin) + bytes) & ~(kPage - 1);
  if (last > first) madvise(reinterpret_cast<void*>(first), last - first, MADV_HUGEPAGE);  // EINVAL without THP: ignored
#endif
}

std::string huge_page_string(std::size_t size) {
  std::string out;
  out.reserve(size);
  advise_huge_pages(out.data(), size);
  out.resize(size);
  return out;
}

}  // namespace marquee

#pragma once
// Large buffers backed by 2 MiB pages (docs/performance.md, "Huge pages").
#include <cstddef>
#include <string>
#include <vector>

namespace marquee {

/// Buffers smaller than this are left to the allocator as they are.
inline constexpr std::size_t kHugePageAdviceMin = std::size_t{4} << 20;  // bytes

/// Asks the kernel to back the whole 2 MiB pages within [begin, begin +
/// bytes) with transparent huge pages when they are first touched (Linux
/// `madvise(MADV_HUGEPAGE)`; a hint, not I/O: memory not yet touched is
/// only marked). For one large block read or built in new memory, such as a
/// snapshot's payload (about 550 bytes an event) or a programme's entries
/// (about a kilobyte each): at 100,000 events a fault per 4 KiB page cost
/// more than the copy into it on 2-core virtual machines. The advice belongs
/// to the mapping: mimalloc 2.0 and glibc unmap a block this large when it is
/// freed, and the advice goes with it (a block glibc takes from its heap,
/// under its mmap threshold, keeps the advice on that heap range). Does nothing for fewer than kHugePageAdviceMin bytes,
/// where the system has no transparent huge pages (THP `never`), or off
/// Linux. Throws nothing.
void advise_huge_pages(void* begin, std::size_t bytes) noexcept;

/// A string of `size` NUL bytes whose buffer was advised first
/// (advise_huge_pages), to be overwritten. Throws std::bad_alloc.
std::string huge_page_string(std::size_t size);

/// Reserves room for at least `capacity` elements in `buffer` (a
/// std::string or std::vector) and advises the whole of its block
/// (advise_huge_pages), for a buffer about to be filled: meant for an empty
/// one, as elements already held are copied into the new block before the
/// advice. Throws what `reserve` throws (std::length_error, std::bad_alloc).
template <typename Buffer>
void reserve_huge_pages(Buffer& buffer, std::size_t capacity) {
  buffer.reserve(capacity);
  advise_huge_pages(buffer.data(), buffer.capacity() * sizeof(*buffer.data()));
}

/// `size` value-initialised T in a vector whose buffer was advised first
/// (advise_huge_pages). Throws what T's constructor or the allocation throws.
template <typename T>
std::vector<T> huge_page_vector(std::size_t size) {
  std::vector<T> out;
  out.reserve(size);
  advise_huge_pages(out.data(), size * sizeof(T));
  out.resize(size);
  return out;
}

}  // namespace marquee

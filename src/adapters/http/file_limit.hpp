#pragma once
// The process's file-descriptor limit (RLIMIT_NOFILE).
#include <cstddef>

namespace marquee {

/// Raises the soft RLIMIT_NOFILE to the hard limit (capped at 1,048,576 when
/// the hard limit is unlimited) and returns the soft limit now in force, in
/// descriptors. Never throws: on failure it returns the limit it could read,
/// or 1024.
std::size_t raise_file_limit();

}  // namespace marquee

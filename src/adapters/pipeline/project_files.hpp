#pragma once
// The project-files port (ports/project_files.hpp) over the local file
// system: whole-file binary reads and writes, recursive listings.
#include "ports/project_files.hpp"

namespace marquee::pipeline {

/// Reads, writes and lists files on the local file system; read errors carry
/// strerror(errno) ("cannot be read: No such file or directory").
ProjectFiles local_project_files();

}  // namespace marquee::pipeline

#pragma once
// The bundled-files port (ports/bundled_files.hpp) over the assets compiled
// into the binary (adapters/assets/embedded.hpp).
#include "ports/bundled_files.hpp"

namespace marquee::pipeline {

/// A BundledFiles: the embedded assets whose path starts with `folder`.
std::map<std::string, std::string> embedded_files(std::string_view folder);

}  // namespace marquee::pipeline

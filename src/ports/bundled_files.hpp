#pragma once
// The bundled-files port: files that ship inside the binary (the pipeline's
// scaffold and example project). Implementation: adapters/pipeline/bundled_files
// (the assets embedded by cmake/embed.cmake).
#include <functional>
#include <map>
#include <string>
#include <string_view>

namespace marquee::pipeline {

/// The bundled files below `folder` (a source-tree path ending in '/', e.g.
/// "pipeline/scaffold/"): path relative to it ("config/pipeline.toml") →
/// bytes; empty when there are none.
using BundledFiles = std::function<std::map<std::string, std::string>(std::string_view folder)>;

}  // namespace marquee::pipeline

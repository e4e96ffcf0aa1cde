#pragma once
// The static review site of a build (out/public/site/): schedule, summaries
// and corrections, rendered with the server's Mustache layout and stylesheet.
// Links are relative, so the folder works from any web server or file://.
// Implements ports/site_renderer.hpp.
#include <map>
#include <string>

#include "core/pipeline/public_summary.hpp"

namespace marquee::pipeline {

/// A SiteRenderer: relative path ("index.html", "static/app.css") → bytes.
/// `overrides` are the project's templates/*.mustache (name → source), which
/// replace built-in templates. Throws std::runtime_error for a broken template.
std::map<std::string, std::string> site_files(const PublicSummary& s,
                                              const std::map<std::string, std::string>& overrides);

}  // namespace marquee::pipeline

#pragma once
// The site-renderer port: the static review site of a build (schedule,
// summaries, corrections) made from its public view. Implementation:
// adapters/pipeline/site_pages (the server's Mustache layout and stylesheet).
#include <functional>
#include <map>
#include <string>

#include "core/pipeline/public_summary.hpp"

namespace marquee::pipeline {

/// The site's files: relative path ("index.html", "static/app.css") → bytes,
/// linked with relative links so the folder works from any web server or
/// file://. `templates` are the project's templates/*.mustache (name without
/// ".mustache" → source), which replace built-in templates of that name.
/// Throws std::runtime_error for a template that is missing or does not parse.
using SiteRenderer = std::function<std::map<std::string, std::string>(
    const PublicSummary& summary, const std::map<std::string, std::string>& templates)>;

}  // namespace marquee::pipeline

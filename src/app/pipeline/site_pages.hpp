#pragma once
// The static review site of a build (out/public/site/): schedule, summaries
// and corrections, rendered with the server's Mustache layout and stylesheet.
// Links are relative, so the folder works from any web server or file://.
#include <map>
#include <string>

#include "adapters/render/templates.hpp"
#include "app/pipeline/public_summary.hpp"

namespace marquee::pipeline {

/// Relative path ("index.html", "static/app.css") → bytes. `overrides` are
/// the project's templates/*.mustache, which replace built-in templates.
std::map<std::string, std::string> site_files(const PublicSummary& s, const TemplateOverrides& overrides);

}  // namespace marquee::pipeline

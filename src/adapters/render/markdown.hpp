#pragma once
// Markdown to HTML with cmark-gfm (CommonMark 0.29 + GFM autolink,
// strikethrough and table extensions), in safe mode: raw HTML and
// javascript:/vbscript:/data: links are dropped.
#include <string>
#include <string_view>

namespace marquee {

/// Renders `markdown` (UTF-8) to an HTML fragment that is safe to embed.
std::string markdown_to_html(std::string_view markdown);

}  // namespace marquee

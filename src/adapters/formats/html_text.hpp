#pragma once
// HTML fragments found in schedule exports (frab abstracts, iCalendar
// DESCRIPTIONs) turned into Markdown, so that the safe Markdown renderer
// shows their text instead of dropping them as raw HTML.
#include <string>
#include <string_view>

namespace marquee {

/// True when `text` contains an HTML tag of the kinds schedule tools emit
/// (p, br, a, lists, emphasis, headings, div, span, code, pre, blockquote).
bool looks_like_html(std::string_view text);

/// Parses `html` with libxml2's HTML parser (lenient, no network) and writes
/// Markdown: paragraphs and headings as blank-line-separated blocks, <br> as
/// hard breaks, list items as "- ", <strong>/<b> and <em>/<i> as emphasis,
/// <code>, and links with http(s)/mailto targets as [text](url) (other
/// targets keep only their text). Scripts and styles are dropped; Markdown
/// punctuation in text is escaped. Entities are decoded.
std::string html_to_markdown(std::string_view html);

}  // namespace marquee

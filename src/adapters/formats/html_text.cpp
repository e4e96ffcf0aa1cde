#include "adapters/formats/html_text.hpp"

#include <libxml/HTMLparser.h>

#include <memory>
#include <regex>

#include "core/text.hpp"

namespace marquee {
namespace {

bool is_block(const std::string& n) {
  return n == "p" || n == "div" || n == "ul" || n == "ol" || n == "blockquote" || n == "pre" || n == "table" ||
         n == "tr" || n == "section" || (n.size() == 2 && n[0] == 'h' && n[1] >= '1' && n[1] <= '6');
}

void escape_into(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\' || c == '*' || c == '_' || c == '[' || c == ']' || c == '`' || c == '<' || c == '>') out.push_back('\\');
    out.push_back(c);
  }
}

void walk(xmlNode* node, std::string& out) {
  for (xmlNode* n = node; n; n = n->next) {
    if (n->type == XML_TEXT_NODE || n->type == XML_CDATA_SECTION_NODE) {
      const std::string raw = reinterpret_cast<const char*>(n->content ? n->content : BAD_CAST "");
      std::string text = collapse_whitespace(raw);
      if (!raw.empty() && (raw.front() == ' ' || raw.front() == '\n') && !out.empty() && out.back() != ' ' &&
          out.back() != '\n')
        out.push_back(' ');
      escape_into(out, text);
      if (!text.empty() && (raw.back() == ' ' || raw.back() == '\n')) out.push_back(' ');
      continue;
    }
    if (n->type != XML_ELEMENT_NODE) continue;
    const std::string name = ascii_lower(reinterpret_cast<const char*>(n->name));
    if (name == "script" || name == "style" || name == "head") continue;
    if (name == "br") {
      out += "\\\n";
      continue;
    }
    if (is_block(name)) out += "\n\n";
    if (name.size() == 2 && name[0] == 'h' && is_block(name)) out += std::string(1, '#') + std::string(name[1] - '1', '#') + " ";
    if (name == "li") out += "\n- ";
    const char* mark = (name == "strong" || name == "b") ? "**" : (name == "em" || name == "i") ? "*"
                       : name == "code" ? "`" : nullptr;
    if (name == "a") {
      xmlChar* href = xmlGetProp(n, BAD_CAST "href");
      std::string target = href ? reinterpret_cast<const char*>(href) : "";
      xmlFree(href);
      const std::string lower = ascii_lower(target);
      if (lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:")) {
        std::string inner;
        walk(n->children, inner);
        out += "[" + trim(inner) + "](<" + target + ">)";
        continue;
      }
    }
    if (mark) out += mark;
    walk(n->children, out);
    if (mark) out += mark;
    if (is_block(name)) out += "\n\n";
  }
}

}  // namespace

bool looks_like_html(std::string_view text) {
  static const std::regex tag(R"(</?(p|br|a|ul|ol|li|div|strong|em|b|i|h[1-6]|span|code|pre|blockquote)(\s|>|/))",
                              std::regex::icase | std::regex::optimize);
  return text.find('<') != std::string_view::npos && std::regex_search(text.begin(), text.end(), tag);
}

std::string html_to_markdown(std::string_view html) {
  const std::string wrapped = "<html><body>" + std::string(html) + "</body></html>";
  htmlDocPtr doc = htmlReadMemory(wrapped.data(), static_cast<int>(wrapped.size()), nullptr, "UTF-8",
                                  HTML_PARSE_NOERROR | HTML_PARSE_NOWARNING | HTML_PARSE_NONET);
  if (!doc) return std::string(html);
  std::unique_ptr<xmlDoc, decltype(&xmlFreeDoc)> guard(doc, &xmlFreeDoc);
  std::string out;
  xmlNode* root = xmlDocGetRootElement(doc);
  walk(root ? root->children : nullptr, out);
  // Tidy: no spaces around line ends, at most one blank line.
  std::string tidy;
  for (std::size_t i = 0; i < out.size(); ++i) {
    if (out[i] == ' ' && (i + 1 == out.size() || out[i + 1] == '\n') ) continue;
    if (out[i] == ' ' && !tidy.empty() && tidy.back() == '\n') continue;
    if (out[i] == '\n' && tidy.size() >= 2 && tidy[tidy.size() - 1] == '\n' && tidy[tidy.size() - 2] == '\n') continue;
    tidy.push_back(out[i]);
  }
  return trim(tidy);
}

}  // namespace marquee

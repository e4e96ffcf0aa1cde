#pragma once
// Mustache templates (kainjow::mustache) compiled into the binary from
// templates/*.mustache. {{name}} is HTML-escaped; {{{name}}} is only used for
// fragments we produced ourselves (rendered Markdown, nested templates).
#include <map>
#include <string>

#include <kainjow/mustache.hpp>

namespace marquee {

using TemplateData = kainjow::mustache::data;

/// Sets `key` to `value`, or to false when `value` is empty, so that a
/// {{#key}}…{{/key}} section is skipped for empty text (kainjow treats an
/// empty string as true).
void set_text(TemplateData& data, const std::string& key, const std::string& value);

/// Renders templates/<name>.mustache with `data`; partials {{> other}} resolve
/// to templates/other.mustache. Throws std::runtime_error for a missing or
/// invalid template (a build defect, caught by the tests).
std::string render_template(const std::string& name, const TemplateData& data);

/// Template texts that replace the built-in ones of the same name (the
/// pipeline's project templates/ folder): name without ".mustache" → source.
using TemplateOverrides = std::map<std::string, std::string>;

/// As above, but `overrides` wins over the built-in templates, for the page
/// and for its partials.
std::string render_template(const std::string& name, const TemplateData& data, const TemplateOverrides& overrides);

}  // namespace marquee

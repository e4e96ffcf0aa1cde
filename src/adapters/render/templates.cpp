#include "adapters/render/templates.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <unordered_map>

#include "adapters/assets/embedded.hpp"

namespace marquee {
namespace {

std::string template_source(const std::string& name, const TemplateOverrides* overrides = nullptr) {
  if (overrides) {
    if (auto it = overrides->find(name); it != overrides->end()) return it->second;
  }
  auto text = embedded_asset("templates/" + name + ".mustache");
  if (text.empty()) throw std::runtime_error("no template '" + name + "'");
  return std::string(text);
}

// Parsed templates, per thread (a kainjow template is not shared across
// threads while rendering), keyed by name and source text.
kainjow::mustache::mustache& compiled(const std::string& name, const std::string& source) {
  thread_local std::unordered_map<std::string, std::unique_ptr<kainjow::mustache::mustache>> cache;
  std::string key = name + '\0' + source;
  auto it = cache.find(key);
  if (it == cache.end()) {
    if (cache.size() > 256) cache.clear();  // overrides that keep changing must not grow this forever
    it = cache.emplace(std::move(key), std::make_unique<kainjow::mustache::mustache>(source)).first;
  }
  return *it->second;
}

}  // namespace

void set_text(TemplateData& data, const std::string& key, const std::string& value) {
  if (value.empty()) data.set(key, false);
  else data.set(key, value);
}

std::string render_template(const std::string& name, const TemplateData& data) {
  static const TemplateOverrides none;
  return render_template(name, data, none);
}

std::string render_template(const std::string& name, const TemplateData& data, const TemplateOverrides& overrides) {
  const std::string source = template_source(name, &overrides);
  kainjow::mustache::mustache& tmpl = compiled(name, source);
  if (!tmpl.is_valid()) throw std::runtime_error("template '" + name + "': " + tmpl.error_message());
  if (source.find("{{>") == std::string::npos) {
    std::string out = tmpl.render(data);
    if (!tmpl.is_valid()) throw std::runtime_error("template '" + name + "': " + tmpl.error_message());
    return out;
  }
  // Partials: every template is available as {{> name}}.
  TemplateData ctx(data);
  for (auto asset : embedded_asset_names()) {
    if (!asset.starts_with("templates/")) continue;
    std::string partial(asset.substr(10));
    partial = partial.substr(0, partial.size() - std::string(".mustache").size());
    if (partial == name || ctx.get(partial)) continue;  // a data key wins over a template of the same name
    ctx.set(partial, kainjow::mustache::partial([partial, &overrides] { return template_source(partial, &overrides); }));
  }
  std::string out = tmpl.render(ctx);
  if (!tmpl.is_valid()) throw std::runtime_error("template '" + name + "': " + tmpl.error_message());
  return out;
}

}  // namespace marquee

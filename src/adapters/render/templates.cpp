#include "adapters/render/templates.hpp"

#include <map>
#include <memory>
#include <mutex>
#include <stdexcept>

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
  kainjow::mustache::mustache tmpl(template_source(name, &overrides));
  if (!tmpl.is_valid()) throw std::runtime_error("template '" + name + "': " + tmpl.error_message());
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

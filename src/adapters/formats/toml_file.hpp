#pragma once
// TOML 1.0 documents (mappings, pipeline configuration, `serve --config`)
// read through toml11 (Debian libtoml11-dev) once the bytes are known to be
// UTF-8, as TOML 1.0 requires of a document: toml11 reads past its buffer on
// some invalid sequences (found by fuzz_mapping; the input is kept under
// tests/data/fuzz/mapping/).
#include <string>

#include <toml.hpp>

namespace marquee {

/// The document in the file `path`. Throws std::runtime_error when the file
/// cannot be read ("<path>: cannot be read") or is not UTF-8 ("<path>: not
/// valid UTF-8 (TOML files are UTF-8)"), toml::exception with its location
/// for a syntax error.
toml::value parse_toml_file(const std::string& path);

/// The same for `text`, called `name` in messages.
toml::value parse_toml_text(const std::string& text, const std::string& name);

}  // namespace marquee

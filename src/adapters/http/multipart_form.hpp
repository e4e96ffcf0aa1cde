#pragma once
// multipart/form-data request bodies (RFC 7578: HTML forms with file
// uploads), parsed with GMime.
#include <map>
#include <optional>
#include <string>

#include "adapters/http/http_types.hpp"

namespace marquee {

struct FormPart {
  std::string value;      ///< the field's bytes (a file's whole content)
  std::string file_name;  ///< the file name the browser sent ("" for plain fields)
};

/// Parses `body` sent with `content_type` ("multipart/form-data;
/// boundary=…"). Returns the parts by field name (the last of repeated names
/// wins), or nullopt when the content type has no boundary or the body is not
/// a multipart message.
std::optional<std::map<std::string, FormPart>> parse_multipart_form(const std::string& content_type,
                                                                    const std::string& body);

/// The same for a body the server spooled to the file at `path` (read as a
/// stream, not copied into memory first); nullopt also when it cannot be opened.
std::optional<std::map<std::string, FormPart>> parse_multipart_form_file(const std::string& content_type,
                                                                         const std::string& path);

/// The form of a request: from its spooled file when it has one, else its body.
std::optional<std::map<std::string, FormPart>> parse_multipart_request(const Request& req);

}  // namespace marquee

#pragma once
// Responses for private HTML pages (registration, console): never cached,
// no referrer (their URLs may carry a personal token), never framed.
#include <string>

#include "adapters/http/http_types.hpp"

namespace marquee {

Response private_html(int status, std::string body);
/// 303 See Other to `location` (after a form post). A target that is not a
/// local path (see is_local_path: another host, CR/LF, backslashes) is never
/// sent: the answer then points at /admin.
Response see_other(const std::string& location);

}  // namespace marquee

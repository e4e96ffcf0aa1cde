#pragma once
// Strict message framing for request heads (RFC 9112), checked before any
// body byte is read, so a proxy in front of Marquee and Marquee itself can
// never disagree about where one request ends and the next begins.
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace marquee {

/// Why a request head was refused: `status` is 400 (malformed or ambiguous
/// framing) or 501 (a transfer coding Marquee does not implement); `detail`
/// is the RFC 9457 detail for the client. The connection must be closed.
struct FramingError {
  int status = 400;
  std::string detail;
};

/// Checks one request head. `version` is 10 or 11; `headers` are all header
/// fields in order, names in lower case.
/// - Host: an HTTP/1.1 request carries exactly one Host field, and no request
///   carries two (RFC 9112 §3.2) → 400.
/// - Transfer-Encoding: the final coding must be `chunked`, and `chunked`
///   appears once (RFC 9112 §6.1, §6.3 item 4) → 400; any other coding
///   (gzip, identity, …) → 501; Transfer-Encoding together with
///   Content-Length, or on an HTTP/1.0 request → 400 (smuggling guard).
/// Returns nothing when the head is acceptable.
std::optional<FramingError> check_framing(unsigned version,
                                          const std::vector<std::pair<std::string, std::string>>& headers);

/// True when `value` may be sent as a header field value: no CR, LF or NUL
/// (RFC 9110 §5.5), so a value built from client input can never start a new
/// header or end the head (response splitting).
bool valid_field_value(std::string_view value);

/// True when `name` is a non-empty RFC 9110 §5.6.2 token.
bool valid_field_name(std::string_view name);

}  // namespace marquee

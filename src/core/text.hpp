#pragma once
// Text helpers and the field transformers named in mapping files.
// All functions take and return UTF-8.
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace marquee {

/// Removes leading and trailing ASCII and Unicode (NBSP) white space.
std::string trim(std::string_view s);
/// The same as a view into `s` (no copy): what trim(s) would hold.
std::string_view trimmed(std::string_view s);
/// Replaces every run of white space (including newlines) by one space, then trims.
std::string collapse_whitespace(std::string_view s);
/// Appends collapse_whitespace(s) to `out` without a string of its own.
void append_collapsed_whitespace(std::string& out, std::string_view s);
/// Line endings as "\n": CRLF and lone CR become LF (HTML forms send a
/// textarea's lines with CRLF; spreadsheets and Windows tools write CRLF).
std::string normalize_newlines(std::string_view s);
/// Lower-cases ASCII letters only.
std::string ascii_lower(std::string_view s);
/// Unicode Normalization Form C (UAX #15); invalid UTF-8 is returned unchanged.
std::string nfc(std::string_view s);
/// The longest prefix of `s` of at most `max_bytes` bytes that does not end
/// inside a UTF-8 sequence.
std::string utf8_prefix(std::string_view s, std::size_t max_bytes);
/// The least string above every string that starts with `prefix`, in byte
/// order (which is code point order for UTF-8): `prefix` with its last code
/// point raised by one, past the surrogates, and so valid UTF-8 when `prefix`
/// is. A last code point of U+10FFFF is dropped and the one before it raised;
/// "" when there is none to raise (an empty prefix, or only U+10FFFF). A
/// prefix that does not end in valid UTF-8 has its last byte below 0xFF
/// raised instead. For key ranges: [prefix, prefix_successor(prefix)).
std::string prefix_successor(std::string_view prefix);
/// Case-folded NFKC form for search matching ("Straße" matches "STRASSE").
std::string search_fold(std::string_view s);
/// Capitalizes the first letter of each word, lower-cases the rest (Unicode aware).
std::string title_case(std::string_view s);
/// True when every cased letter is upper case and there are at least 4 letters.
bool is_all_caps(std::string_view s);
/// True when `s` is well-formed UTF-8.
bool valid_utf8(std::string_view s);
/// ISO-8859-1 bytes to UTF-8.
std::string latin1_to_utf8(std::string_view s);
/// Trims; adds "https://" when there is no scheme and it looks like a host;
/// lower-cases scheme and host. Returns "" for "".
std::string normalize_url(std::string_view s);
/// True when `s` starts with "http://" or "https://".
bool has_http_scheme(std::string_view s);
/// The URI scheme of `s` (RFC 3986 §3.1), lower-cased, read as a browser
/// would: ASCII white space and control characters anywhere before the ':'
/// are ignored ("java\tscript:" → "javascript"). "" when `s` has no scheme
/// (e.g. "www.example.org/x", or "www.example.org:8080/x": a dotted host and
/// a port). "javascript:1,alert(1)" has the scheme "javascript".
std::string url_scheme(std::string_view s);
/// Lower-case ASCII slug: letters and digits kept, runs of anything else become
/// one '-', at most `max_len` bytes, no leading or trailing '-'. Non-ASCII
/// letters are transliterated by NFKD + dropping marks where possible.
std::string slugify(std::string_view s, std::size_t max_len);
/// Percent-encodes every byte of `s` but RFC 3986 §2.3's unreserved
/// characters (A–Z a–z 0–9 - . _ ~), e.g. for a query value: "a b&c" → "a%20b%26c".
std::string percent_encode(std::string_view s);
/// "1 message", "3 messages": `n` and the noun in the number it needs.
std::string count_of(std::int64_t n, std::string_view singular, std::string_view plural);
/// Splits on `sep`, trims each part, drops empty parts.
std::vector<std::string> split_list(std::string_view s, char sep);
/// Joins with `sep`.
std::string join(const std::vector<std::string>& parts, std::string_view sep);

}  // namespace marquee

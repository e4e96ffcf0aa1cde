#pragma once
// Stable event keys: the same source record gets the same key on every import.
#include <optional>
#include <string>
#include <string_view>

namespace marquee {

/// Longest key accepted, in bytes.
inline constexpr std::size_t kMaxKeyLength = 80;

/// Derives a key from the record's identity within its source:
/// slug(title, 48 bytes) + "-" + first 10 hex digits of SHA-256(source_ns "\x1f" record_id).
/// `source_ns` names the source (e.g. "frab:36c3", "ics", "csv:listing.csv");
/// `record_id` is the source's own id (frab event guid/id, iCalendar UID plus
/// RECURRENCE-ID, a CSV id column) or, without one, title + start + venue.
/// Same inputs give the same key on every machine and run.
std::string derive_event_key(std::string_view source_ns, std::string_view record_id, std::string_view title);

/// Checks and normalizes an explicit key from an import: trimmed, lower-cased
/// ASCII; allowed characters [a-z0-9._-], must start with a letter or digit,
/// 1..kMaxKeyLength bytes. Returns nullopt when the key cannot be used as is.
std::optional<std::string> normalize_explicit_key(std::string_view key);

/// Lower-case hex of SHA-256 (FIPS 180-4) of `data`, all 64 digits
/// (libsodium under 64 KiB, OpenSSL from there on: Sha256). Throws
/// std::runtime_error if OpenSSL fails.
std::string sha256_hex(std::string_view data);

}  // namespace marquee

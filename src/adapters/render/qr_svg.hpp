#pragma once
// QR codes (ISO/IEC 18004, via libqrencode) drawn as SVG for tickets.
#include <string>

namespace marquee {

/// An SVG image (viewBox in modules, 4-module quiet zone) of a QR code that
/// encodes `text` with error correction level M. Returns "" when `text` does
/// not fit in a QR code.
std::string qr_svg(const std::string& text);

}  // namespace marquee

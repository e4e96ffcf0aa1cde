#pragma once
// QR codes (ISO/IEC 18004, via libqrencode) drawn as SVG or PNG for tickets.
#include <string>

namespace marquee {

/// An SVG image (viewBox in modules, 4-module quiet zone) of a QR code that
/// encodes `text` with error correction level M. Returns "" when `text` does
/// not fit in a QR code.
std::string qr_svg(const std::string& text);

/// The same code as a PNG (libpng; 8-bit greyscale, `scale` pixels per
/// module, 4-module quiet zone), for phones and wallets that cannot show SVG.
/// Returns "" when `text` does not fit in a QR code. Throws std::runtime_error
/// when libpng fails.
std::string qr_png(const std::string& text, int scale = 10);

}  // namespace marquee

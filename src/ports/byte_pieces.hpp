#pragma once
// A file's bytes handed on in pieces as they are made, so that a large file
// (a 15 MB roster CSV) need never be held whole (docs/performance.md,
// "Outputs in pieces").
#include <functional>
#include <string_view>

namespace marquee {

/// Takes the next piece of a file's bytes (the pieces concatenated, in the
/// order given, are the file). The view is valid during the call only.
/// Throws what the destination throws (std::runtime_error naming a file
/// that cannot be written).
using PieceWriter = std::function<void(std::string_view piece)>;

/// Makes a file's bytes and hands them, in order, to the writer it is given;
/// passes on what the writer throws.
using PieceSource = std::function<void(const PieceWriter& write)>;

}  // namespace marquee

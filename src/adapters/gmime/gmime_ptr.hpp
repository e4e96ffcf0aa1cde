#pragma once
// GMime (GObject) ownership and one-time initialisation, shared by the
// multipart form parser (web) and the message builder (mail).
#include <gmime/gmime.h>

#include <memory>
#include <mutex>

namespace marquee {

struct GObjectUnref {
  void operator()(void* p) const {
    if (p) g_object_unref(p);
  }
};

/// Owns one reference to a GObject (GMimeMessage, GMimeStream, …).
template <typename T>
using GPtr = std::unique_ptr<T, GObjectUnref>;

/// g_mime_init() once per process, whichever caller comes first.
inline void ensure_gmime() {
  static std::once_flag init;
  std::call_once(init, [] { g_mime_init(); });
}

}  // namespace marquee

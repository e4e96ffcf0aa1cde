#pragma once
// The festival settings (core/festival_settings.hpp) as the running server
// sees them: read from the store at start and every `reload()`, changed by
// `update()` (console Settings page, `marquee settings set`), with the
// server's flags put over them. Readers get an immutable copy; no request
// reads the store for them.
#include <functional>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "core/festival_settings.hpp"
#include "ports/clock.hpp"
#include "ports/store.hpp"

namespace marquee {

/// Thrown by update() for invalid input; nothing was written.
class FestivalSettingsRejected : public std::runtime_error {
 public:
  explicit FestivalSettingsRejected(std::vector<std::pair<std::string, std::string>> problems);
  /// (field, message) pairs, as check_festival_settings() gives them.
  const std::vector<std::pair<std::string, std::string>>& problems() const { return problems_; }

 private:
  std::vector<std::pair<std::string, std::string>> problems_;
};

/// Reads the stored settings (store keys "festival.*"; the logo base64).
/// Throws StoreError.
FestivalSettings load_festival_settings(Store& store);

class FestivalSettingsService {
 public:
  using ZoneKnown = std::function<bool(std::string_view)>;

  /// `flags`: values given on the command line (non-empty fields win over
  /// the stored ones). Reads the store once; when it cannot be read the
  /// flags and defaults apply until reload() succeeds.
  FestivalSettingsService(Store& store, const Clock& clock, FestivalSettings flags, ZoneKnown zone_known);

  /// Re-reads the store (another instance may have saved). Calls the change
  /// listeners when the effective settings changed. Throws StoreError.
  void reload();

  /// What the owner saved (empty fields: not set).
  std::shared_ptr<const FestivalSettings> stored() const;
  /// stored() with the flags over it and the default name.
  std::shared_ptr<const FestivalSettings> effective() const;
  /// The flags given at start (the Settings page shows these as fixed).
  const FestivalSettings& flags() const { return flags_; }

  /// Validates and stores `next` (the logo too: nullopt removes it), writes
  /// the audit entry "settings" naming the changed fields in the same
  /// transaction, then calls the change listeners. Returns the changed field
  /// names (empty: nothing changed, nothing written). Throws
  /// FestivalSettingsRejected, StoreError.
  std::vector<std::string> update(const FestivalSettings& next, const std::string& actor);

  /// Called (on the updating thread) after the effective settings changed.
  void on_change(std::function<void()> listener);

 private:
  void install(FestivalSettings stored);

  Store& store_;
  const Clock& clock_;
  FestivalSettings flags_;
  ZoneKnown zone_known_;
  mutable std::mutex mutex_;
  std::shared_ptr<const FestivalSettings> stored_;
  std::shared_ptr<const FestivalSettings> effective_;
  std::vector<std::function<void()>> listeners_;
};

}  // namespace marquee

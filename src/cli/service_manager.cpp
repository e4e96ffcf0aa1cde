#include "cli/service_manager.hpp"

#include <systemd/sd-daemon.h>

#include <cstdlib>

namespace marquee {

void notify_ready(const std::string& status) { sd_notify(0, ("READY=1\nSTATUS=" + status).c_str()); }

void notify_stopping() { sd_notify(0, "STOPPING=1"); }

std::string systemd_state_directory() {
  const char* dirs = std::getenv("STATE_DIRECTORY");  // colon-separated when the unit names several
  if (!dirs) return "";
  const std::string all(dirs);
  return all.substr(0, all.find(':'));
}

}  // namespace marquee

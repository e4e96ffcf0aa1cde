#pragma once
// Telling systemd how the service is doing (sd_notify(3), for Type=notify
// units). Outside systemd (no $NOTIFY_SOCKET) every call does nothing.
#include <string>

namespace marquee {

/// "READY=1" with a STATUS= line: the server listens and serves.
void notify_ready(const std::string& status);
/// "STOPPING=1": a drain has begun (SIGTERM).
void notify_stopping();
/// The folder systemd made for this unit (StateDirectory=, first entry of
/// $STATE_DIRECTORY), or "" outside systemd.
std::string systemd_state_directory();

}  // namespace marquee

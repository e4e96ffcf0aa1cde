// A command's work after its result is committed, at the lowest CPU priority.
#pragma once

namespace marquee {

/// Lowers the calling thread's CPU priority to the lowest (Linux nice 19:
/// `setpriority(PRIO_PROCESS, <thread id>, 19)`; on Linux the nice value is
/// each thread's own). For `publish` and `rollback` once the snapshot is
/// committed: what is left of the command (freeing a 100,000-event
/// programme's 200 MB, printing its changes, the SQLite checkpoint, the
/// process's exit: 100–175 ms of a core on PostgreSQL) would otherwise take
/// a core from the servers installing that snapshot on the same machine.
/// A process may lower its priority but not raise it again: call it only
/// when nothing urgent follows on that thread. Failures are ignored; throws
/// nothing.
void lower_this_thread_priority() noexcept;

}  // namespace marquee

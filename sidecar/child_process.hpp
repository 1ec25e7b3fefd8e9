// The app that `hale serve -- CMD ARGS...` runs as its child, and the init duties that come
// with being PID 1 in a container: reaping every orphan that is handed to it.
#pragma once

#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "probes/result.hpp"

namespace hale::sidecar {

// Starts `argv` (looked up in PATH) with default signal dispositions and an empty signal mask,
// whatever hale itself has set up. Unless stdin is a terminal, the child gets its own process
// group, so that a signal sent to hale's group reaches the app once, through hale, and not
// twice. The error is one line, e.g. "cannot start 'app': No such file or directory".
probes::Result<pid_t> spawn_child(const std::vector<std::string>& argv);

// Collects every exited child without blocking: all of them when `reap_all` (hale is PID 1 and
// inherits orphans), otherwise only `watched`. Returns the wait status of `watched` when it was
// collected.
std::optional<int> reap_children(pid_t watched, bool reap_all);

// The exit status a shell would give: the exit code, or 128 + the signal that killed it.
int exit_status_of(int wait_status);

// "exited with status 3", "was killed by signal 9 (SIGKILL)".
std::string describe_wait_status(int wait_status);

}  // namespace hale::sidecar

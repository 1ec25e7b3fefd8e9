// Container runtime sockets reachable from inside: mounted ones (found in mountinfo by the
// name of the mount point or of its source, so `-v /run/user/1000/docker.sock:/x.sock` counts)
// and ones at the well-known paths (found by stat, so a bind of all of /var/run counts too).
// A read-only mount does not help: connect() ignores the mount's ro flag.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/mountinfo.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct RuntimeSocket {
    std::string path;              // where the process sees it
    std::string source;            // the mount's root (host-side path) when it is a mount, else ""
    std::string runtime;           // docker, containerd, podman, cri-o, buildkit, kubelet
    std::optional<bool> mount_ro;  // set for mounts
    std::optional<bool> connectable;  // write permission on the socket; unset when not on disk
};

// "docker" for "docker.sock", ... ; "" when the file name is not a runtime socket's.
std::string runtime_for_socket_name(std::string_view file_name);

// MOUNTS may be an error; the stat-based search still runs.
std::vector<RuntimeSocket> find_runtime_sockets(const Roots& roots,
                                                const Result<MountTable>& mounts);

}  // namespace hale::probes::hardening

// Which container runtime the process runs under and the container's ID, for the report's
// `runtime` section. On cgroup v2 with a private cgroup namespace /proc/self/cgroup reads
// "0::/", so the ID also comes from the runtime's bind mounts in mountinfo
// (/var/lib/docker/containers/<id>/hostname). Under Kubernetes that may be the pause
// container's ID.
#pragma once

#include <string>
#include <string_view>

#include "probes/hardening/mountinfo.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct RuntimeInfo {
    std::string container;  // docker, podman, kubernetes, containerd, cri-o, lxc, ... or ""
    std::string id;         // 64 hex digits, or ""
};

// The last run of exactly 64 hex digits in TEXT, or "".
std::string find_container_id(std::string_view text);

RuntimeInfo detect_runtime(const Roots& roots,
                           const Result<MountTable>& mounts,
                           bool kubernetes_env);

}  // namespace hale::probes::hardening

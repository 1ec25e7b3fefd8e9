// Which container this process runs in, for the Docker Engine API's /containers/{id}/json.
// Tried in this order (as deepce and linpeas do): the hostname, which Docker sets to the short
// ID unless told otherwise; the runtime's bind mounts in mountinfo
// (/var/lib/docker/containers/<id>/hostname), which survive cgroup v2's private namespace;
// /proc/self/cgroup, which names the ID on cgroup v1; /proc/1/cpuset.
//
// With `--network container:APP` Docker gives the container APP's hostname and /etc/hostname,
// so the first two name APP: a sidecar then learns the image of the app it sits next to.
#pragma once

#include <optional>
#include <string>

#include "probes/hardening/roots.hpp"

namespace hale::probes::provenance {

struct ContainerId {
    std::string id;    // 12 to 64 lowercase hex digits
    std::string from;  // "hostname", "mountinfo", "cgroup" or "cpuset"
};

std::optional<ContainerId> discover_container_id(const hardening::Roots& roots);

}  // namespace hale::probes::provenance

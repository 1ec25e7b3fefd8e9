// The Linux security module label of the process: AppArmor or SELinux.
// AppArmor's own file (/proc/self/attr/apparmor/current, Linux 5.8+) is read first: the
// legacy /proc/self/attr/current fails with EINVAL when another LSM is ordered first. A failed
// or empty read is "unknown", never "unconfined" (amicontained's mistake).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "probes/hardening/roots.hpp"

namespace hale::probes::hardening {

struct LsmState {
    std::optional<std::string> apparmor;  // "docker-default (enforce)", "unconfined"
    std::optional<std::string> selinux;   // "system_u:system_r:container_t:s0:c1,c2"
    std::optional<bool> selinux_enforcing;
    std::string unknown_reason;  // why neither label could be read
};

// SELinux contexts are user:role:type:level; AppArmor labels have no such shape.
bool looks_like_selinux_context(std::string_view label);

// The type field of an SELinux context: "container_t" or "spc_t".
std::string selinux_type(std::string_view context);

LsmState read_lsm(const Roots& roots);

}  // namespace hale::probes::hardening

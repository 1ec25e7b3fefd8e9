// Capability masks from /proc/self/status decoded to names. Bits the table does not know
// (capabilities newer than this build) keep a name, cap_N, instead of disappearing.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace hale::probes::hardening {

// Docker's default set: chown, dac_override, fowner, fsetid, kill, setgid, setuid, setpcap,
// net_bind_service, net_raw, sys_chroot, mknod, audit_write, setfcap (moby
// daemon/pkg/oci/caps/defaults.go).
inline constexpr uint64_t kDockerDefaultCaps = 0xa80425fbULL;

// The highest capability this build has a name for (cap_checkpoint_restore, Linux 5.9).
inline constexpr unsigned kLastKnownCap = 40;

// Capabilities that hand over the host on their own: mount and namespaces (sys_admin) and
// loading kernel modules (sys_module).
inline constexpr uint64_t kHostTakeoverCaps = (1ULL << 21) | (1ULL << 16);

// "cap_sys_admin" for bit 21; "cap_63" for a bit without a name.
std::string capability_name(unsigned bit);

// The names of the set bits, lowest first.
std::vector<std::string> capability_names(uint64_t mask);

// "cap_chown,cap_kill" or "none".
std::string capability_list(uint64_t mask);

// Every capability the kernel has: bits 0..last_cap (from /proc/sys/kernel/cap_last_cap).
uint64_t full_capability_mask(unsigned last_cap);

// Parses the number in cap_last_cap; nullopt for anything but 0..63.
std::optional<unsigned> parse_last_cap(std::string_view text);

}  // namespace hale::probes::hardening

#include "probes/hardening/capabilities.hpp"

#include <array>
#include <charconv>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

// include/uapi/linux/capability.h, in bit order.
constexpr std::array<std::string_view, kLastKnownCap + 1> kNames = {
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
};

}  // namespace

std::string capability_name(unsigned bit) {
    if (bit < kNames.size()) {
        return "cap_" + std::string(kNames[bit]);
    }
    return "cap_" + std::to_string(bit);
}

std::vector<std::string> capability_names(uint64_t mask) {
    std::vector<std::string> names;
    for (unsigned bit = 0; bit < 64; ++bit) {
        if ((mask >> bit) & 1U) {
            names.push_back(capability_name(bit));
        }
    }
    return names;
}

std::string capability_list(uint64_t mask) {
    std::string list;
    for (const auto& name : capability_names(mask)) {
        list += (list.empty() ? "" : ",") + name;
    }
    return list.empty() ? "none" : list;
}

uint64_t full_capability_mask(unsigned last_cap) {
    if (last_cap >= 63) {
        return ~0ULL;
    }
    return (1ULL << (last_cap + 1)) - 1;
}

std::optional<unsigned> parse_last_cap(std::string_view text) {
    auto trimmed = trim(text);
    unsigned value = 0;
    auto [end, error] = std::from_chars(trimmed.data(), trimmed.data() + trimmed.size(), value);
    if (trimmed.empty() || error != std::errc() || end != trimmed.data() + trimmed.size() ||
        value > 63) {
        return std::nullopt;
    }
    return value;
}

}  // namespace hale::probes::hardening

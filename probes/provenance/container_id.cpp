#include "probes/provenance/container_id.hpp"

#include <algorithm>

#include "probes/hardening/mountinfo.hpp"
#include "probes/hardening/read_file.hpp"
#include "probes/hardening/runtime_info.hpp"

namespace hale::probes::provenance {
namespace {

using hardening::join_path;

// Docker's default hostname: the first 12 hex digits of the ID (or, rarely, all 64).
bool is_short_id(const std::string& text) {
    return text.size() >= 12 && text.size() <= 64 &&
           std::all_of(text.begin(), text.end(),
                       [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::string id_in_file(const std::string& path) {
    auto text = hardening::read_text_file(path);
    return text && *text ? hardening::find_container_id(**text) : std::string();
}

}  // namespace

std::optional<ContainerId> discover_container_id(const hardening::Roots& roots) {
    // The hostname.
    auto hostname = hardening::read_first_line(join_path(roots.proc, "sys/kernel/hostname"));
    if (hostname && *hostname && is_short_id(**hostname)) {
        return ContainerId{**hostname, "hostname"};
    }

    // The engine's bind mounts of /etc/hostname, /etc/hosts and /etc/resolv.conf.
    auto mounts = hardening::read_mountinfo(roots);
    if (mounts) {
        for (const auto& mount : mounts->mounts) {
            if (mount.mount_point != "/etc/hostname" && mount.mount_point != "/etc/hosts" &&
                mount.mount_point != "/etc/resolv.conf") {
                continue;
            }
            if (mount.root.find("/containers/") == std::string::npos) {
                continue;
            }
            auto id = hardening::find_container_id(mount.root);
            if (!id.empty()) {
                return ContainerId{id, "mountinfo"};
            }
        }
    }

    // cgroup v1 paths, then PID 1's cpuset.
    if (auto id = id_in_file(join_path(roots.proc, "self/cgroup")); !id.empty()) {
        return ContainerId{id, "cgroup"};
    }
    if (auto id = id_in_file(join_path(roots.proc, "1/cpuset")); !id.empty()) {
        return ContainerId{id, "cpuset"};
    }
    return std::nullopt;
}

}  // namespace hale::probes::provenance

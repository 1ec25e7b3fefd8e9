#include "probes/hardening/runtime_info.hpp"

#include <algorithm>
#include <cctype>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

bool is_hex(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0;
}

bool contains(std::string_view text, std::string_view part) {
    return text.find(part) != std::string_view::npos;
}

// The runtime named by a cgroup path: /docker/<id>, /system.slice/docker-<id>.scope,
// /kubepods/..., /machine.slice/libpod-<id>.scope, /lxc/<name>.
std::string runtime_from_cgroup(std::string_view path) {
    if (contains(path, "kubepods")) {
        return "kubernetes";
    }
    if (contains(path, "docker")) {
        return "docker";
    }
    if (contains(path, "libpod")) {
        return "podman";
    }
    if (contains(path, "crio")) {
        return "cri-o";
    }
    if (contains(path, "containerd")) {
        return "containerd";
    }
    if (contains(path, "/lxc")) {
        return "lxc";
    }
    return {};
}

// systemd's marker holds a short word (docker, podman, lxc, systemd-nspawn); anything else is
// not shown.
bool is_runtime_word(std::string_view text) {
    return !text.empty() && text.size() < 32 && std::all_of(text.begin(), text.end(), [](char c) {
        return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
    });
}

}  // namespace

std::string find_container_id(std::string_view text) {
    std::string found;
    size_t i = 0;
    while (i < text.size()) {
        if (!is_hex(text[i])) {
            ++i;
            continue;
        }
        size_t start = i;
        while (i < text.size() && is_hex(text[i])) {
            ++i;
        }
        if (i - start == 64) {
            found = std::string(text.substr(start, 64));
        }
    }
    std::transform(found.begin(), found.end(), found.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return found;
}

RuntimeInfo detect_runtime(const Roots& roots,
                           const Result<MountTable>& mounts,
                           bool kubernetes_env) {
    RuntimeInfo info;

    // The runtime's bind mounts of /etc/hostname and friends name the container directory.
    if (mounts) {
        for (const auto& mount : mounts->mounts) {
            if (mount.mount_point != "/etc/hostname" && mount.mount_point != "/etc/hosts" &&
                mount.mount_point != "/etc/resolv.conf") {
                continue;
            }
            if (contains(mount.root, "/docker/containers/")) {
                info.container = "docker";
            } else if (contains(mount.root, "/overlay-containers/")) {
                info.container = "podman";
            } else if (contains(mount.root, "/kubelet/pods/")) {
                info.container = "kubernetes";
            }
            if (info.id.empty()) {
                info.id = find_container_id(mount.root);
            }
        }
    }

    auto cgroup = read_text_file(join_path(roots.proc, "self/cgroup"));
    if (cgroup && *cgroup) {
        auto from_cgroup = runtime_from_cgroup(**cgroup);
        if (info.container.empty() || from_cgroup == "kubernetes") {
            info.container = from_cgroup;
        }
        if (info.id.empty()) {
            info.id = find_container_id(**cgroup);
        }
    }

    // Marker files the engines leave at the root, and systemd's convention.
    if (info.container.empty()) {
        if (path_exists(join_path(roots.root, ".dockerenv"))) {
            info.container = "docker";
        } else if (path_exists(join_path(roots.root, "run/.containerenv"))) {
            info.container = "podman";
        } else if (auto marker = read_first_line(join_path(roots.root, "run/systemd/container"));
                   marker && *marker && is_runtime_word(**marker)) {
            info.container = **marker;
        }
    }
    if (kubernetes_env) {
        info.container = "kubernetes";
    }
    return info;
}

}  // namespace hale::probes::hardening

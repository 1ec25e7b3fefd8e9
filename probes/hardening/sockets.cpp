#include "probes/hardening/sockets.hpp"

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <utility>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

// linpeas enumerateDockerSockets.sh and CDK's lists, by file name.
constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kSocketNames = {{
    {"docker.sock", "docker"},
    {"containerd.sock", "containerd"},
    {"containerd.sock.ttrpc", "containerd"},
    {"podman.sock", "podman"},
    {"crio.sock", "cri-o"},
    {"buildkitd.sock", "buildkit"},
    {"kubelet.sock", "kubelet"},
    {"dockershim.sock", "dockershim"},
}};

constexpr std::array<std::string_view, 12> kWellKnownPaths = {
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/run/containerd/containerd.sock",
    "/var/run/containerd/containerd.sock",
    "/run/podman/podman.sock",
    "/var/run/podman/podman.sock",
    "/run/crio/crio.sock",
    "/var/run/crio/crio.sock",
    "/run/buildkit/buildkitd.sock",
    "/var/lib/kubelet/device-plugins/kubelet.sock",
    "/var/run/dockershim.sock",
    "/run/dockershim.sock",
};

std::string_view base_name(std::string_view path) {
    auto slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

// The identity of a socket on disk, so that /var/run/docker.sock and /run/docker.sock (one
// file behind Debian's /var/run -> /run link) are reported once.
std::optional<std::pair<dev_t, ino_t>> socket_identity(const std::string& path) {
    struct stat info {};
    if (::stat(path.c_str(), &info) != 0 || !S_ISSOCK(info.st_mode)) {
        return std::nullopt;
    }
    return std::make_pair(info.st_dev, info.st_ino);
}

}  // namespace

std::string runtime_for_socket_name(std::string_view file_name) {
    for (const auto& [name, runtime] : kSocketNames) {
        if (file_name == name) {
            return std::string(runtime);
        }
    }
    return {};
}

std::vector<RuntimeSocket> find_runtime_sockets(const Roots& roots,
                                                const Result<MountTable>& mounts) {
    std::vector<RuntimeSocket> found;
    std::vector<std::pair<dev_t, ino_t>> seen_files;

    if (mounts) {
        for (const auto& mount : mounts->mounts) {
            auto runtime = runtime_for_socket_name(base_name(mount.mount_point));
            if (runtime.empty()) {
                runtime = runtime_for_socket_name(base_name(mount.root));
            }
            if (runtime.empty()) {
                continue;
            }
            RuntimeSocket socket{mount.mount_point, mount.root, runtime, mount.read_only(), {}};
            auto on_disk = map_path(roots, mount.mount_point);
            if (auto identity = socket_identity(on_disk)) {
                socket.connectable = writable(on_disk);
                seen_files.push_back(*identity);
            }
            // A later mount at the same point replaces the earlier one.
            std::erase_if(found, [&](const RuntimeSocket& s) { return s.path == socket.path; });
            found.push_back(std::move(socket));
        }
    }

    for (auto path : kWellKnownPaths) {
        auto on_disk = join_path(roots.root, path);
        auto identity = socket_identity(on_disk);
        bool seen = std::any_of(found.begin(), found.end(),
                                [path](const RuntimeSocket& s) { return s.path == path; }) ||
                    (identity && std::find(seen_files.begin(), seen_files.end(), *identity) !=
                                     seen_files.end());
        if (seen || !identity) {
            continue;
        }
        seen_files.push_back(*identity);
        found.push_back({std::string(path), "", runtime_for_socket_name(base_name(path)),
                         std::nullopt, writable(on_disk)});
    }
    return found;
}

}  // namespace hale::probes::hardening

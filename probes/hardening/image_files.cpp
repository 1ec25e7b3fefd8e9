#include "probes/hardening/image_files.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <string_view>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

constexpr std::array<std::string_view, 6> kBinDirs = {
    "/bin", "/sbin", "/usr/bin", "/usr/sbin", "/usr/local/bin", "/usr/local/sbin"};

constexpr std::array<std::string_view, 10> kShells = {"sh",  "bash", "dash", "ash",  "zsh",
                                                      "ksh", "mksh", "csh",  "tcsh", "busybox"};

// What CDK, deepce and linpeas look for first after getting a shell in a container.
constexpr std::array<std::string_view, 13> kTools = {
    "curl",    "wget",    "nc",     "ncat",    "socat",  "sudo", "capsh",
    "nsenter", "unshare", "docker", "kubectl", "crictl", "ctr"};

constexpr std::array<std::string_view, 8> kDefaultDevices = {"null",    "zero", "full",    "random",
                                                             "urandom", "tty",  "console", "ptmx"};

constexpr std::array<std::string_view, 2> kTokenPaths = {
    "/var/run/secrets/kubernetes.io/serviceaccount/token",
    "/run/secrets/kubernetes.io/serviceaccount/token"};

bool is_real_dir(const std::string& path) {
    struct stat info {};
    return ::lstat(path.c_str(), &info) == 0 && S_ISDIR(info.st_mode);
}

}  // namespace

ShellsAndTools find_shells_and_tools(const Roots& roots) {
    ShellsAndTools found;
    for (auto dir : kBinDirs) {
        if (!is_real_dir(join_path(roots.root, dir))) {
            continue;
        }
        for (auto name : kShells) {
            std::string path = std::string(dir) + "/" + std::string(name);
            if (path_exists(join_path(roots.root, path))) {
                found.shells.push_back(path);
            }
        }
        for (auto name : kTools) {
            std::string path = std::string(dir) + "/" + std::string(name);
            if (path_exists(join_path(roots.root, path))) {
                found.tools.push_back(path);
            }
        }
    }
    return found;
}

DeviceNodes find_device_nodes(const Roots& roots) {
    DeviceNodes nodes;
    auto dev = join_path(roots.root, "dev");
    DIR* dir = ::opendir(dev.c_str());
    if (dir == nullptr) {
        return nodes;
    }
    nodes.readable = true;
    size_t entries = 0;
    while (const dirent* entry = ::readdir(dir)) {
        // /dev is a small tmpfs in a container; a host /dev has a few hundred entries.
        if (++entries > 4096) {
            break;
        }
        struct stat info {};
        if (::fstatat(::dirfd(dir), entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
            continue;
        }
        std::string_view name = entry->d_name;
        if (S_ISBLK(info.st_mode)) {
            nodes.block.emplace_back(name);
        } else if (S_ISCHR(info.st_mode)) {
            ++nodes.char_count;
            if (std::find(kDefaultDevices.begin(), kDefaultDevices.end(), name) ==
                kDefaultDevices.end()) {
                nodes.extra_char.emplace_back(name);
            }
        }
    }
    ::closedir(dir);
    std::sort(nodes.extra_char.begin(), nodes.extra_char.end());
    std::sort(nodes.block.begin(), nodes.block.end());
    return nodes;
}

TokenFile find_service_account_token(const Roots& roots) {
    for (auto path : kTokenPaths) {
        auto on_disk = join_path(roots.root, path);
        if (path_exists(on_disk)) {
            return {std::string(path), ::access(on_disk.c_str(), R_OK) == 0};
        }
    }
    return {};
}

}  // namespace hale::probes::hardening

#include "probes/hardening/rootfs_walk.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <string_view>

#include "probes/text.hpp"

namespace hale::probes::hardening {
namespace {

// Directories and files that belong on a developer's machine or in a build stage, not in a
// final image (dockle's lists plus registry and SSH credentials).
constexpr std::array<std::string_view, 11> kLeftoverDirs = {".git",   ".aws",    ".azure", ".gcp",
                                                            ".kube",  ".docker", ".ssh",   ".npm",
                                                            ".cache", ".vscode", ".idea"};
constexpr std::array<std::string_view, 15> kLeftoverFiles = {"Dockerfile",
                                                             "docker-compose.yml",
                                                             "docker-compose.yaml",
                                                             ".env",
                                                             "id_rsa",
                                                             "id_dsa",
                                                             "id_ecdsa",
                                                             "id_ed25519",
                                                             "credentials.json",
                                                             ".git-credentials",
                                                             ".npmrc",
                                                             ".pypirc",
                                                             ".netrc",
                                                             ".bash_history",
                                                             ".DS_Store"};

// Pseudo filesystems under the root that are not part of the image, and data trees that
// package managers own (see the header).
constexpr std::array<std::string_view, 11> kSkippedDirs = {
    "/proc",          "/sys",         "/dev",           "/usr/share",         "/usr/include",
    "/var/lib/dpkg",  "/var/lib/apt", "/var/cache/apt", "/var/cache/debconf", "/var/lib/rpm",
    "/usr/lib/locale"};

template <size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view name) {
    for (auto item : list) {
        if (item == name) {
            return true;
        }
    }
    return false;
}

class Walker {
public:
    Walker(size_t entry_cap, WalkResult& result) : entry_cap_(entry_cap), result_(result) {}

    void walk(int dir_fd, dev_t device, const std::string& path, size_t depth) {
        DIR* dir = ::fdopendir(dir_fd);
        if (dir == nullptr) {
            ::close(dir_fd);
            return;
        }
        while (const dirent* entry = ::readdir(dir)) {
            std::string_view name = entry->d_name;
            if (name == "." || name == "..") {
                continue;
            }
            if (result_.entries >= entry_cap_) {
                result_.capped = true;
                break;
            }
            ++result_.entries;
            visit(::dirfd(dir), entry, device, path + "/" + std::string(name), depth);
        }
        ::closedir(dir);
    }

private:
    void visit(
        int dir_fd, const dirent* entry, dev_t device, const std::string& path, size_t depth) {
        std::string_view name = entry->d_name;
        unsigned char type = entry->d_type;
        if (type == DT_DIR || type == DT_UNKNOWN) {
            if (type == DT_DIR && in(kLeftoverDirs, name)) {
                add_leftover(path + "/");
                return;
            }
            if (type == DT_DIR) {
                descend(dir_fd, entry->d_name, device, path, depth);
                return;
            }
        }
        if (type != DT_REG && type != DT_UNKNOWN) {
            return;
        }

        struct stat info {};
        if (::fstatat(dir_fd, entry->d_name, &info, AT_SYMLINK_NOFOLLOW) != 0) {
            return;
        }
        if (S_ISDIR(info.st_mode)) {
            if (in(kLeftoverDirs, name)) {
                add_leftover(path + "/");
            } else {
                descend(dir_fd, entry->d_name, device, path, depth);
            }
            return;
        }
        if (!S_ISREG(info.st_mode) || info.st_dev != device) {
            return;
        }
        if (in(kLeftoverFiles, name)) {
            add_leftover(path);
        }
        bool setuid = (info.st_mode & S_ISUID) != 0 && (info.st_mode & 0111) != 0;
        bool setgid = (info.st_mode & S_ISGID) != 0 && (info.st_mode & S_IXGRP) != 0;
        if (setuid || setgid) {
            ++result_.setuid_count;
            if (result_.setuid_files.size() < kWalkFindingCap) {
                result_.setuid_files.push_back({path, setuid, setgid, info.st_uid});
            }
        }
    }

    void descend(
        int dir_fd, const char* name, dev_t device, const std::string& path, size_t depth) {
        if (depth + 1 >= kWalkDepthCap || in(kSkippedDirs, path)) {
            return;
        }
        int child = ::openat(dir_fd, name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
        if (child < 0) {
            return;
        }
        struct stat info {};
        if (::fstat(child, &info) != 0 || info.st_dev != device) {
            ::close(child);  // another filesystem: a volume or a pseudo filesystem
            return;
        }
        walk(child, device, path, depth + 1);
    }

    void add_leftover(const std::string& path) {
        ++result_.leftover_count;
        if (result_.leftovers.size() < kWalkFindingCap) {
            result_.leftovers.push_back(path);
        }
    }

    size_t entry_cap_;
    WalkResult& result_;
};

}  // namespace

WalkResult walk_rootfs(const std::string& root, size_t entry_cap) {
    WalkResult result;
    int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) {
        result.error = "cannot open " + root + ": " + describe_errno(errno);
        return result;
    }
    struct stat info {};
    if (::fstat(fd, &info) != 0) {
        result.error = "cannot stat " + root + ": " + describe_errno(errno);
        ::close(fd);
        return result;
    }
    Walker(entry_cap, result).walk(fd, info.st_dev, "", 0);
    return result;
}

}  // namespace hale::probes::hardening

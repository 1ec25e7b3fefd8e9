// Filesystems and devices: the root's read-only flag, runtime sockets, host paths mounted in,
// mount propagation, device nodes and the Kubernetes service-account token.
#include <algorithm>
#include <array>
#include <string_view>

#include "probes/hardening/check_functions.hpp"

namespace hale::probes::hardening {
namespace {

// docker-bench 5.6's sensitive host directories.
constexpr std::array<std::string_view, 8> kSensitivePaths = {"/",    "/boot", "/dev", "/etc",
                                                             "/lib", "/proc", "/sys", "/usr"};

// Filesystems that live in memory or in the kernel: a mount of one is not a host path.
// devtmpfs is not here: a devtmpfs mount is the host's /dev.
constexpr std::array<std::string_view, 22> kVirtualFsTypes = {
    "overlay",   "tmpfs",      "proc",        "sysfs",   "devpts", "mqueue", "cgroup",   "cgroup2",
    "nsfs",      "securityfs", "debugfs",     "tracefs", "bpf",    "pstore", "configfs", "fusectl",
    "hugetlbfs", "selinuxfs",  "binfmt_misc", "autofs",  "ramfs",  "shm"};

template <size_t N>
bool in(const std::array<std::string_view, N>& list, std::string_view item) {
    return std::find(list.begin(), list.end(), item) != list.end();
}

bool under(std::string_view path, std::string_view dir) {
    return path == dir ||
           (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

// The device of the filesystem that holds the runtime's own files (/var/lib/docker or the
// kubelet's directory): the runtime bind-mounts /etc/hostname from it.
std::string runtime_device(const MountTable& table) {
    for (const auto& mount : table.mounts) {
        if (mount.mount_point == "/etc/hostname" || mount.mount_point == "/etc/hosts" ||
            mount.mount_point == "/etc/resolv.conf") {
            return mount.device;
        }
    }
    return {};
}

// Why MOUNT exposes a host path, or "" when it does not.
std::string host_exposure(const Mount& mount, const std::string& host_device) {
    if (mount.mount_point == "/") {
        return {};
    }
    if (mount.fstype == "devtmpfs") {
        return "the host's /dev";
    }
    if (mount.fstype == "proc" && !under(mount.mount_point, "/proc")) {
        return "a second /proc";
    }
    if (mount.fstype == "sysfs" && !under(mount.mount_point, "/sys")) {
        return "a second /sys";
    }
    if (in(kVirtualFsTypes, mount.fstype)) {
        return {};
    }
    // A whole filesystem (root "/") is the host's own only when it is the filesystem the
    // runtime keeps its files on; otherwise it is most likely a volume of its own.
    if (mount.root == "/" && !host_device.empty() && mount.device == host_device) {
        return "host /";
    }
    if (mount.root != "/" && in(kSensitivePaths, mount.root)) {
        return "host " + mount.root;
    }
    if (mount.root != "/" && in(kSensitivePaths, mount.mount_point)) {
        return "host " + mount.root + " over " + mount.mount_point;
    }
    return {};
}

}  // namespace

Verdict check_read_only_root(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.mounts) {
        return skip(facts.mounts.error());
    }
    // The last "/" entry is the one the process sees; its per-mount options decide. The
    // superblock's "rw" (an overlay's) and the runtime's /etc/hosts binds do not.
    const Mount* root = facts.mounts->find("/");
    if (root == nullptr) {
        return skip("no / entry in /proc/self/mountinfo");
    }
    std::string observed =
        "/ mounted " + std::string(root->read_only() ? "ro" : "rw") + " (" + root->fstype + ")";
    return root->read_only() ? pass(observed) : warn(observed);
}

Verdict check_no_runtime_socket(const Facts& facts, const CheckOptions& /*options*/) {
    std::vector<std::string> found;
    for (const auto& socket : facts.sockets) {
        std::string item = socket.runtime + " socket at " + socket.path;
        if (!socket.source.empty() && socket.source != socket.path) {
            item += " (from " + socket.source + ")";
        }
        if (socket.mount_ro && *socket.mount_ro) {
            item += ", mounted ro (connect() ignores that)";
        }
        if (socket.connectable) {
            item += *socket.connectable ? ", connectable" : ", no write permission";
        }
        found.push_back(item);
    }
    if (!found.empty()) {
        return fail(join_list(found));
    }
    bool docker_host = facts.env && !facts.env->docker_host_scheme.empty();
    if (docker_host) {
        Verdict verdict = warn("DOCKER_HOST is set (" + facts.env->docker_host_scheme +
                               "): the process is configured to drive a Docker daemon");
        verdict.fix =
            "remove DOCKER_HOST unless the app must drive Docker; never expose the "
            "daemon on tcp:// without TLS";
        return verdict;
    }
    if (!facts.mounts) {
        return skip(facts.mounts.error());
    }
    return pass("none mounted or at the usual paths");
}

Verdict check_no_host_mounts(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.mounts) {
        return skip(facts.mounts.error());
    }
    auto host_device = runtime_device(*facts.mounts);
    std::vector<std::string> found;
    bool any_rw = false;
    for (const auto& mount : facts.mounts->mounts) {
        auto exposure = host_exposure(mount, host_device);
        if (exposure.empty()) {
            continue;
        }
        any_rw = any_rw || !mount.read_only();
        found.push_back(mount.mount_point + " (" + exposure + ", " +
                        (mount.read_only() ? "ro" : "rw") + ")");
    }
    if (found.empty()) {
        return pass("no host system path mounted");
    }
    return any_rw ? fail(join_list(found)) : warn(join_list(found));
}

Verdict check_mount_propagation(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.mounts) {
        return skip(facts.mounts.error());
    }
    std::vector<std::string> shared;
    for (const auto& mount : facts.mounts->mounts) {
        if (mount.shared()) {
            shared.push_back(mount.mount_point);
        }
    }
    return shared.empty() ? pass("no shared mount") : warn("shared: " + join_list(shared));
}

Verdict check_host_devices(const Facts& facts, const CheckOptions& /*options*/) {
    const auto& devices = facts.devices;
    if (!devices.readable) {
        return skip("cannot list " + join_path(facts.roots.root, "dev"));
    }
    std::vector<std::string> found;
    for (const auto& name : devices.block) {
        found.push_back(name + " (block)");
    }
    for (const auto& name : devices.extra_char) {
        found.push_back(name);
    }
    if (found.empty()) {
        return pass(std::to_string(devices.char_count) + " default character devices");
    }
    return warn(std::to_string(found.size()) + " beyond the default set: " + join_list(found));
}

Verdict check_service_account_token(const Facts& facts, const CheckOptions& /*options*/) {
    const auto& token = facts.service_account_token;
    if (token.path.empty()) {
        return pass("none mounted");
    }
    return warn(token.path + (token.readable ? " (readable)" : " (not readable by this user)"));
}

}  // namespace hale::probes::hardening

#include "probes/hardening/cgroup.hpp"

#include <algorithm>
#include <charconv>
#include <functional>
#include <vector>

#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

struct ProcCgroup {
    std::vector<std::pair<std::string, std::string>> v1;  // controller list, path
    std::optional<std::string> v2;                        // the "0::PATH" line
};

ProcCgroup parse_proc_cgroup(std::string_view text) {
    ProcCgroup result;
    while (!text.empty()) {
        auto newline = text.find('\n');
        auto line = text.substr(0, newline);
        text = newline == std::string_view::npos ? std::string_view{} : text.substr(newline + 1);
        auto first = line.find(':');
        auto second = first == std::string_view::npos ? first : line.find(':', first + 1);
        if (second == std::string_view::npos) {
            continue;
        }
        auto controllers = line.substr(first + 1, second - first - 1);
        std::string path(line.substr(second + 1));
        if (line.substr(0, first) == "0" && controllers.empty()) {
            result.v2 = path;
        } else {
            result.v1.emplace_back(controllers, path);
        }
    }
    return result;
}

bool list_has(std::string_view list, std::string_view item) {
    while (!list.empty()) {
        auto comma = list.find(',');
        if (list.substr(0, comma) == item) {
            return true;
        }
        if (comma == std::string_view::npos) {
            break;
        }
        list.remove_prefix(comma + 1);
    }
    return false;
}

// The directories from the process's cgroup up to the top of the mount, leaf first.
struct CgroupDirs {
    std::vector<std::string> leaf_to_top;
    bool v1 = false;  // a v1 controller hierarchy: v1 file names
};

CgroupDirs dirs_for(const std::string& top,
                    std::string_view mount_root,
                    std::string_view path,
                    bool v1) {
    std::string_view relative;
    if (mount_root == "/") {
        relative = path;
    } else if (path == mount_root ||
               (path.starts_with(mount_root) && path.size() > mount_root.size() &&
                path[mount_root.size()] == '/')) {
        relative = path.substr(mount_root.size());
    }
    // Outside the mount's root (another cgroup namespace): only the top is visible.

    CgroupDirs dirs;
    dirs.v1 = v1;
    std::string rel(relative);
    while (!rel.empty() && rel != "/") {
        dirs.leaf_to_top.push_back(join_path(top, rel));
        auto slash = rel.rfind('/');
        rel.resize(slash == std::string::npos ? 0 : slash);
    }
    dirs.leaf_to_top.push_back(top);
    return dirs;
}

// Where one controller's files are: mountinfo first, the standard layout otherwise.
std::optional<CgroupDirs> locate(const Roots& roots,
                                 const Result<MountTable>& mounts,
                                 const ProcCgroup& proc,
                                 std::string_view controller) {
    const std::string* v1_path = nullptr;
    for (const auto& [controllers, path] : proc.v1) {
        if (list_has(controllers, controller)) {
            v1_path = &path;
        }
    }

    if (mounts) {
        const Mount* v1_mount = nullptr;
        const Mount* v2_mount = nullptr;
        for (const auto& mount : mounts->mounts) {
            if (mount.fstype == "cgroup" && mount.has_super_option(controller)) {
                v1_mount = &mount;
            } else if (mount.fstype == "cgroup2") {
                v2_mount = &mount;
            }
        }
        if (v1_mount != nullptr) {
            return dirs_for(map_path(roots, v1_mount->mount_point), v1_mount->root,
                            v1_path != nullptr ? *v1_path : "/", true);
        }
        if (v2_mount != nullptr && proc.v2) {
            return dirs_for(map_path(roots, v2_mount->mount_point), v2_mount->root, *proc.v2,
                            false);
        }
    }

    auto base = join_path(roots.sys, "fs/cgroup");
    if (path_exists(join_path(base, "cgroup.controllers"))) {
        return dirs_for(base, "/", proc.v2.value_or("/"), false);
    }
    auto v1_top = join_path(base, controller);
    if (path_exists(v1_top)) {
        return dirs_for(v1_top, "/", v1_path != nullptr ? *v1_path : "/", true);
    }
    return std::nullopt;
}

template <class T>
using LimitParser = std::function<Result<std::optional<T>>(std::string_view)>;

// The smallest limit from the leaf up. A file missing at some level is skipped (controllers
// are enabled per subtree); missing everywhere is an error.
template <class T>
Result<std::optional<T>> smallest_limit(const CgroupDirs& dirs,
                                        std::string_view file,
                                        const LimitParser<T>& parse) {
    bool found = false;
    std::optional<T> smallest;
    for (const auto& dir : dirs.leaf_to_top) {
        auto path = join_path(dir, file);
        auto text = read_text_file(path, 4096);
        if (!text) {
            return Error{text.error()};
        }
        if (!*text) {
            continue;
        }
        auto value = parse(**text);
        if (!value) {
            return Error{"invalid " + path + ": " + value.error()};
        }
        found = true;
        if (*value && (!smallest || **value < *smallest)) {
            smallest = **value;
        }
    }
    if (!found) {
        return Error{"no " + std::string(file) + " in " + dirs.leaf_to_top.front() +
                     " or above (controller not enabled?)"};
    }
    return smallest;
}

Result<std::optional<double>> parse_v1_quota(const std::string& dir) {
    auto quota = read_first_line(join_path(dir, "cpu.cfs_quota_us"));
    auto period = read_first_line(join_path(dir, "cpu.cfs_period_us"));
    if (!quota || !period) {
        return Error{!quota ? quota.error() : period.error()};
    }
    if (!*quota || !*period) {
        return std::optional<double>{};
    }
    long long quota_us = 0;
    long long period_us = 0;
    const auto& q = **quota;
    const auto& p = **period;
    auto qr = std::from_chars(q.data(), q.data() + q.size(), quota_us);
    auto pr = std::from_chars(p.data(), p.data() + p.size(), period_us);
    if (qr.ec != std::errc() || pr.ec != std::errc() || period_us <= 0) {
        return Error{"invalid cpu.cfs_quota_us '" + q + "' or cpu.cfs_period_us '" + p +
                     "': expected integers"};
    }
    if (quota_us < 0) {
        return std::optional<double>{};
    }
    return std::optional<double>{static_cast<double>(quota_us) / static_cast<double>(period_us)};
}

Result<std::optional<double>> v1_cpus(const CgroupDirs& dirs) {
    std::optional<double> smallest;
    for (const auto& dir : dirs.leaf_to_top) {
        auto cpus = parse_v1_quota(dir);
        if (!cpus) {
            return cpus;
        }
        if (*cpus && (!smallest || **cpus < *smallest)) {
            smallest = **cpus;
        }
    }
    return smallest;
}

std::string cgroup_version(const Roots& roots, const Result<MountTable>& mounts) {
    bool v1 = false;
    bool v2 = false;
    if (mounts) {
        for (const auto& mount : mounts->mounts) {
            v1 = v1 || mount.fstype == "cgroup";
            v2 = v2 || mount.fstype == "cgroup2";
        }
    } else {
        v2 = path_exists(join_path(roots.sys, "fs/cgroup/cgroup.controllers"));
        v1 = !v2 && path_exists(join_path(roots.sys, "fs/cgroup/memory"));
    }
    if (v1 && v2) {
        return "hybrid";
    }
    return v1 ? "v1" : v2 ? "v2" : "unknown";
}

}  // namespace

Result<std::optional<uint64_t>> parse_limit_value(std::string_view text) {
    auto value = trim(text);
    if (value == "max") {
        return std::optional<uint64_t>{};
    }
    uint64_t number = 0;
    auto [end, error] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (value.empty() || error != std::errc() || end != value.data() + value.size()) {
        return Error{"invalid limit '" + value + "': expected a number or max"};
    }
    return std::optional<uint64_t>{number};
}

Result<std::optional<double>> parse_cpu_max(std::string_view text) {
    auto value = trim(text);
    auto space = value.find(' ');
    auto quota = value.substr(0, space);
    auto period_text = space == std::string::npos ? std::string("100000") : value.substr(space + 1);
    if (quota == "max") {
        return std::optional<double>{};
    }
    uint64_t quota_us = 0;
    uint64_t period_us = 0;
    auto qr = std::from_chars(quota.data(), quota.data() + quota.size(), quota_us);
    auto pr =
        std::from_chars(period_text.data(), period_text.data() + period_text.size(), period_us);
    if (quota.empty() || qr.ec != std::errc() || pr.ec != std::errc() || period_us == 0) {
        return Error{"invalid cpu.max '" + value + "': expected 'QUOTA PERIOD' or 'max PERIOD'"};
    }
    return std::optional<double>{static_cast<double>(quota_us) / static_cast<double>(period_us)};
}

CgroupLimits read_cgroup_limits(const Roots& roots, const Result<MountTable>& mounts) {
    CgroupLimits limits;
    limits.version = cgroup_version(roots, mounts);

    auto self_path = join_path(roots.proc, "self/cgroup");
    auto text = read_text_file(self_path);
    if (!text || !*text) {
        Error error{!text ? text.error() : "cannot read " + self_path + ": no such file"};
        limits.memory_bytes = error;
        limits.cpus = error;
        limits.pids = error;
        return limits;
    }
    auto proc = parse_proc_cgroup(**text);
    auto not_found = [](std::string_view controller) {
        return Error{"no cgroup " + std::string(controller) + " controller mounted"};
    };

    LimitParser<uint64_t> memory_parser = [](std::string_view value) {
        auto limit = parse_limit_value(value);
        if (limit && *limit && **limit >= kUnlimitedMemoryFloor) {
            return Result<std::optional<uint64_t>>(std::optional<uint64_t>{});
        }
        return limit;
    };
    LimitParser<uint64_t> pids_parser = parse_limit_value;
    LimitParser<double> cpu_parser = parse_cpu_max;

    // v1 controllers and the v2 hierarchy name their files differently.
    if (auto dirs = locate(roots, mounts, proc, "memory")) {
        auto file = dirs->v1 ? "memory.limit_in_bytes" : "memory.max";
        limits.memory_bytes = smallest_limit(*dirs, file, memory_parser);
    } else {
        limits.memory_bytes = not_found("memory");
    }
    if (auto dirs = locate(roots, mounts, proc, "cpu")) {
        if (dirs->v1) {
            limits.cpus = v1_cpus(*dirs);
        } else {
            limits.cpus = smallest_limit(*dirs, "cpu.max", cpu_parser);
        }
    } else {
        limits.cpus = not_found("cpu");
    }
    if (auto dirs = locate(roots, mounts, proc, "pids")) {
        limits.pids = smallest_limit(*dirs, "pids.max", pids_parser);
    } else {
        limits.pids = not_found("pids");
    }
    return limits;
}

}  // namespace hale::probes::hardening

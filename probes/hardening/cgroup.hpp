// Memory, CPU and PIDs limits of the process's cgroup, for cgroup v1 and v2.
// The cgroup directory comes from /proc/self/cgroup and the cgroup mounts in mountinfo: a
// mount whose root is R at mount point M shows cgroup path P at M + (P - R). With a private
// cgroup namespace (Docker's default on v2) P is "/" and the files sit right under M. The
// limit that applies is the smallest one from that directory up to the top of the mount.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "probes/hardening/mountinfo.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

// v1 reports "no limit" as the largest page-aligned counter (9223372036854771712 on 4 KiB
// pages); anything at or above 2^62 bytes is treated as unlimited on every page size.
inline constexpr uint64_t kUnlimitedMemoryFloor = 1ULL << 62;

struct CgroupLimits {
    std::string version;  // "v1", "v2", "hybrid", or "unknown"
    // nullopt inside a value: no limit. An error: the limit could not be read.
    Result<std::optional<uint64_t>> memory_bytes = Error{"not read"};
    Result<std::optional<double>> cpus = Error{"not read"};
    Result<std::optional<uint64_t>> pids = Error{"not read"};
};

// One value of memory.max, memory.limit_in_bytes or pids.max: "max" is no limit.
Result<std::optional<uint64_t>> parse_limit_value(std::string_view text);

// cpu.max ("max 100000", "50000 100000") as CPUs; nullopt for no limit.
Result<std::optional<double>> parse_cpu_max(std::string_view text);

// MOUNTS may be an error (no mountinfo): the standard /sys/fs/cgroup layout is assumed then.
CgroupLimits read_cgroup_limits(const Roots& roots, const Result<MountTable>& mounts);

}  // namespace hale::probes::hardening

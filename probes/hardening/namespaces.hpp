// Namespace identity from /proc/self/ns/* links ("pid:[4026532180]"). The kernel gives the
// initial (host) PID, IPC, UTS, user, cgroup and time namespaces fixed inode numbers
// (include/linux/proc_ns.h), so equality with those means "shares the host's namespace".
// Network and mount namespace inodes are allocated dynamically; this test cannot see them.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

inline constexpr uint64_t kInitIpcInode = 0xEFFFFFFFULL;
inline constexpr uint64_t kInitUtsInode = 0xEFFFFFFEULL;
inline constexpr uint64_t kInitUserInode = 0xEFFFFFFDULL;
inline constexpr uint64_t kInitPidInode = 0xEFFFFFFCULL;
inline constexpr uint64_t kInitCgroupInode = 0xEFFFFFFBULL;

// Parses "pid:[4026531836]" for the namespace named KIND.
std::optional<uint64_t> parse_ns_link(std::string_view kind, std::string_view link);

// The inode of PROC/self/ns/KIND.
Result<uint64_t> read_ns_inode(const Roots& roots, std::string_view kind);

// PROC/self/uid_map: "0 0 4294967295" (one line, identity) is the initial user namespace.
struct UidMap {
    std::string text;  // the mapping lines, whitespace collapsed, "; " between lines
    bool identity = false;
};

UidMap parse_uid_map(std::string_view text);
Result<UidMap> read_uid_map(const Roots& roots);

}  // namespace hale::probes::hardening

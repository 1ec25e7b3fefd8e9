// The credential and confinement lines of /proc/self/status. Fields appear with kernel
// versions (CapAmb 4.3, NoNewPrivs 4.10, Seccomp 3.8 with CONFIG_SECCOMP, Seccomp_filters 5.9)
// and gVisor leaves some out, so every field is optional: a missing field is "unknown", never
// a default.
#pragma once

#include <array>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

// Real, effective, saved and filesystem IDs, in the order the kernel prints them.
using IdQuad = std::array<uint32_t, 4>;

struct ProcStatus {
    std::optional<IdQuad> uid;
    std::optional<IdQuad> gid;
    std::optional<std::vector<uint32_t>> groups;
    std::optional<uint64_t> cap_inheritable;
    std::optional<uint64_t> cap_permitted;
    std::optional<uint64_t> cap_effective;
    std::optional<uint64_t> cap_bounding;
    std::optional<uint64_t> cap_ambient;
    std::optional<int> no_new_privs;
    std::optional<int> seccomp;  // 0 disabled, 1 strict, 2 filter
    std::optional<int> seccomp_filters;

    std::optional<uint32_t> effective_uid() const;
    std::optional<uint32_t> effective_gid() const;
};

// Parses the text of a status file. Unknown lines are ignored; a known field whose value does
// not parse is left unset, as if absent.
ProcStatus parse_proc_status(std::string_view text);

// Reads PROC/self/status.
Result<ProcStatus> read_proc_status(const Roots& roots);

}  // namespace hale::probes::hardening

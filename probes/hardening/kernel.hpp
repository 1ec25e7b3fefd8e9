// Kernel facts and the kernel knobs a container escape writes to.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct KernelFacts {
    std::string release;                   // PROC/sys/kernel/osrelease, "" when unreadable
    std::optional<unsigned> cap_last_cap;  // PROC/sys/kernel/cap_last_cap
    Result<int> aslr = Error{"not read"};  // PROC/sys/kernel/randomize_va_space: 2 is full
    // Escape knobs this process may open for writing: core_pattern, modprobe,
    // binfmt_misc/register, sysrq-trigger, cgroup v1 release_agent (linpeas
    // checkProcSysBreakouts.sh). Tested with faccessat: nothing is opened or written.
    std::vector<std::string> writable_knobs;
};

KernelFacts read_kernel_facts(const Roots& roots);

}  // namespace hale::probes::hardening

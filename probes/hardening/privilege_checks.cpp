// What the process may do: capabilities, no_new_privs, seccomp, the LSM profile, the kernel
// knobs an escape writes to, and ASLR.
#include <cstdio>

#include "probes/hardening/capabilities.hpp"
#include "probes/hardening/check_functions.hpp"

namespace hale::probes::hardening {
namespace {

std::string hex_mask(uint64_t mask) {
    char text[24];
    std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(mask));
    return text;
}

std::string count_of(uint64_t mask) {
    return std::to_string(__builtin_popcountll(mask)) + " capabilities";
}

// A set that holds every capability of the kernel is named as such instead of listed.
std::string describe(uint64_t mask, const Facts& facts) {
    uint64_t full = full_capability_mask(facts.kernel.cap_last_cap.value_or(kLastKnownCap));
    if (mask != 0 && (mask & full) == full) {
        std::string text = "all " + count_of(full);
        if (uint64_t extra = mask & ~full; extra != 0) {
            text += " plus " + capability_list(extra);
        }
        return text;
    }
    return capability_list(mask);
}

}  // namespace

Verdict check_capabilities(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.status) {
        return skip(facts.status.error());
    }
    const auto& status = *facts.status;
    if (!status.cap_effective || !status.cap_permitted) {
        return skip("no CapEff or CapPrm line in /proc/self/status");
    }
    uint64_t effective = *status.cap_effective;
    uint64_t permitted = *status.cap_permitted;
    uint64_t ambient = status.cap_ambient.value_or(0);
    uint64_t held = effective | permitted | ambient;
    if (held == 0) {
        return pass("none effective, permitted or ambient");
    }

    std::string observed = "effective " + describe(effective, facts);
    if (permitted != effective) {
        observed += "; permitted " + describe(permitted, facts);
    }
    if (ambient != 0) {
        observed += "; ambient " + describe(ambient, facts);
    }
    if (uint64_t added = held & ~kDockerDefaultCaps; added != 0) {
        observed += "; beyond Docker's default set: " + capability_list(added);
    }
    if ((held & kHostTakeoverCaps) != 0) {
        return fail(observed);
    }
    return warn(observed);
}

Verdict check_bounding_set(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.status) {
        return skip(facts.status.error());
    }
    if (!facts.status->cap_bounding) {
        return skip("no CapBnd line in /proc/self/status");
    }
    uint64_t bounding = *facts.status->cap_bounding;
    if (bounding == 0) {
        return pass("empty");
    }
    std::string observed = count_of(bounding) + ": " + describe(bounding, facts);
    if (facts.status->no_new_privs.value_or(0) == 1) {
        return pass(observed + " (out of reach: no_new_privs is set)");
    }
    return warn(observed);
}

Verdict check_not_privileged(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.status) {
        return skip(facts.status.error());
    }
    if (!facts.status->cap_bounding || !facts.status->cap_effective) {
        return skip("no CapBnd or CapEff line in /proc/self/status");
    }
    // CDK's fixed "3fffffffff" misses kernels with perfmon, bpf and checkpoint_restore; the
    // mask follows the running kernel's cap_last_cap instead.
    unsigned last = facts.kernel.cap_last_cap.value_or(kLastKnownCap);
    uint64_t full = full_capability_mask(last);
    uint64_t bounding = *facts.status->cap_bounding;
    uint64_t effective = *facts.status->cap_effective;
    bool every_cap = (bounding & full) == full || (effective & full) == full;

    std::string observed = "bounding set " + hex_mask(bounding) + " of " + hex_mask(full);
    if (uint64_t missing = full & ~bounding; missing != 0 && __builtin_popcountll(missing) <= 3) {
        observed += " (all but " + capability_list(missing) + ")";
    }

    // A privileged container gets only the capabilities its engine holds, which may be fewer
    // than the kernel's, so the runtime's own marks count too: --privileged mounts /sys
    // read-write and drops the read-only /proc/sys bind (moby daemon/oci_linux.go).
    bool kernel_interfaces_open = false;
    if (facts.mounts) {
        const Mount* sys = facts.mounts->find("/sys");
        const Mount* proc_sys = facts.mounts->find("/proc/sys");
        bool sys_rw = sys != nullptr && !sys->read_only();
        bool proc_sys_ro = proc_sys != nullptr && proc_sys->read_only();
        kernel_interfaces_open = sys_rw && !proc_sys_ro;
        observed += sys_rw ? "; /sys rw" : "; /sys ro";
        observed += proc_sys_ro ? ", /proc/sys ro" : ", /proc/sys rw";
    }
    bool sys_admin = (bounding & (1ULL << 21)) != 0;
    if (every_cap || (sys_admin && kernel_interfaces_open)) {
        return fail(observed);
    }
    return pass(observed);
}

Verdict check_no_new_privileges(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.status) {
        return skip(facts.status.error());
    }
    if (!facts.status->no_new_privs) {
        return skip("no NoNewPrivs line in /proc/self/status (kernel older than 4.10)");
    }
    int value = *facts.status->no_new_privs;
    return value == 1 ? pass("NoNewPrivs: 1") : fail("NoNewPrivs: " + std::to_string(value));
}

Verdict check_seccomp(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.status) {
        return skip(facts.status.error());
    }
    if (!facts.status->seccomp) {
        return skip(
            "no Seccomp line in /proc/self/status (gVisor, or a kernel without "
            "CONFIG_SECCOMP)");
    }
    switch (*facts.status->seccomp) {
        case 0:
            return fail("Seccomp: 0 (disabled)");
        case 1:
            return pass("Seccomp: 1 (strict)");
        case 2: {
            std::string observed = "Seccomp: 2 (filter)";
            if (facts.status->seccomp_filters) {
                observed += ", " + std::to_string(*facts.status->seccomp_filters) + " filters";
            }
            return pass(observed);
        }
        default:
            return skip("Seccomp: " + std::to_string(*facts.status->seccomp) +
                        " is not a mode this build knows");
    }
}

Verdict check_lsm_confined(const Facts& facts, const CheckOptions& /*options*/) {
    const auto& lsm = facts.lsm;
    if (lsm.apparmor) {
        const auto& label = *lsm.apparmor;
        std::string observed = "AppArmor " + label;
        if (label == "unconfined") {
            return warn(observed);
        }
        if (label.ends_with("(complain)")) {
            return warn(observed + ": violations are only logged");
        }
        return pass(observed);
    }
    if (lsm.selinux) {
        auto type = selinux_type(*lsm.selinux);
        std::string observed = "SELinux " + *lsm.selinux;
        if (type == "spc_t" || type.find("unconfined") != std::string::npos) {
            return warn(observed + ": an unconfined type");
        }
        if (lsm.selinux_enforcing && !*lsm.selinux_enforcing) {
            return warn(observed + ": SELinux is permissive");
        }
        return pass(observed);
    }
    return skip("no AppArmor or SELinux label (" + lsm.unknown_reason + ")");
}

Verdict check_kernel_knobs(const Facts& facts, const CheckOptions& /*options*/) {
    // Without /proc the knobs' absence proves nothing.
    if (!facts.status) {
        return skip(facts.status.error());
    }
    if (!facts.kernel.writable_knobs.empty()) {
        return fail("writable: " + join_list(facts.kernel.writable_knobs));
    }
    return pass(
        "core_pattern, modprobe, binfmt_misc, sysrq-trigger and release_agent not "
        "writable");
}

Verdict check_aslr(const Facts& facts, const CheckOptions& /*options*/) {
    if (!facts.kernel.aslr) {
        return skip(facts.kernel.aslr.error());
    }
    switch (*facts.kernel.aslr) {
        case 2:
            return pass("2 (full)");
        case 1:
            return warn("1 (partial: the heap is not randomized)");
        default:
            return warn("0 (disabled)");
    }
}

}  // namespace hale::probes::hardening

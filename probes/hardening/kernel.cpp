#include "probes/hardening/kernel.hpp"

#include <dirent.h>

#include <array>
#include <string_view>

#include "probes/hardening/capabilities.hpp"
#include "probes/hardening/read_file.hpp"

namespace hale::probes::hardening {
namespace {

constexpr std::array<std::string_view, 4> kProcKnobs = {
    "sys/kernel/core_pattern", "sys/kernel/modprobe", "sys/fs/binfmt_misc/register",
    "sysrq-trigger"};

// release_agent sits at the top of each cgroup v1 hierarchy: SYS/fs/cgroup/*/release_agent.
std::vector<std::string> writable_release_agents(const Roots& roots) {
    std::vector<std::string> found;
    auto base = join_path(roots.sys, "fs/cgroup");
    DIR* dir = ::opendir(base.c_str());
    if (dir == nullptr) {
        return found;
    }
    size_t entries = 0;
    while (const dirent* entry = ::readdir(dir)) {
        std::string_view name = entry->d_name;
        if (++entries > 64) {
            break;
        }
        if (name == "." || name == "..") {
            continue;
        }
        auto agent = join_path(base, std::string(name) + "/release_agent");
        if (path_exists(agent) && writable(agent)) {
            found.push_back("/sys/fs/cgroup/" + std::string(name) + "/release_agent");
        }
    }
    ::closedir(dir);
    return found;
}

}  // namespace

KernelFacts read_kernel_facts(const Roots& roots) {
    KernelFacts facts;

    auto release = read_first_line(join_path(roots.proc, "sys/kernel/osrelease"));
    if (release && *release) {
        facts.release = **release;
    }

    auto last_cap = read_first_line(join_path(roots.proc, "sys/kernel/cap_last_cap"));
    if (last_cap && *last_cap) {
        facts.cap_last_cap = parse_last_cap(**last_cap);
    }

    auto aslr_path = join_path(roots.proc, "sys/kernel/randomize_va_space");
    auto aslr = read_first_line(aslr_path);
    if (!aslr) {
        facts.aslr = Error{aslr.error()};
    } else if (!*aslr) {
        facts.aslr = Error{"cannot read " + aslr_path + ": no such file"};
    } else if (**aslr == "0" || **aslr == "1" || **aslr == "2") {
        facts.aslr = (**aslr)[0] - '0';
    } else {
        facts.aslr = Error{"invalid randomize_va_space '" + **aslr + "': expected 0, 1 or 2"};
    }

    for (auto knob : kProcKnobs) {
        auto path = join_path(roots.proc, knob);
        if (path_exists(path) && writable(path)) {
            facts.writable_knobs.push_back("/proc/" + std::string(knob));
        }
    }
    for (auto& agent : writable_release_agents(roots)) {
        facts.writable_knobs.push_back(std::move(agent));
    }
    return facts;
}

}  // namespace hale::probes::hardening

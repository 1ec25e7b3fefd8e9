// Everything the hardening checks look at, read once from the roots. Each reader's failure is
// kept as an error next to its value, so a check that needs it reports skip with the reason.
#pragma once

#include "probes/hardening/cgroup.hpp"
#include "probes/hardening/environment.hpp"
#include "probes/hardening/image_files.hpp"
#include "probes/hardening/kernel.hpp"
#include "probes/hardening/lsm.hpp"
#include "probes/hardening/mountinfo.hpp"
#include "probes/hardening/namespaces.hpp"
#include "probes/hardening/network.hpp"
#include "probes/hardening/passwd.hpp"
#include "probes/hardening/proc_status.hpp"
#include "probes/hardening/rootfs_walk.hpp"
#include "probes/hardening/roots.hpp"
#include "probes/hardening/runtime_info.hpp"
#include "probes/hardening/sockets.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct Namespaces {
    Result<uint64_t> pid = Error{"not read"};
    Result<uint64_t> ipc = Error{"not read"};
    Result<uint64_t> uts = Error{"not read"};
    Result<uint64_t> user = Error{"not read"};
    Result<uint64_t> cgroup = Error{"not read"};
    Result<UidMap> uid_map = Error{"not read"};
};

struct Facts {
    Roots roots;
    Result<ProcStatus> status = Error{"not read"};
    Result<MountTable> mounts = Error{"not read"};
    Result<PasswdFile> passwd = Error{"not read"};
    Result<GroupFile> group = Error{"not read"};
    Result<ShadowFile> shadow = Error{"not read"};
    Result<EnvFacts> env = Error{"not read"};
    Namespaces namespaces;
    LsmState lsm;
    CgroupLimits cgroup;
    KernelFacts kernel;
    NetworkFacts network;
    std::vector<RuntimeSocket> sockets;
    ShellsAndTools shells;
    DeviceNodes devices;
    TokenFile service_account_token;
    WalkResult walk;
    RuntimeInfo runtime;
};

// Reads every fact from the roots. It never fails as a whole: unreadable parts stay errors.
Facts collect_facts(const Roots& roots, size_t walk_entry_cap = kWalkEntryCap);

}  // namespace hale::probes::hardening

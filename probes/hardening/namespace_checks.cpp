// Namespaces shared with the host. PID, IPC and UTS are exact (fixed inode numbers of the
// initial namespaces); the network check is a heuristic, said so in its title.
#include "probes/hardening/check_functions.hpp"

namespace hale::probes::hardening {
namespace {

Verdict namespace_verdict(const Result<uint64_t>& inode,
                          std::string_view kind,
                          uint64_t host,
                          Status when_shared) {
    if (!inode) {
        return skip(inode.error());
    }
    std::string link = std::string(kind) + ":[" + std::to_string(*inode) + "]";
    if (*inode == host) {
        return {when_shared, link + ": the host's namespace"};
    }
    return pass(link + ": its own");
}

}  // namespace

Verdict check_host_pid(const Facts& facts, const CheckOptions& /*options*/) {
    return namespace_verdict(facts.namespaces.pid, "pid", kInitPidInode, Status::Fail);
}

Verdict check_host_ipc(const Facts& facts, const CheckOptions& /*options*/) {
    return namespace_verdict(facts.namespaces.ipc, "ipc", kInitIpcInode, Status::Warn);
}

Verdict check_host_uts(const Facts& facts, const CheckOptions& /*options*/) {
    return namespace_verdict(facts.namespaces.uts, "uts", kInitUtsInode, Status::Warn);
}

Verdict check_host_network(const Facts& facts, const CheckOptions& /*options*/) {
    const auto& net = facts.network;
    if (!net.interfaces_readable && !net.unix_sockets_readable) {
        return skip("cannot read /sys/class/net or /proc/net/unix");
    }
    std::vector<std::string> signs;
    for (const auto& name : net.host_interfaces) {
        signs.push_back("interface " + name);
    }
    for (const auto& path : net.host_sockets) {
        signs.push_back("socket " + path);
    }
    if (!signs.empty()) {
        return warn(join_list(signs, 4));
    }
    return pass("no host bridge, veth interface or host daemon socket visible");
}

}  // namespace hale::probes::hardening

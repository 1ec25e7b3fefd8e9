// Whether the process shares the host's network namespace. Network namespace inodes are not
// fixed, so this is a heuristic (CDK network_namespace.go, docker-bench 5.10): the host's
// bridge and veth interfaces in /sys/class/net, or host daemons' unix sockets in
// /proc/net/unix (systemd, per-user runtime dirs, containerd-shim's abstract sockets).
#pragma once

#include <string>
#include <vector>

#include "probes/hardening/roots.hpp"

namespace hale::probes::hardening {

struct NetworkFacts {
    bool interfaces_readable = false;
    bool unix_sockets_readable = false;
    std::vector<std::string> host_interfaces;  // docker0, veth1a2b3c, cni0
    std::vector<std::string> host_sockets;     // /run/systemd/notify, @/containerd-shim/...
};

NetworkFacts read_network_facts(const Roots& roots);

}  // namespace hale::probes::hardening

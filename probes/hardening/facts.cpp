#include "probes/hardening/facts.hpp"

namespace hale::probes::hardening {

Facts collect_facts(const Roots& roots, size_t walk_entry_cap) {
    Facts facts;
    facts.roots = roots;

    // The process itself.
    facts.status = read_proc_status(roots);
    facts.env = read_environment(roots);
    facts.lsm = read_lsm(roots);
    facts.kernel = read_kernel_facts(roots);

    // Namespaces and mounts.
    facts.namespaces.pid = read_ns_inode(roots, "pid");
    facts.namespaces.ipc = read_ns_inode(roots, "ipc");
    facts.namespaces.uts = read_ns_inode(roots, "uts");
    facts.namespaces.user = read_ns_inode(roots, "user");
    facts.namespaces.cgroup = read_ns_inode(roots, "cgroup");
    facts.namespaces.uid_map = read_uid_map(roots);
    facts.mounts = read_mountinfo(roots);
    facts.cgroup = read_cgroup_limits(roots, facts.mounts);
    facts.network = read_network_facts(roots);
    facts.sockets = find_runtime_sockets(roots, facts.mounts);

    // Accounts, parsed from the files (no NSS).
    facts.passwd = read_passwd(roots);
    facts.group = read_group(roots);
    facts.shadow = read_shadow(roots);

    // What the image holds.
    facts.shells = find_shells_and_tools(roots);
    facts.devices = find_device_nodes(roots);
    facts.service_account_token = find_service_account_token(roots);
    facts.walk = walk_rootfs(roots.root, walk_entry_cap);

    bool kubernetes_env = facts.env && facts.env->kubernetes;
    facts.runtime = detect_runtime(roots, facts.mounts, kubernetes_env);
    return facts;
}

}  // namespace hale::probes::hardening

// The one table of hardening checks. Ids are stable: users put them in --require and
// --ignore, so an id is never renamed or reused. Severity (fail or warn) follows the catalogue
// in reference/hardening.md: fail where the gap alone hands over the host.
#include <algorithm>

#include "probes/hardening/check.hpp"
#include "probes/hardening/check_functions.hpp"

namespace hale::probes::hardening {
namespace {

constexpr CheckSpec kChecks[] = {
    // Who the process is.
    {"non-root-user", "Runs as a non-root user", "uid other than 0 (real, effective and saved)",
     "root in a container is root over the kernel and every host file it can reach",
     "Dockerfile: USER 10001:10001; Kubernetes: securityContext.runAsNonRoot: true and "
     "runAsUser: 10001",
     check_non_root_user},
    {"high-uid", "UID is high and not a host user's", "",
     "without a user namespace container uid N is host uid N; low uids and 1000 collide with "
     "host users",
     "Dockerfile: RUN useradd -r -u 10001 -s /usr/sbin/nologin app and USER 10001:10001; "
     "Kubernetes: securityContext.runAsUser: 10001",
     check_high_uid},
    {"non-root-group", "Group and supplementary groups are not root",
     "gid other than 0, no supplementary group 0",
     "group 0 owns most of the image, and root-group-writable files become writable",
     "Dockerfile: USER 10001:10001 (a numeric user without a passwd entry gets gid 0); "
     "Kubernetes: securityContext.runAsGroup: 10001",
     check_non_root_group},
    {"passwd-entry", "The user has a passwd entry",
     "an /etc/passwd line for the uid, or no /etc/passwd",
     "programs that look the user up fail ('I have no name!') and HOME falls back to /",
     "Dockerfile: RUN useradd -r -u 10001 -s /usr/sbin/nologin app", check_passwd_entry},
    {"no-login-shell", "The user's shell refuses logins", "nologin or false",
     "an interactive shell on the service account makes su, exec and cron sessions usable",
     "Dockerfile: RUN useradd -r -s /usr/sbin/nologin ... (or usermod -s /usr/sbin/nologin NAME)",
     check_no_login_shell},
    {"unique-ids", "UIDs and GIDs are unique", "each uid and gid on one line only",
     "two names for one id confuse audits and ownership; lookups take the first line",
     "fix the base image's user creation so each uid and gid is used once", check_unique_ids},
    {"no-empty-passwords", "No account has an empty password", "no empty password field",
     "an account with an empty password field logs in without a password",
     "Dockerfile: RUN passwd -l NAME (or set the password field to '!')", check_no_empty_passwords},

    // What the process may do.
    {"capabilities", "No capabilities in effect", "no effective, permitted or ambient capability",
     "each capability is a slice of root; cap_sys_admin or cap_sys_module alone hand over the "
     "host",
     "docker run --cap-drop ALL (add back only what the app needs); Kubernetes: "
     "securityContext.capabilities.drop: [\"ALL\"]",
     check_capabilities},
    {"bounding-set", "Bounding set empty or out of reach", "empty, or no_new_privs set",
     "a setuid-root or file-capability binary can raise the process to its bounding set",
     "docker run --cap-drop ALL --security-opt no-new-privileges; Kubernetes: "
     "capabilities.drop: [\"ALL\"], allowPrivilegeEscalation: false",
     check_bounding_set},
    {"not-privileged", "Not a privileged container", "bounding set smaller than every capability",
     "a privileged container has every capability and the host's devices: it is the host",
     "remove --privileged; Kubernetes: securityContext.privileged: false", check_not_privileged},
    {"no-new-privileges", "no_new_privs is set", "NoNewPrivs: 1",
     "without it setuid binaries and file capabilities raise privileges after exec",
     "docker run --security-opt no-new-privileges; Kubernetes: "
     "securityContext.allowPrivilegeEscalation: false",
     check_no_new_privileges},
    {"seccomp", "Seccomp filters system calls", "Seccomp: 2 (filter) or 1 (strict)",
     "the syscall filter removes most of the kernel's attack surface (keyctl, bpf, unshare...)",
     "do not run with --security-opt seccomp=unconfined; Kubernetes: "
     "securityContext.seccompProfile.type: RuntimeDefault",
     check_seccomp},
    {"lsm-confined", "AppArmor or SELinux confines the process",
     "an enforcing AppArmor profile or a confined SELinux type",
     "the LSM profile denies mounts and writes to /proc and /sys even to root",
     "do not pass --security-opt apparmor=unconfined or label=disable; Kubernetes: "
     "securityContext.appArmorProfile.type: RuntimeDefault",
     check_lsm_confined},
    {"kernel-knobs", "Kernel escape knobs are not writable", "none writable",
     "writing core_pattern, modprobe, binfmt_misc or release_agent runs a program as host root",
     "remove --privileged and keep /proc/sys read-only; Kubernetes: privileged: false, "
     "procMount: Default",
     check_kernel_knobs},
    {"aslr", "Address space randomization is full", "randomize_va_space = 2",
     "without full randomization memory-corruption bugs are much easier to exploit",
     "on the host: sysctl -w kernel.randomize_va_space=2", check_aslr},

    // Filesystems and devices.
    {"read-only-root", "Root filesystem is read-only", "/ mounted ro",
     "a writable root lets an intruder replace binaries and keep tools until the container goes",
     "docker run --read-only (plus --tmpfs /tmp if the app writes temp files); Kubernetes: "
     "securityContext.readOnlyRootFilesystem: true",
     check_read_only_root},
    {"no-runtime-socket", "No container runtime socket",
     "no docker, containerd, podman or "
     "cri-o socket",
     "whoever connects to a runtime socket can start a privileged container: root on the host",
     "remove -v /var/run/docker.sock:... (a filtering socket proxy if the API is needed); "
     "Kubernetes: remove the hostPath volume of the socket",
     check_no_runtime_socket},
    {"no-host-mounts", "No sensitive host paths mounted",
     "no bind of host /, /boot, /dev, /etc, /lib, /proc, /sys or /usr",
     "a writable host /etc, /usr or / is root on the host; read-only ones still leak",
     "remove the -v HOST:PATH bind of system paths (or add :ro); Kubernetes: remove the "
     "hostPath volume",
     check_no_host_mounts},
    {"mount-propagation", "No shared mount propagation", "private or slave mounts",
     "shared propagation carries mounts between the container and the host",
     "drop :shared and :rshared from -v; Kubernetes: mountPropagation: None",
     check_mount_propagation},
    {"host-devices", "No host devices",
     "only null, zero, full, random, urandom, tty, console, "
     "ptmx",
     "raw disks, /dev/mem or /dev/kmsg give direct access to host storage and kernel memory",
     "remove --device and --privileged; Kubernetes: privileged: false, no hostPath under /dev",
     check_host_devices},
    {"service-account-token", "No Kubernetes service-account token", "no token mounted",
     "the token is an API credential usable by anything that runs in the container",
     "Kubernetes: automountServiceAccountToken: false (Pod or ServiceAccount)",
     check_service_account_token},

    // Namespaces.
    {"host-pid", "Own PID namespace", "not pid:[4026531836]",
     "host processes become visible and, with ptrace or signals, reachable",
     "remove --pid=host; Kubernetes: hostPID: false", check_host_pid},
    {"host-ipc", "Own IPC namespace", "not ipc:[4026531839]",
     "host shared memory and semaphores become reachable",
     "remove --ipc=host; Kubernetes: hostIPC: false", check_host_ipc},
    {"host-uts", "Own UTS namespace", "not uts:[4026531838]",
     "the container sees and, with cap_sys_admin, changes the host's hostname",
     "remove --uts=host; Kubernetes: hostNetwork: false", check_host_uts},
    {"host-network", "Own network namespace (heuristic)",
     "no host bridge or veth interface, no host daemon socket",
     "services bound to the host's localhost (kubelet, databases) become reachable",
     "remove --network host; Kubernetes: hostNetwork: false", check_host_network},

    // Resources.
    {"memory-limit", "Memory is limited", "a cgroup memory limit",
     "one leak or attack can exhaust the host's memory and OOM-kill other workloads",
     "docker run --memory 512m; Kubernetes: resources.limits.memory", check_memory_limit},
    {"cpu-limit", "CPU is limited", "a cgroup CPU quota",
     "an unlimited container can starve its neighbours of CPU",
     "docker run --cpus 1; Kubernetes: resources.limits.cpu", check_cpu_limit},
    {"pids-limit", "Process count is limited", "a cgroup pids limit",
     "a fork bomb in the container exhausts the host's PID table",
     "docker run --pids-limit 256; Kubernetes: kubelet podPidsLimit", check_pids_limit},

    // What the image holds.
    {"no-shells", "No shells or escape tools", "no sh, bash, curl, wget, nc, sudo... in PATH dirs",
     "a shell and a downloader are the first things an intruder needs",
     "build the final stage FROM scratch or a distroless base with only the app", check_no_shells},
    {"setuid-files", "No setuid or setgid executables", "none, or no_new_privs set",
     "a setuid-root binary with a bug is a way back to root",
     "Dockerfile: RUN find / -xdev -perm /6000 -type f -exec chmod a-s {} + (or set "
     "no-new-privileges)",
     check_setuid_files},
    {"leftover-files", "No leftover credentials or build files",
     "no .git, .aws, .ssh, .env, id_rsa, Dockerfile...",
     "source history, cloud credentials and keys in an image reach everyone who pulls it",
     "list them in .dockerignore and copy only build outputs into the final stage",
     check_leftover_files},
    {"secret-env", "No secret-looking environment variable names",
     "no name with PASS, SECRET, KEY, TOKEN, ACCESS...",
     "environment values leak through /proc, docker inspect, crash dumps and child processes",
     "mount secrets as files (Docker secrets, Kubernetes Secret volumes) and pass their path, "
     "e.g. DB_PASSWORD_FILE",
     check_secret_env},
};

}  // namespace

std::string_view to_string(Status status) {
    switch (status) {
        case Status::Pass:
            return "pass";
        case Status::Skip:
            return "skip";
        case Status::Warn:
            return "warn";
        case Status::Fail:
            return "fail";
    }
    return "skip";
}

std::span<const CheckSpec> check_table() {
    return kChecks;
}

const CheckSpec* find_check(std::string_view id) {
    for (const auto& spec : kChecks) {
        if (spec.id == id) {
            return &spec;
        }
    }
    return nullptr;
}

Finding run_check(const CheckSpec& spec, const Facts& facts, const CheckOptions& options) {
    Verdict verdict = spec.run(facts, options);
    return {std::string(spec.id),
            std::string(spec.title),
            verdict.status,
            std::move(verdict.observed),
            verdict.expected.empty() ? std::string(spec.expected) : std::move(verdict.expected),
            std::string(spec.why),
            verdict.fix.empty() ? std::string(spec.fix) : std::move(verdict.fix)};
}

std::vector<Finding> run_checks(const Facts& facts, const CheckOptions& options) {
    std::vector<Finding> findings;
    findings.reserve(std::size(kChecks));
    for (const auto& spec : kChecks) {
        findings.push_back(run_check(spec, facts, options));
    }
    return findings;
}

Status overall_status(const std::vector<Finding>& findings) {
    Status worst = Status::Pass;
    for (const auto& finding : findings) {
        if (finding.status != Status::Skip && finding.status > worst) {
            worst = finding.status;
        }
    }
    return worst;
}

std::string join_list(const std::vector<std::string>& items, size_t shown) {
    if (items.empty()) {
        return "none";
    }
    std::string text;
    for (size_t i = 0; i < items.size() && i < shown; ++i) {
        text += (i == 0 ? "" : ", ") + items[i];
    }
    if (items.size() > shown) {
        text += " and " + std::to_string(items.size() - shown) + " more";
    }
    return text;
}

}  // namespace hale::probes::hardening

// Files whose mere presence is a finding: shells and escape tools in the usual binary
// directories, device nodes beyond the runtime's default set, and a Kubernetes
// service-account token. Nothing here opens or reads those files.
#pragma once

#include <string>
#include <vector>

#include "probes/hardening/roots.hpp"

namespace hale::probes::hardening {

struct ShellsAndTools {
    std::vector<std::string> shells;  // "/usr/bin/bash"
    std::vector<std::string> tools;   // "/usr/bin/curl"
};

// Looks in /bin, /sbin, /usr/bin, /usr/sbin, /usr/local/bin and /usr/local/sbin under
// ROOT; a directory that is a symlink (/bin -> usr/bin) is skipped, its target is listed.
ShellsAndTools find_shells_and_tools(const Roots& roots);

struct DeviceNodes {
    bool readable = false;
    std::vector<std::string> extra_char;  // character devices beyond Docker's default set
    std::vector<std::string> block;       // every block device
    size_t char_count = 0;
};

// The device nodes directly in ROOT/dev. Docker's default set is null, zero, full, random,
// urandom, tty, console and ptmx (moby daemon/pkg/oci/defaults.go).
DeviceNodes find_device_nodes(const Roots& roots);

struct TokenFile {
    std::string path;  // empty when there is none
    bool readable = false;
};

// The token Kubernetes mounts unless automountServiceAccountToken is false.
TokenFile find_service_account_token(const Roots& roots);

}  // namespace hale::probes::hardening

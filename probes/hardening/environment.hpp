// The names in the process environment (PROC/self/environ). Values are dropped as soon as the
// name is cut off; the only thing ever taken from a value is DOCKER_HOST's scheme, reduced to
// one of a fixed set of words, because "tcp" (a daemon on the network) is the finding.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/roots.hpp"
#include "probes/result.hpp"

namespace hale::probes::hardening {

struct EnvFacts {
    std::vector<std::string> names;
    std::vector<std::string> secret_like;  // names only
    std::string docker_host_scheme;        // "", or tcp, unix, ssh, fd, npipe, other
    bool kubernetes = false;               // KUBERNETES_SERVICE_HOST is set
};

// Names that look like they hold a secret (dockle CIS-DI-0010's words: PASS, SECRET, KEY,
// TOKEN, ACCESS, plus CREDENTIAL and PRIVATE). GPG_KEY(S) are public key ids, and names ending
// in _FILE or _PATH point at a mounted secret, which is the recommended practice.
bool is_secret_like_name(std::string_view name);

// The environ block: NAME=VALUE entries separated by NUL.
EnvFacts parse_environ(std::string_view block);

Result<EnvFacts> read_environment(const Roots& roots);

}  // namespace hale::probes::hardening

// Turns a target's host into the addresses to try, without glibc's NSS: a static binary in a
// `FROM scratch` image has no NSS modules, so getaddrinfo() would fail for every name.
//
// Order: IP literals as they are; `localhost`, `localhost.` and `*.localhost` to 127.0.0.1 and
// ::1 with no lookup at all (RFC 6761); then the hosts file; then DNS from resolv.conf.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/address.hpp"
#include "probes/deadline.hpp"
#include "probes/result.hpp"

namespace hale::probes {

struct ResolverConfig {
    std::string hosts_file = "/etc/hosts";
    std::string resolv_conf = "/etc/resolv.conf";
};

enum class ResolveSource { Literal, Localhost, HostsFile, Dns };

struct Resolution {
    std::vector<IpAddress> addresses;  // never empty
    ResolveSource source = ResolveSource::Literal;
};

bool is_localhost_name(std::string_view host);

// Every address the hosts file gives `name` (case-insensitive, a trailing dot ignored), in file
// order and without repeats. Comments, blank and malformed lines are skipped.
std::vector<IpAddress> find_in_hosts_file(std::string_view contents, std::string_view name);

// Resolves within the deadline; on failure the error says why ("name not found", ...).
Result<Resolution> resolve_host(std::string_view host,
                                const ResolverConfig& config,
                                const Deadline& deadline);

// Must run once before resolve_host() is called from several threads.
void init_resolver();

}  // namespace hale::probes

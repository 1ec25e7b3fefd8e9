// What a probe is pointed at: parsed from `http://host[:port]/path` or `tcp://host:port`.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "probes/result.hpp"

namespace hale::probes {

enum class Scheme { Http, Tcp };

struct Target {
    Scheme scheme = Scheme::Http;
    std::string host;  // a name, or an IP literal without brackets ("::1", "fe80::1%eth0")
    uint16_t port = 0;
    std::string path;      // request target in origin form, never empty: "/", "/health?x=1"
    std::string userinfo;  // "user:pass" before '@', percent-decoded; empty when absent
    bool host_is_ip = false;
    bool host_is_ipv6 = false;

    // "127.0.0.1:8080", "[::1]:8080", "app:80": the host and port as a client dials them.
    std::string host_port() const;

    // The Host header value: the port is left out when it is the scheme's default.
    std::string host_header() const;

    // The target written back as a URL, without userinfo: safe to print.
    std::string url() const;
};

// Parses a target. Examples:
//   http://127.0.0.1:8080/health   -> Http 127.0.0.1 8080 "/health"
//   HTTP://App.local/              -> Http app.local 80 "/"
//   http://[::1]:9000              -> Http ::1 9000 "/"
//   http://localhost:8080?ready    -> Http localhost 8080 "/?ready"
//   http://u:p%40ss@host/x#frag    -> Http host 80 "/x", userinfo "u:p@ss"
//   tcp://db:5432                  -> Tcp db 5432
//   tcp://db                       -> error: tcp targets need a port
//   https://host/                  -> error: https is not supported
//   localhost:8080                 -> error: missing scheme
Result<Target> parse_target(std::string_view text);

}  // namespace hale::probes

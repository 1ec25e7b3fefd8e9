// hale serve's command line and HALE_SERVE_* environment, read into one configuration before
// anything starts: a bad flag is a one-line usage error and exit 1, never a half-started server.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "probes/hardening/policy.hpp"
#include "probes/result.hpp"
#include "sidecar/commands.hpp"
#include "sidecar/image_info.hpp"
#include "sidecar/logging.hpp"
#include "sidecar/scheduler.hpp"

namespace hale::sidecar {

struct ListenAddress {
    std::string host;  // an IP literal, without brackets
    uint16_t port = 0;

    // "0.0.0.0:8086", "[::]:8086".
    std::string text() const;
};

// Parses where to listen. Examples:
//   0.0.0.0:8086   -> 0.0.0.0 8086
//   :8086          -> 0.0.0.0 8086
//   [::]:8086      -> :: 8086 (IPv4 too: the socket is dual-stack)
//   localhost:9000 -> 127.0.0.1 9000 (no lookup: a scratch image has no resolver)
//   127.0.0.1:0    -> 127.0.0.1, any free port (logged at start)
//   app:8086       -> error: only IP literals and localhost
probes::Result<ListenAddress> parse_listen_address(std::string_view text);

// Parses `NAME=URL`: a name of letters, digits, '.', '_' or '-' (at most 63 characters, none of
// hale's own check names) and a target that `hale check` accepts.
probes::Result<ProbeSpec> parse_probe_spec(std::string_view text, ProbeKind kind);

struct ServeConfig {
    ListenAddress listen{"0.0.0.0", 8086};
    std::vector<ProbeSpec> probes;  // readiness first, then liveness, each in the given order
    std::chrono::milliseconds interval{5000};
    std::chrono::milliseconds timeout{2000};
    Thresholds thresholds;
    std::chrono::milliseconds drain{5000};
    LogLevel log_level = LogLevel::Info;
    LogFormat log_format = LogFormat::Text;
    std::vector<std::string> command;  // after `--`: the app to run as a child

    // --verify: refuse to start when the hardening report breaks this policy.
    std::optional<probes::hardening::Policy> verify;

    // Where /about finds the image's provenance and layer report.
    ImageSources image;
};

// A configuration, or the exit code when there is nothing to serve (help, usage error).
struct ParsedServe {
    std::optional<ServeConfig> config;
    int exit_code = 0;
};

ParsedServe parse_serve_args(const Args& args);

}  // namespace hale::sidecar

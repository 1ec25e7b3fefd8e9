// Resolve and connect, the first two phases every probe shares.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "probes/connect.hpp"
#include "probes/probe.hpp"

namespace hale::probes {

struct DialOutcome {
    UniqueFd socket;  // connected on success
    IpAddress peer;
    std::vector<ConnectFailure> failures;
    ResolveSource source = ResolveSource::Literal;
    std::string error;        // "resolve app: name not found", "connect ...: ..."; empty if ok
    bool timed_out = false;   // the deadline passed; `waiting_for` says in which phase
    std::string waiting_for;  // "resolving app", "connecting to 127.0.0.1:8080"
};

DialOutcome dial(const std::string& host,
                 uint16_t port,
                 const ProbeOptions& options,
                 const Deadline& deadline);

// " via 127.0.0.1 ([::1] connection refused)" when a name was resolved and more than one
// address was tried or the name was not a literal; empty for an IP literal that worked first.
std::string describe_route(const DialOutcome& outcome);

}  // namespace hale::probes

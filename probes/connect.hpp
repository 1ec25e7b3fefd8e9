// Connects to the first address that answers, trying every address a name has.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "probes/address.hpp"
#include "probes/deadline.hpp"
#include "probes/unique_fd.hpp"

namespace hale::probes {

struct ConnectFailure {
    IpAddress address;
    int error = 0;  // errno; ETIMEDOUT when the deadline ended the attempt
};

struct ConnectOutcome {
    UniqueFd socket;  // valid on success: connected, non-blocking
    IpAddress peer;
    std::vector<ConnectFailure> failures;  // every address that failed, in the order tried
    bool timed_out = false;                // the deadline passed before any address answered
};

// Starts one attempt per address, each `stagger` after the previous one or as soon as the
// previous one fails, and keeps the first that connects (happy eyeballs, RFC 8305). A blackholed
// first address therefore costs `stagger`, not the whole deadline.
ConnectOutcome connect_any(const std::vector<IpAddress>& addresses,
                           uint16_t port,
                           const Deadline& deadline,
                           std::chrono::milliseconds stagger = std::chrono::milliseconds(250));

}  // namespace hale::probes

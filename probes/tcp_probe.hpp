// The TCP probe: healthy when a connection is established, as with the kubelet's tcpSocket.
// It proves only that something accepts on the port, not that the service works.
#pragma once

#include "probes/probe.hpp"

namespace hale::probes {

ProbeResult probe_tcp(const Target& target, const ProbeOptions& options, const Deadline& deadline);

}  // namespace hale::probes
